/**
 * Validates an object against its kind's schema and reports Kubernetes-style causes. The
 * validators are ajv standalone code compiled ahead of time (`schemas/validators.cjs`, written by
 * `npm run gen:schemas`) and loaded on first use, so start-up pays no ajv compile time.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { StatusCause } from '../errors.js'
import { schemasDir } from '../../paths.js'
import { childPath, fieldPath } from './field-path.js'
import { typeNodeFor } from './type-node-for.js'

/** The subset of ajv's ErrorObject the causes are made from. */
interface AjvError {
  instancePath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null }

let validators: Record<string, Validator> | undefined

function validatorFor(kind: string): Validator {
  validators ??= createRequire(import.meta.url)(join(schemasDir(), 'validators.cjs')) as Record<string, Validator>
  const v = Object.hasOwn(validators, kind) ? validators[kind] : undefined
  if (!v) throw new Error(`capstan: no schema for kind ${JSON.stringify(kind)}`)
  return v
}

/**
 * The field problems of `obj` as a `kind` (`Deployment`, `NodePool`, …); empty when it is valid.
 * A null field counts as absent, as Kubernetes decodes it. Throws for a kind without a schema.
 * `nullFree`: the caller knows `obj` holds no null (so there is nothing to drop).
 */
export function validateObject(kind: string, obj: unknown, nullFree = false): StatusCause[] {
  const validate = validatorFor(kind)
  const data = nullFree ? obj : withoutNullFields(obj)
  if (validate(data)) return []
  const root = typeNodeFor(kind)
  const causes: StatusCause[] = []
  const seen = new Set<string>()
  for (const err of validate.errors ?? []) {
    const at = fieldPath(err.instancePath, root, data)
    const cause = causeOf(err, at.path, at.value)
    const key = `${cause.reason}\u0000${cause.field}`
    if (seen.has(key)) continue
    seen.add(key)
    causes.push(cause)
  }
  return causes
}

function causeOf(err: AjvError, path: string, value: unknown): StatusCause {
  const p = err.params
  switch (err.keyword) {
    case 'additionalProperties': {
      // Worded as kube-apiserver's strict field validation words it.
      const field = childPath(path, String(p.additionalProperty))
      return { reason: 'UnknownField', message: `unknown field "${field}"`, field }
    }
    case 'required':
      return { reason: 'FieldValueRequired', message: 'Required value', field: childPath(path, String(p.missingProperty)) }
    case 'type':
      return {
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: ${shown(value)}: must be of type ${String(p.type).split(',').join(' or ')}`,
        field: path,
      }
    case 'enum': {
      const supported = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')
      return { reason: 'FieldValueNotSupported', message: `Unsupported value: ${shown(value)}: supported values: ${supported}`, field: path }
    }
    case 'format':
      return { reason: 'FieldValueInvalid', message: `Invalid value: ${shown(value)}: must be a valid ${String(p.format)}`, field: path }
    case 'minimum':
      return { reason: 'FieldValueInvalid', message: `Invalid value: ${shown(value)}: must be greater than or equal to ${String(p.limit)}`, field: path }
    default:
      return { reason: 'FieldValueInvalid', message: `Invalid value: ${shown(value)}: ${err.message ?? err.keyword}`, field: path }
  }
}

/** A value as Kubernetes prints it in a message: scalars as JSON, objects and lists by their type. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return '"array"'
  if (value !== null && typeof value === 'object') return '"object"'
  return JSON.stringify(value) ?? 'null'
}

/**
 * A copy of `value` without null-valued object fields (the value itself when it has none). The
 * inside of a managedFields entry's `fieldsV1` is not walked: its schema (FieldsV1) is a bare
 * object with x-kubernetes-preserve-unknown-fields, so nothing in it can make a cause, and it is
 * the biggest part of most objects.
 */
export function withoutNullFields(value: unknown): unknown {
  return stripNulls(value, false)
}

/** withoutNullFields; `entries`: `value` is a managedFields list (its items' fieldsV1 are kept as they are). */
function stripNulls(value: unknown, entries: boolean): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const v = entries ? stripEntryNulls(value[i]) : stripNulls(value[i], false)
      if (v !== value[i]) (out ??= value.slice())[i] = v
    }
    return out ?? value
  }
  if (value === null || typeof value !== 'object') return value
  let out: Record<string, unknown> | undefined
  // Own enumerable keys, as Object.entries gives them, without building the entries (a hot path).
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue
    const v = (value as Record<string, unknown>)[k]
    const w = v === null ? undefined : stripNulls(v, k === 'managedFields' && Array.isArray(v))
    if (w !== v) {
      out ??= { ...(value as Record<string, unknown>) }
      if (w === undefined) delete out[k]
      else out[k] = w
    }
  }
  return out ?? value
}

/** One managedFields item without null fields, its `fieldsV1` object kept whole. */
function stripEntryNulls(entry: unknown): unknown {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return stripNulls(entry, false)
  let out: Record<string, unknown> | undefined
  for (const k in entry) {
    if (!Object.hasOwn(entry, k)) continue
    const v = (entry as Record<string, unknown>)[k]
    const w = v === null ? undefined : k === 'fieldsV1' && typeof v === 'object' && !Array.isArray(v) ? v : stripNulls(v, false)
    if (w !== v) {
      out ??= { ...(entry as Record<string, unknown>) }
      if (w === undefined) delete out[k]
      else out[k] = w
    }
  }
  return out ?? entry
}
