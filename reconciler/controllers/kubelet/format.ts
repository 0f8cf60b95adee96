/** Formatting the kubelet's messages use: Go durations, and stable fake ids derived from names. */
import { hash } from 'node:crypto'

/**
 * A duration as Go's time.Duration.String() prints it, from milliseconds: 0 → "0s", 1 → "1ms",
 * 1200 → "1.2s", 63000 → "1m3s", 3723000 → "1h2m3s".
 */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s'
  const neg = ms < 0
  let rest = Math.abs(Math.round(ms))
  if (rest < 1000) return `${neg ? '-' : ''}${rest}ms`
  const h = Math.floor(rest / 3_600_000)
  rest -= h * 3_600_000
  const m = Math.floor(rest / 60_000)
  rest -= m * 60_000
  const s = rest / 1000
  const secs = Number.isInteger(s) ? String(s) : s.toFixed(3).replace(/0+$/, '')
  let out = ''
  if (h) out += `${h}h`
  if (h || m) out += `${m}m`
  return `${neg ? '-' : ''}${out}${secs}s`
}

/** 64 hex characters derived from the parts (container and image ids that stay the same across runs). */
export function stableHex(...parts: string[]): string {
  // One-shot hash: the same digest as createHash().update().digest(), without the Hash object.
  return hash('sha256', parts.join('\u0000'), 'hex')
}

/** A stable unsigned 32-bit hash of a string (FNV-1a). */
export { stableHash as fnv1a } from '../../storage/stable-hash.js'
