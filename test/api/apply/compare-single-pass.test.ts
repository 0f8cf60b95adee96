import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { compareTyped, type Comparison } from '../../../reconciler/api/apply/compare.js'
import { FieldSet } from '../../../reconciler/api/apply/field-set.js'
import { pathElementKey, serializePathElement, type Json, type PathElement } from '../../../reconciler/api/apply/path-element.js'
import { resetFieldsFor } from '../../../reconciler/api/apply/ownership.js'
import { childType, isObject, itemPathElement, resolve } from '../../../reconciler/api/apply/typed-value.js'
import { jsonEqual, sameDefinedJson } from '../../../reconciler/api/object.js'
import type { ListNode, TypeNode } from '../../../reconciler/api/schema/type-node.js'
import { typeNodeFor } from '../../../reconciler/api/schema/index.js'
import { rng } from '../../helpers/rng.js'

/**
 * compareTyped (one pass: an equality check that fails tells the walk where it stopped) against a
 * copy of the compare before that change, which re-checked equal parts at every level: random
 * pairs of objects (shared and copied parts, undefined members, type changes, map-list items added,
 * removed, repeated and reordered, ignored paths) must give the same three sets, member for member
 * and in the same order.
 */
const differential = suite('compareTyped: one pass against the per-level reference')

/** The reference: compareTyped as it was before the single-pass change. */
function referenceCompare(before: Json | undefined, after: Json | undefined, node: TypeNode | undefined, ignored?: FieldSet): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() }
  if (before !== undefined || after !== undefined) {
    walk(before, after, resolve(node), new Cursor(undefined, undefined, c), false, ignored && !ignored.empty() ? ignored : undefined)
  }
  return c
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

function visitField(node: TypeNode, k: string, lv: Json | undefined, rv: Json | undefined, at: Cursor, ignored: FieldSet | undefined): void {
  const pe: PathElement = { field: k }
  const next = step(at, pe, ignored)
  if (!next) return
  // (childType and isNamedField in one schema lookup.)
  if (node.kind === 'struct') {
    const field = node.field(k)
    walk(lv, rv, resolve(field), next, field !== undefined, ignored?.child(pe))
  } else walk(lv, rv, childType(node, k), next, false, ignored?.child(pe))
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

function walk(l: Json | undefined, r: Json | undefined, node: TypeNode, at: Cursor, namedField: boolean, ignored: FieldSet | undefined): void {
  // Equal parts (most of an object, on most writes) hold no change: skip them. An undefined member
  // would count as added, so only values without one are skipped.
  if (l !== undefined && r !== undefined && sameDefinedJson(l, r)) return
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
      for (const k of Object.keys(lo)) visitField(node, k, lo[k], Object.hasOwn(ro, k) ? ro[k] : undefined, at, ignored)
      for (const k of Object.keys(ro)) if (!Object.hasOwn(lo, k)) visitField(node, k, undefined, ro[k], at, ignored)
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

type Obj = Record<string, unknown>
type Rand = () => number
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
const chance = (r: Rand, p: number): boolean => r() < p

function condition(r: Rand, type: string): Obj {
  return { type, status: pick(r, ['True', 'False']), lastTransitionTime: pick(r, ['2024-01-01T00:00:00Z', '2024-01-01T00:01:00Z']), ...(chance(r, 0.3) ? { reason: 'R' } : {}) }
}

function container(r: Rand, name: string): Obj {
  const c: Obj = { name, image: pick(r, ['nginx:1.25', 'redis']) }
  if (chance(r, 0.5)) c.env = ['A', 'B', 'C'].filter(() => chance(r, 0.6)).map((n) => ({ name: n, value: pick(r, ['1', '2']) }))
  if (chance(r, 0.5)) c.ports = [80, 443].filter(() => chance(r, 0.6)).map((p) => ({ containerPort: p, protocol: pick(r, ['TCP', 'UDP']) }))
  if (chance(r, 0.4)) c.resources = chance(r, 0.5) ? {} : { requests: { cpu: pick(r, ['10m', '1']) } }
  if (chance(r, 0.2)) c.args = ['--a', '--b'].filter(() => chance(r, 0.5))
  return c
}

function pod(r: Rand): Obj {
  const meta: Obj = { name: 'p', namespace: 'default', uid: 'u', labels: { app: pick(r, ['a', 'b']) } }
  if (chance(r, 0.5)) meta.annotations = { note: pick(r, ['a', 'b']) }
  if (chance(r, 0.4)) meta.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: pick(r, ['u1', 'u2']), controller: true }]
  const spec: Obj = { containers: ['web', 'side'].filter(() => chance(r, 0.7)).map((n) => container(r, n)), ...(chance(r, 0.5) ? { nodeName: pick(r, ['n1', 'n2']) } : {}) }
  const obj: Obj = { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec }
  if (chance(r, 0.8)) {
    const status: Obj = { phase: pick(r, ['Pending', 'Running']) }
    if (chance(r, 0.7)) status.conditions = ['PodScheduled', 'Initialized', 'Ready', 'ContainersReady'].filter(() => chance(r, 0.6)).map((t) => condition(r, t))
    if (chance(r, 0.5)) status.podIP = pick(r, ['10.0.0.1', '10.0.0.2'])
    if (chance(r, 0.5)) status.containerStatuses = [{ name: 'web', ready: chance(r, 0.5), restartCount: 0, image: 'nginx', imageID: '', state: chance(r, 0.5) ? { running: { startedAt: '2024-01-01T00:00:00Z' } } : { waiting: { reason: 'X' } } }]
    obj.status = status
  }
  return obj
}

