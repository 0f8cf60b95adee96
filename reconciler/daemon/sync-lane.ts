/**
 * One lane for everything that writes from git: syncs and drift checks run one at a time, in order.
 * Sync triggers coalesce: while a sync waits its turn, newer triggers replace it (the sync resolves
 * the ref when it starts, so the newest commit wins); a trigger during a running sync queues
 * exactly one more, so none is lost.
 */

/** What asked for a sync. */
export interface Trigger {
  source: 'startup' | 'watch' | 'poll' | 'webhook' | 'api'
  /** The commit the trigger saw, when it knows. */
  commit?: string
}

/** What became of a sync request. */
export type Queued = 'queued' | 'coalesced' | 'closed'

/** The lane: `sync` and `drift` are the jobs it runs. */
export class SyncLane {
  private tail: Promise<void> = Promise.resolve()
  private waiting: { trigger: Trigger; merged: number } | undefined
  private driftWaiting = false
  private closed = false
  /** The job running now, if any. */
  running: 'sync' | 'drift' | undefined

  constructor(
    private readonly jobs: {
      sync: (t: Trigger, merged: number) => Promise<void>
      drift: () => Promise<void>
      onError: (job: 'sync' | 'drift', err: unknown) => void
    },
  ) {}

  /** Asks for a sync; a waiting one takes the newer trigger instead. */
  requestSync(t: Trigger): Queued {
    if (this.closed) return 'closed'
    if (this.waiting) {
      this.waiting.trigger = t
      this.waiting.merged++
      return 'coalesced'
    }
    const slot = { trigger: t, merged: 0 }
    this.waiting = slot
    this.enqueue('sync', async () => {
      this.waiting = undefined
      await this.jobs.sync(slot.trigger, slot.merged)
    })
    return 'queued'
  }

  /** Asks for a drift check (one waits at most). */
  requestDrift(): Queued {
    if (this.closed) return 'closed'
    if (this.driftWaiting) return 'coalesced'
    this.driftWaiting = true
    this.enqueue('drift', async () => {
      this.driftWaiting = false
      await this.jobs.drift()
    })
    return 'queued'
  }

  /**
   * Runs `job` in the lane, after what is queued and before what comes later (an on-demand drift
   * check, a dry-run plan); rejects with 'closed' when the lane is closed.
   */
  run<T>(kind: 'sync' | 'drift', job: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the sync lane is closed'))
    return new Promise<T>((resolve, reject) => {
      this.enqueue(
        kind,
        async () => {
          try {
            resolve(await job())
          } catch (err) {
            reject(err)
          }
        },
        () => reject(new Error('the sync lane is closed')),
      )
    })
  }

  /** Whether a sync is waiting for its turn. */
  get syncWaiting(): boolean {
    return !!this.waiting
  }

  /** Resolves when nothing runs or waits. */
  async idle(): Promise<void> {
    for (;;) {
      const t = this.tail
      await t
      if (t === this.tail) return
    }
  }

  /** Stops taking work, drops what waits, and waits up to `maxMs` for the running job; false when it did not end in time. */
  async close(maxMs: number): Promise<boolean> {
    this.closed = true
    let timer: NodeJS.Timeout | undefined
    const ended = await Promise.race([this.idle().then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), maxMs)))])
    clearTimeout(timer)
    return ended
  }

  private enqueue(kind: 'sync' | 'drift', job: () => Promise<void>, skipped?: () => void): void {
    this.tail = this.tail.then(async () => {
      if (this.closed) return skipped?.()
      this.running = kind
      try {
        await job()
      } catch (err) {
        this.jobs.onError(kind, err)
      } finally {
        this.running = undefined
      }
    })
  }
}
