/**
 * The parsed-blob cache kept in the state (under /capstan/gitops/blobs/): read through, written in
 * one batch at the end of a sync. A blob is read from git and parsed once per state, ever.
 */
import type { ParsedBlob, ParsedBlobCache } from '../../source/git/index.js'
import type { Storage, TxnOp } from '../../storage/types.js'
import { BLOB_PREFIX } from './keys.js'

/** A ParsedBlobCache over the state, with the new entries to write. */
export interface StoredBlobCache extends ParsedBlobCache {
  /** Puts for the blobs parsed since the cache was opened (and clears them). */
  takeWrites(): TxnOp[]
  /** Counters: lookups served from memory or the state, and misses (blobs parsed). */
  stats: { hits: number; misses: number }
}

/** A storage-backed ParsedBlobCache; entries read or parsed are also kept in memory for this process. */
export function storedBlobCache(storage: Storage): StoredBlobCache {
  const memory = new Map<string, ParsedBlob>()
  let pending = new Map<string, ParsedBlob>()
  const stats = { hits: 0, misses: 0 }
  // A state that holds no parse yet (a cold sync) answers every lookup with a miss: counted once, not looked up thousands of times.
  let none: Promise<boolean> | undefined
  // (A store that cannot page, such as a staging area, is asked key by key.)
  const holdsNone = () =>
    (none ??= storage.range(BLOB_PREFIX, { limit: 1 }).then(
      (r) => r.items.length === 0 && r.remaining === 0,
      () => false,
    ))
  return {
    stats,
    async get(key) {
      const m = memory.get(key)
      if (m) {
        stats.hits++
        return m
      }
      const kv = (await holdsNone()) ? undefined : await storage.get(BLOB_PREFIX + key)
      if (!kv) {
        stats.misses++
        return undefined
      }
      stats.hits++
      const parsed = JSON.parse(kv.value) as ParsedBlob
      memory.set(key, parsed)
      return parsed
    },
    async put(key, parsed) {
      memory.set(key, parsed)
      pending.set(key, parsed)
    },
    takeWrites() {
      const ops: TxnOp[] = [...pending].map(([key, parsed]) => ({ type: 'put' as const, key: BLOB_PREFIX + key, value: JSON.stringify(parsed) }))
      pending = new Map()
      return ops
    },
  }
}
