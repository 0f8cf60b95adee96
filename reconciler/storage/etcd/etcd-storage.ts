/**
 * The etcd storage backend: capstan's revisioned key-value log kept in an etcd v3 cluster, so
 * several capstan processes can share one highly available state (the k3s model: SQLite embedded
 * by default, etcd when it must survive a machine).
 *
 * Revisions are etcd's, shifted by one (see codec.ts); a transaction is one etcd transaction, so
 * its writes share one revision. Watches are etcd watches. A networked store cannot deliver watch
 * events before `txn()` resolves, but this backend keeps the part that matters to its own process:
 * `txn()` resolves only after every watch opened on this handle whose range covers a written key
 * has delivered the transaction's events, so a watch cache in this process reads its own writes.
 *
 * Compaction: the contract's compact(C) keeps the value each key had just before C (the prevKv of
 * events at C), and etcd's compaction at a revision keeps exactly the state at that revision, so
 * compact(C) is etcd's compaction at etcd revision C (capstan C - 1). Reads and watches below C
 * are refused here, by reading at etcd revision C' = the requested revision too: etcd refuses that
 * read exactly when the request is below C. (compact(1) is therefore indistinguishable from no
 * compaction: compactedRevision() reports 0 after it.)
 */
import type { Etcd3, IRangeRequest, IRangeResponse } from 'etcd3'
import { decodeContinue, encodeContinue } from '../continue-token.js'
import { keySuccessor } from '../key-order.js'
import {
  StorageError,
  type KeyValue,
  type RangeOptions,
  type RangeResult,
  type Storage,
  type TxnRequest,
  type TxnResult,
  type Watch,
  type WatchHandlers,
  type WatchOptions,
} from '../types.js'
import { validateTxn } from '../validate-request.js'
import { createEtcdClient, withRetry, type Attempt, type EtcdStorageOptions } from './client.js'
import { bytes, fromEtcdRevision, prefixRange, toEtcdRevision, toKeyValue } from './codec.js'
import { toStorageError } from './errors.js'
import { EtcdWatch } from './etcd-watch.js'
import { buildTxn, readTxn, recoverCommitted } from './txn.js'

/** Keys read per request when a range has no limit (bounds each response of a big list). */
const PAGE = 2000

/** Opens a storage handle on an etcd cluster (connections are made lazily, on first use). */
export function openEtcdStorage(opts: EtcdStorageOptions): Storage {
  return new EtcdStorage(opts)
}

class EtcdStorage implements Storage {
  readonly kind = 'etcd'
  private readonly client: Etcd3
  private readonly retryForMs: number
  private closed = false
  /** The highest etcd revision any answer to this handle carried. */
  private lastSeen = 0
  private readonly watches = new Set<EtcdWatch>()
  /** Start revisions of watches being opened ("now" is read from etcd, history is checked). */
  private readonly pendingStarts = new Set<Promise<number>>()

  constructor(opts: EtcdStorageOptions) {
    this.client = createEtcdClient(opts)
    this.retryForMs = opts.retryForMs ?? 30_000
  }

