/**
 * Ages as describe prints them: translateTimestampSince over apimachinery's HumanDuration.
 * The rule lives in cli/print/duration.ts (same upstream function); this file names it for describe.
 */
import { humanDuration, translateTimestampSince } from '../../api/table/duration.js'

/** The age of an RFC 3339 timestamp at `now` ("5m", "2d3h"); "<unknown>" when it is missing. */
export function ageSince(ts: unknown, now: Date): string {
  return translateTimestampSince(ts, now)
}

export { humanDuration }
