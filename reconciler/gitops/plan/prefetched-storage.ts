/**
 * A read-ahead view of a store for a large plan: every key under the prefixes the desired objects
 * crowd into (one kind in one namespace) is read with one range, and a point read of a key under
 * such a prefix is answered from it (absent when the range did not hold it). A cold sync plans
 * thousands of objects that do not exist yet; each was one store lookup (a tenth of its plan).
 *
 * Only for a staging area over it (StagedStorage): staging works on the snapshot it first read and
 * its commit refuses when any key it read changed since, so a range read a little earlier than the
 * point read it replaces can only make a commit refuse, never write over a change.
 */
import { kindPrefix } from '../../api/keys.js'
import type { KeyValue, RangeOptions, RangeResult, Storage, TxnRequest, TxnResult, Watch, WatchHandlers, WatchOptions } from '../../storage/types.js'
import type { DesiredObject } from '../desired.js'
import { kindOfId } from '../identity.js'

/** Fewer desired objects than this under one prefix: their point reads stay point reads. */
export const PREFETCH_MIN = 64
/** A prefix holding more than this many keys per desired object under it is not read ahead. */
const MAX_PER_DESIRED = 4

/** Reads ahead the prefixes holding at least `min` of `desired`'s keys; returns `base` itself when there is none. */
export async function prefetchedStorage(base: Storage, desired: readonly DesiredObject[], min = PREFETCH_MIN): Promise<Storage> {
  const counts = new Map<string, number>()
  for (const d of desired) {
    const k = kindOfId(d.id)
    const p = kindPrefix(k, k.namespaced ? d.id.namespace || 'default' : undefined)
    counts.set(p, (counts.get(p) ?? 0) + 1)
  }
  const prefixes = new Set<string>()
  const held = new Map<string, KeyValue>()
  for (const [p, n] of counts) {
    if (n < min) continue
    // How many keys the prefix holds (a store that cannot page, such as a staging area, is not read ahead).
    const first = await base.range(p, { limit: 1 }).catch(() => undefined)
    if (!first) continue
    const stored = first.items.length + first.remaining
    // A prefix crowded with objects git does not hold stays with point reads; an empty one needs no read.
    if (stored > MAX_PER_DESIRED * n) continue
    prefixes.add(p)
    if (stored) for (const kv of (await base.range(p)).items) held.set(kv.key, kv)
  }
  return prefixes.size ? new PrefetchedStorage(base, prefixes, held) : base
}

/** The store, with point reads under the read prefixes answered from what was read. */
class PrefetchedStorage implements Storage {
  readonly kind: string

  constructor(
    private readonly base: Storage,
    private readonly prefixes: ReadonlySet<string>,
    private readonly held: ReadonlyMap<string, KeyValue>,
  ) {
    this.kind = base.kind
  }

  /** Whether `key` names an object directly under a read prefix (an object's name holds no `/`). */
  private covers(key: string): boolean {
    return this.prefixes.has(key.slice(0, key.lastIndexOf('/') + 1))
  }

  get(key: string): Promise<KeyValue | undefined> {
    if (this.covers(key)) return Promise.resolve(this.held.get(key))
    return this.base.get(key)
  }

  revision(): Promise<number> {
    return this.base.revision()
  }

  range(prefix: string, opts?: RangeOptions): Promise<RangeResult> {
    return this.base.range(prefix, opts)
  }

  txn(req: TxnRequest): Promise<TxnResult> {
    return this.base.txn(req)
  }

  watch(prefix: string, handlers: WatchHandlers, opts?: WatchOptions): Watch {
    return this.base.watch(prefix, handlers, opts)
  }

  compact(revision: number): Promise<void> {
    return this.base.compact(revision)
  }

  compactedRevision(): Promise<number> {
    return this.base.compactedRevision()
  }

  async close(): Promise<void> {}
}
