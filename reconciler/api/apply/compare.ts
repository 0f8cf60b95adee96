/**
 * What changed between two versions of an object, by type (SMD's TypedValue.Compare): leaves
 * (scalars, atomic values, empty objects and lists) are added, removed or modified; list items and
 * map entries that appear or disappear are added or removed as nodes too.
 *
 * One deliberate difference: a named struct field never counts as an added or removed node. In
 * Kubernetes most struct fields are Go values that always exist (so `f:spec` never gets a `"."`),
 * and TypeNode cannot tell those from pointer structs.
 */
import type { ListNode, TypeNode } from '../schema/type-node.js'
import { jsonEqual, noUndefined } from '../object.js'
import { FieldSet } from './field-set.js'
import { pathElementKey, serializePathElement, type Json, type PathElement } from './path-element.js'
import { childType, isObject, itemPathElement, resolve } from './typed-value.js'

/** The three sets SMD's Comparison holds. */
export interface Comparison {
  added: FieldSet
  removed: FieldSet
  modified: FieldSet
}

/**
 * Compares `before` with `after` (either may be undefined: absent). Paths at or under a member of
 * `ignored` are left out, as excludeFields(compareTyped(…), ignored) would, without walking them.
 */
export function compareTyped(before: Json | undefined, after: Json | undefined, node: TypeNode | undefined, ignored?: FieldSet): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() }
  if (before !== undefined || after !== undefined) {
    walk(before, after, resolve(node), new Cursor(undefined, undefined, c), false, ignored && !ignored.empty() ? ignored : undefined)
  }
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

const ADDED = 0
const REMOVED = 1
const MODIFIED = 2

/**
 * A place in the walk: its path element and, made only when something is recorded at or below it,
 * the node of each of the three result sets at this path (no path arrays, no walk from the root).
 */
class Cursor {
  private a: FieldSet | undefined
  private r: FieldSet | undefined
  private m: FieldSet | undefined
  private k: string | undefined
  constructor(
    readonly parent: Cursor | undefined,
    readonly pe: PathElement | undefined,
    c?: Comparison,
    key?: string,
  ) {
    if (c) {
      this.a = c.added
      this.r = c.removed
      this.m = c.modified
    }
    this.k = key
  }

  /** The serialized path element. */
  key(): string {
    return (this.k ??= serializePathElement(this.pe!))
  }

  /** The node of result `which` at this path. */
  node(which: number): FieldSet {
    if (which === ADDED) return (this.a ??= this.parent!.node(which).descendKey(this.key(), this.pe!))
    if (which === REMOVED) return (this.r ??= this.parent!.node(which).descendKey(this.key(), this.pe!))
    return (this.m ??= this.parent!.node(which).descendKey(this.key(), this.pe!))
  }

  /** Records this path in result `which`. */
  record(which: number): void {
    this.parent!.node(which).insertKey(this.key(), this.pe!)
  }
}

function leaf(l: Json | undefined, r: Json | undefined, at: Cursor): void {
  if (l === undefined) at.record(ADDED)
  else if (r === undefined) at.record(REMOVED)
  else if (!jsonEqual(l, r)) at.record(MODIFIED)
}

/** The cursor for child `pe` of `at`, or undefined when the child is ignored (a member of `ignored`). */
function step(at: Cursor, pe: PathElement, ignored: FieldSet | undefined, key?: string): Cursor | undefined {
  if (ignored !== undefined && ignored.hasMember(pe)) return undefined
  return new Cursor(at, pe, undefined, key)
}

function objectShaped(v: Json | undefined): boolean {
  return v === undefined || v === null || isObject(v)
}

function listShaped(v: Json | undefined): boolean {
  return v === undefined || v === null || Array.isArray(v)
}

function visitField(node: TypeNode, k: string, lv: Json | undefined, rv: Json | undefined, at: Cursor, ignored: FieldSet | undefined, trail: number[] | undefined): void {
  const pe: PathElement = { field: k }
  const next = step(at, pe, ignored)
  if (!next) return
  // (childType and isNamedField in one schema lookup.)
  if (node.kind === 'struct') {
    const field = node.field(k)
    walk(lv, rv, resolve(field), next, field !== undefined, ignored?.child(pe), trail)
  } else walk(lv, rv, childType(node, k), next, false, ignored?.child(pe), trail)
}

/** Scratch for sameUntil: one entry per object level on the way back up from the first difference. */
const found: number[] = []

/**
 * Undefined when l and r are the same JSON with no undefined anywhere in them (so the walk would
 * record nothing under them); otherwise the trail to where the check stopped, for the walk to go
 * on from there rather than compare the equal part again at every level (one pass, not one per
 * level): innermost last-popped, each entry the number of leading keys (Object.keys order) of an
 * object found equal, the entry below it belonging to the key after them. Levels that are not
 * objects with both sides objects leave no entry; a walk that does not go into lo's keys there
 * drops the trail.
 */
