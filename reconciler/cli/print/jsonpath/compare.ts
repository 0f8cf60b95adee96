/**
 * Filter comparisons as Go's text/template funcs do them (client-go's forked template
 * package): both sides must be of the same basic kind (int, float, string, bool);
 * mixing kinds is "incompatible types for comparison"; maps, lists and null are
 * "invalid type for comparison"; bools compare only for (in)equality.
 */

/** A comparison that Go's template package refuses. */
export class ComparisonError extends Error {
  override name = 'ComparisonError'
}

type Kind = 'bool' | 'int' | 'float' | 'string'

/** An operand: a JSON value, or a literal of the template with its Go kind. */
export type Operand = { value: unknown; kind?: Kind }

function basicKind(o: Operand): Kind {
  if (o.kind) return o.kind
  const v = o.value
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  throw new ComparisonError('invalid type for comparison')
}

function kinds(a: Operand, b: Operand): Kind {
  const k1 = basicKind(a)
  const k2 = basicKind(b)
  if (k1 !== k2) throw new ComparisonError('incompatible types for comparison')
  return k1
}

/** a == b */
export function equal(a: Operand, b: Operand): boolean {
  kinds(a, b)
  return a.value === b.value
}

/** a < b */
export function less(a: Operand, b: Operand): boolean {
  const k = kinds(a, b)
  if (k === 'bool') throw new ComparisonError('invalid type for comparison')
  return (a.value as number | string) < (b.value as number | string)
}

/** Applies a filter operator ("==", "!=", "<", ">", "<=", ">="). */
export function compare(op: string, a: Operand, b: Operand): boolean {
  switch (op) {
    case '==': return equal(a, b)
    case '!=': return !equal(a, b)
    case '<': return less(a, b)
    case '>': return !less(a, b) && !equal(a, b)
    case '<=': return less(a, b) || equal(a, b)
    case '>=': return !less(a, b)
  }
  throw new ComparisonError(`unrecognized filter operator ${op}`)
}
