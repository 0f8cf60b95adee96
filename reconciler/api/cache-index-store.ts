/**
 * The watch caches' index snapshots (watch-cache.ts, IndexSnapshot) kept in the state, so that a
 * later command opens a big kind's cache from the snapshot and the history since instead of
 * reading and decoding every object: chunked documents per kind under
 * `/capstan/cache-index/<Kind>/…` — the snapshot's revision, and its entries and indexes each as
 * pages (storage/paged-map.ts: one JSON line per page, handed back as text and parsed as a read
 * needs it) — named by a small head under `/capstan/cache-heads/<Kind>` that holds the snapshot's
 * revision and the chunks' epoch (storage/chunked-document.ts). Anything unreadable is no
 * snapshot: the cache then loads the kind whole, as it always could; a page that turns out
 * damaged when read fails the cache, which the API server then opens whole.
 */
import { chunkedWrites, isChunkRef, loadChunkedText, RawText, staleChunkDeletes, type ChunkRef } from '../storage/chunked-document.js'
import { isPairsOrPages, joinPaged, splitPaged } from '../storage/paged-map.js'
import { isStorageError, type Storage } from '../storage/types.js'
import type { IndexSnapshot } from './watch-cache.js'

/** Where the heads and the chunks live (outside the API's `/registry/` objects). */
export const CACHE_HEAD_PREFIX = '/capstan/cache-heads/'
export const CACHE_INDEX_PREFIX = '/capstan/cache-index/'
const FORMAT = 2

/** The document of a snapshot's paged part `field`, beside its main one. */
const pagesDoc = (kind: string, field: string): string => `${kind}/pages/${field}`

/** The head of `kind`'s snapshot: its revision and chunks, if one is stored and readable. */
async function headOf(storage: Storage, kind: string): Promise<{ revision: number; ref: ChunkRef; modRevision: number } | undefined> {
  const kv = await storage.get(CACHE_HEAD_PREFIX + kind)
  if (!kv) return undefined
  try {
    const head = JSON.parse(kv.value) as { format?: unknown; revision?: unknown; ref?: unknown }
    if (head.format !== FORMAT || typeof head.revision !== 'number' || !isChunkRef(head.ref, CACHE_INDEX_PREFIX)) return undefined
    return { revision: head.revision, ref: head.ref, modRevision: kv.modRevision }
  } catch {
    return undefined
  }
}

/** The stored index snapshot of `kind`, or undefined when there is none or it cannot be read whole. */
export async function loadIndexSnapshot(storage: Storage, kind: string): Promise<IndexSnapshot | undefined> {
  const head = await headOf(storage, kind)
  if (!head) return undefined
  const texts = await loadChunkedText(storage, CACHE_INDEX_PREFIX, head.ref)
  const main = texts?.get(kind)
  if (main === undefined) return undefined
  let doc: Partial<IndexSnapshot>
  try {
    doc = joinPaged(JSON.parse(main), (field) => texts?.get(pagesDoc(kind, field))) as Partial<IndexSnapshot>
  } catch {
    return undefined
  }
  // A head ahead of its chunks was moved on (advanceIndexHead): nothing under the kind changed between.
  if (typeof doc.revision !== 'number' || doc.revision > head.revision) return undefined
  if (![doc.entries, doc.labels, doc.owners, doc.namespaces].every(isPairsOrPages)) return undefined
  return { revision: head.revision, entries: doc.entries, labels: doc.labels, owners: doc.owners, namespaces: doc.namespaces }
}

/**
 * Moves `kind`'s stored snapshot on to `revision` without rewriting it, for a caller that knows
 * nothing under the kind changed between the snapshot's revision and `revision` (a cache that
 * followed the store that far and saw no change). A cache opened from it then reads the history
 * from there, not from the snapshot's own, older revision. False when there is no snapshot to
 * move on, or it is already there.
 */
export async function advanceIndexHead(storage: Storage, kind: string, from: number, revision: number): Promise<boolean> {
  const head = await headOf(storage, kind)
  if (!head || head.revision !== from || revision <= from) return false
  const value = JSON.stringify({ format: FORMAT, revision, ref: head.ref })
  // Only over the head that was read: a snapshot saved meanwhile by someone else stays.
  const r = await storage.txn({ compare: [{ key: CACHE_HEAD_PREFIX + kind, modRevision: head.modRevision }], success: [{ type: 'put', key: CACHE_HEAD_PREFIX + kind, value }] })
  return r.succeeded
}

/**
 * Stores `snapshot` as `kind`'s (replacing the one before, chunks and all). A store that refuses
 * the write (too large for one request) keeps the older snapshot, which stays correct: a cache
 * opened from it catches up with the history since, or loads whole once that is compacted.
 */
export async function saveIndexSnapshot(storage: Storage, kind: string, snapshot: IndexSnapshot): Promise<boolean> {
  const old = await headOf(storage, kind)
  const { main, pages } = splitPaged(snapshot)
  const docs = new Map<string, unknown>([[kind, main]])
  for (const [field, lines] of pages) docs.set(pagesDoc(kind, field), new RawText(lines))
  const { ops, ref } = chunkedWrites(CACHE_INDEX_PREFIX, docs)
  const head = JSON.stringify({ format: FORMAT, revision: snapshot.revision, ref })
  try {
    await storage.txn({ success: [{ type: 'put', key: CACHE_HEAD_PREFIX + kind, value: head }, ...ops, ...staleChunkDeletes(CACHE_INDEX_PREFIX, old?.ref.keys, ref.keys)] })
    return true
  } catch (err) {
    if (!isStorageError(err)) throw err
    return false
  }
}
