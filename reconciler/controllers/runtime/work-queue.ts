/**
 * The work queue of one controller, with client-go's workqueue semantics: string keys, FIFO, a key
 * queued twice is queued once, and a key is never handed out while it is being processed — a key
 * added during processing is queued again when `done` is called. On top of that, delayed adds on
 * the controller's Clock (`addAfter`, keeping the earliest due time per key) and rate-limited adds
 * (`addRateLimited`, the per-key exponential backoff of rate-limiter.ts).
 */
import { RateLimiter, type RateLimiterOptions } from './rate-limiter.js'
import type { Clock } from './types.js'

/** A key waiting for its time. */
export interface DelayedKey {
  key: string
  at: Date
}

interface Waiting {
  at: number
  cancel: () => void
}

/** One controller's queue of request keys. */
export class WorkQueue {
  /** Keys ready to hand out, in order. `head` indexes the next one (cheap FIFO without shift()). */
  private queue: string[] = []
  private head = 0
  /** Keys that need processing: queued, or re-added while being processed. */
  private readonly dirty = new Set<string>()
  private readonly processing = new Set<string>()
  private readonly waiting = new Map<string, Waiting>()
  /** No waiting key is due before this time (a lower bound: promoteDue skips its scan until then). */
  private earliest = Infinity
  private readonly limiter: RateLimiter
  private wakers: Array<() => void> = []
  private shuttingDown = false

  constructor(
    private readonly clock: Clock,
    rateLimit: RateLimiterOptions = {},
  ) {
    this.limiter = new RateLimiter(rateLimit)
  }

  /** Queues `key` unless it is already queued; a key being processed is queued again once done. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return
    this.dirty.add(key)
    if (this.processing.has(key)) return
    this.queue.push(key)
    this.wake()
  }

  /**
   * Queues `key` after `ms` on the clock (at once when `ms` ≤ 0). A key already waiting keeps the
   * earlier of its two due times.
   */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return
    if (!(ms > 0)) {
      this.add(key)
      return
    }
    const at = this.clock.now().getTime() + ms
    const existing = this.waiting.get(key)
    if (existing) {
      if (existing.at <= at) return
      existing.cancel()
    }
    const entry: Waiting = { at, cancel: () => {} }
    this.waiting.set(key, entry)
    if (at < this.earliest) this.earliest = at
    entry.cancel = this.clock.at(new Date(at), () => {
      if (this.waiting.get(key) === entry) this.waiting.delete(key)
      this.add(key)
    })
  }

  /** Queues `key` after its backoff: one more failure for the rate limiter. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.limiter.when(key, this.clock.now().getTime()))
  }

  /** Clears `key`'s failure count (after a successful reconcile). */
  forget(key: string): void {
    this.limiter.forget(key)
  }

  /** How many times in a row `key` has been rate-limited. */
  numRequeues(key: string): number {
    return this.limiter.numRequeues(key)
  }

  /** The next key to process (now marked as processing), or undefined when none is ready. */
  get(): string | undefined {
    if (this.head >= this.queue.length) return undefined
    const key = this.queue[this.head++]
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    this.processing.add(key)
    this.dirty.delete(key)
    return key
  }

  /** Marks `key` processed; if it was added meanwhile, it goes to the back of the queue. */
  done(key: string): void {
    this.processing.delete(key)
    if (this.dirty.has(key)) {
      this.queue.push(key)
      this.wake()
    }
  }

  /** How many keys are ready to hand out. */
  len(): number {
    return this.queue.length - this.head
  }

  /** The keys ready to hand out, in order. */
  queued(): string[] {
    return this.queue.slice(this.head)
  }

  /** The keys waiting for a time, earliest first (ties by key). */
  delayed(): DelayedKey[] {
    return [...this.waiting]
      .sort(([ka, a], [kb, b]) => a.at - b.at || (ka < kb ? -1 : ka > kb ? 1 : 0))
      .map(([key, w]) => ({ key, at: new Date(w.at) }))
  }

  /** Queues at once every waiting key whose time has come (for clocks whose timers run late). */
  promoteDue(): void {
    if (this.waiting.size === 0) return
    const now = this.clock.now().getTime()
    if (now < this.earliest) return
    // Deleting the entry being visited is safe in a Map iteration; add() never touches `waiting`.
    let earliest = Infinity
    for (const [key, w] of this.waiting) {
      if (w.at > now) {
        if (w.at < earliest) earliest = w.at
        continue
      }
      w.cancel()
      this.waiting.delete(key)
      this.add(key)
    }
    this.earliest = earliest
  }

  /** Whether `key` waits for a time (a delayed or rate-limited add not yet due). */
  isWaiting(key: string): boolean {
    return this.waiting.has(key)
  }

  /** Whether `key` is being processed. */
  isProcessing(key: string): boolean {
    return this.processing.has(key)
  }

  /** Resolves when a key may be ready (or the queue shuts down): for workers with nothing to do. */
  wait(): Promise<void> {
    if (this.shuttingDown || this.len() > 0) return Promise.resolve()
    return new Promise((resolve) => this.wakers.push(resolve))
  }

  /** Whether `shutDown` has been called. */
  get isShuttingDown(): boolean {
    return this.shuttingDown
  }

  /** Stops accepting keys, cancels delayed ones and wakes every waiting worker. */
  shutDown(): void {
    this.shuttingDown = true
    for (const w of this.waiting.values()) w.cancel()
    this.waiting.clear()
    this.wake()
  }

  private wake(): void {
    if (this.wakers.length === 0) return
    const wakers = this.wakers
    this.wakers = []
    for (const w of wakers) w()
  }
}
