/**
 * Validation of a write, in kube-apiserver's order: the schema (field names, types, required fields,
 * enums), then metadata, then the kind's own rules. Unknown fields are handled first, by the
 * request's fieldValidation: an error (Strict), a warning (Warn), or silently dropped (Ignore).
 */
import { badRequest, type ApiError, type StatusCause } from './errors.js'
import type { KindInfo } from './kinds.js'
import { isPlainObject, sameDefinedJson, type KObject } from './object.js'
import { loadKindSchema, validateObject } from './schema/index.js'
import { validateKind, validateStatusUpdate } from './validation/kinds/index.js'
import { validateObjectMeta } from './validation/object-meta.js'
import { isKnownValidPodSpec, rememberValidPodSpec } from './validation/valid-specs.js'

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore'

/** Splits `a.b[0].c` and `metadata.labels[app]` into segments. */
function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = []
  const re = /([^.[\]]+)|\[([^\]]*)\]/g
  let m: RegExpExecArray | null
  while ((m = re.exec(path))) {
    if (m[1] !== undefined) out.push(m[1])
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2])
  }
  return out
}

function deleteAt(obj: unknown, path: string): void {
  const segs = pathSegments(path)
  let cur: unknown = obj
  for (let i = 0; i < segs.length - 1; i++) {
    cur = isPlainObject(cur) ? cur[segs[i] as string] : Array.isArray(cur) ? cur[segs[i] as number] : undefined
    if (cur === undefined) return
  }
  const last = segs[segs.length - 1]
  if (isPlainObject(cur)) delete cur[last as string]
}

/** kube-apiserver's 400 for unknown fields under fieldValidation=Strict, one cause per field. */
export function strictDecodingError(k: KindInfo, unknown: StatusCause[]): ApiError {
  const list = unknown.map((c) => `unknown field "${c.field}"`).join(', ')
  return badRequest(`${k.kind} in version "${k.version}" cannot be handled as a ${k.kind}: strict decoding error: ${list}`, unknown)
}

/**
 * Finds fields the schema does not know. Strict: a BadRequest naming every one (kube-apiserver's
 * "strict decoding error"); Warn: a warning each, and the fields dropped; Ignore: dropped.
 */
export function checkUnknownFields(k: KindInfo, obj: KObject, mode: FieldValidation, warnings?: string[]): void {
  const unknown = validateObject(k.kind, obj).filter((c) => c.reason === 'UnknownField')
  if (!unknown.length) return
  if (mode === 'Strict') throw strictDecodingError(k, unknown)
  for (const c of unknown) {
    if (mode === 'Warn') warnings?.push(`unknown field "${c.field}"`)
    if (c.field) deleteAt(obj, c.field)
  }
}

/**
 * Every problem with an object about to be stored (`old` set on update). Unknown fields left in the
 * object (under Strict, checkUnknownFields is not run beforehand) are the strict decoding error.
 */
export function checkObject(
  k: KindInfo,
  obj: KObject,
  old: KObject | undefined,
  o: { statusOnly?: boolean; schemaChecked?: boolean; nullFree?: boolean } = {},
): StatusCause[] {
  // schemaChecked: the caller established that the schema pass finds nothing (see event-create.ts).
  // nullFree: the caller knows the object holds no null (see cloneNullFree).
  // A new pod whose spec is exactly one found valid before (its ReplicaSet's template): the spec
  // is left out of the schema pass and ValidatePodSpec is not run again (valid-specs.ts).
  const podCreate = !old && k.kind === 'Pod'
  const specKnown = podCreate && !o.schemaChecked && Object.hasOwn(obj, 'spec') && isKnownValidPodSpec(obj.spec)
  const causes = o.schemaChecked ? [] : schemaCauses(k, obj, old, specKnown, o.nullFree)
  const unknown = causes.length ? causes.filter((c) => c.reason === 'UnknownField') : causes
  if (unknown.length) throw strictDecodingError(k, unknown)
  causes.push(
    ...validateObjectMeta(obj.metadata, {
      namespaced: k.namespaced,
      nameValidator: k.nameRule,
      builtinFinalizers: !k.group.endsWith('capstan.dev'),
      old: old?.metadata,
    }),
  )
  if (old) causes.push(...immutableMeta(obj, old))
  // A status write leaves the spec as stored (and validated): the kind's spec rules need not run
  // again; kube-apiserver's status strategies validate the status alone (its status rules, after
  // the schema's checks of the status).
  if (!causes.length && !specKnown) causes.push(...(!o.statusOnly ? validateKind(obj, old) : old ? validateStatusUpdate(obj, old) : []))
  if (podCreate && !specKnown && !o.schemaChecked && !causes.length) rememberValidPodSpec(obj.spec)
  return causes
}

