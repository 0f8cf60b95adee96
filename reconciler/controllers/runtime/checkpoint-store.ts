/**
 * The controllers' checkpoints (types.ts, Checkpoint) as stored beside the resume point: each
 * controller's memory as a chunked JSON document under `/capstan/checkpoints/<controller>/<i>`
 * (storage/chunked-document.ts), with an epoch of its own. The resume point names each
 * controller's epoch and chunks; a controller whose memory did not change in a run keeps the
 * chunks it had (nothing rewritten). A chunk of another epoch (a save that did not finish, an
 * older one) makes that controller's checkpoint unusable, and the start primes it instead. A
 * PagedMap at the top of a memory (runtime/paged-map.ts) is stored as a document of its own, one
 * line of JSON per page, and handed back as that text: its pages are parsed as they are used, and
 * a save writes the text of every page nothing changed as it was.
 */
import { chunkedWrites, isChunkRef, loadChunkedText, RawText, staleChunkDeletes, type ChunkRef } from '../../storage/chunked-document.js'
import { joinPaged, splitPaged } from './paged-map.js'
import type { Storage, TxnOp } from '../../storage/types.js'
import type { CheckpointToSave, StoredCheckpoint } from './manager.js'
import type { Request } from './types.js'

/** Where the chunks live (outside the API's `/registry/` objects). */
export const CHECKPOINT_PREFIX = '/capstan/checkpoints/'

/** What the resume point says of its checkpoints: by controller name, the epoch and keys of its chunks. */
export type CheckpointRefs = Record<string, ChunkRef>

/** The checkpoints of one save: memories that changed (written anew) and the references of those kept as they were. */
export interface CheckpointSave {
  changed: ReadonlyMap<string, CheckpointToSave>
  kept?: CheckpointRefs
}

/** A start request as stored: resource, namespace (null: none), name. */
type StoredRequest = [string, string | null, string]

/** The start document: the memory's format and the start requests. */
interface StartDoc {
  format: number
  requests: StoredRequest[]
}

/** The document of a controller's start requests, beside its memory's. */
const startDoc = (name: string): string => `${name}/start`

/** The document of the pages of a controller's paged map `field`, beside its memory's. */
const pagesDoc = (name: string, field: string): string => `${name}/pages/${field}`

function isStoredRequests(v: unknown): v is StoredRequest[] {
  return Array.isArray(v) && v.every((r) => Array.isArray(r) && r.length === 3 && typeof r[0] === 'string' && (r[1] === null || typeof r[1] === 'string') && typeof r[2] === 'string')
}

/** The writes that store the changed memories (each under a new epoch), and the references to every checkpoint of the save. */
export function checkpointWrites(save: CheckpointSave): { ops: TxnOp[]; refs: CheckpointRefs } {
  const ops: TxnOp[] = []
  const refs: CheckpointRefs = { ...(save.kept ?? {}) }
  for (const [name, { data, start, format }] of save.changed) {
    // Paged maps (paged-map.ts) go as documents of their own, one line per page, beside the memory.
    const { main, pages } = splitPaged(data)
    const docs = new Map<string, unknown>([[name, main]])
    for (const [field, lines] of pages) docs.set(pagesDoc(name, field), new RawText(lines))
    if (start && format !== undefined) docs.set(startDoc(name), { format, requests: start.map((r): StoredRequest => [r.resource, r.namespace ?? null, r.name]) } satisfies StartDoc)
    const w = chunkedWrites(CHECKPOINT_PREFIX, docs)
    if (!w.ref.keys.length) continue
    ops.push(...w.ops)
    refs[name] = w.ref
  }
  return { ops, refs }
}

/** Deletes of the chunks `old` names that `now` does not name. */
export function staleCheckpointDeletes(old: CheckpointRefs | undefined, now: CheckpointRefs | undefined): TxnOp[] {
  const keys = (refs: CheckpointRefs | undefined): string[] | undefined => refs && Object.values(refs).flatMap((r) => r.keys)
  return staleChunkDeletes(CHECKPOINT_PREFIX, keys(old), keys(now))
}

/** Whether `v` has a CheckpointRefs' shape (each controller's chunks under its own name). */
export function isCheckpointRefs(v: unknown): v is CheckpointRefs {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  return Object.entries(v).every(([name, ref]) => isChunkRef(ref, `${CHECKPOINT_PREFIX}${name}/`))
}

/**
 * The checkpoints `refs` names, by controller name: those that can be read whole (the others are
 * left out, and primed). A memory's JSON is parsed when its controller asks for it; its start
 * requests, when saved, now.
 */
export async function loadCheckpoints(storage: Storage, refs: CheckpointRefs): Promise<Map<string, StoredCheckpoint>> {
  const out = new Map<string, StoredCheckpoint>()
  for (const [name, ref] of Object.entries(refs)) {
    const docs = await loadChunkedText(storage, CHECKPOINT_PREFIX, ref)
    const text = docs?.get(name)
    if (text === undefined) continue
    let parsed: { value: unknown } | undefined
    const stored: StoredCheckpoint = { data: () => (parsed ??= { value: joinPaged(JSON.parse(text), (field) => docs?.get(pagesDoc(name, field))) }).value }
    const startText = docs?.get(startDoc(name))
    if (startText !== undefined) {
      try {
        const doc = JSON.parse(startText) as Partial<StartDoc> | null
        if (doc && typeof doc.format === 'number' && isStoredRequests(doc.requests)) {
          stored.format = doc.format
          stored.start = doc.requests.map(([resource, namespace, n]): Request => ({ resource, ...(namespace !== null ? { namespace } : {}), name: n }))
        }
      } catch {
        // No start requests: the controller is restored at once.
      }
    }
    out.set(name, stored)
  }
  return out
}
