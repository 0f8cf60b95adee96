/**
 * The Event create fast path. Events are most of a busy cluster's creates, and nearly all of them
 * have the shape client-go's recorder gives them (core/v1 Event: metadata name and namespace, the
 * involved object's reference, reason, message, source, first and last timestamps, count, type,
 * reporting component and instance). For an Event of exactly that shape, with every value of its
 * schema type, the schema pass cannot find a problem, and the fields an `Update` manager owns after
 * the create depend only on which of those fields are present: both are known without walking the
 * object. Everything else — admission, metadata and Event validation, identity, the write — is the
 * general create's. Any other Event (more fields, another type, a bad timestamp, generateName) takes
 * the general path, which reports what is wrong.
 */
import type { FieldsV1 } from './apply/field-set.js'
import type { KObject } from './object.js'
import { formatTime } from './strategy.js'

/** The top-level fields of the recorder's Event and their JSON types (`time`: a metav1.Time string). */
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
/** The metadata a recorder's Event carries. */
const META = new Set(['name', 'namespace'])

/** An own, plain JSON object (what the recorder and a decoded request body give). */
function plain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
}

/** A copy of a flat object of strings whose keys are all in `allowed`; undefined members dropped. */
function copyStrings(v: unknown, allowed: ReadonlySet<string>): Record<string, string> | undefined {
  if (!plain(v)) return undefined
  const out: Record<string, string> = {}
  for (const k in v) {
    const x = v[k]
    if (x === undefined) continue
    if (typeof x !== 'string' || !allowed.has(k)) return undefined
    out[k] = x
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

/** The recorder's field order (TOP's): an Event whose fields come in it has a shape key known in advance. */
const ORDER = Object.keys(TOP)

/** TOP as a Map (a keyed read of TOP by a variable name was a tenth of the function's time). */
const TOP_TYPES = new Map(Object.entries(TOP))

/** The shape-key token of a source by its fields in order (see sourceCopy): none, component, host, both either way. */
const SOURCE_TOKENS: Record<number, string> = {
  0: 'source(),',
  1: 'source(component),',
  2: 'source(host),',
  5: 'source(component,host),',
  7: 'source(host,component),',
}

/** Shape keys of Events whose fields are ORDER's first n, by source token and n (built as the general loop would). */
const prefixShapes = new Map<string, string[]>()

/** The shape key of the fields ORDER[0..n) with `sourceToken` for the source, the same string each time. */
function prefixShape(n: number, sourceToken: string): string {
  let byLength = prefixShapes.get(sourceToken)
  if (!byLength) prefixShapes.set(sourceToken, (byLength = []))
  let shape = byLength[n]
  if (shape === undefined) {
    shape = ''
    for (let i = 0; i < n; i++) shape += ORDER[i] === 'source' ? sourceToken : `${ORDER[i]},`
    byLength[n] = shape
  }
  return shape
}

/** copyStrings for a source, with its fields' order as a number: 3 × the order so far + 1 (component) or 2 (host). */
let sourceOrder = 0

/** A copy of an EventSource of strings (undefined members dropped), setting sourceOrder; undefined for anything else. */
function sourceCopy(v: unknown): Record<string, string> | undefined {
  if (!plain(v)) return undefined
  const out: Record<string, string> = {}
  let order = 0
  for (const k in v) {
    const x = v[k]
    if (x === undefined) continue
    if (typeof x !== 'string') return undefined
    if (k === 'component') order = order * 3 + 1
    else if (k === 'host') order = order * 3 + 2
    else return undefined
    out[k] = x
  }
  sourceOrder = order
  return out
}

/**
 * When `input` is a core/v1 Event of the recorder's shape: a deep copy of it (undefined members
 * dropped, as admission's copy does) and its shape key — the fields present, in order, which alone
 * decide the Event's created field set. Undefined for anything else.
 */
export function recorderShapedEvent(input: unknown): { obj: KObject; shape: string } | undefined {
  if (!plain(input) || input.apiVersion !== 'v1' || input.kind !== 'Event') return undefined
  const out: Record<string, unknown> = {}
  // While the fields come in ORDER, `shape` stays undefined and `n` counts them; the key is then
  // a cached string. Past the first field out of that order, the key is built field by field.
  let n = 0
  let shape: string | undefined
  let sourceToken = ''
  for (const k in input) {
    const v = input[k]
    if (v === undefined) continue
    const type = TOP_TYPES.get(k)
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
        const ref = copyStrings(v, REFERENCE)
        if (!ref) return undefined
        out[k] = ref
        break
      }
      case 'source': {
        const src = sourceCopy(v)
        if (!src) return undefined
        out[k] = src
        sourceToken = SOURCE_TOKENS[sourceOrder]
        if (shape === undefined && k === ORDER[n]) n++
        else shape = (shape ?? prefixShape(n, sourceToken)) + sourceToken
        continue
      }
      case 'meta': {
        // Only a name and a namespace: generateName, labels, annotations, owners and the rest take the general path.
        const meta = copyStrings(v, META)
        if (!meta || !meta.name) return undefined
        out[k] = meta
        break
      }
      default:
        return undefined
    }
    if (shape === undefined && k === ORDER[n]) n++
    else shape = `${shape ?? prefixShape(n, sourceToken)}${k},`
  }
  if (!out.metadata || !out.involvedObject) return undefined
  return { obj: out as KObject, shape: shape ?? prefixShape(n, sourceToken) }
}

