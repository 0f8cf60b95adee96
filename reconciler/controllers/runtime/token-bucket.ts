/**
 * A token bucket as golang.org/x/time/rate's Limiter keeps one: `burst` tokens, refilled at `perSecond`,
 * full at first use. Time is passed in (milliseconds), so the bucket runs on any Clock.
 * Used by the work queue's overall retry limit (10/s, burst 100) and the event spam filter
 * (1 per 5 minutes, burst 25).
 */
export class TokenBucket {
  private tokens: number
  private last: number | undefined

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst
  }

  /** The tokens at `now`: what was left plus the refill since the last take, capped at burst. */
  private available(now: number): number {
    if (this.last === undefined) return this.burst
    const elapsed = Math.max(0, now - this.last)
    return Math.min(this.burst, this.tokens + (elapsed / 1000) * this.perSecond)
  }

  /**
   * Takes a token whether or not one is there (rate.Limiter.Reserve) and returns how long, in ms,
   * the taker must wait for it: 0 while tokens remain. Example at 10/s, burst 100: the 101st
   * reservation at one instant waits 100 ms, the 102nd 200 ms.
   */
  reserve(now: number): number {
    const tokens = this.available(now) - 1
    this.tokens = tokens
    this.last = now
    return tokens < 0 ? (-tokens / this.perSecond) * 1000 : 0
  }

  /** Takes a token only if one is there now (rate.Limiter.Allow). */
  tryTake(now: number): boolean {
    const tokens = this.available(now)
    if (tokens < 1) return false
    this.tokens = tokens - 1
    this.last = now
    return true
  }
}
