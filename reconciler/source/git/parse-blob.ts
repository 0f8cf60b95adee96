/** Read and parse manifest blobs once each: through the cache, with a bounded number of reads in flight. */
import { parseManifests } from '../render/index.js'
import { blobCacheKey, type ParsedBlob, type ParsedBlobCache } from './blob-cache.js'
import { limiter } from './limit.js'
import { readBlobBytes } from './read-blob.js'
import type { GitRepo } from './repo.js'

/** Parse a blob's text as the manifests of a file named like `file` (JSON or YAML), positions kept, no file name. */
export function parseBlobText(text: string, file: string): ParsedBlob {
  // The name only chooses JSON or YAML: the result must not depend on where the blob sits.
  const parsed = parseManifests(text, file.endsWith('.json') ? 'blob.json' : 'blob.yaml')
  return {
    objects: parsed.objects.map(({ object, doc, line, item }) => (item === undefined ? { object, doc, line } : { object, doc, line, item })),
    errors: parsed.errors.map(({ file: _file, ...rest }) => rest),
  }
}

/** Parses blobs of one repository through a cache; a blob wanted twice at once is read once. */
export interface BlobParser {
  /** The parse of blob `oid` as found at `file`. */
  parse(oid: string, file: string): Promise<ParsedBlob>
}

/** Options of blobParser. */
export interface BlobParserOptions {
  /** Blob reads in flight through isomorphic-git (default 16). */
  concurrency?: number
  /** A synchronous reader tried first (a bulk reader's `blobNow`); undefined from it means isomorphic-git reads the blob. */
  readNow?: (oid: string) => Buffer | undefined
}

/** A BlobParser over `repo` and `cache`, reading at most `concurrency` blobs at a time through isomorphic-git. */
export function blobParser(repo: GitRepo, cache: ParsedBlobCache, { concurrency = 16, readNow }: BlobParserOptions = {}): BlobParser {
  const limit = limiter(concurrency)
  const pending = new Map<string, Promise<ParsedBlob>>()
  const load = async (key: string, oid: string, file: string): Promise<ParsedBlob> => {
    const cached = await cache.get(key)
    if (cached) return cached
    const direct = readNow?.(oid)
    if (direct) repo.stats.blobReads++
    const bytes = direct ?? (await limit(() => readBlobBytes(repo, oid, file)))
    const parsed = parseBlobText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), file)
    await cache.put(key, parsed)
    return parsed
  }
  return {
    parse(oid, file) {
      const key = blobCacheKey(oid, file)
      let p = pending.get(key)
      if (!p) {
        p = load(key, oid, file).finally(() => pending.delete(key))
        pending.set(key, p)
      }
      return p
    },
  }
}