  async revision(): Promise<number> {
    return fromEtcdRevision(await this.currentEtcdRevision())
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.read({ key: bytes(key) })
    const kv = res.kvs[0]
    return kv ? toKeyValue(kv) : undefined
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    this.checkOpen()
    let revision = opts.revision ?? 0
    const { key: prefixKey, rangeEnd } = prefixRange(prefix)
    let start = prefixKey
    if (opts.continue !== undefined && opts.continue !== '') {
      const pos = decodeContinue(opts.continue, prefix)
      if (revision !== 0 && revision !== pos.revision) {
        throw new StorageError('InvalidContinue', `revision ${revision} differs from the continue token's revision ${pos.revision}`)
      }
      revision = pos.revision
      start = bytes(keySuccessor(pos.lastKey))
    }
    if (!Number.isSafeInteger(revision) || revision < 0) throw new StorageError('InvalidRequest', 'revision must be an integer >= 0')
    const limit = opts.limit ?? 0
    if (!Number.isSafeInteger(limit) || limit < 0) throw new StorageError('InvalidRequest', 'limit must be an integer >= 0')

    if (opts.countOnly === true) {
      const res = await this.readAt({ key: start, range_end: rangeEnd, count_only: true }, revision)
      return { items: [], revision: revision || fromEtcdRevision(res.header.revision), remaining: Number(res.count) }
    }
    // Read page by page at one revision: the caller's limit, or PAGE at a time when it set none.
    const items: KeyValue[] = []
    let at = revision
    let remaining = 0
    for (;;) {
      const want = limit > 0 ? limit - items.length : PAGE
      const res = await this.readAt({ key: start, range_end: rangeEnd, limit: want }, at)
      if (at === 0) at = fromEtcdRevision(res.header.revision)
      for (const kv of res.kvs) items.push(toKeyValue(kv))
      remaining = Number(res.count) - res.kvs.length
      if (!res.more || res.kvs.length === 0 || (limit > 0 && items.length >= limit)) break
      start = Buffer.concat([res.kvs[res.kvs.length - 1].key, Buffer.from([0])])
    }
    const result: RangeResult = { items, revision: at, remaining }
    if (remaining > 0 && items.length > 0) {
      result.continue = encodeContinue({ lastKey: items[items.length - 1].key, revision: result.revision })
    }
    return result
  }

  async txn(req: TxnRequest): Promise<TxnResult> {
    this.checkOpen()
    validateTxn(req)
    // A watch opened before this txn must see it: its start revision is read first.
    if (this.pendingStarts.size > 0) await Promise.allSettled([...this.pendingStarts])
    const request = buildTxn(req)
    /** The keys whose change makes a watch event (a delete of an absent key makes none). */
    let changed: string[] = []
    const result = await this.call(async (attempt) => {
      const res = await this.client.kv.txn(request)
      this.saw(res.header.revision)
      const out = readTxn(req, res)
      if (out.succeeded) {
        changed = req.success.filter((op, i) => op.type === 'put' || Number(res.responses[i]?.response_delete_range?.deleted ?? 0) > 0).map((op) => op.key)
        return out
      }
      if (!attempt.inDoubt) return out
      // An earlier attempt may have committed, failing this one's compare: check whether it did.
      const earlier = await this.committedEarlier(req)
      if (earlier === undefined) return out
      changed = req.success.filter((op) => op.type === 'put').map((op) => op.key)
      return earlier
    })
    if (changed.length > 0) await this.deliveredLocally(changed, toEtcdRevision(result.revision))
    return result
  }

  watch(prefix: string, handlers: WatchHandlers, opts: WatchOptions = {}): Watch {
    this.checkOpen()
    const { key, rangeEnd } = prefixRange(prefix)
    const from = opts.fromRevision !== undefined && opts.fromRevision > 0 ? opts.fromRevision : undefined
    // "Only new events" means after the last revision this handle has seen, as for in-process
    // backends: a write this handle made before watch() is old, one made after it is delivered.
    const startRevision =
      from !== undefined ? this.watchableFrom(from) : this.lastSeen > 0 ? Promise.resolve(this.lastSeen + 1) : this.currentEtcdRevision().then((r) => r + 1)
    this.pendingStarts.add(startRevision)
    const settled = (): void => void this.pendingStarts.delete(startRevision)
    startRevision.then(settled, settled)
    const w: EtcdWatch = new EtcdWatch(this.client, {
      key,
      rangeEnd,
      startRevision,
      prevKv: opts.prevKv !== false,
      handlers,
      onDone: () => this.watches.delete(w),
    })
    this.watches.add(w)
    return { cancel: () => w.cancel() }
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen()
    if (!Number.isSafeInteger(revision) || revision < 0) throw new StorageError('InvalidRequest', 'compact revision must be an integer >= 0')
    if (revision === 0) return
    const current = await this.revision()
    if (revision > current) throw new StorageError('FutureRevision', `cannot compact to ${revision}: the current revision is ${current}`)
    try {
      await this.call(() => this.client.kv.compact({ revision, physical: false }))
    } catch (err) {
      // Compacting again at the compacted revision is a no-op, as for the other backends.
      if (err instanceof StorageError && err.code === 'Compacted' && (await this.compactedRevision()) === revision) return
      throw err
    }
  }

