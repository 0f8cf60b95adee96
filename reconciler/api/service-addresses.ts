/**
 * What the API server's Service writes allocate against: the addresses and ports every stored
 * Service holds, as an index kept in step with the Services' watch cache (built once from it, then
 * changed one event at a time: no scan of every Service per create), or, for a staged store that
 * cannot be watched, read from the store once and then changed by this server's own writes. Writes
 * are recorded as soon as they commit, and Service writes run one at a time from allocation to
 * commit, so two creates of this process never hand out one value (kube-apiserver's allocators keep
 * their own stored bitmaps for that; between processes, the service controller's repair loop reports
 * a value held twice).
 */
import type { CacheEvent, WatchCache } from './watch-cache.js'
import type { KObject } from './object.js'
import { AllocationIndex } from './service-allocation-index.js'

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
      for (const s of source.cache.list()) index.set(s)
      this.unsubscribe = source.cache.subscribe((events) => follow(index, events))
      this.cache = source.cache
      return (this.index = index)
    }
    if (this.index) return this.index
    const index = new AllocationIndex()
    for (const s of await source.list()) index.set(s)
    return (this.index = index)
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