/** A deep copy of `v` (so that equal parts are not shared). */
function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy)
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]))
  return v
}

/** `v` with a few random changes, sharing or copying the parts left alone. */
function mutate(r: Rand, v: unknown, depth = 0): unknown {
  if (depth > 0 && chance(r, 0.03)) return pick(r, [undefined, null, 'x', 7, true, {}, [], { extra: 1 }, [{ name: 'z' }]])
  if (Array.isArray(v)) {
    let out = v.map((x) => (chance(r, 0.25) ? mutate(r, x, depth + 1) : chance(r, 0.5) ? x : copy(x)))
    if (chance(r, 0.1) && out.length > 1) out = [...out.slice(1), out[0]]
    if (chance(r, 0.08) && out.length > 0) out.push(copy(out[0]))
    if (chance(r, 0.08) && out.length > 0) out.splice(Math.floor(r() * out.length), 1)
    if (chance(r, 0.05)) out.push(undefined)
    return out
  }
  if (typeof v === 'object' && v !== null) {
    const out: Obj = {}
    const entries = Object.entries(v)
    if (chance(r, 0.1)) entries.reverse()
    for (const [k, x] of entries) {
      if (chance(r, 0.06)) continue
      out[k] = chance(r, 0.3) ? mutate(r, x, depth + 1) : chance(r, 0.5) ? x : copy(x)
    }
    if (chance(r, 0.06)) out[pick(r, ['extra', 'hostIP', 'reason', 'name', 'type'])] = pick(r, [undefined, 'v', 1, { a: 1 }])
    return out
  }
  if (chance(r, 0.3)) return pick(r, ['changed', 3, false, null])
  return v
}

const kinds = ['Pod', 'Deployment', undefined] as const
const ignoreds = [undefined, resetFieldsFor('status'), resetFieldsFor(), resetFieldsFor('scale')]

const show = (c: Comparison) => ({
  added: [c.added.toFieldsV1(), c.added.paths()],
  removed: [c.removed.toFieldsV1(), c.removed.paths()],
  modified: [c.modified.toFieldsV1(), c.modified.paths()],
})

differential('random object pairs give the same comparison, in the same order', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const r = rng(seed)
    const kind = pick(r, kinds)
    const node = kind ? typeNodeFor(kind) : undefined
    const before = chance(r, 0.05) ? undefined : pod(r)
    let after = chance(r, 0.05) ? undefined : chance(r, 0.15) ? pod(r) : mutate(r, before)
    if (chance(r, 0.05)) after = before
    const ignored = pick(r, ignoreds)
    // (Both throw alike on what no write passes, such as a root that turns into an empty list.)
    const run = (f: typeof compareTyped): string => {
      try {
        return JSON.stringify(show(f(before as Json | undefined, after as Json | undefined, node, ignored)))
      } catch (e) {
        return `threw ${(e as Error).name}`
      }
    }
    assert.equal(run(compareTyped), run(referenceCompare), `seed ${seed}`)
  }
})

const cases: Array<{ name: string; before: unknown; after: unknown; modified: unknown; added?: unknown; removed?: unknown }> = [
  {
    name: 'a change after equal siblings, deep down',
    before: { status: { phase: 'Running', hostIP: 'a', conditions: [{ type: 'Ready', status: 'True' }] }, metadata: { annotations: { a: 'b' } } },
    after: { status: { phase: 'Running', hostIP: 'a', conditions: [{ type: 'Ready', status: 'False' }] }, metadata: { annotations: { a: 'b' } } },
    modified: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { 'f:status': {} } } } },
  },
  {
    name: 'extra keys after equal ones',
    before: { status: { phase: 'Running' } },
    after: { status: { phase: 'Running', podIP: '1' } },
    modified: {},
    added: { 'f:status': { 'f:podIP': {} } },
  },
  {
    name: 'an undefined member after equal ones',
    before: { status: { phase: 'Running', podIP: undefined } },
    after: { status: { phase: 'Running', podIP: '1' } },
    modified: {},
    added: { 'f:status': { 'f:podIP': {} } },
  },
]

for (const c of cases) {
  differential(c.name, () => {
    const node = typeNodeFor('Pod')
    const got = compareTyped(c.before as Json, c.after as Json, node)
    const want = referenceCompare(c.before as Json, c.after as Json, node)
    assert.equal(show(got), show(want))
    assert.equal(got.modified.toFieldsV1(), c.modified)
    if (c.added) assert.equal(got.added.toFieldsV1(), c.added)
    if (c.removed) assert.equal(got.removed.toFieldsV1(), c.removed)
  })
}

differential.run()
