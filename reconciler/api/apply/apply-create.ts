/**
 * Server-side apply of a configuration to an object that does not exist yet, computed directly.
 * Upstream, such an apply is a create whose fields the manager owns (operation Apply): with no
 * live object and no other manager, the general path's merge is a typed copy of the configuration
 * (nulls dropped), its comparison adds everything, and no ownership moves. What is left is the copy
 * and the applied field set (SMD's ToFieldSet of the configuration, without the reset `status` and
 * the stripped metadata), both made here in one walk, the set written straight as fieldsV1 instead
 * of through a FieldSet, a comparison and an encoding. A cold GitOps sync plans thousands of these;
 * a differential test checks that both paths give the same bytes (and the same errors).
 */
import type { ManagedFieldsEntry } from '../object.js'
import { jsonEqual } from '../object.js'
import type { TypeNode } from '../schema/type-node.js'
import { formatTime } from '../strategy.js'
import { sortKeys, type FieldsV1 } from './field-set.js'
import { writeManagedFields } from './managed-fields.js'
import { dropNulls } from './merge.js'
import { serializePathElement, type Json, type Path, type PathElement } from './path-element.js'
import type { ApplyResult } from './server-side-apply.js'
import { childType, indexItems, invalidConfig, isNamedField, isObject, resolve, type JsonObject } from './typed-value.js'

/** One key of a level of the field set: whether it is a member, and the (non-empty) level below it. */
interface Entry {
  key: string
  /** The path element of a list item (a field's is read from its key). */
  pe?: PathElement
  member: boolean
  below: Entry[] | undefined
}

/** Where the walk is, innermost element first (a path is built only for an error). */
interface At {
  pe: PathElement
  up: At | undefined
}

function pathOf(at: At | undefined): Path {
  const out: Path = []
  for (let a = at; a; a = a.up) out.unshift(a.pe)
  return out
}

/** Whether the value at a node is itself a member of the set (fieldSetOf's walk inserts its own path). */
function selfMember(v: Json, node: TypeNode): boolean {
  switch (node.kind) {
    case 'scalar':
      return true
    case 'untyped':
      return !isObject(v)
    case 'struct':
    case 'map':
      return !!node.atomic || (v !== null && !isObject(v))
    case 'list':
      return node.listType === 'atomic' || (v !== null && !Array.isArray(v))
  }
}

/** The field entries below an untyped value (every key a member, all the way down). */
function untypedBelow(v: Json): Entry[] | undefined {
  if (!isObject(v)) return undefined
  const out: Entry[] = []
  for (const k of Object.keys(v)) out.push({ key: 'f:' + k, member: true, below: untypedBelow(v[k]) })
  return out.length ? out : undefined
}

/**
 * Walks a value of type `node`: returns what `mergeTyped(undefined, v, node)` gives (undefined where
 * the merge gives null or nothing: a dropped value), and sets `into.below` to the entries that
 * `fieldSetOf(v, node, { strict: true })` inserts below it — in fieldSetOf's order, so that a
 * configuration it refuses fails here with the same first error.
 */
function walk(v: Json, node: TypeNode, at: At | undefined, into: Entry): Json | undefined {
  switch (node.kind) {
    case 'scalar':
      return v === null || v === undefined ? undefined : dropNulls(v)
    case 'untyped':
      into.below = untypedBelow(v)
      return v === null || v === undefined ? undefined : dropNulls(v)
    case 'struct':
    case 'map': {
      if (node.atomic || !isObject(v)) return v === null || v === undefined ? undefined : dropNulls(v)
      const entries: Entry[] = []
      const out: JsonObject = {}
      let kept = 0
      for (const k of Object.keys(v)) {
        const t = childType(node, k)
        const child = v[k]
        const e: Entry = { key: 'f:' + k, member: !isNamedField(node, k) || selfMember(child, t), below: undefined }
        const c = walk(child, t, { pe: { field: k }, up: at }, e)
        if (c !== undefined) {
          out[k] = c
          kept++
        }
        if (e.member || e.below) entries.push(e)
      }
      if (entries.length) into.below = entries
      // An empty object stays (SMD's emptyPromoteToLeaf); one whose every value was null goes.
      return kept ? out : Object.keys(v).length === 0 ? {} : undefined
    }
    case 'list': {
      if (node.listType === 'atomic' || !Array.isArray(v)) return v === null || v === undefined ? undefined : dropNulls(v)
      if (v.length === 0) return []
      const { order, byKey, errors } = indexItems(node, v)
      if (errors.length) throw invalidConfig(pathOf(at), errors)
      const itemType = node.items()
      const entries: Entry[] = []
      const out: Json[] = []
      for (const pe of order) {
        const e: Entry = { key: serializePathElement(pe), pe, member: true, below: undefined }
        const c = walk(byKey.get(JSON.stringify(pe))!.item, itemType, { pe, up: at }, e)
        if (c !== undefined) out.push(c)
        entries.push(e)
      }
      into.below = entries
      return out.length ? out : undefined
    }
  }
}

