/**
 * The LeaseStore over etcd v3: a lease from the Lease service, the leader key created in one
 * transaction that succeeds only when the key does not exist (compare create_revision = 0, put
 * with the lease), keep-alives on the LeaseKeepAlive stream, and a linearizable read of the key.
 * etcd deletes the key when its lease expires or is revoked.
 */
import type { Etcd3 } from 'etcd3'
import { createEtcdClient, type EtcdStorageOptions } from '../../storage/etcd/client.js'
import { withTimeout } from './elector.js'
import type { AcquireResult, HeldKey, LeaderRecord, LeaseStore } from './types.js'

/** Each call's deadline: well inside the renew deadline, so a hung member cannot hold a renewal. */
const CALL_TIMEOUT_MS = 1500

/** Opens a LeaseStore on the etcd cluster `opts` names (its own client, closed by `close()`). */
export function openEtcdLeaseStore(opts: EtcdStorageOptions): LeaseStore {
  return new EtcdLeaseStore(createEtcdClient({ ...opts, callTimeoutMs: CALL_TIMEOUT_MS }))
}

class EtcdLeaseStore implements LeaseStore {
  constructor(private readonly client: Etcd3) {}

  async grant(ttlMs: number): Promise<string> {
    const res = await this.client.leaseClient.leaseGrant({ TTL: Math.max(1, Math.ceil(ttlMs / 1000)), ID: 0 })
    if (res.error) throw new Error(`etcd refused the lease: ${res.error}`)
    return res.ID
  }

  async acquire(key: string, record: LeaderRecord, leaseId: string): Promise<AcquireResult> {
    const k = Buffer.from(key)
    const res = await this.client.kv.txn({
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value: Buffer.from(JSON.stringify(record)), lease: leaseId } }],
      failure: [{ request_range: { key: k } }],
    })
    if (res.succeeded) return { acquired: true }
    const kv = res.responses[0]?.response_range?.kvs?.[0]
    return kv ? { acquired: false, current: held(kv.value, kv.lease) } : { acquired: false }
  }

  async keepAlive(leaseId: string): Promise<boolean> {
    const opening = this.client.leaseClient.leaseKeepAlive()
    // A stream that opens after the timeout is ended when it does, not left open.
    const stream = await withTimeout(opening, CALL_TIMEOUT_MS).catch((err: unknown) => {
      void opening.then((late) => late.end(), () => {})
      throw err
    })
    let settled = false
    try {
      const res = await withTimeout(
        new Promise<{ TTL: string }>((resolve, reject) => {
          const once = <A extends unknown[]>(fn: (...a: A) => void) => (...a: A): void => {
            if (settled) return
            settled = true
            fn(...a)
          }
          stream.on('data', once(resolve))
          stream.on('error', once(reject))
          stream.on('end', once(() => reject(new Error('keep-alive stream ended'))))
          stream.write({ ID: leaseId })
        }),
        CALL_TIMEOUT_MS,
      )
      // etcd answers TTL 0 (or below) for a lease that has expired or does not exist.
      return Number(res.TTL) > 0
    } finally {
      settled = true
      try {
        // Ending our side, as etcd3's keepaliveOnce does: the server then ends the stream.
        stream.end()
      } catch {
        // Already ended.
      }
    }
  }

  async read(key: string): Promise<HeldKey | undefined> {
    const res = await this.client.kv.range({ key: Buffer.from(key) })
    const kv = res.kvs[0]
    return kv ? held(kv.value, kv.lease) : undefined
  }

  async revoke(leaseId: string): Promise<void> {
    try {
      await this.client.leaseClient.leaseRevoke({ ID: leaseId })
    } catch (err) {
      // Revoking a lease that has already expired is done.
      if (!/requested lease not found/.test(String((err as Error)?.message ?? err))) throw err
    }
  }

  async close(): Promise<void> {
    this.client.close()
  }
}

/** A leader key's value and lease as a HeldKey (a value that is not a record reads as an unknown holder). */
function held(value: Buffer, lease: string): HeldKey {
  let record: LeaderRecord
  try {
    const parsed = JSON.parse(value.toString('utf8')) as Partial<LeaderRecord>
    record = { holder: String(parsed.holder ?? 'unknown'), since: String(parsed.since ?? ''), ...(typeof parsed.url === 'string' ? { url: parsed.url } : {}) }
  } catch {
    record = { holder: 'unknown', since: '' }
  }
  return { record, leaseId: String(lease) }
}
