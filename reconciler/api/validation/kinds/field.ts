/**
 * Field-error builders for kind validation: the shared ones of ../field-error.ts, plus `notFound`,
 * path helpers and lenient readers for the JSON the validators walk.
 */
import type { StatusCause } from '../../errors.js'
import { formatBadValue, invalid, type BadValue } from '../field-error.js'

export { required, invalid, forbidden, duplicate, notSupported, tooLong, type BadValue } from '../field-error.js'

/** `Not found: <value>` (field.NotFound). */
export function notFound(field: string, value: BadValue): StatusCause {
  return { reason: 'FieldValueNotFound', message: `Not found: ${formatBadValue(value)}`, field }
}

/** `field.Path.Child`: `spec` + `replicas` → `spec.replicas`. */
export const child = (base: string, ...names: string[]): string =>
  names.reduce((p, n) => (p ? `${p}.${n}` : n), base)

/** `field.Path.Index`: `containers` + 0 → `containers[0]`. */
export const index = (base: string, i: number): string => `${base}[${i}]`

/** `field.Path.Key`: `limits` + `cpu` → `limits[cpu]`. */
export const key = (base: string, k: string): string => `${base}[${k}]`

export type Obj = Record<string, unknown>

/** The value when it is a plain object, otherwise undefined. */
export function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined
}

/** The value when it is an array, otherwise an empty one (Go's nil slice reads as empty). */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

/** The value when it is a string, otherwise '' (Go's zero value). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

/** The value when it is a number, otherwise undefined (a nil pointer). */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** A string map (labels, selectors); non-string values are left out. */
export function strMap(v: unknown): Record<string, string> | undefined {
  const o = obj(v)
  if (!o) return undefined
  const out: Record<string, string> = {}
  for (const [k, x] of Object.entries(o)) if (typeof x === 'string') out[k] = x
  return out
}

/** `ValidateNonnegativeField`: `must be greater than or equal to 0`. */
export function nonNegative(value: number | undefined, field: string): StatusCause[] {
  return value !== undefined && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : []
}
