/**
 * One label selector requirement (`key op values`), built and checked as apimachinery's
 * labels.NewRequirement does, matched and printed as labels.Requirement does.
 */
import type { StatusCause } from '../errors.js'
import { childPath, invalid, keyPath, notSupported } from '../validation/field-error.js'
import { goStringSlice } from '../validation/go-format.js'
import { isQualifiedName, isValidLabelValue } from '../validation/names.js'

/** selection.Operator values, spelled as Kubernetes spells them. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt'

/** The operators that take values, in the order Kubernetes lists them in errors. */
export const BINARY_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt']
const ALL_OPERATORS: readonly Operator[] = [...BINARY_OPERATORS, 'exists', '!']

/** A requirement. `values` keep the order given (a parsed selector's are sorted and unique). */
export interface Requirement {
  readonly key: string
  readonly operator: Operator
  readonly values: readonly string[]
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** strconv.ParseInt(s, 10, 64), or undefined. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined
  const n = BigInt(s)
  return n < INT64_MIN || n > INT64_MAX ? undefined : n
}

/** The key's problems as one field error (messages joined by `; `), or undefined. */
export function labelKeyError(key: string, field: string | undefined): StatusCause | undefined {
  const errs = isQualifiedName(key)
  if (errs.length === 0) return undefined
  const c = invalid(field ?? '', key, errs.join('; '))
  return field === undefined ? { ...c, field: undefined } : c
}

/**
 * Check a requirement as NewRequirement does. `path` is the field path (undefined for a selector
 * string, whose errors then print `<nil>` as Go's do). Returns the requirement and its problems.
 */
export function newRequirement(
  key: string,
  operator: Operator,
  values: readonly string[],
  path?: string,
): { requirement: Requirement; errors: StatusCause[] } {
  const errors: StatusCause[] = []
  // A nil Go path still has children: errors of a pathless requirement name `key` and `values`.
  const keyErr = labelKeyError(key, childPath(path, 'key'))
  if (keyErr) errors.push(keyErr)
  const valuePath = childPath(path, 'values')
  // How the errors print the values (Go's %v of a []string), made only when one is reported.
  let printed: { raw: string } | undefined
  const goValues = (): { raw: string } => (printed ??= { raw: goStringSlice(values) })
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errors.push(invalid(valuePath, goValues(), "for 'in', 'notin' operators, values set can't be empty"))
      break
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errors.push(invalid(valuePath, goValues(), 'exact-match compatibility requires one single value'))
      break
    case 'exists':
    case '!':
      if (values.length !== 0) errors.push(invalid(valuePath, goValues(), 'values set must be empty for exists and does not exist'))
      break
    case 'gt':
    case 'lt':
      if (values.length !== 1) errors.push(invalid(valuePath, goValues(), "for 'Gt', 'Lt' operators, exactly one value is required"))
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errors.push(invalid(keyPath(valuePath, i), v, "for 'Gt', 'Lt' operators, the value must be an integer"))
        }
      })
      break
    default:
      errors.push(notSupported(childPath(path, 'operator'), String(operator), ALL_OPERATORS))
  }
  values.forEach((v, i) => {
    const errs = isValidLabelValue(v)
    if (errs.length) errors.push(invalid(keyPath(keyPath(valuePath, i), key), v, errs.join('; ')))
  })
  return { requirement: { key, operator, values: [...values] }, errors }
}

/** Whether `labels` satisfy `r` (a missing key satisfies `notin`, `!=` and `!`). */
export function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key)
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(labels[r.key])
    case 'notin':
    case '!=':
      return !has || !r.values.includes(labels[r.key])
    case 'exists':
      return has
    case '!':
      return !has
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false
      const actual = parseInt64(labels[r.key])
      const bound = parseInt64(r.values[0])
      if (actual === undefined || bound === undefined) return false
      return r.operator === 'gt' ? actual > bound : actual < bound
    }
  }
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Kubernetes' text for a requirement: `!k`, `k`, `k=v`, `k in (a,b)` (values sorted). */
export function requirementToString(r: Requirement): string {
  switch (r.operator) {
    case '!':
      return '!' + r.key
    case 'exists':
      return r.key
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${[...r.values].sort(byteOrder).join(',')})`
    case 'gt':
      return `${r.key}>${r.values.join(',')}`
    case 'lt':
      return `${r.key}<${r.values.join(',')}`
    default:
      return `${r.key}${r.operator}${r.values.length === 1 ? r.values[0] : [...r.values].sort(byteOrder).join(',')}`
  }
}
