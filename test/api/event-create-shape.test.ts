/**
 * The Event fast path's shape key and copy are those of its first version (frozen below as the
 * reference: the key built field by field) for every order, presence and type of the fields, while
 * the recorder's own order takes a cached key.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { recorderShapedEvent } from '../../reconciler/api/event-create.js'
import type { KObject } from '../../reconciler/api/object.js'

const test = suite('api: Event fast path shape keys')

// ---- the reference: event-create.ts as first written (the shape key built by concatenation) ----
const TOP: Record<string, 'string' | 'int32' | 'time' | 'reference' | 'source' | 'meta'> = {
  apiVersion: 'string',
  kind: 'string',
  metadata: 'meta',
  involvedObject: 'reference',
  reason: 'string',
  message: 'string',
  source: 'source',
  firstTimestamp: 'time',
  lastTimestamp: 'time',
  count: 'int32',
  type: 'string',
  reportingComponent: 'string',
  reportingInstance: 'string',
}

/** core/v1 ObjectReference's fields (all strings; the struct is atomic for managed fields). */
const REFERENCE = new Set(['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'])
/** core/v1 EventSource's fields (strings). */
const SOURCE = new Set(['component', 'host'])
/** The metadata a recorder's Event carries. */
const META = new Set(['name', 'namespace'])

/** An own, plain JSON object (what the recorder and a decoded request body give). */
function plain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
}

/** A copy of a flat object of strings whose keys are all in `allowed`; undefined members dropped. */
function copyStrings(v: unknown, allowed: ReadonlySet<string>, keys: string[] | undefined): Record<string, string> | undefined {
  if (!plain(v)) return undefined
  const out: Record<string, string> = {}
  for (const k in v) {
    const x = v[k]
    if (x === undefined) continue
    if (typeof x !== 'string' || !allowed.has(k)) return undefined
    out[k] = x
    keys?.push(k)
  }
  return out
}

/** The last timestamp found well-formed (an Event's two timestamps, and runs of events, share one). */
let lastGoodTime = ''

/**
 * Whether `s` is an RFC 3339 time as metav1.Time writes it (`2026-01-01T00:00:00Z`) and names a
 * real instant: the schema's `date-time` format accepts every such string.
 */
function goodTime(s: string): boolean {
  if (s === lastGoodTime) return true
  if (s.length !== 20 || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(s)) return false
  const ms = Date.parse(s)
  if (Number.isNaN(ms) || new Date(ms).toISOString() !== `${s.slice(0, 19)}.000Z`) return false
  lastGoodTime = s
  return true
}

/**
 * When `input` is a core/v1 Event of the recorder's shape: a deep copy of it (undefined members
 * dropped, as admission's copy does) and its shape key — the fields present, which alone decide the
 * Event's created field set. Undefined for anything else.
 */
function referenceShapedEvent(input: unknown): { obj: KObject; shape: string } | undefined {
  if (!plain(input) || input.apiVersion !== 'v1' || input.kind !== 'Event') return undefined
  const out: Record<string, unknown> = {}
  let shape = ''
  for (const k in input) {
    const v = input[k]
    if (v === undefined) continue
    const type = Object.hasOwn(TOP, k) ? TOP[k] : undefined
    switch (type) {
      case 'string':
        if (typeof v !== 'string') return undefined
        out[k] = v
        break
      case 'int32':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) return undefined
        out[k] = v
        break
      case 'time':
        if (typeof v !== 'string' || !goodTime(v)) return undefined
        out[k] = v
        break
      case 'reference': {
        const ref = copyStrings(v, REFERENCE, undefined)
        if (!ref) return undefined
        out[k] = ref
        break
      }
      case 'source': {
        const keys: string[] = []
        const src = copyStrings(v, SOURCE, keys)
        if (!src) return undefined
        out[k] = src
        shape += `source(${keys.join(',')}),`
        continue
      }
      case 'meta': {
        // Only a name and a namespace: generateName, labels, annotations, owners and the rest take the general path.
        const meta = copyStrings(v, META, undefined)
        if (!meta || !meta.name) return undefined
        out[k] = meta
        break
      }
      default:
        return undefined
    }
    shape += `${k},`
  }
  if (!out.metadata || !out.involvedObject) return undefined
  return { obj: out as KObject, shape }
}

