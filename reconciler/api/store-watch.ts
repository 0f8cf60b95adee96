/**
 * A watch of one kind straight from the store, for a kind whose watch cache is not open and a
 * watcher that starts at the store's current revision: an incremental controller start that
 * restored its memories and wants only what happens from now on. Opening the cache would read
 * and decode every object of the kind first — the cost this path exists to avoid. Each event is
 * decoded as it comes (with its previous value, which the store's watch carries), in the
 * cache's event shape.
 */
import type { Storage, Watch, WatchEvent } from '../storage/types.js'
import { decodeObject } from './codec.js'
import type { KObject } from './object.js'
import { freeze, type CacheEvent } from './watch-cache.js'


/** The cache's event for one store event under the kind's prefix (undefined for a delete of nothing known). */
export function cacheEventOf(ev: WatchEvent): CacheEvent | undefined {
  if (ev.type === 'put') {
    const prev = ev.prevKv ? freeze(decodeObject(ev.prevKv)) : undefined
    const object = freeze(decodeObject(ev.kv, prev))
    return { type: prev ? 'MODIFIED' : 'ADDED', object, prevObject: prev, revision: ev.kv.modRevision }
  }
  if (!ev.prevKv) return undefined
  const prev = freeze(decodeObject(ev.prevKv))
  // As the cache delivers a deletion: the last state, at the deletion's revision.
  const object = freeze({ ...prev, metadata: { ...prev.metadata, resourceVersion: String(ev.revision) } }) as KObject
  return { type: 'DELETED', object, prevObject: prev, revision: ev.revision }
}

/**
 * Follows `prefix` from the revision after `from`, delivering each transaction's events in the
 * cache's shape. A failed watch (the store closed, history compacted) is reported through `onError`.
 */
export function watchStore(storage: Storage, prefix: string, from: number, deliver: (events: CacheEvent[]) => void, onError: (err: Error) => void): Watch {
  return storage.watch(
    prefix,
    {
      onEvents(events) {
        const out: CacheEvent[] = []
        for (const ev of events) {
          const c = cacheEventOf(ev)
          if (c) out.push(c)
        }
        if (out.length) deliver(out)
      },
      onError,
    },
    { fromRevision: from + 1 },
  )
}
