/**
 * Where a one-shot command's controllers left off, kept in the state so the next command can start
 * incrementally instead of resyncing every object: the store revision the controllers had fully
 * processed when they last settled, and their delayed work (requeueAfter timers, backoffs) with its
 * due times. The changes made since that revision are read back from the store's history.
 */
import type { KObject } from '../../api/object.js'
import { historySince } from '../../storage/history-since.js'
import { isStorageError, type KeyValue, type Storage, type TxnOp } from '../../storage/types.js'
import { checkpointWrites, isCheckpointRefs, staleCheckpointDeletes, type CheckpointRefs, type CheckpointSave } from './checkpoint-store.js'
import type { InformerChange } from './informer.js'

/** Where the resume point is stored (outside the API's `/registry/` objects, beside the clock). */
export const RESUME_KEY = '/capstan/controllers'

/**
 * The format written now; another format (an older capstan's) means a full resync. 2: the pod
 * garbage collector was added, whose priming cannot find pods bound to nodes already gone (only a
 * full start shows it every pod), so a state from before it is resynced once.
 */
export const RESUME_FORMAT = 2

/** One delayed request: which controller, its request key, when it is due. */
export interface DelayedWork {
  controller: string
  key: string
  at: Date
}

/** What the controllers had done when they last settled. */
export interface ResumePoint {
  /** Every write up to this store revision had been processed. */
  revision: number
  /** Their delayed work at that moment. */
  delayed: DelayedWork[]
  /** As loaded: the store revision of the point's own write. */
  savedAt?: number
  /** The controllers' checkpoints saved with it (checkpoint-store.ts), if any. */
  checkpoints?: CheckpointRefs
}

/** One object written after the resume revision: its value then (absent: created since) and now (absent: deleted since). */
export interface StoredChange {
  /** The value at the resume revision. */
  before?: KeyValue
  /** The current value. */
  after?: KeyValue
  /** For an object deleted since: its last value before the deletion. */
  last?: KeyValue
  /** For an object deleted since: the deletion's revision. */
  deletedAt?: number
}

/** Objects written after a resume point, by storage key (every key under `/registry/`), up to the store revision `revision`. */
export interface StoredChanges extends Map<string, StoredChange> {
  readonly revision: number
}

/** The resume point stored in `storage`, or undefined when there is none, it is of another format, or unusable. */
export async function loadResumePoint(storage: Storage): Promise<ResumePoint | undefined> {
  const kv = await storage.get(RESUME_KEY)
  if (!kv) return undefined
  let parsed: { format?: unknown; revision?: unknown; delayed?: unknown; checkpoints?: unknown }
  try {
    parsed = JSON.parse(kv.value) as typeof parsed
  } catch {
    return undefined
  }
  if (parsed.format !== RESUME_FORMAT || typeof parsed.revision !== 'number' || !Array.isArray(parsed.delayed)) return undefined
  const delayed: DelayedWork[] = []
  for (const d of parsed.delayed as Array<{ controller?: unknown; key?: unknown; at?: unknown }>) {
    const at = typeof d.at === 'string' ? new Date(d.at) : undefined
    if (typeof d.controller !== 'string' || typeof d.key !== 'string' || !at || Number.isNaN(at.getTime())) return undefined
    delayed.push({ controller: d.controller, key: d.key, at })
  }
  const point: ResumePoint = { revision: parsed.revision, delayed, savedAt: kv.modRevision }
  if (isCheckpointRefs(parsed.checkpoints)) point.checkpoints = parsed.checkpoints
  return point
}

/** The checkpoint references of the stored point, whatever its state (for tidying its chunks). */
async function storedCheckpointRefs(storage: Storage): Promise<CheckpointRefs | undefined> {
  const kv = await storage.get(RESUME_KEY)
  if (!kv) return undefined
  try {
    const refs = (JSON.parse(kv.value) as { checkpoints?: unknown }).checkpoints
    return isCheckpointRefs(refs) ? refs : undefined
  } catch {
    return undefined
  }
}

/**
 * Stores a resume point; with `ifSavedAt`, only if the stored point is still the one written at that
 * revision (false, nothing written, when another save came first). With `checkpoints` (the
 * controllers' memories that changed, and the stored ones kept), they are stored in the same
 * transaction; when the store refuses them (too large for one request), the point is stored
 * without them. A point given with `checkpoints` (advanceResumePoint) keeps naming the chunks
 * already stored.
 */
