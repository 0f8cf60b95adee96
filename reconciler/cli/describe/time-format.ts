/** Go's time.RFC1123Z layout ("Mon, 02 Jan 2006 15:04:05 -0700"), which describe uses for absolute times. */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad2 = (n: number): string => String(n).padStart(2, '0')

/**
 * An RFC 3339 timestamp in RFC1123Z. A missing timestamp is Go's zero time
 * ("Mon, 01 Jan 0001 00:00:00 +0000"), which is what kubectl prints for an unset metav1.Time.
 */
export function formatRFC1123Z(ts: unknown, zone: 'UTC' | 'local' = 'UTC'): string {
  const ms = typeof ts === 'string' && ts !== '' ? Date.parse(ts) : NaN
  if (Number.isNaN(ms)) return 'Mon, 01 Jan 0001 00:00:00 +0000'
  const d = new Date(ms)
  const offsetMin = zone === 'local' ? -d.getTimezoneOffset() : 0
  const t = new Date(ms + offsetMin * 60_000)
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  return (
    `${DAYS[t.getUTCDay()]}, ${pad2(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()} ` +
    `${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())} ` +
    `${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`
  )
}
