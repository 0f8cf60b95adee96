/** IntOrString fields given as a count or a percentage (`maxSurge`, `maxUnavailable`). */
import type { StatusCause } from '../../errors.js'
import { regexError } from '../names.js'
import { invalid, nonNegative } from './field.js'

const percentFmt = '[0-9]+%'
const percentRe = /^[0-9]+%$/

/** `IsValidPercent`. */
export function isValidPercent(v: string): string[] {
  return percentRe.test(v)
    ? []
    : [regexError("a valid percent string must be a numeric string followed by an ending '%'", percentFmt, '1%', '93%')]
}

/** How Kubernetes prints an IntOrString (its String(): the number or the string, unquoted). */
export const intOrStringText = (v: unknown): { raw: string } => ({ raw: String(v ?? '') })

/** `ValidatePositiveIntOrPercent`: a non-negative int or a valid percentage. */
export function validatePositiveIntOrPercent(v: unknown, path: string): StatusCause[] {
  if (typeof v === 'string') return isValidPercent(v).map((msg) => invalid(path, intOrStringText(v), msg))
  if (typeof v === 'number') return nonNegative(v, path)
  return []
}

/** The percentage when `v` is a valid percent string. */
export function percentValue(v: unknown): number | undefined {
  return typeof v === 'string' && percentRe.test(v) ? Number(v.slice(0, -1)) : undefined
}

/** `getIntOrPercentValue`: the percentage, the int, or Atoi of a string (0 when it does not parse). */
export function intOrPercentValue(v: unknown): number {
  const p = percentValue(v)
  if (p !== undefined) return p
  if (typeof v === 'number') return v
  if (typeof v === 'string' && /^[+-]?[0-9]+$/.test(v)) return Number(v)
  return 0
}

/** `IsNotMoreThan100Percent`. */
export function isNotMoreThan100Percent(v: unknown, path: string): StatusCause[] {
  const p = percentValue(v)
  return p !== undefined && p > 100 ? [invalid(path, intOrStringText(v), 'must not be greater than 100%')] : []
}
