/**
 * `metadata.managedFields` as kube-apiserver keeps it (k8s.io/apimachinery managedfields/internal):
 * one entry per manager identity — name, operation and subresource, plus apiVersion for updates —
 * decoded into field sets, encoded back sorted by operation, time, manager, apiVersion and
 * subresource; update entries capped at 10 by folding the oldest into `ancient-changes`.
 */
import { withField, type ManagedFieldsEntry } from '../object.js'
import type { TypeNode } from '../schema/type-node.js'
import { FieldSet, type FieldsV1 } from './field-set.js'
import { parsePath, type Json, type Path } from './path-element.js'
import { extractItems, removeItems } from './remove-items.js'
import { isObject, type JsonObject } from './typed-value.js'

export type { ManagedFieldsEntry }

/** The operation that wrote an entry. */
export type Operation = 'Apply' | 'Update'

/** Who a manager entry belongs to. */
export interface ManagerIdentity {
  manager: string
  operation: Operation
  /** Part of the identity for updates only; appliers keep one entry across versions. */
  apiVersion: string
  subresource?: string
}

/** One decoded entry: the identity, its field set, and when it last changed something. */
export interface ManagerFields extends ManagerIdentity {
  time?: string
  set: FieldSet
}

/** Decoded managed fields keyed by manager identifier. */
export type Managers = Map<string, ManagerFields>

/** The most update entries kept before the oldest are merged (DefaultMaxUpdateManagers). */
export const MAX_UPDATE_MANAGERS = 10

/**
 * The manager identifier kube-apiserver uses as a map key: the entry's JSON without fields, time
 * and fieldsType, and without apiVersion for appliers (BuildManagerIdentifier).
 */
export function managerIdentifier(id: ManagerIdentity): string {
  const o: Record<string, string> = {}
  if (id.manager) o.manager = id.manager
  o.operation = id.operation
  if (id.operation !== 'Apply' && id.apiVersion) o.apiVersion = id.apiVersion
  if (id.subresource) o.subresource = id.subresource
  return JSON.stringify(o)
}

/** How conflict messages name a manager: `"kubectl-edit" using apps/v1`, `"x" with subresource "status"`. */
export function printManager(id: ManagerIdentity): string {
  let s = JSON.stringify(id.manager)
  if (id.subresource) s += ` with subresource ${JSON.stringify(id.subresource)}`
  if (id.operation === 'Update') s += ` using ${id.apiVersion}`
  return s
}

/**
 * The managers each managedFields list decoded to. Stored objects share their managedFields list
 * with the write that made them and never change it in place, so the next write of the object
 * decodes it for free. Callers get a copy of the map; the entries are never changed in place.
 */
const decodedLists = new WeakMap<readonly ManagedFieldsEntry[], Managers | Encoded>()

/**
 * What encodeManagedFields knows of a list it wrote: each entry's set (and its manager identifier,
 * when the caller vouched for its keys), in the list's order. The decoded map is built from it only
 * if the list is decoded (most lists never are: a created Event, a pod deleted before its next write).
 */
interface Encoded {
  /** undefined: every entry's fieldsV1 was written by this package's encoders (see FieldSet.fromOwnFieldsV1). */
  sets: FieldSet[] | undefined
  keys: string[] | undefined
}

/** Decodes entries, checking them as DecodeManagedFields does; throws an Error on a bad entry. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Managers {
  if (entries === undefined || entries.length === 0) return new Map()
  let known = decodedLists.get(entries)
  if (known !== undefined && !(known instanceof Map)) {
    known = fromEncoded(entries, known)
    if (known === undefined) decodedLists.delete(entries)
    else decodedLists.set(entries, known)
  }
  if (known) return new Map(known)
  const out = decodeEntries(entries)
  decodedLists.set(entries, out)
  return new Map(out)
}

/**
 * Exactly decodeEntries' map of a list encodeManagedFields wrote, from the sets it encoded (the
 * set each fieldsV1 was encoded from: FieldSet.fromFieldsV1 of that fieldsV1 gives a set equal to
 * it); undefined when decodeEntries would not make it so simply (two entries with one identifier).
 */
function fromEncoded(entries: readonly ManagedFieldsEntry[], enc: Encoded): Managers | undefined {
  const out: Managers = new Map()
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]
    const id: ManagerIdentity = { manager: e.manager ?? '', operation: e.operation!, apiVersion: e.apiVersion! }
    if (e.subresource) id.subresource = e.subresource
    const m: ManagerFields = withField(id, 'set', enc.sets ? enc.sets[i] : FieldSet.fromOwnFieldsV1((e.fieldsV1 ?? {}) as FieldsV1))
    if (e.time) m.time = e.time
    out.set(enc.keys?.[i] ?? managerIdentifier(id), m)
  }
  return out.size === entries.length ? out : undefined
}

/**
 * Remembers that every fieldsV1 of `entries` (valid entries with distinct identities) was written
 * by this package's own encoders, so that decoding the list reads them without checking their form.
 */
