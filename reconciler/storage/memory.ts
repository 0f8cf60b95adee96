/** An in-memory MVCC store: the reference backend and the one tests use. */
import { encodeContinue } from './continue-token.js'
import { SortedKeys } from './sorted-keys.js'
import { StorageError, type Compare, type KeyValue, type RangeOptions, type RangeResult, type Storage, type TxnRequest, type TxnResult, type Watch, type WatchEvent, type WatchHandlers, type WatchOptions } from './types.js'
import { checkCompact, resolveRange, validateTxn } from './validate-request.js'
import { WatchHub, type EventBatch } from './watch-hub.js'

/** One write to a key: its value, or undefined for a deletion (a tombstone). */
interface Entry {
  revision: number
  kv: KeyValue | undefined
}

/** Creates an empty in-memory store. Writes are visible to watchers before `txn()` resolves. */
export function createMemoryStorage(): Storage {
  return new MemoryStorage()
}

class MemoryStorage implements Storage {
  readonly kind = 'memory'
  readonly reportsSync = true
  private rev = 0
  private compacted = 0
  private closed = false
  /** Every key's writes in revision order; the last entry is its current state. */
  private readonly histories = new Map<string, Entry[]>()
  /** Every key with history (live or deleted), sorted. */
  private readonly keys = new SortedKeys()
  /** Every committed transaction's events, for watches that start in the past. */
  private batches: EventBatch[] = []
  private readonly hub: WatchHub

  constructor() {
    this.hub = new WatchHub({ compactedRevision: () => this.compacted, read: (from, to) => this.readBatches(from, to) }, 0)
  }

  async revision(): Promise<number> {
    this.checkOpen()
    return this.rev
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen()
    const h = this.histories.get(key)
    return h === undefined ? undefined : h[h.length - 1].kv
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    this.checkOpen()
    const r = resolveRange(prefix, opts, this.rev, this.compacted)
    const { keys, index } = this.keys.from(r.start)
    const items: KeyValue[] = []
    let remaining = 0
    for (let i = index; i < keys.length; i++) {
      const key = keys[i]
      if (!key.startsWith(prefix)) break
      const h = this.histories.get(key) as Entry[]
      const kv = r.current ? h[h.length - 1].kv : valueAt(h, r.revision)
      if (kv === undefined) continue
      if (r.countOnly || (r.limit > 0 && items.length >= r.limit)) remaining++
      else items.push(kv)
    }
    const result: RangeResult = { items, revision: r.revision, remaining }
    if (!r.countOnly && remaining > 0 && items.length > 0) {
      result.continue = encodeContinue({ lastKey: items[items.length - 1].key, revision: r.revision })
    }
    return result
  }

  async txn(req: TxnRequest): Promise<TxnResult> {
    this.checkOpen()
    validateTxn(req)
    const failed: Compare[] = []
    for (const c of req.compare ?? []) {
      const h = this.histories.get(c.key)
      const mod = h?.[h.length - 1].kv?.modRevision ?? 0
      if (mod !== c.modRevision) failed.push({ key: c.key, modRevision: mod })
    }
    if (failed.length > 0) return { succeeded: false, revision: this.rev, failed }

    const revision = this.rev + 1
    const results: (KeyValue | undefined)[] = []
    const events: WatchEvent[] = []
    for (const op of req.success) {
      let h = this.histories.get(op.key)
      const prev = h?.[h.length - 1].kv
      if (op.type === 'put') {
        const kv: KeyValue = Object.freeze({
          key: op.key,
          value: op.value,
          createRevision: prev?.createRevision ?? revision,
          modRevision: revision,
          version: (prev?.version ?? 0) + 1,
        })
        if (h === undefined) {
          h = []
          this.histories.set(op.key, h)
          this.keys.add(op.key)
        }
        h.push({ revision, kv })
        results.push(kv)
        events.push(prev === undefined ? { type: 'put', kv } : { type: 'put', kv, prevKv: prev })
      } else {
        results.push(undefined)
        if (h === undefined || prev === undefined) continue
        h.push({ revision, kv: undefined })
        events.push({ type: 'delete', key: op.key, revision, prevKv: prev })
      }
    }
    if (events.length === 0) return { succeeded: true, revision: this.rev, results }
    this.rev = revision
    const batch: EventBatch = { revision, events }
    this.batches.push(batch)
    this.hub.dispatch(batch)
    return { succeeded: true, revision, results }
  }

  watch(prefix: string, handlers: WatchHandlers, opts?: WatchOptions): Watch {
    this.checkOpen()
    return this.hub.watch(prefix, handlers, opts)
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen()
    checkCompact(revision, this.rev, this.compacted)
    if (revision === this.compacted) return
    this.compacted = revision
    const emptied = new Set<string>()
    for (const [key, h] of this.histories) {
      const kept = compactHistory(h, revision)
      if (kept.length === 0) {
        this.histories.delete(key)
        emptied.add(key)
      } else if (kept.length !== h.length) {
        this.histories.set(key, kept)
      }
    }
    if (emptied.size > 0) this.keys.removeWhere((k) => emptied.has(k))
    this.batches = this.batches.slice(firstBatchAtOrAfter(this.batches, revision))
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen()
    return this.compacted
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.hub.closeAll()
  }

  private readBatches(from: number, to: number): EventBatch[] {
    const out: EventBatch[] = []
    for (let i = firstBatchAtOrAfter(this.batches, from); i < this.batches.length && this.batches[i].revision <= to; i++) {
      out.push(this.batches[i])
    }
    return out
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('Closed', 'storage is closed')
  }
}

/** The value of a key at `revision` from its history (undefined when absent or deleted then). */
function valueAt(h: Entry[], revision: number): KeyValue | undefined {
  let lo = 0
  let hi = h.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (h[mid].revision <= revision) lo = mid + 1
    else hi = mid
  }
  return lo === 0 ? undefined : h[lo - 1].kv
}

/**
 * Drops the entries no read or watch at or after `revision` can need: a tombstone older than it,
 * and a write older than it that was superseded before it. A write superseded at or after
 * `revision` stays: reads at `revision` and the prevKv of its successor's event need it.
 */
function compactHistory(h: Entry[], revision: number): Entry[] {
  const kept: Entry[] = []
  for (let i = 0; i < h.length; i++) {
    const e = h[i]
    if (e.revision >= revision) {
      kept.push(e)
      continue
    }
    const next = h[i + 1]
    if (e.kv === undefined) continue
    if (next !== undefined && next.revision < revision) continue
    kept.push(e)
  }
  return kept
}

function firstBatchAtOrAfter(batches: EventBatch[], revision: number): number {
  let lo = 0
  let hi = batches.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (batches[mid].revision < revision) lo = mid + 1
    else hi = mid
  }
  return lo
}
