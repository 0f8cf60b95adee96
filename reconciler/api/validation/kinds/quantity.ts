/**
 * Kubernetes resource quantities (`100m`, `1.5`, `2Gi`, `1e3`, `1k`), parsed to a plain number in
 * base units: cores for cpu, bytes for memory. The grammar is resource.Quantity's:
 * `[sign] digits[.digits] [suffix]`, suffix one of the binary SI (`Ki`…`Ei`), decimal SI
 * (`n u m k M G T P E`) or an exponent (`e3`, `E-2`).
 */

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 }
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 }

const quantityRe = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/

/** The message kube-apiserver gives for a string that is not a quantity. */
export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

/** The quantity's value in base units (`"500m"` → 0.5, `"2Gi"` → 2147483648), or undefined if it is not one. */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined
  if (typeof q !== 'string') return undefined
  const m = quantityRe.exec(q)
  if (!m) return undefined
  const n = Number(m[1])
  const suffix = m[2] ?? ''
  if (suffix in binary) return n * binary[suffix]
  if (suffix in decimal) return n * decimal[suffix]
  return n * 10 ** Number(suffix.slice(1))
}

/** True when `q` parses as a quantity. */
export function isQuantity(q: unknown): q is string | number {
  return (typeof q === 'string' || typeof q === 'number') && parseQuantity(q) !== undefined
}

/** Compares two parsed quantities with a tolerance for floating point (`0.1` vs `100m`). */
export function compareQuantities(a: number, b: number): -1 | 0 | 1 {
  const eps = Math.max(Math.abs(a), Math.abs(b)) * 1e-12
  if (Math.abs(a - b) <= eps) return 0
  return a < b ? -1 : 1
}
