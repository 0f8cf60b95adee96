/** Parsed manifests kept by blob id, so that an unchanged file is never read or parsed again. */
import type { ManifestError } from '../render/index.js'
import { Lru } from './lru.js'

/** One object of a parsed blob, placed in the blob (the file is added back by whoever uses it). */
export interface ParsedObject {
  /** Plain JSON data, shared by everyone who reads the cache: do not change it (clone first). */
  object: Record<string, unknown>
  doc: number
  line: number
  item?: number
}

/** A problem of a parsed blob, without the file (one blob can sit at several paths). */
export type BlobError = Omit<ManifestError, 'file'>

/** What one blob parses to. */
export interface ParsedBlob {
  objects: ParsedObject[]
  errors: BlobError[]
}

/**
 * Where parsed blobs are kept. Keys come from `blobCacheKey`: a blob id, with `:json` when the blob
 * was read as JSON (the same bytes can sit in a `.yaml` and a `.json` file and parse differently).
 */
export interface ParsedBlobCache {
  get(key: string): Promise<ParsedBlob | undefined>
  put(key: string, parsed: ParsedBlob): Promise<void>
}

/** The cache key of blob `oid` read at `file`: JSON for `*.json`, YAML otherwise. */
export function blobCacheKey(oid: string, file: string): string {
  return file.endsWith('.json') ? `${oid}:json` : oid
}

/** A ParsedBlobCache in memory, with counters for tests and benchmarks. */
export interface MemoryBlobCache extends ParsedBlobCache {
  readonly size: number
  hits: number
  misses: number
}

/** An in-memory ParsedBlobCache that keeps the `maxEntries` most recently used blobs (default 100,000). */
export function memoryBlobCache({ maxEntries = 100_000 }: { maxEntries?: number } = {}): MemoryBlobCache {
  const lru = new Lru<string, ParsedBlob>(maxEntries)
  const cache: MemoryBlobCache = {
    hits: 0,
    misses: 0,
    get size() {
      return lru.size
    },
    async get(key) {
      const found = lru.get(key)
      if (found) cache.hits++
      else cache.misses++
      return found
    },
    async put(key, parsed) {
      lru.set(key, parsed)
    },
  }
  return cache
}