  /**
   * etcd does not say its compacted revision, but refuses reads below it: the oldest readable
   * revision is found by probing (one read when nothing was compacted, a binary search otherwise).
   */
  async compactedRevision(): Promise<number> {
    const current = await this.currentEtcdRevision()
    if (await this.readableAt(1)) return 0
    let lo = 2
    let hi = current
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      if (await this.readableAt(mid)) hi = mid
      else lo = mid + 1
    }
    // etcd keeps its compaction revision readable; capstan's compact(C) compacted etcd at C.
    return lo
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const w of [...this.watches]) w.cancel()
    this.client.close()
  }

  /** The current etcd revision (a linearizable read of one key). */
  private async currentEtcdRevision(): Promise<number> {
    const res = await this.read({ key: Buffer.from([0]) })
    return Number(res.header.revision)
  }

  /**
   * Checks a watch's start revision before creating it: etcd reports a compacted start only from its
   * next sync of catching-up watchers (up to 100 ms later), a read at it says so at once.
   */
  private async watchableFrom(revision: number): Promise<number> {
    try {
      await this.read({ key: Buffer.from([0]), revision })
    } catch (err) {
      if (err instanceof StorageError && err.code === 'Compacted') {
        throw new StorageError('Compacted', `watch from revision ${revision}: that history has been compacted`, { cause: err })
      }
      if (!(err instanceof StorageError && err.code === 'FutureRevision')) throw err
    }
    return toEtcdRevision(revision)
  }

  private async readableAt(etcdRevision: number): Promise<boolean> {
    try {
      await this.read({ key: Buffer.from([0]), revision: etcdRevision })
      return true
    } catch (err) {
      if (err instanceof StorageError && err.code === 'Compacted') return false
      throw err
    }
  }

  /**
   * A range at capstan revision `revision` (0: current). A historical one is an etcd read-only txn
   * of two ranges: at etcd revision `revision`, which etcd refuses when `revision` is below
   * capstan's compacted revision (see the file comment), and the real one at `revision` + 1.
   */
  private async readAt(req: IRangeRequest, revision: number): Promise<IRangeResponse> {
    if (revision === 0) return this.read(req)
    this.checkOpen()
    const probe: IRangeRequest = { key: Buffer.from([0]), revision, count_only: true }
    const res = await this.call(() => this.client.kv.txn({ success: [{ request_range: probe }, { request_range: { ...req, revision: toEtcdRevision(revision) } }] }))
    this.saw(res.header.revision)
    return res.responses[1].response_range
  }

  /** A linearizable range request, retried while the cluster is unavailable. */
  private async read(req: IRangeRequest): Promise<IRangeResponse> {
    this.checkOpen()
    const res = await this.call(() => this.client.kv.range(req))
    this.saw(res.header.revision)
    return res
  }

  /** The txn's result as committed by an earlier attempt, or undefined when it was not. */
  private async committedEarlier(req: TxnRequest): Promise<TxnResult | undefined> {
    const current = new Map<string, KeyValue | undefined>()
    for (const op of req.success) current.set(op.key, await this.get(op.key))
    return recoverCommitted(req, current, await this.revision())
  }

  /** Waits until every watch of this handle covering a `changed` key has delivered `etcdRevision`. */
  private async deliveredLocally(changed: string[], etcdRevision: number): Promise<void> {
    if (this.watches.size === 0) return
    const keys = changed.map(bytes)
    const pending: Promise<void>[] = []
    for (const w of this.watches) if (keys.some((k) => w.covers(k))) pending.push(w.reached(etcdRevision))
    if (pending.length > 0) await Promise.all(pending)
  }

  private call<T>(fn: (attempt: Attempt) => Promise<T>): Promise<T> {
    return withRetry(fn, { retryForMs: this.retryForMs, closed: () => this.closed }).catch((err: unknown) => {
      if (this.closed) throw new StorageError('Closed', 'storage is closed', { cause: err })
      throw toStorageError(err)
    })
  }

  private saw(revision: string): void {
    const r = Number(revision)
    if (r > this.lastSeen) this.lastSeen = r
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('Closed', 'storage is closed')
  }
}