// ---- generated cases ----

const T = '2026-01-01T00:00:00Z'

/** The recorder's Event, fields in its order. */
const FULL: Array<[string, unknown]> = [
  ['apiVersion', 'v1'],
  ['kind', 'Event'],
  ['metadata', { name: 'web-1.18867251edfa0320', namespace: 'default' }],
  ['involvedObject', { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u-1', apiVersion: 'v1', resourceVersion: '12' }],
  ['reason', 'Pulled'],
  ['message', 'Successfully pulled image'],
  ['source', { component: 'kubelet', host: 'node-a' }],
  ['firstTimestamp', T],
  ['lastTimestamp', T],
  ['count', 1],
  ['type', 'Normal'],
  ['reportingComponent', 'kubelet'],
  ['reportingInstance', 'node-a'],
]

const SOURCES: unknown[] = [{ component: 'kubelet', host: 'node-a' }, { host: 'node-a', component: 'kubelet' }, { component: 'kubelet' }, { host: 'h' }, {}, { component: 'kubelet', host: undefined }, { component: 7 }, { component: 'c', extra: 'x' }]

function rng(seed: number): () => number {
  let s = seed
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648
}

function build(entries: Array<[string, unknown]>): KObject {
  const o: Record<string, unknown> = {}
  for (const [k, v] of entries) o[k] = v
  return o as KObject
}

const cases: Array<{ name: string; input: KObject }> = []
for (let i = 0; i < SOURCES.length; i++) {
  cases.push({ name: `the recorder's order, source ${i}`, input: build(FULL.map(([k, v]) => [k, k === 'source' ? SOURCES[i] : v])) })
  for (let n = 4; n < FULL.length; n++) cases.push({ name: `the first ${n} fields, source ${i}`, input: build(FULL.slice(0, n).map(([k, v]) => [k, k === 'source' ? SOURCES[i] : v])) })
}
cases.push({ name: 'an undefined field in the middle', input: build(FULL.map(([k, v]) => [k, k === 'message' ? undefined : v])) })
cases.push({ name: 'a field missing in the middle', input: build(FULL.filter(([k]) => k !== 'reason')) })
cases.push({ name: 'an unknown field at the end', input: build([...FULL, ['action', 'x']]) })
const random = rng(7)
for (let c = 0; c < 300; c++) {
  const entries = FULL.filter(() => random() > 0.15).map(([k, v]): [string, unknown] => [k, k === 'source' ? SOURCES[Math.floor(random() * SOURCES.length)] : v])
  // A few swaps: out of the recorder's order from some point on.
  for (let s = Math.floor(random() * 3); s > 0; s--) {
    const a = Math.floor(random() * entries.length)
    const b = Math.floor(random() * entries.length)
    ;[entries[a], entries[b]] = [entries[b], entries[a]]
  }
  cases.push({ name: `random ${c}`, input: build(entries) })
}

test('every case: the same copy and shape key as the reference', () => {
  let fast = 0
  for (const c of cases) {
    const got = recorderShapedEvent(c.input)
    const want = referenceShapedEvent(c.input)
    assert.equal(got, want, c.name)
    if (got) {
      fast++
      assert.ok(got.obj !== c.input, `${c.name}: a copy`)
    }
  }
  assert.ok(fast > 100, `enough cases take the fast path (${fast})`)
})

test('the recorder order gives one shape string object per shape (a cached key)', () => {
  const a = recorderShapedEvent(build(FULL))
  const b = recorderShapedEvent(build(FULL.map(([k, v]) => [k, k === 'reason' ? 'Created' : v])))
  assert.is(a?.shape, b?.shape)
  assert.is(a?.shape, 'apiVersion,kind,metadata,involvedObject,reason,message,source(component,host),firstTimestamp,lastTimestamp,count,type,reportingComponent,reportingInstance,')
})

test.run()
