/**
 * Field errors as apimachinery's `field.Error` builds them: `reason` is the error type, `message` is
 * its `ErrorBody()` (`Invalid value: "x": detail`), `field` the path as `field.Path.String()` writes it.
 */
import type { StatusCause } from '../errors.js'
import { goQuote, goStringSlice } from './go-format.js'

/** A value shown in an `Invalid value: …` message. `{ raw }` is text already formatted Go's way. */
export type BadValue = string | number | boolean | null | undefined | readonly string[] | { raw: string }

/** How Go prints a bad value: `%q` for strings, `%v` for numbers and bools, `null` for nil. */
export function formatBadValue(v: BadValue): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return goQuote(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return goStringSlice(v as readonly string[])
  return (v as { raw: string }).raw
}

function cause(reason: string, field: string, body: string, detail: string): StatusCause {
  return { reason, message: detail ? `${body}: ${detail}` : body, field }
}

/** `Required value[: detail]`. */
export function required(field: string, detail = ''): StatusCause {
  return cause('FieldValueRequired', field, 'Required value', detail)
}

/** `Invalid value: <value>: detail`. */
export function invalid(field: string, value: BadValue, detail: string): StatusCause {
  return cause('FieldValueInvalid', field, `Invalid value: ${formatBadValue(value)}`, detail)
}

/** `Forbidden: detail`. */
export function forbidden(field: string, detail: string): StatusCause {
  return cause('FieldValueForbidden', field, 'Forbidden', detail)
}

/** `Too long: must have at most N bytes` (field.TooLong in Kubernetes 1.32). */
export function tooLong(field: string, maxLength: number): StatusCause {
  return cause('FieldValueTooLong', field, 'Too long', `must have at most ${maxLength} bytes`)
}

/** `Duplicate value: <value>`. */
export function duplicate(field: string, value: BadValue): StatusCause {
  return cause('FieldValueDuplicate', field, `Duplicate value: ${formatBadValue(value)}`, '')
}

/** `Unsupported value: <value>: supported values: "a", "b"`. */
export function notSupported(field: string, value: BadValue, valid: readonly string[]): StatusCause {
  const detail = valid.length ? 'supported values: ' + valid.map(goQuote).join(', ') : ''
  return cause('FieldValueNotSupported', field, `Unsupported value: ${formatBadValue(value)}`, detail)
}

/** `field.Path.Key`: `data` + `key` → `data[key]`. */
export function keyPath(base: string, key: string | number): string {
  return `${base}[${key}]`
}

/** `field.Path.Child`: `metadata` + `name` → `metadata.name` (a bare child when the base is empty). */
export function childPath(base: string | undefined, name: string): string {
  return base ? `${base}.${name}` : name
}

/** A field error as Go's `Error()` prints it: `field: body` (`<nil>` for a nil path). */
export function causeToString(c: StatusCause): string {
  return `${c.field ?? '<nil>'}: ${c.message}`
}

/** `ErrorList.ToAggregate().Error()`: one error as is, several as `[a, b]`, duplicates dropped. */
export function aggregateMessage(causes: readonly StatusCause[]): string {
  const seen: string[] = []
  for (const c of causes) {
    const s = causeToString(c)
    if (!seen.includes(s)) seen.push(s)
  }
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`
}
