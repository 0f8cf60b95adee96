/**
 * Field ownership for writes that are not applies — create, update (PUT), JSON and merge patch
 * (SMD's Updater.Update behind kube-apiserver's managedFieldsUpdater): the fields the write added
 * or changed become the writer's, under its `Update` entry for this apiVersion, and leave every
 * other manager; removed fields leave everyone. Never conflicts.
 */
import { copyOf, jsonEqual, type ManagedFieldsEntry } from '../object.js'
import type { TypeNode } from '../schema/type-node.js'
import { compareTyped } from './compare.js'
import { createdFieldsV1 } from './created-fields.js'
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  managerIdentifier,
  readManagedFields,
  rememberOwnEncoding,
  withoutManagedFields,
  type ManagerFields,
  type ManagerIdentity,
  type Managers,
} from './managed-fields.js'
import { formatTime } from '../strategy.js'
import { resetFieldsFor, withoutStripped } from './ownership.js'
import type { Json, Path } from './path-element.js'
import { isObject } from './typed-value.js'

/** What trackUpdate needs. */
export interface TrackUpdateOptions {
  /** The object before the write; undefined for a create. */
  old?: object
  /** The object about to be stored. Its metadata.managedFields, if the client set them, are honoured as kube-apiserver does. */
  updated: object
  manager: string
  typeNode?: TypeNode
  apiVersion: string
  now: Date
  subresource?: string
  /** Paths the strategy resets (default: resetFieldsFor(subresource)). */
  resetFields?: readonly Path[]
}

/** The managedFields to store with `updated`. */
export function trackUpdate(opts: TrackUpdateOptions): ManagedFieldsEntry[] {
  const { old, updated, typeNode, apiVersion, now, subresource } = opts
  // A create of the main resource with no managedFields sent: its fields are everything it sets.
  const sent = (updated as { metadata?: { managedFields?: unknown } }).metadata?.managedFields
  if (!old && !subresource && !opts.resetFields && sent === undefined) {
    const fieldsV1 = createdFieldsV1(updated as Json, typeNode)
    if (!fieldsV1) return []
    const manager = opts.manager || 'unknown'
    const time = formatTime(now)
    const list: ManagedFieldsEntry[] = [{ manager, operation: 'Update', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1 }]
    // The object's next write decodes this list: its fieldsV1 need no check of their form.
    if (apiVersion) rememberOwnEncoding(list)
    return list
  }
  const managers = startingManagers(old, updated, subresource !== undefined && subresource !== '')
  // A status write can change only status and annotations (spec and labels are reset): compare just
  // those, not the whole object — status writes are most of a cluster's writes.
  const statusOnly = subresource === 'status' && !opts.resetFields
  const before = (old ? (statusOnly ? statusPart(old) : withoutManagedFields(old)) : {}) as Json
  const after = (statusOnly ? statusPart(updated) : withoutManagedFields(updated)) as Json
  const ignored = resetFieldsFor(subresource, opts.resetFields)
  // The reset fields are left out as the walk goes (SMD compares, then excludes them).
  const cmp = compareTyped(before, after, typeNode, ignored)

  // What the write changed leaves every manager (SMD's update with force, no applier); a set that
  // loses nothing keeps its identity, so its stored fieldsV1 is written back as it was.
  // (The comparison's sets are this write's own: they are combined in place.)
  const changed = cmp.modified.empty() ? cmp.added : cmp.added.empty() ? cmp.modified : cmp.modified.absorb(cmp.added)
  const removedSome = !cmp.removed.empty()
  const rest: Managers = new Map()
  for (const [key, m] of managers) {
    let set = m.set
    if (set.intersects(changed)) set = set.difference(changed)
    if (removedSome && set.intersects(cmp.removed)) set = set.difference(cmp.removed)
    if (!set.empty()) rest.set(key, set === m.set ? m : { ...m, set })
  }
  // What the writer takes: the changes, less removals, reset fields (already left out) and stripped metadata.
  let taken = changed
  if (removedSome) taken = taken.difference(cmp.removed)
  taken = withoutStripped(taken)
  let result: Managers = rest
  // `taken` is this write's own set (the comparison's, or a copy): the writer's earlier fields are
  // added to it in place.
  if (!taken.empty()) {
    const id: ManagerIdentity = { manager: opts.manager || 'unknown', operation: 'Update', apiVersion }
    if (subresource) id.subresource = subresource
    const key = managerIdentifier(id)
    const prev = rest.get(key)
    let set = prev ? taken.absorb(prev.set) : taken
    // The common status write: the writer changed only fields it already owned, so its set is the
    // one it had. Then its stored fieldsV1 is kept (only the entry's time changes), not an equal copy.
    const own = managers.get(key)
    const ownFields = own?.set.normalFieldsV1()
    if (ownFields !== undefined && set.encodesAs(ownFields)) set = own!.set
    result = new Map(rest)
    // `{ ...id, time, set }` without the slow spread (see copyOf).
    const entry = copyOf(id) as ManagerFields
    entry.time = formatTime(now)
    entry.set = set
    result.set(key, entry)
  }
  // Every key here is managerIdentifier of its entry (decoded ones, the writer's, capUpdateManagers' buckets).
  return encodeManagedFields(capUpdateManagers(result), true)
}

/**
 * Whose fields the write starts from (decodeLiveOrNew): for a subresource, always the old
 * object's; otherwise the managedFields the client sent, `[]` (or one empty entry) to reset them,
 * and the old object's when it sent none or ones that do not decode.
 */
function startingManagers(old: object | undefined, updated: object, isSubresource: boolean): Managers {
  const fromOld = (): Managers => {
    try {
      return decodeManagedFields(readManagedFields(old))
    } catch {
      return new Map()
    }
  }
  if (isSubresource) return fromOld()
  const meta = (updated as { metadata?: unknown }).metadata
  const sent = isObject(meta) ? meta.managedFields : undefined
  if (Array.isArray(sent)) {
    if (sent.length === 0 || (sent.length === 1 && jsonEqual(sent[0], {}))) return new Map()
    // A copy of the stored list (a client sends back what it read) decodes as the stored one does.
    const stored = readManagedFields(old)
    if (sent === stored || (stored.length > 0 && jsonEqual(sent, stored))) return fromOld()
    try {
      const decoded = decodeManagedFields(sent as unknown as ManagedFieldsEntry[])
      if (decoded.size) return decoded
    } catch {
      // Fall back to the old object's, as kube-apiserver does.
    }
  }
  return fromOld()
}

/** The parts of an object a status write may change: status and metadata.annotations. */
function statusPart(obj: object): Record<string, unknown> {
  const o = obj as { status?: unknown; metadata?: { annotations?: unknown } }
  const out: Record<string, unknown> = {}
  if (o.metadata?.annotations !== undefined) out.metadata = { annotations: o.metadata.annotations }
  if (o.status !== undefined) out.status = o.status
  return out
}