/**
 * The schema pass: over what an update changed, or over a new pod without its known valid spec
 * (the Pod schema has no rule across its top-level fields, and none of them is required). Any
 * problem found that way is worked out again over the whole object, so causes and their paths
 * are the full pass's own.
 */
function schemaCauses(k: KindInfo, obj: KObject, old: KObject | undefined, specKnown: boolean, nullFree?: boolean): StatusCause[] {
  if (old) return validateObject(k.kind, withoutUnchangedParts(k, obj, old), nullFree)
  if (!specKnown) return validateObject(k.kind, obj, nullFree)
  const causes = validateObject(k.kind, without(obj, 'spec'), nullFree)
  return causes.length ? validateObject(k.kind, obj, nullFree) : causes
}

/** A shallow copy of `obj` without `key`, in the object's own key order. */
function without(obj: KObject, key: string): KObject {
  const out: Record<string, unknown> = {}
  for (const kk in obj) if (Object.hasOwn(obj, kk) && kk !== key) put(out, kk, obj[kk])
  return out as KObject
}

/** Top-level fields each kind's schema requires (kept even when unchanged, so "required" is judged as before). */
const requiredByKind = new Map<string, ReadonlySet<string>>()

function requiredTopLevel(kind: string): ReadonlySet<string> {
  let r = requiredByKind.get(kind)
  if (!r) requiredByKind.set(kind, (r = new Set(loadKindSchema(kind).required ?? [])))
  return r
}

/**
 * The object without the parts an update left exactly as stored (a status write's spec, an update's
 * untouched status, the metadata fields it did not change): the stored object passed the same
 * schema when it was written, so the schema pass checks only what the write changed —
 * kube-apiserver's ratcheting of unchanged fields is the precedent (and for the built-in kinds its
 * "schema" is the Go types, which a stored object decodes into by construction). Top-level
 * sections go whole or not at all, except metadata, whose fields are checked one by one: ObjectMeta's
 * schema has no rule across its fields (nothing required, no dependencies). Type meta is always checked.
 */
function withoutUnchangedParts(k: KindInfo, obj: KObject, old: KObject): KObject {
  const required = requiredTopLevel(k.kind)
  // The parts to check, in the object's own key order, built up (deleting keys from a copy is
  // slower, and leaves the copy in V8's dictionary mode); `obj` itself when nothing is left out.
  const out: Record<string, unknown> = {}
  let dropped = false
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue
    const v = obj[key]
    if (key === 'apiVersion' || key === 'kind' || required.has(key)) {
      put(out, key, v)
      continue
    }
    if (key === 'metadata') {
      const meta = changedMetadata(v, old.metadata)
      if (meta !== v) dropped = true
      out[key] = meta
      continue
    }
    // The same reference is the stored value itself (read from the store or its cache: no undefined in it).
    if (v === undefined || !Object.hasOwn(old, key) || (v !== old[key] && !sameDefinedJson(v, old[key]))) {
      put(out, key, v)
      continue
    }
    dropped = true
  }
  return dropped ? (out as KObject) : obj
}

/** Sets a member; a `__proto__` key (legal in JSON) stays data, never the object's prototype. */
function put(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true })
  else o[key] = v
}

/** `meta` without the fields that are the stored metadata's (by reference, or the same defined JSON). */
function changedMetadata(meta: unknown, oldMeta: unknown): unknown {
  if (!isPlainObject(meta) || !isPlainObject(oldMeta)) return meta
  const out: Record<string, unknown> = {}
  let dropped = false
  for (const key in meta) {
    if (!Object.hasOwn(meta, key)) continue
    const v = meta[key]
    // managedFields: rewritten by almost every write, and comparing would walk every shared entry.
    if (v === undefined || key === 'managedFields' || !Object.hasOwn(oldMeta, key) || (v !== oldMeta[key] && !sameDefinedJson(v, oldMeta[key]))) {
      put(out, key, v)
      continue
    }
    dropped = true
  }
  return dropped ? out : meta
}

/** Name, namespace and uid never change on update. */
function immutableMeta(obj: KObject, old: KObject): StatusCause[] {
  const out: StatusCause[] = []
  for (const f of ['name', 'namespace', 'uid'] as const) {
    const a = obj.metadata[f]
    const b = old.metadata[f]
    if (a !== b) out.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(a ?? '')}: field is immutable`, field: `metadata.${f}` })
  }
  return out
}