function sameUntil(l: Json, r: Json): number[] | undefined {
  found.length = 0
  if (sameDefined(l, r)) return undefined
  return found.length === 0 ? [] : found.slice()
}

function sameDefined(l: unknown, r: unknown): boolean {
  if (l === r) return noUndefined(l)
  if (typeof l !== 'object' || typeof r !== 'object' || l === null || r === null) return false
  if (Array.isArray(l)) {
    if (!Array.isArray(r) || l.length !== r.length) return false
    for (let i = 0; i < l.length; i++) {
      const a = l[i]
      // (Entries found inside a list item are of no use to the walk, which keys list items.)
      if (a === undefined || !sameDefined(a, r[i])) return false
    }
    return true
  }
  if (Array.isArray(r)) return false
  const lo = l as Record<string, unknown>
  const ro = r as Record<string, unknown>
  let n = 0
  // (for-in visits a JSON object's keys in Object.keys order, without making the array.)
  for (const k in lo) {
    const a = lo[k]
    if (a === undefined || !Object.hasOwn(ro, k)) return found.push(n), false
    const b = ro[k]
    if (b === undefined || !sameDefined(a, b)) return found.push(n), false
    n++
  }
  const ln = n
  for (const _ in ro) n--
  if (n !== 0) return found.push(ln), false
  return true
}

/**
 * A list's items by their serialized path element (one per item, which the walk records them
 * under), in order, as indexItems keeps them: unkeyable items and repeats of a key left out.
 */
function indexList(list: ListNode, items: Json[]): Map<string, { pe: PathElement; item: Json }> {
  const out = new Map<string, { pe: PathElement; item: Json }>()
  for (const item of items) {
    let pe: PathElement
    try {
      pe = itemPathElement(list, item)
    } catch {
      continue
    }
    const id = pathElementKey(pe)
    if (!out.has(id)) out.set(id, { pe, item })
  }
  return out
}

/**
 * `trail` is what an equality check already learned about l and r (see sameUntil), or undefined
 * when no check has been made: then equal parts (most of an object, on most writes) are skipped
 * here. An undefined member would count as added, so only values without one are skipped.
 */
function walk(l: Json | undefined, r: Json | undefined, node: TypeNode, at: Cursor, namedField: boolean, ignored: FieldSet | undefined, trail?: number[]): void {
  if (trail === undefined && l !== undefined && r !== undefined) {
    trail = sameUntil(l, r)
    if (trail === undefined) return
  }
  switch (node.kind) {
    case 'scalar':
      return leaf(l, r, at)
    case 'untyped':
    case 'struct':
    case 'map': {
      const atomic = node.kind !== 'untyped' && node.atomic
      const untypedLeaf = node.kind === 'untyped' && !(isObject(l) || isObject(r))
      if (atomic || untypedLeaf || !objectShaped(l) || !objectShaped(r) || (isEmptyish(l) && isEmptyish(r))) {
        return leaf(l, r, at)
      }
      const lo = isObject(l) ? l : {}
      const ro = isObject(r) ? r : {}
      // The first `skip` keys of lo were found equal by the check; the next is where it stopped,
      // and what it learned below there is the rest of the trail.
      const skip = trail?.pop() ?? 0
      const keys = Object.keys(lo)
      for (let i = skip; i < keys.length; i++) {
        const k = keys[i]
        visitField(node, k, lo[k], Object.hasOwn(ro, k) ? ro[k] : undefined, at, ignored, i === skip ? trail : undefined)
      }
      for (const k of Object.keys(ro)) if (!Object.hasOwn(lo, k)) visitField(node, k, undefined, ro[k], at, ignored, undefined)
      break
    }
    case 'list': {
      if (node.listType === 'atomic' || !listShaped(l) || !listShaped(r) || (isEmptyish(l) && isEmptyish(r))) {
        return leaf(l, r, at)
      }
      const lhs = indexList(node, Array.isArray(l) ? l : [])
      const rhs = indexList(node, Array.isArray(r) ? r : [])
      const itemType = node.items()
      for (const [id, { pe, item }] of lhs) {
        const next = step(at, pe, ignored, id)
        if (next) walk(item, rhs.get(id)?.item, itemType, next, false, ignored?.child(pe))
      }
      for (const [id, { pe, item }] of rhs) {
        if (lhs.has(id)) continue
        const next = step(at, pe, ignored, id)
        if (next) walk(undefined, item, itemType, next, false, ignored?.child(pe))
      }
      break
    }
  }
  // A node that appears or disappears (SMD's postItemHook); see the file comment for struct fields.
  if (at.parent === undefined || (namedField && node.kind === 'struct')) return
  if (l === undefined) at.record(ADDED)
  else if (r === undefined) at.record(REMOVED)
}
