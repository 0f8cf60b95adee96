/**
 * What changed between two versions of an object, by type (SMD's TypedValue.Compare): leaves
 * (scalars, atomic values, empty objects and lists) are added, removed or modified; list items and
 * map entries that appear or disappear are added or removed as nodes too.
 *
 * One deliberate difference: a named struct field never counts as an added or removed node. In
 * Kubernetes most struct fields are Go values that always exist (so `f:spec` never gets a `"."`),
 * and TypeNode cannot tell those from pointer structs.
 */
import type { TypeNode } from '../../../../reconciler/api/schema/type-node.js'
import { jsonEqual, sameDefinedJson } from '../../../../reconciler/api/object.js'
import { FieldSet } from './field-set.js'
import type { Json, Path } from './path-element.js'
import { childType, indexItems, isObject, peId, resolve } from './typed-value.js'

/** The three sets SMD's Comparison holds. */
export interface Comparison {
  added: FieldSet
  removed: FieldSet
  modified: FieldSet
}

/** Compares `before` with `after` (either may be undefined: absent). */
export function compareTyped(before: Json | undefined, after: Json | undefined, node: TypeNode | undefined): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() }
  if (before !== undefined || after !== undefined) walk(before, after, resolve(node), [], c, false)
  return c
}

/** The comparison without `ignored` paths and everything under them (SMD's ExcludeFields). */
export function excludeFields(c: Comparison, ignored: FieldSet): Comparison {
  if (ignored.empty()) return c
  return {
    added: c.added.recursiveDifference(ignored),
    removed: c.removed.recursiveDifference(ignored),
    modified: c.modified.recursiveDifference(ignored),
  }
}

function isEmptyish(v: Json | undefined): boolean {
  if (v === undefined || v === null) return true
  if (Array.isArray(v)) return v.length === 0
  return isObject(v) && Object.keys(v).length === 0
}

function leaf(l: Json | undefined, r: Json | undefined, path: Path, c: Comparison): void {
  if (l === undefined) c.added.insert(path)
  else if (r === undefined) c.removed.insert(path)
  else if (!jsonEqual(l, r)) c.modified.insert(path)
}

function walk(l: Json | undefined, r: Json | undefined, node: TypeNode, path: Path, c: Comparison, namedField: boolean): void {
  // Equal parts (most of an object, on most writes) hold no change: skip them. An undefined member
  // would count as added, so only values without one are skipped.
  if (l !== undefined && r !== undefined && sameDefinedJson(l, r)) return
  const objectShaped = (v: Json | undefined): boolean => v === undefined || v === null || isObject(v)
  const listShaped = (v: Json | undefined): boolean => v === undefined || v === null || Array.isArray(v)
  switch (node.kind) {
    case 'scalar':
      return leaf(l, r, path, c)
    case 'untyped':
    case 'struct':
    case 'map': {
      const atomic = node.kind !== 'untyped' && node.atomic
      const untypedLeaf = node.kind === 'untyped' && !(isObject(l) || isObject(r))
      if (atomic || untypedLeaf || !objectShaped(l) || !objectShaped(r) || (isEmptyish(l) && isEmptyish(r))) {
        return leaf(l, r, path, c)
      }
      const lo = isObject(l) ? l : {}
      const ro = isObject(r) ? r : {}
      for (const k of Object.keys(lo)) {
        walk(lo[k], Object.hasOwn(ro, k) ? ro[k] : undefined, childType(node, k), [...path, { field: k }], c, node.kind === 'struct' && node.field(k) !== undefined)
      }
      for (const k of Object.keys(ro)) {
        if (!Object.hasOwn(lo, k)) walk(undefined, ro[k], childType(node, k), [...path, { field: k }], c, node.kind === 'struct' && node.field(k) !== undefined)
      }
      break
    }
    case 'list': {
      if (node.listType === 'atomic' || !listShaped(l) || !listShaped(r) || (isEmptyish(l) && isEmptyish(r))) {
        return leaf(l, r, path, c)
      }
      const lhs = indexItems(node, Array.isArray(l) ? l : [])
      const rhs = indexItems(node, Array.isArray(r) ? r : [])
      const itemType = node.items()
      for (const pe of lhs.order) {
        const id = peId(pe)
        walk(lhs.byKey.get(id)!.item, rhs.byKey.get(id)?.item, itemType, [...path, pe], c, false)
      }
      for (const pe of rhs.order) {
        const id = peId(pe)
        if (!lhs.byKey.has(id)) walk(undefined, rhs.byKey.get(id)!.item, itemType, [...path, pe], c, false)
      }
      break
    }
  }
  // A node that appears or disappears (SMD's postItemHook); see the file comment for struct fields.
  if (path.length === 0 || (namedField && node.kind === 'struct')) return
  if (l === undefined) c.added.insert(path)
  else if (r === undefined) c.removed.insert(path)
}