/** The created field set of each Event shape by manager-independent shape key, computed once each. */
const fieldsByShape = new Map<string, FieldsV1 | undefined>()

/**
 * The fieldsV1 an Event of `shape` gets on create: `compute(obj)` (the general walk) the first time
 * a shape is seen, the same frozen value after. Every Event of one shape has the same field set:
 * its fields are scalars, the atomic involvedObject, and a source whose present fields the shape names.
 */
export function eventFieldsV1(shape: string, obj: KObject, compute: (obj: KObject) => FieldsV1 | undefined): FieldsV1 | undefined {
  if (fieldsByShape.has(shape)) return fieldsByShape.get(shape)
  const fields = compute(obj)
  if (fields) deepFreeze(fields)
  fieldsByShape.set(shape, fields)
  return fields
}

function deepFreeze(v: object): void {
  Object.freeze(v)
  for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) deepFreeze(child)
}

/** The fields a recorder's repeat patch sets (client-go's eventLogger: count, lastTimestamp, message). */
const PATCHED: Record<string, 'int32' | 'time' | 'string'> = { count: 'int32', lastTimestamp: 'time', message: 'string' }

/** What recorderEventPatch is given: the stored Event, the merge patch, the writer and the write's time. */
export interface RecorderPatchInput {
  old: KObject
  patch: unknown
  fieldManager: string | undefined
  now: Date
}

/**
 * The object the general merge-patch path (patch → admit → prepareForUpdate → trackWrite) would
 * hand to validation and the write, for the recorder's repeat patch of an Event: `{count,
 * lastTimestamp, message}` changing fields the patching manager alone already owns. Then the stored
 * fieldsV1 is kept and only its entry's time moves (trackUpdate's own-fields case), and nothing else
 * changes: the result is `old` with those values and that time, sharing every other part with `old`
 * (never changed). Undefined when anything differs from that case (another field, a new field, a
 * change of nothing, more managers, another manager), for the general path to handle.
 */
export function recorderEventPatch({ old, patch, fieldManager, now }: RecorderPatchInput): KObject | undefined {
  if (old.kind !== 'Event' || old.apiVersion !== 'v1' || !plain(patch)) return undefined
  const o = old as Record<string, unknown>
  let changed = 0
  for (const k in patch) {
    const v = patch[k]
    const type = PATCHED[k]
    if (type === undefined || !(k in o) || o[k] === undefined) return undefined
    if (type === 'int32') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) return undefined
    } else if (typeof v !== 'string' || (type === 'time' && !goodTime(v))) return undefined
    if (v !== o[k]) changed++
  }
  if (changed === 0) return undefined
  const entries = old.metadata.managedFields
  if (!Array.isArray(entries) || entries.length !== 1) return undefined
  const e = entries[0]
  const fields = e.fieldsV1 as Record<string, unknown> | undefined
  if (e.manager !== (fieldManager || 'unknown') || e.operation !== 'Update' || e.apiVersion !== 'v1' || e.subresource !== undefined || e.fieldsType !== 'FieldsV1' || !plain(fields)) return undefined
  for (const k in patch) if (patch[k] !== o[k] && !plain(fields[`f:${k}`])) return undefined
  const next: Record<string, unknown> = { ...o }
  for (const k in patch) next[k] = patch[k]
  next.metadata = { ...old.metadata, managedFields: [{ ...e, time: formatTime(now) }] }
  return next as KObject
}
