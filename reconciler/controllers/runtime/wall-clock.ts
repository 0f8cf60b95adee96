/** The wall clock `capstan serve` runs on: Date for now, setTimeout for timers (unref'd, so they never keep the process alive). */
import type { Clock } from './types.js'

/** setTimeout's largest delay (2^31 − 1 ms, about 24.8 days); longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

/** Real time. `at` with a time already reached calls `fn` at once (synchronously), as the Clock contract says. */
export class WallClock implements Clock {
  now(): Date {
    return new Date()
  }

  at(at: Date, fn: () => void): () => void {
    let handle: NodeJS.Timeout | undefined
    let cancelled = false
    const arm = (): void => {
      const wait = at.getTime() - Date.now()
      if (wait <= 0) {
        handle = undefined
        if (!cancelled) fn()
        return
      }
      handle = setTimeout(arm, Math.min(wait, MAX_TIMEOUT_MS))
      handle.unref()
    }
    arm()
    return () => {
      cancelled = true
      if (handle) clearTimeout(handle)
    }
  }
}
