/**
 * Resource quantities as the HPA does its arithmetic on them: whole milli-units (Quantity.MilliValue,
 * rounded up), and back to the canonical DecimalSI string of resource.NewMilliQuantity
 * (`800m`, `8`, `104857600`, `2k`).
 */

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/

/**
 * The quantity's value in milli-units, rounded up as Quantity.MilliValue does (`"650m"` → 650,
 * `"8"` → 8000, `"1Mi"` → 1048576000, `"0.1"` → 100); undefined when it is not a quantity or not a
 * safe integer in milli-units.
 */
export function milliValue(input: unknown): number | undefined {
  if (typeof input === 'number' && Number.isFinite(input)) input = String(input)
  if (typeof input !== 'string') return undefined
  if (memo.has(input)) return memo.get(input)
  const v = parseMilli(input)
  if (memo.size > 10_000) memo.clear()
  memo.set(input, v)
  return v
}

/** Parsed quantities: requests and loads repeat across pods, and the HPA reads them every sync. */
const memo = new Map<string, number | undefined>()

function parseMilli(input: string): number | undefined {
  const m = QUANTITY.exec(input.trim())
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined
  const [, sign, whole, frac = '', exp, suffix = ''] = m
  // value = digits × 10^scale × 2^bin, in milli-units: scale + 3.
  let scale = -frac.length + 3
  let bin = 0n
  if (exp) scale += Number(exp.slice(1))
  else if (suffix in BINARY) bin = BigInt(BINARY[suffix])
  else scale += DECIMAL[suffix]
  const digits = BigInt((whole || '0') + frac) << bin
  let milli: bigint
  if (scale >= 0) milli = digits * 10n ** BigInt(scale)
  else {
    const div = 10n ** BigInt(-scale)
    milli = digits / div + (digits % div === 0n ? 0n : 1n)
  }
  if (sign === '-') milli = -milli
  const n = Number(milli)
  return Number.isSafeInteger(n) ? n : undefined
}

const SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E']

/**
 * resource.NewMilliQuantity(milli, DecimalSI).String(): the largest decimal suffix that keeps the
 * value whole. 800 → "800m", 8000 → "8", 104857600000 → "104857600", 2000000 → "2k", 0 → "0".
 */
export function formatMilli(milli: number): string {
  if (milli === 0) return '0'
  const sign = milli < 0 ? '-' : ''
  let v = Math.abs(Math.trunc(milli))
  if (v % 1000 !== 0) return `${sign}${v}m`
  v /= 1000
  let i = 0
  while (i < SUFFIXES.length - 1 && v % 1000 === 0) {
    v /= 1000
    i++
  }
  return `${sign}${v}${SUFFIXES[i]}`
}
