/**
 * What the API server's Service writes allocate against: the addresses and ports every stored
 * Service holds, as an index kept in step with the Services' watch cache (built once from it, then
 * changed one event at a time: no scan of every Service per create), or, for a staged store that
 * cannot be watched, read from the store once and then changed by this server's own writes. Writes
 * are recorded as soon as they commit, and Service writes run one at a time from allocation to
 * commit, so two creates of this process never hand out one value. Between processes, each
 * allocating write's transaction compares and rewrites one range key (SERVICE_RANGE_KEY), as
 * kube-apiserver's allocators compare-and-swap their stored bitmaps: a write whose index missed
 * another process's allocation allocates again from the stored Services.
 */
import type { Storage } from '../storage/types.js'
import { decodeObject } from './codec.js'
import type { CacheEvent, WatchCache } from './watch-cache.js'
import type { KObject } from './object.js'
import type { ServiceAllocations } from './service-allocate.js'
import { AllocationIndex } from './service-allocation-index.js'

/**
 * The store key every allocating Service write compares and rewrites in its own transaction, as
 * kube-apiserver's allocators compare-and-swap their stored ranges: a write that allocated against
 * an index missing another process's allocation fails its compare and allocates again. Outside
 * `/registry/`: it is no API object.
 */
export const SERVICE_RANGE_KEY = '/capstan/ranges/services'

/** What the range key holds (only its revision matters). */
export const SERVICE_RANGE_VALUE = '{"kind":"RangeAllocation","holds":"the revision of the last Service write that allocated"}'

/** A Service write's transaction failed its compare of SERVICE_RANGE_KEY: another process allocated meanwhile. */
export class AllocationRaced extends Error {
  constructor() {
    super('another process allocated Service addresses meanwhile')
    this.name = 'AllocationRaced'
  }
}

/** What a Service write allocates against, and the range key's revision its transaction compares (undefined: none to compare). */
export interface Allocation {
  used: ServiceAllocations
  fence: number | undefined
}

/** Where the Services come from: the kind's watch cache, or every stored Service (read once). */
export type ServiceSource = { cache: WatchCache } | { list: () => Promise<KObject[]> }

/** The Service address index of one API server, and the turn its Service writes take. */
export class ServiceAddresses {
  private cache: WatchCache | undefined
  private unsubscribe: (() => void) | undefined
  private index: AllocationIndex | undefined
  private turn: Promise<unknown> = Promise.resolve()

  /** The index, current with `source` (rebuilt when the cache was replaced after a failure). */
  async current(source: ServiceSource): Promise<AllocationIndex> {
    if ('cache' in source) {
      if (this.index && this.cache === source.cache) return this.index
      this.unsubscribe?.()
      const index = new AllocationIndex()
      let waiting: CacheEvent[] | undefined = []
      const { items, unsubscribe } = await source.cache.listAndSubscribe({}, (events) => (waiting ? waiting.push(...events) : follow(index, events)))
      for (const s of items) index.set(s)
      follow(index, waiting)
      waiting = undefined
      this.unsubscribe = unsubscribe
      this.cache = source.cache
      return (this.index = index)
    }
    if (this.index) return this.index
    const index = new AllocationIndex()
    for (const s of await source.list()) index.set(s)
    return (this.index = index)
  }

  /**
   * What a Service write allocates against: the index, when the watch cache has seen every write
   * up to the range key's revision; otherwise (another process allocated since the cache last
   * caught up) every Service read from the store now. In a staging store (a sync's apply) the
   * staged commit compares the range key at the revision read first.
   */
  async forWrite(storage: Storage, source: ServiceSource, prefix: string): Promise<Allocation> {
    if (!('cache' in source)) {
      // A staging store: the range key read before the Services are (once) listed pins the revision
      // its commit compares, and the staged write of the key makes the commit compare it.
      const fence = (await storage.get(SERVICE_RANGE_KEY))?.modRevision ?? 0
      return { used: (await this.current(source)).used, fence }
    }
    const index = await this.current(source)
    const fence = (await storage.get(SERVICE_RANGE_KEY))?.modRevision ?? 0
    if (fence <= source.cache.revision) return { used: index.used, fence }
    const fresh = new AllocationIndex()
    for (const kv of (await storage.range(prefix)).items) fresh.set(decodeObject(kv))
    return { used: fresh.used, fence }
  }

  /** Records a committed write of a Service (its new state, or its deletion). */
  written(svc: KObject, deleted = false): void {
    if (!this.index) return
    if (deleted) this.index.delete(svc)
    else this.index.set(svc)
  }

  /** Runs `fn` after every Service write started before it has finished (allocation to commit, one at a time). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn)
    this.turn = run.catch(() => undefined)
    return run
  }

  /** Stops following the cache. */
  close(): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.index = undefined
    this.cache = undefined
  }
}

/** Applies a batch of cache events to the index. */
function follow(index: AllocationIndex, events: CacheEvent[]): void {
  for (const ev of events) {
    if (ev.type === 'DELETED') index.delete(ev.object)
    else index.set(ev.object)
  }
}
