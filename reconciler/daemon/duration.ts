/** Durations as users type them: `500ms`, `30s`, `5m`, `1h` (a bare number is seconds). */

/** Milliseconds of a duration; undefined when it does not parse or is not positive. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (!m) return undefined
  const n = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h']
  return n > 0 ? Math.round(n) : undefined
}