export function rememberOwnEncoding(entries: readonly ManagedFieldsEntry[]): void {
  decodedLists.set(entries, { sets: undefined, keys: undefined })
}

function decodeEntries(entries: readonly ManagedFieldsEntry[]): Managers {
  const out: Managers = new Map()
  entries.forEach((e, i) => {
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`')
    if (!e.apiVersion) throw new Error('apiVersion must not be empty')
    if (e.fieldsType === undefined || e.fieldsType === '') throw new Error(`missing fieldsType in managed fields entry ${i}`)
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`)
    const id: ManagerIdentity = { manager: e.manager ?? '', operation: e.operation, apiVersion: e.apiVersion }
    if (e.subresource) id.subresource = e.subresource
    const m: ManagerFields = withField(id, 'set', FieldSet.fromFieldsV1(e.fieldsV1 ?? {}))
    if (e.time) m.time = e.time
    out.set(managerIdentifier(id), m)
  })
  return out
}

function seconds(time: string | undefined): number {
  if (!time) return 0
  let s = parsedTimes.get(time)
  if (s === undefined) {
    const ms = Date.parse(time)
    s = Number.isNaN(ms) ? 0 : Math.floor(ms / 1000)
    if (parsedTimes.size >= 10_000) parsedTimes.clear()
    parsedTimes.set(time, s)
  }
  return s
}

/** Entry times already parsed (most entries of a cluster share a few seconds). */
const parsedTimes = new Map<string, number>()

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Sorts entries as kube-apiserver does: operation, time (seconds), manager, apiVersion, subresource. */
export function sortManagedFields(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  if (entries.length < 2) return [...entries]
  return sortOrder(entries).map((i) => entries[i])
}

/** The indexes of `entries` in sortManagedFields' order (a stable sort). */
function sortOrder(entries: readonly ManagedFieldsEntry[]): number[] {
  // Each entry's time is parsed once, not once per comparison.
  const secs = entries.map((e) => seconds(e.time))
  const order = entries.map((_, i) => i)
  if (entries.length < 2) return order
  return order.sort((i, j) => {
    const p = entries[i]
    const q = entries[j]
    return (
      cmp(p.operation ?? '', q.operation ?? '') ||
      secs[i] - secs[j] ||
      cmp(p.manager ?? '', q.manager ?? '') ||
      cmp(p.apiVersion ?? '', q.apiVersion ?? '') ||
      cmp(p.subresource ?? '', q.subresource ?? '')
    )
  })
}

/**
 * Encodes managers back into sorted entries; empty sets are dropped. The list is remembered as
 * decoding to these managers (what decodeEntries would make of it), so the next write of the
 * object that stores it does not decode it again. `keyedByIdentifier`: the caller vouches that
 * every key of `managers` is managerIdentifier of its entry (as decodeManagedFields keys them).
 */
export function encodeManagedFields(managers: Managers, keyedByIdentifier = false): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = []
  const sets: FieldSet[] = []
  const keys: string[] = []
  let decodable = true
  managers.forEach((m, key) => {
    if (m.set.empty()) return
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion }
    if (m.time) e.time = m.time
    e.fieldsType = 'FieldsV1'
    e.fieldsV1 = m.set.toFieldsV1() as Record<string, unknown>
    if (m.subresource) e.subresource = m.subresource
    entries.push(e)
    sets.push(m.set)
    keys.push(key)
    if ((m.operation !== 'Apply' && m.operation !== 'Update') || !m.apiVersion) decodable = false
  })
  if (entries.length < 2) {
    if (decodable && entries.length === 1) decodedLists.set(entries, { sets, keys: keyedByIdentifier ? keys : undefined })
    return entries
  }
  const order = sortOrder(entries)
  const sorted = order.map((i) => entries[i])
  if (decodable) decodedLists.set(sorted, { sets: order.map((i) => sets[i]), keys: keyedByIdentifier ? order.map((i) => keys[i]) : undefined })
  return sorted
}

/**
 * Folds the oldest update entries into one `ancient-changes` entry per apiVersion until at most
 * `max` update entries remain (capManagersManager).
 */
export function capUpdateManagers(managers: Managers, max = MAX_UPDATE_MANAGERS): Managers {
  let n = 0
  for (const m of managers.values()) if (m.operation === 'Update') n++
  if (n <= max) return managers
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === 'Update')
  if (updaters.length <= max) return managers
  const out: Managers = new Map(managers)
  updaters.sort(([ka, a], [kb, b]) => seconds(a.time) - seconds(b.time) || cmp(ka, kb))
  const firstOfVersion = new Map<string, string>()
  let length = updaters.length
  for (let i = 0; i < updaters.length && length > max; i++) {
    const [key, m] = updaters[i]
    const bucketId: ManagerIdentity = { manager: 'ancient-changes', operation: 'Update', apiVersion: m.apiVersion }
    const bucket = managerIdentifier(bucketId)
    const first = firstOfVersion.get(m.apiVersion)
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, key)
      continue
    }
    if (!out.has(bucket)) {
      const f = out.get(first)!
      out.delete(first)
      out.set(bucket, { ...bucketId, time: f.time, set: f.set })
    }
    const b = out.get(bucket)!
    out.set(bucket, { ...bucketId, time: m.time, set: m.set.union(b.set) })
    out.delete(key)
    length--
  }
  return out
}

