/**
 * A clock that moves only when told to: the clock of tests and one-shot commands, whose time is
 * persisted in the state. Timers fire in due-time order inside `advanceTo`; while a timer runs,
 * `now()` is that timer's due time (a timer set for 10:00:05 sees 10:00:05, not the target of the
 * advance), so a callback that schedules more work computes its delays from the right instant.
 */
import type { Clock } from './types.js'

interface Timer {
  due: number
  seq: number
  fn: () => void
}

/** A Clock that can be stepped: what `ControllerManager.advance` needs. */
export interface SteppableClock extends Clock {
  /** The due time of the earliest pending timer, if any. */
  nextTimer(): Date | undefined
  /** Moves time forward to `to`, firing every timer due by then in order. */
  advanceTo(to: Date): void
}

/** Virtual time: starts at `start`, moves only through `advanceTo` (or `set` when restoring a persisted time). */
export class VirtualClock implements SteppableClock {
  private current: number
  /** Pending timers, sorted by due time, then by the order they were set. */
  private timers: Timer[] = []
  private seq = 0

  constructor(start: Date) {
    this.current = start.getTime()
  }

  now(): Date {
    return new Date(this.current)
  }

  /** Calls `fn` when time reaches `at`; if it already has, calls it now (synchronously). */
  at(at: Date, fn: () => void): () => void {
    const due = at.getTime()
    if (due <= this.current) {
      fn()
      return () => {}
    }
    const timer: Timer = { due, seq: this.seq++, fn }
    this.timers.splice(this.insertionPoint(timer), 0, timer)
    return () => {
      const i = this.timers.indexOf(timer)
      if (i >= 0) this.timers.splice(i, 1)
    }
  }

  nextTimer(): Date | undefined {
    return this.timers.length > 0 ? new Date(this.timers[0].due) : undefined
  }

  /** How many timers are pending. */
  pendingTimers(): number {
    return this.timers.length
  }

  /**
   * Fires every timer due at or before `to`, earliest first (ties in the order they were set), each
   * seeing `now()` equal to its own due time; timers they set that fall due by `to` fire too. Ends
   * with `now()` equal to `to`. Moving backwards is a RangeError.
   */
  advanceTo(to: Date): void {
    const target = to.getTime()
    if (Number.isNaN(target)) throw new RangeError('advanceTo: invalid date')
    if (target < this.current) {
      throw new RangeError(`advanceTo: ${to.toISOString()} is before the clock's time ${this.now().toISOString()}`)
    }
    while (this.timers.length > 0 && this.timers[0].due <= target) {
      const timer = this.timers.shift() as Timer
      this.current = timer.due
      timer.fn()
    }
    this.current = target
  }

  /** Moves forward by `ms` (`advanceTo(now + ms)`). */
  advance(ms: number): void {
    this.advanceTo(new Date(this.current + ms))
  }

  /**
   * Sets the time without firing timers, in either direction: for restoring a persisted time before
   * anything is scheduled. Timers already due at the new time fire at the next `advanceTo`.
   */
  set(to: Date): void {
    const t = to.getTime()
    if (Number.isNaN(t)) throw new RangeError('set: invalid date')
    this.current = t
  }

  /** Where a timer goes in the sorted list: after every timer due no later than it. */
  private insertionPoint(t: Timer): number {
    let lo = 0
    let hi = this.timers.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.timers[mid].due <= t.due) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** Whether a clock can be stepped (a VirtualClock or another SteppableClock). */
export function isSteppable(clock: Clock): clock is SteppableClock {
  const c = clock as Partial<SteppableClock>
  return typeof c.nextTimer === 'function' && typeof c.advanceTo === 'function'
}
