/**
 * Enough of k8s.io/apimachinery's resource.Quantity for describe: parse, add, compare, Value /
 * MilliValue (rounded up) and the canonical String() ("500m", "128Mi", "1G").
 * Values are kept exactly as a count of nano-units (10^-9), which covers every suffix Kubernetes
 * accepts down to "n"; finer values round up to the nano, as Quantity does.
 */

/** How a quantity prints: from the suffix it was written with. */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent'

/** A parsed quantity. */
export type Quantity = { nano: bigint; format: QuantityFormat }

const NANO = 1_000_000_000n

const DEC_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }
const BIN_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }
const DEC_BY_EXP = new Map(Object.entries(DEC_SUFFIX).map(([k, v]) => [v, k]))
const BIN_BY_EXP = new Map(Object.entries(BIN_SUFFIX).map(([k, v]) => [v, k]))

/** The zero quantity (Go's zero value prints "0"). */
export const ZERO: Quantity = { nano: 0n, format: 'DecimalSI' }

const ceilDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b
  return a % b !== 0n && (a > 0n) === (b > 0n) ? q + 1n : q
}

/** Parse a quantity string (or a JSON number); undefined when it is not a valid quantity. */
export function parseQuantity(input: unknown): Quantity | undefined {
  if (typeof input === 'number' && Number.isFinite(input)) input = String(input)
  if (typeof input !== 'string') return undefined
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(input.trim())
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined
  const [, sign, whole, frac = '', exp, suffix = ''] = m
  let format: QuantityFormat = 'DecimalSI'
  // value = digits × 10^scale × 2^binExp
  let scale = -frac.length
  let binExp = 0
  if (exp) {
    format = 'DecimalExponent'
    scale += Number(exp.slice(1))
  } else if (suffix in BIN_SUFFIX) {
    format = 'BinarySI'
    binExp = BIN_SUFFIX[suffix]
  } else {
    scale += DEC_SUFFIX[suffix]
  }
  const num = BigInt((whole || '0') + frac) * (1n << BigInt(binExp))
  // To nano-units, rounding up away from zero as Quantity does below its precision.
  const shift = scale + 9
  let nano = shift >= 0 ? num * 10n ** BigInt(shift) : ceilDiv(num, 10n ** BigInt(-shift))
  if (sign === '-') nano = -nano
  return { nano, format }
}

/** Parse, or the zero quantity when missing or invalid (what a map lookup of a missing key gives). */
export function quantityOf(input: unknown): Quantity {
  return parseQuantity(input) ?? ZERO
}

/** Quantity.Add: the sum keeps the left operand's format unless the left one is zero. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano + b.nano, format: a.nano === 0n ? b.format : a.format }
}

/** Quantity.Cmp: -1, 0 or 1. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0
}

/** Quantity.Value(): whole units, rounded up. */
export function quantityValue(q: Quantity): bigint {
  return ceilDiv(q.nano, NANO)
}

/** Quantity.MilliValue(): thousandths, rounded up. */
export function quantityMilliValue(q: Quantity): bigint {
  return ceilDiv(q.nano, 1_000_000n)
}

/** Remove factors of `base` from a non-zero value (removeInt64Factors). */
function removeFactors(value: bigint, base: bigint): [bigint, number] {
  const neg = value < 0n
  let v = neg ? -value : value
  let times = 0
  while (v >= base && v % base === 0n) {
    v /= base
    times++
  }
  return [neg ? -v : v, times]
}

/** Quantity.String(): the canonical form for the quantity's format. */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0'
  let format = q.format
  if (format === 'BinarySI') {
    // Small values and values with a fraction print in decimal rather than rounding.
    if ((q.nano > -1024n * NANO && q.nano < 1024n * NANO) || q.nano % NANO !== 0n) format = 'DecimalSI'
  }
  if (format === 'BinarySI') {
    const [amount, times] = removeFactors(q.nano / NANO, 1024n)
    return `${amount}${BIN_BY_EXP.get(times * 10) ?? ''}`
  }
  let [amount, exponent] = removeFactors(q.nano, 10n)
  exponent -= 9
  // Make the exponent a multiple of three: 1.1e5 → "110" with exponent 3.
  switch (exponent % 3) {
    case 1:
    case -2:
      amount *= 10n
      exponent -= 1
      break
    case 2:
    case -1:
      amount *= 100n
      exponent -= 2
      break
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${amount}` : `${amount}e${exponent}`
  return `${amount}${DEC_BY_EXP.get(exponent) ?? ''}`
}

/** The canonical string of a quantity written as a string or number; the input itself when unparsable. */
export function canonicalQuantity(input: unknown): string {
  const q = parseQuantity(input)
  if (q) return formatQuantity(q)
  return input === undefined || input === null ? '0' : String(input)
}