/** The managedFields of an object (an empty list when it has none). */
export function readManagedFields(obj: unknown): ManagedFieldsEntry[] {
  const meta = isObject(obj) ? obj.metadata : undefined
  const mf = isObject(meta) ? meta.managedFields : undefined
  return Array.isArray(mf) ? (mf as unknown as ManagedFieldsEntry[]) : []
}

/** A shallow copy of `obj` whose metadata.managedFields is `entries` (removed when empty). */
export function writeManagedFields<T extends object>(obj: T, entries: readonly ManagedFieldsEntry[]): T {
  const o = obj as unknown as JsonObject
  if (!entries.length && !isObject(o.metadata)) return { ...o } as unknown as T
  const meta: JsonObject = isObject(o.metadata) ? { ...o.metadata } : {}
  if (entries.length) meta.managedFields = entries as unknown as Json
  else delete meta.managedFields
  return { ...o, metadata: meta } as unknown as T
}

/** A copy of `obj` without metadata.managedFields. */
export function withoutManagedFields<T extends object>(obj: T): T {
  return writeManagedFields(obj, [])
}

/** One owner of a path. */
export interface Owner extends ManagerIdentity {
  time?: string
}

/**
 * The managers whose set holds `path` (a Path, or its printed form such as `spec.replicas` or
 * `.spec.template.spec.containers[name="web"].image`). Only exact members count.
 */
export function ownersOf(managedFields: readonly ManagedFieldsEntry[] | undefined, path: Path | string): Owner[] {
  const p = typeof path === 'string' ? parsePath(path) : path
  const out: Owner[] = []
  for (const m of decodeManagedFields(managedFields).values()) {
    if (!m.set.has(p)) continue
    const o: Owner = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion }
    if (m.subresource) o.subresource = m.subresource
    if (m.time) o.time = m.time
    out.push(o)
  }
  return out
}

/** The union of the sets of every entry whose manager name is `manager` (all operations). */
export function fieldsOwnedBy(managedFields: readonly ManagedFieldsEntry[] | undefined, manager: string): FieldSet {
  let set = new FieldSet()
  for (const m of decodeManagedFields(managedFields).values()) if (m.manager === manager) set = set.union(m.set)
  return set
}

/** The union of the sets of every other manager. */
export function fieldsOwnedByOthers(managedFields: readonly ManagedFieldsEntry[] | undefined, manager: string): FieldSet {
  let set = new FieldSet()
  for (const m of decodeManagedFields(managedFields).values()) if (m.manager !== manager) set = set.union(m.set)
  return set
}

/**
 * The paths only `manager` owns and that nothing another manager owns lies under (so removing
 * them never takes another manager's field with it).
 */
export function fieldsOwnedOnlyBy(managedFields: readonly ManagedFieldsEntry[] | undefined, manager: string): FieldSet {
  const mine = fieldsOwnedBy(managedFields, manager)
  const others = fieldsOwnedByOthers(managedFields, manager)
  const out = new FieldSet()
  for (const p of mine.paths()) {
    if (others.has(p)) continue
    let under: FieldSet | undefined = others
    for (const pe of p) under = under?.child(pe)
    if (under && !under.empty()) continue
    // Keep the key fields of a list item that stays because someone else owns part of it.
    const parent = p[p.length - 2]
    const last = p[p.length - 1]
    if (parent && 'key' in parent && 'field' in last && parent.key.some(([k]) => k === last.field)) {
      let sibling: FieldSet | undefined = others
      for (const pe of p.slice(0, -1)) sibling = sibling?.child(pe)
      if (sibling && !sibling.empty()) continue
    }
    out.insert(p)
  }
  return out
}

/**
 * `obj` without the fields only `manager` owns (what would be left if that manager stopped
 * managing the object); metadata.managedFields is kept as it was.
 */
export function removeFieldsOwnedOnlyBy<T extends object>(obj: T, manager: string, typeNode: TypeNode | undefined): T {
  const mf = readManagedFields(obj)
  const stripped = withoutManagedFields(obj) as unknown as Json
  const out = (removeItems(stripped, fieldsOwnedOnlyBy(mf, manager), typeNode) ?? {}) as JsonObject
  return writeManagedFields(out, mf) as unknown as T
}

/** Only the fields `manager` owns in `obj` (SMD's ExtractItems), without managedFields. */
export function extractFieldsOwnedBy(obj: object, manager: string, typeNode: TypeNode | undefined): JsonObject {
  const mf = readManagedFields(obj)
  const stripped = withoutManagedFields(obj) as unknown as Json
  return (extractItems(stripped, fieldsOwnedBy(mf, manager), typeNode) ?? {}) as JsonObject
}

/** A FieldsV1 value, re-exported for callers that build entries by hand. */
export type { FieldsV1 }
