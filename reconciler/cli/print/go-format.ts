/** Go's fmt.Sprint of JSON values, as kubectl prints cells and JSONPath results. */

/**
 * Go's %v of a float64: strconv 'g' with the shortest precision, which switches to
 * exponent form when the exponent is < -4 or >= 6 ("1.2345675e+06", "1.5e-07").
 */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (n === Infinity) return '+Inf'
  if (n === -Infinity) return '-Inf'
  if (n === 0) return Object.is(n, -0) ? '-0' : '0'
  // shortest round-trip digits
  const [mant, e] = n.toExponential().split('e')
  const exponent = Number(e)
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+'
    const abs = Math.abs(exponent)
    return `${mant}e${sign}${abs < 10 ? '0' : ''}${abs}`
  }
  return String(n)
}

/**
 * A JSON number as Go holds it after decoding into unstructured content: whole numbers are
 * int64 (printed plainly), others float64.
 */
export function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString()
  return goFloat(n)
}

/** fmt.Sprint of a JSON value: maps as map[k:v ...] with sorted keys, slices as [a b], null as <nil>. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'number') return goNumber(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    return `map[${keys.map((k) => `${k}:${goSprint(o[k])}`).join(' ')}]`
  }
  return String(v)
}
