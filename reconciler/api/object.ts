/** The shape of any stored object, and small accessors every layer uses. */

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

export interface ManagedFieldsEntry {
  manager?: string
  operation?: 'Apply' | 'Update'
  apiVersion?: string
  time?: string
  fieldsType?: string
  fieldsV1?: Record<string, unknown>
  subresource?: string
}

export interface ObjectMeta {
  name?: string
  generateName?: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string | null
  deletionTimestamp?: string
  deletionGracePeriodSeconds?: number
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: OwnerReference[]
  finalizers?: string[]
  managedFields?: ManagedFieldsEntry[]
  [key: string]: unknown
}

/** A Kubernetes object as JSON. */
export interface KObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  [key: string]: unknown
}

/** A plain JSON object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A list of strings (a stored list of keys, names or ids). */
export function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string')
}

/**
 * A deep copy of a JSON value, as a JSON round trip would make it (undefined object members left
 * out, undefined array items as null) but about seven times faster: objects are copied on every
 * write, so this is a hot path.
 */
export function clone<T>(v: T): T {
  return copyJson(v) as T
}

/**
 * clone(v), and whether the copy holds no null anywhere (then the schema pass need not look for
 * null fields to drop: see validateObject's `nullFree`).
 */
export function cloneNullFree<T>(v: T): { copy: T; nullFree: boolean; emptyFree: boolean; bigFree: boolean } {
  nulls = 0
  empties = 0
  bigs = 0
  const copy = copyJson(v) as T
  return { copy, nullFree: nulls === 0, emptyFree: empties === 0, bigFree: bigs === 0 }
}

/** Numbers beyond the int32 range copyJson copied since cloneNullFree reset it. */
let bigs = 0

/** Nulls copyJson wrote since cloneNullFree reset it. */
let nulls = 0
/** Empty objects and lists copyJson wrote since cloneNullFree reset it. */
let empties = 0

function copyJson(v: unknown): unknown {
  if (typeof v !== 'object') {
    if (typeof v === 'number' && (v > 2147483647 || v < -2147483648)) bigs++
    return v
  }
  if (v === null) {
    nulls++
    return v
  }
  if (Array.isArray(v)) {
    if (v.length === 0) empties++
    const out = new Array<unknown>(v.length)
    for (let i = 0; i < v.length; i++) {
      const x = v[i]
      if (x === undefined) {
        nulls++
        out[i] = null
      } else out[i] = copyJson(x)
    }
    return out
  }
  const out: Record<string, unknown> = {}
  let keys = 0
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k]
    keys++
    if (x === undefined) continue
    // A `__proto__` key (legal in JSON and YAML) stays data, never the copy's prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: copyJson(x), enumerable: true, writable: true, configurable: true })
    else out[k] = copyJson(x)
  }
  if (keys === 0) empties++
  return out
}

/**
 * A deep copy of `v` for a cache that holds `prev` (the previous version of the same object, never
 * changed once cached): parts of `v` that are `prev`'s own parts (the same references, as a status
 * write keeps the stored spec) are shared instead of copied; everything else is copied as clone does.
 * The object and its top-level sections (`metadata`, `spec`, `status`, …) are always new objects, so
 * a section's identity never tells two versions apart from a delete (whose object shares them).
 */
export function cloneSharing<T>(v: T, prev: unknown): T {
  return copySharing(v, prev, 2) as T
}

/** Copies `v`, sharing the parts that are `p`'s, except within the first `fresh` levels. */
function copySharing(v: unknown, p: unknown, fresh = 0): unknown {
  if (typeof v !== 'object' || v === null) return v
  if (v === p && fresh <= 0) return v
  if (typeof p !== 'object' || p === null) return copyJson(v)
  if (Array.isArray(v)) {
    if (!Array.isArray(p)) return copyJson(v)
    const out = new Array<unknown>(v.length)
    for (let i = 0; i < v.length; i++) out[i] = v[i] === undefined ? null : copySharing(v[i], p[i], fresh - 1)
    return out
  }
  if (Array.isArray(p)) return copyJson(v)
  const prevObj = p as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k]
    if (x === undefined) continue
    const y = Object.hasOwn(prevObj, k) ? copySharing(x, prevObj[k], fresh - 1) : copyJson(x)
    if (k === '__proto__') Object.defineProperty(out, k, { value: y, enumerable: true, writable: true, configurable: true })
    else out[k] = y
  }
  return out
}

/**
 * `{ ...src }`: a shallow copy of `src`'s own enumerable keys, in order. With copyOf and withField,
 * a copy that then sets keys `src` may lack is the same object as `{ ...src, key: value }`, but on
 * Node 20 (V8 11.3) a spread that adds a key the source lacks takes a slow path (about 1 µs for a
 * small object, several for a pod status); copying key by key and then setting is ten times cheaper.
 */
export function copyOf<T extends object>(src: T): T {
  const out: Record<string, unknown> = {}
  const from = src as Record<string, unknown>
  for (const k of Object.keys(from)) {
    // An own "__proto__" key (JSON can carry one) stays a plain property, as spread defines it.
    if (k === '__proto__') Object.defineProperty(out, k, { value: from[k], enumerable: true, writable: true, configurable: true })
    else out[k] = from[k]
  }
  return out as T
}

/** `{ ...src, [key]: value }`: a shallow copy of `src` with `key` set (in its place if present, else last). */
export function withField<T extends object, K extends string, V>(src: T, key: K, value: V): T & Record<K, V> {
  const out = copyOf(src) as Record<string, unknown>
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  else out[key] = value
  return out as T & Record<K, V>
}

/** Deep-freeze a JSON value so cached objects cannot be changed by a reader by mistake. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v)
    for (const child of Object.values(v as object)) deepFreeze(child)
  }
  return v
}

/** Deep equality of two JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined)
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined)
  if (ak.length !== bk.length) return false
  for (const k of ak) if (!jsonEqual(ao[k], bo[k])) return false
  return true
}

/**
 * Whether two values are the same JSON with no undefined anywhere in them (so that any walk over
 * them sees exactly the same thing). Cheaper than most walks, and fast when parts are shared.
 */
export function sameDefinedJson(l: unknown, r: unknown): boolean {
  if (l === r) return noUndefined(l)
  if (typeof l !== 'object' || typeof r !== 'object' || l === null || r === null) return false
  if (Array.isArray(l)) {
    if (!Array.isArray(r) || l.length !== r.length) return false
    for (let i = 0; i < l.length; i++) {
      const a = l[i]
      if (a === undefined || !sameDefinedJson(a, r[i])) return false
    }
    return true
  }
  if (Array.isArray(r)) return false
  const lo = l as Record<string, unknown>
  const ro = r as Record<string, unknown>
  let n = 0
  for (const k in lo) {
    const a = lo[k]
    if (a === undefined || !Object.hasOwn(ro, k)) return false
    const b = ro[k]
    if (b === undefined || !sameDefinedJson(a, b)) return false
    n++
  }
  for (const _ in ro) n--
  return n === 0
}

/** Whether a JSON value holds no undefined anywhere in it. */
export function noUndefined(v: unknown): boolean {
  if (v === undefined) return false
  if (typeof v !== 'object' || v === null) return true
  if (Array.isArray(v)) {
    for (const x of v) if (!noUndefined(x)) return false
    return true
  }
  for (const k in v) if (!noUndefined((v as Record<string, unknown>)[k])) return false
  return true
}

/** `namespace/name`, or `name` for a cluster-scoped object. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name
}