/** Metadata members no manager owns (STRIPPED_FIELDS below metadata). */
const STRIPPED_META = new Set(['f:name', 'f:namespace', 'f:creationTimestamp', 'f:selfLink', 'f:uid', 'f:clusterName', 'f:generation', 'f:managedFields', 'f:resourceVersion'])
/** Root members no manager owns (STRIPPED_FIELDS at the root). */
const STRIPPED_ROOT = new Set(['f:apiVersion', 'f:kind', 'f:metadata'])

/** A level without the stripped members (SMD's Difference: a removed member keeps what is below it); undefined when empty. */
function strip(entries: Entry[] | undefined, names: Set<string>): Entry[] | undefined {
  if (!entries) return undefined
  const out: Entry[] = []
  for (const e of entries) {
    const member = e.member && !names.has(e.key)
    if (member || e.below) out.push(member === e.member ? e : { ...e, member })
  }
  return out.length ? out : undefined
}

const elementOf = (byKey: Map<string, Entry>) => (k: string): PathElement => byKey.get(k)!.pe ?? { field: k.slice(2) }

/** The fieldsV1 of one level, keys ordered as FieldSet.toFieldsV1 orders them (`"."` last). */
function emit(entries: Entry[], includeSelf: boolean): FieldsV1 {
  const out: FieldsV1 = {}
  if (entries.length === 1) {
    const e = entries[0]
    out[e.key] = e.below ? emit(e.below, e.member) : {}
  } else {
    const byKey = new Map<string, Entry>()
    const keys: string[] = []
    for (const e of entries) {
      byKey.set(e.key, e)
      keys.push(e.key)
    }
    sortKeys(keys, elementOf(byKey))
    for (const k of keys) {
      const e = byKey.get(k)!
      out[k] = e.below ? emit(e.below, e.member) : {}
    }
  }
  if (includeSelf && entries.length > 0) out['.'] = {}
  return out
}

/** The fieldsV1 of an applied field set's top level, status reset and stripped fields removed; undefined when empty. */
function appliedFields(root: Entry[] | undefined): FieldsV1 | undefined {
  if (!root) return undefined
  // The strategy resets status (a recursive difference: the member and all below it go), then the stripped fields.
  const levels: Entry[] = []
  for (const e of root) {
    if (e.key === 'f:status') continue
    levels.push(e.key === 'f:metadata' ? { ...e, below: strip(e.below, STRIPPED_META) } : e)
  }
  const top = strip(levels, STRIPPED_ROOT)
  return top ? emit(top, false) : undefined
}

/** Whether applyCreate takes configurations of this type: an object type at the root (every kind's). */
export function createsDirectly(typeNode: TypeNode | undefined): boolean {
  const k = resolve(typeNode).kind
  return k === 'struct' || k === 'untyped'
}

/**
 * What `apply` gives for a configuration whose object does not exist (the main resource, whose
 * strategy resets status; a root type for which createsDirectly holds).
 */
export function applyCreate(o: { config: JsonObject; manager: string; typeNode: TypeNode | undefined; apiVersion: string; now: Date }): ApplyResult {
  const root = resolve(o.typeNode)
  const top: Entry = { key: '', member: false, below: undefined }
  let merged: JsonObject
  if (root.kind === 'untyped') {
    // The merge of an untyped root into `{}` keeps each top-level value without its nulls.
    top.below = untypedBelow(o.config)
    merged = {}
    for (const k of Object.keys(o.config)) if (o.config[k] !== null && o.config[k] !== undefined) merged[k] = dropNulls(o.config[k])
  } else merged = (walk(o.config, root, undefined, top) ?? {}) as JsonObject
  const fieldsV1 = appliedFields(top.below)
  const managedFields: ManagedFieldsEntry[] = []
  if (fieldsV1) {
    const e: ManagedFieldsEntry = { manager: o.manager || 'unknown', operation: 'Apply', apiVersion: o.apiVersion }
    if (!jsonEqual(merged, {})) e.time = formatTime(o.now)
    e.fieldsType = 'FieldsV1'
    e.fieldsV1 = fieldsV1 as Record<string, unknown>
    managedFields.push(e)
  }
  const object = writeManagedFields(merged, managedFields)
  return { object, managedFields, conflicts: [], changed: !jsonEqual(object, {}) }
}