export async function saveResumePoint(storage: Storage, point: ResumePoint, ifSavedAt?: number, checkpoints?: CheckpointSave): Promise<boolean> {
  const compare = ifSavedAt === undefined ? undefined : [{ key: RESUME_KEY, modRevision: ifSavedAt }]
  const old = point.checkpoints ? undefined : await storedCheckpointRefs(storage)
  const write = (refs: CheckpointRefs | undefined, ops: TxnOp[]) => {
    const value = JSON.stringify({ format: RESUME_FORMAT, revision: point.revision, delayed: point.delayed.map((d) => ({ ...d, at: d.at.toISOString() })), ...(refs ? { checkpoints: refs } : {}) })
    return storage.txn({ ...(compare ? { compare } : {}), success: [{ type: 'put', key: RESUME_KEY, value }, ...ops, ...staleCheckpointDeletes(old, refs)] })
  }
  try {
    if (checkpoints && (checkpoints.changed.size || Object.keys(checkpoints.kept ?? {}).length)) {
      const { ops, refs } = checkpointWrites(checkpoints)
      try {
        return (await write(refs, ops)).succeeded
      } catch (err) {
        // Checkpoints larger than the store takes in one request (etcd): the point alone.
        if (!isStorageError(err)) throw err
      }
    }
    return (await write(point.checkpoints, [])).succeeded
  } catch (err) {
    if (!isStorageError(err, 'TooLarge')) throw err
    // More delayed work than one stored value holds (tens of thousands of pending pods): no resume
    // point, so the next start resyncs everything — slower, never wrong, and the command succeeds.
    await storage.txn({ ...(compare ? { compare } : {}), success: [{ type: 'delete', key: RESUME_KEY }, ...staleCheckpointDeletes(old ?? point.checkpoints, undefined)] })
    return false
  }
}

/**
 * Moves a resume point that is at revision `from` to `to`, keeping its delayed work; false (and
 * nothing written) when there is none or it is elsewhere. For a caller whose own writes are all
 * that happened after `from`, and are none a controller acts on (the sync's record of itself and
 * its `/capstan/gitops/` bookkeeping): the next start then need not read them back from the history.
 */
export async function advanceResumePoint(storage: Storage, from: number, to: number): Promise<boolean> {
  if (to <= from) return false
  const point = await loadResumePoint(storage)
  if (!point) return false
  // At `from`, or saved there right after its own revision (nothing but the save in between).
  const at = point.revision === from || (point.savedAt === from && point.revision === from - 1)
  if (!at) return false
  // Guarded: a manager running beside the caller (a daemon) may save a newer point meanwhile.
  return saveResumePoint(storage, { revision: to, delayed: point.delayed, ...(point.checkpoints ? { checkpoints: point.checkpoints } : {}) }, point.savedAt)
}

/** Removes the resume point (the next start resyncs everything): for controllers that run without saving one. */
export async function clearResumePoint(storage: Storage): Promise<void> {
  if (await storage.get(RESUME_KEY)) await storage.txn({ success: [{ type: 'delete', key: RESUME_KEY }, ...staleCheckpointDeletes(await storedCheckpointRefs(storage), undefined)] })
}

/**
 * The API objects written after `revision`, from the store's history; undefined when that history
 * is gone (compacted) or `revision` is ahead of the store (another state), so the caller resyncs
 * everything.
 */
export async function changesSince(storage: Storage, revision: number): Promise<StoredChanges | undefined> {
  const history = await historySince(storage, '/registry/', revision)
  if (!history) return undefined
  const out: StoredChanges = Object.assign(new Map<string, StoredChange>(), { revision: history.revision })
  for (const ev of history.events) {
    const key = ev.type === 'put' ? ev.kv.key : ev.key
    let c = out.get(key)
    if (!c) out.set(key, (c = ev.prevKv ? { before: ev.prevKv } : {}))
    if (ev.type === 'put') {
      c.after = ev.kv
      delete c.last
    } else {
      c.after = undefined
      c.last = ev.prevKv ?? c.last
      c.deletedAt = ev.revision
    }
  }
  return out
}

/** The changes of one resource (its storage prefix), decoded, by `namespace/name` as informers key objects. */
export function changesOf(changes: StoredChanges, prefix: string, namespaced: boolean, decode: (kv: KeyValue) => KObject): Map<string, InformerChange> {
  const out = new Map<string, InformerChange>()
  for (const [key, c] of changes) {
    if (!key.startsWith(prefix)) continue
    const rest = key.slice(prefix.length)
    if (namespaced ? rest.split('/').length !== 2 : rest.includes('/')) continue
    const id = namespaced ? rest : `/${rest}`
    const change: InformerChange = {}
    if (c.before) change.before = decode(c.before)
    if (c.after) change.after = decode(c.after)
    // Deleted and created again under the same name since (another uid): an informer that had
    // watched throughout saw the old object deleted and a new one added, not one modified.
    if (change.before && change.after && change.before.metadata.uid !== change.after.metadata.uid) {
      change.replaced = change.before
      delete change.before
    }
    if (!c.after && c.last) change.deleted = { last: decode(c.last), revision: c.deletedAt ?? c.last.modRevision }
    out.set(id, change)
  }
  return out
}
