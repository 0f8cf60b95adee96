/**
 * Retry delays for failed requests, as client-go's DefaultControllerRateLimiter computes them: the
 * larger of a per-key exponential backoff (5 ms, doubling per failure, capped at 1000 s) and an
 * overall token bucket (10 retries a second, burst 100) shared by every key of one queue.
 */
import { TokenBucket } from './token-bucket.js'

/** The backoff parameters; the defaults are client-go's. */
export interface RateLimiterOptions {
  baseDelayMs?: number
  maxDelayMs?: number
  /** The overall bucket's refill per second (0 turns the bucket off). */
  overallPerSecond?: number
  overallBurst?: number
}

/**
 * The exponential part: the n-th consecutive failure of a key (counting from 0) waits base·2ⁿ,
 * capped. Example with 5 ms and 1000 s: 5, 10, 20, 40 ms … the 18th failure (n = 17) would be
 * 655.36 s, the 19th 1310.72 s → capped at 1000 s.
 */
export function exponentialBackoffMs(failures: number, baseDelayMs = 5, maxDelayMs = 1_000_000): number {
  const delay = baseDelayMs * 2 ** failures
  return delay > maxDelayMs || !Number.isFinite(delay) ? maxDelayMs : delay
}

/** Per-key failure counts and the delay before each retry. */
export class RateLimiter {
  private readonly failures = new Map<string, number>()
  private readonly bucket: TokenBucket | undefined
  private readonly base: number
  private readonly max: number

  constructor({ baseDelayMs = 5, maxDelayMs = 1_000_000, overallPerSecond = 10, overallBurst = 100 }: RateLimiterOptions = {}) {
    this.base = baseDelayMs
    this.max = maxDelayMs
    this.bucket = overallPerSecond > 0 ? new TokenBucket(overallPerSecond, overallBurst) : undefined
  }

  /** Records one more failure of `key` and returns how long (ms) to wait before retrying it. */
  when(key: string, nowMs: number): number {
    const n = this.failures.get(key) ?? 0
    this.failures.set(key, n + 1)
    const exp = exponentialBackoffMs(n, this.base, this.max)
    const overall = this.bucket ? this.bucket.reserve(nowMs) : 0
    return Math.max(exp, overall)
  }

  /** How many times in a row `key` has failed. */
  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0
  }

  /** Forgets `key`'s failures (after a success), so its next failure starts again at the base delay. */
  forget(key: string): void {
    this.failures.delete(key)
  }
}
