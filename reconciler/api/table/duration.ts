/**
 * Human-readable durations exactly as k8s.io/apimachinery/pkg/util/duration prints them
 * (the AGE column of every kubectl table).
 */

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/** Go's int(d.Seconds()) etc.: truncation toward zero. */
const trunc = (n: number): number => (n < 0 ? Math.ceil(n) : Math.floor(n))

/**
 * kubectl's HumanDuration: about 2–3 significant figures.
 * Up to 2s in the future counts as "0s" (clock skew); further is "<invalid>".
 * 0–119s → "Ns"; <10m → "NmSs" (or "Nm"); <3h → "Nm"; <8h → "NhMm" (or "Nh");
 * <48h → "Nh"; <8d → "NdHh" (or "Nd"); <2y → "Nd"; <8y → "NyDd" (or "Ny"); else "Ny".
 */
export function humanDuration(ms: number): string {
  const seconds = trunc(ms / SECOND)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60 * 2) return `${seconds}s`
  const minutes = trunc(ms / MINUTE)
  if (minutes < 10) {
    const s = trunc(ms / SECOND) % 60
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`
  }
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = trunc(ms / HOUR)
  if (hours < 8) {
    const m = minutes % 60
    return m === 0 ? `${hours}h` : `${hours}h${m}m`
  }
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) {
    const h = hours % 24
    return h === 0 ? `${trunc(hours / 24)}d` : `${trunc(hours / 24)}d${h}h`
  }
  if (hours < 24 * 365 * 2) return `${trunc(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const dy = trunc(hours / 24) % 365
    const y = trunc(hours / 24 / 365)
    return dy === 0 ? `${y}y` : `${y}y${dy}d`
  }
  return `${trunc(hours / 24 / 365)}y`
}

/** kubectl's ShortHumanDuration: one unit only ("45s", "3m", "5h", "12d", "2y"). */
export function shortHumanDuration(ms: number): string {
  const seconds = trunc(ms / SECOND)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60) return `${seconds}s`
  const minutes = trunc(ms / MINUTE)
  if (minutes < 60) return `${minutes}m`
  const hours = trunc(ms / HOUR)
  if (hours < 24) return `${hours}h`
  if (hours < 24 * 365) return `${trunc(hours / 24)}d`
  return `${trunc(hours / 24 / 365)}y`
}

/**
 * translateTimestampSince: the age of an RFC 3339 timestamp at `now`,
 * "<unknown>" when the timestamp is missing or unparsable.
 */
export function translateTimestampSince(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>'
  const t = Date.parse(timestamp)
  if (Number.isNaN(t)) return '<unknown>'
  return humanDuration(now.getTime() - t)
}
