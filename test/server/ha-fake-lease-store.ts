/**
 * An in-memory LeaseStore with etcd's lease semantics on the wall clock: a lease expires `ttl` after
 * its grant or last keep-alive and takes its keys with it. `down` makes every call fail, as an
 * unreachable etcd does.
 */
import type { AcquireResult, HeldKey, LeaderRecord, LeaseStore } from '../../reconciler/server/leader/types.js'

export class FakeLeaseStore implements LeaseStore {
  private next = 1
  readonly leases = new Map<string, { ttlMs: number; expiresAt: number }>()
  private readonly keys = new Map<string, { record: LeaderRecord; leaseId: string }>()
  /** Every call rejects while set (an unreachable store). */
  down = false
  /** Calls made, by method. */
  readonly calls: Record<string, number> = {}

  private enter(method: string): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1
    if (this.down) throw new Error('connect ECONNREFUSED (fake store down)')
    this.expire()
  }

  /** Drops expired leases and their keys (etcd's lessor does this on its own). */
  private expire(): void {
    const now = Date.now()
    for (const [id, l] of this.leases) {
      if (l.expiresAt > now) continue
      this.leases.delete(id)
      for (const [k, v] of this.keys) if (v.leaseId === id) this.keys.delete(k)
    }
  }

  async grant(ttlMs: number): Promise<string> {
    this.enter('grant')
    const id = String(this.next++)
    this.leases.set(id, { ttlMs, expiresAt: Date.now() + ttlMs })
    return id
  }

  async acquire(key: string, record: LeaderRecord, leaseId: string): Promise<AcquireResult> {
    this.enter('acquire')
    const held = this.keys.get(key)
    if (held) return { acquired: false, current: { record: held.record, leaseId: held.leaseId } }
    if (!this.leases.has(leaseId)) throw new Error('etcdserver: requested lease not found')
    this.keys.set(key, { record, leaseId })
    return { acquired: true }
  }

  async keepAlive(leaseId: string): Promise<boolean> {
    this.enter('keepAlive')
    const l = this.leases.get(leaseId)
    if (!l) return false
    l.expiresAt = Date.now() + l.ttlMs
    return true
  }

  async read(key: string): Promise<HeldKey | undefined> {
    this.enter('read')
    const held = this.keys.get(key)
    return held ? { record: held.record, leaseId: held.leaseId } : undefined
  }

  async revoke(leaseId: string): Promise<void> {
    this.enter('revoke')
    this.leases.delete(leaseId)
    for (const [k, v] of this.keys) if (v.leaseId === leaseId) this.keys.delete(k)
  }

  /** Deletes a key by hand (as `etcdctl del` would). */
  deleteKey(key: string): void {
    this.keys.delete(key)
  }

  /** Puts a key held by `leaseId` by hand. */
  putKey(key: string, record: LeaderRecord, leaseId: string): void {
    this.keys.set(key, { record, leaseId })
  }

  /** A client of this store with its own connection: `down` cuts only this client off. */
  client(): LeaseStore & { down: boolean } {
    const store = this
    const guard = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
      if (view.down) throw new Error('connect ECONNREFUSED (fake client cut off)')
      return fn(...a)
    }
    const view = {
      down: false,
      grant: guard((ttlMs: number) => store.grant(ttlMs)),
      acquire: guard((key: string, record: LeaderRecord, leaseId: string) => store.acquire(key, record, leaseId)),
      keepAlive: guard((leaseId: string) => store.keepAlive(leaseId)),
      read: guard((key: string) => store.read(key)),
      revoke: guard((leaseId: string) => store.revoke(leaseId)),
      close: async () => {},
    }
    return view
  }

  /** Ends a lease as if its TTL ran out now. */
  expireLease(leaseId: string): void {
    const l = this.leases.get(leaseId)
    if (l) l.expiresAt = 0
  }

  async close(): Promise<void> {}
}
