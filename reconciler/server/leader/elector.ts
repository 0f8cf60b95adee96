/**
 * The leader elector of `capstan serve --ha`, after client-go's leaderelection.LeaderElector:
 * candidates try to acquire a lease-guarded key every retry period (jittered); the holder renews
 * its lease every renew period and stops leading, for good, when a renewal says the lease or the
 * key is gone, or when none succeeded for the renew deadline. Unlike client-go's Lease object,
 * expiry is the store's (etcd deletes the key when its lease runs out), so no replica compares
 * clocks: a candidate acquires only a key that does not exist.
 *
 * An elector that lost leadership does not campaign again: what it led may still be running, so
 * the process is expected to exit and come back as a follower (see `onStoppedLeading`).
 */
import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'
import { DEFAULT_TIMING, JITTER_FACTOR, LEADER_KEY, timingProblems, type ElectionTiming, type LeaderRecord, type LeaseStore, type LostReason } from './types.js'

/** One structured log line. */
export type ElectionLog = (line: Record<string, unknown>) => void

/** Options of a LeaderElector. */
export interface ElectorOptions {
  store: LeaseStore
  /** This replica's identity (default: `newIdentity()`). */
  identity?: string
  /** The key to hold (default LEADER_KEY). */
  key?: string
  /** This replica's API URL, recorded while it leads. */
  url?: string
  timing?: Partial<ElectionTiming>
  log?: ElectionLog
  /** Called once this replica leads (after the `leader-elected` line). */
  onStartedLeading?: (record: LeaderRecord) => void
  /** Called once when it stops leading for a reason other than `stop()` (after the `leader-lost` line). */
  onStoppedLeading?: (reason: LostReason) => void
}

/** Where an elector is. */
export type ElectorState = 'idle' | 'candidate' | 'leader' | 'lost' | 'stopped'

/** How soon a failed renewal is tried again. */
const RENEW_RETRY_MS = 200

/** A replica identity in client-go's style: `<hostname>_<pid>_<8 hex>`. */
export function newIdentity(): string {
  return `${hostname()}_${process.pid}_${randomUUID().slice(0, 8)}`
}

/** client-go's wait.Jitter: `d` plus up to `factor` × `d`. */
function jittered(d: number): number {
  return d + Math.random() * JITTER_FACTOR * d
}

/** Runs one replica's side of the election (see the file comment). */
export class LeaderElector {
  readonly identity: string
  readonly key: string
  readonly timing: ElectionTiming
  private stateNow: ElectorState = 'idle'
  private leaseId: string | undefined
  /** A lease granted for an acquire still unanswered (its answer may have been lost). */
  private pendingLease: string | undefined
  private recordNow: LeaderRecord | undefined
  /** When the last successful renewal (or the grant) was sent: the lease lives at least leaseMs past it. */
  private renewedAt = 0
  private loop: NodeJS.Timeout | undefined
  private watchdog: NodeJS.Timeout | undefined
  private observed: string | undefined
  private lastError: string | undefined
  private readonly log: ElectionLog

  constructor(private readonly o: ElectorOptions) {
    this.identity = o.identity ?? newIdentity()
    this.key = o.key ?? LEADER_KEY
    this.timing = { ...DEFAULT_TIMING, ...o.timing }
    const problems = timingProblems(this.timing)
    if (problems.length) throw new RangeError(`invalid leader election timing: ${problems.join('; ')}`)
    this.log = o.log ?? (() => {})
  }

  /** Where the elector is now. */
  get state(): ElectorState {
    return this.stateNow
  }

  /** True while this replica leads. */
  get leading(): boolean {
    return this.stateNow === 'leader'
  }

  /** This replica's record while it leads. */
  get record(): LeaderRecord | undefined {
    return this.stateNow === 'leader' ? this.recordNow : undefined
  }

  /** Starts campaigning (at once, then every retry period). */
  start(): void {
    if (this.stateNow !== 'idle') return
    this.stateNow = 'candidate'
    this.schedule(() => this.tryAcquire(), 0)
  }

  /** The current leader as the store says (undefined when nobody leads). */
  async current(): Promise<LeaderRecord | undefined> {
    return (await this.o.store.read(this.key))?.record
  }

  /**
   * Stops campaigning; a leader releases its lease (revoked, so a follower takes over within one
   * retry period instead of a lease TTL). Call it once the work it led has stopped.
   */
  async stop(): Promise<void> {
    const was = this.stateNow
    if (was === 'stopped') return
    this.stateNow = 'stopped'
    this.clearTimers()
    if (was === 'leader' && this.leaseId !== undefined) {
      const released = await withTimeout(this.o.store.revoke(this.leaseId), 2000).then(() => true, () => false)
      this.log({ level: 'info', msg: 'leader released', event: 'leader-released', holder: this.identity, since: this.recordNow?.since, released })
    }
  }

  private async tryAcquire(): Promise<void> {
    if (this.stateNow !== 'candidate') return
    try {
      const sentAt = Date.now()
      const held = await this.o.store.read(this.key)
      if (held) {
        // Our own key under the lease we still hold: an earlier acquire committed but its answer
        // was lost. Lead on it rather than wait for it to expire.
        if (held.record.holder === this.identity && this.pendingLease !== undefined && held.leaseId === this.pendingLease) {
          const lease = this.pendingLease
          this.pendingLease = undefined
          this.lastError = undefined
          return this.becomeLeader(lease, held.record, sentAt)
        }
        this.dropPendingLease()
        return this.observe(held.record)
      }
      this.dropPendingLease()
      const lease = await this.o.store.grant(this.timing.leaseMs)
      this.pendingLease = lease
      if (this.stateNow !== 'candidate') return void this.o.store.revoke(lease).catch(() => {})
      const record: LeaderRecord = { holder: this.identity, since: new Date().toISOString(), ...(this.o.url ? { url: this.o.url } : {}) }
      const res = await this.o.store.acquire(this.key, record, lease)
      if (this.stateNow !== 'candidate' || !res.acquired) {
        // Not ours (or no longer wanted): the unused lease goes, so nothing it guards can linger.
        this.pendingLease = undefined
        void this.o.store.revoke(lease).catch(() => {})
        if (!res.acquired && res.current) this.observe(res.current.record)
        return
      }
      this.pendingLease = undefined
      this.lastError = undefined
      this.becomeLeader(lease, record, sentAt)
    } catch (err) {
      this.reportError('leader election attempt failed', err)
    } finally {
      if (this.stateNow === 'candidate') this.schedule(() => this.tryAcquire(), jittered(this.timing.retryPeriodMs))
    }
  }

  /** Revokes a lease granted for an acquire whose answer never came (it guards nothing of ours). */
  private dropPendingLease(): void {
    if (this.pendingLease === undefined) return
    void this.o.store.revoke(this.pendingLease).catch(() => {})
    this.pendingLease = undefined
  }

  private becomeLeader(lease: string, record: LeaderRecord, renewedAt: number): void {
    this.stateNow = 'leader'
    this.leaseId = lease
    this.recordNow = record
    this.observed = record.holder
    this.renewed(renewedAt)
    this.log({ level: 'info', msg: 'leader elected', event: 'leader-elected', holder: record.holder, since: record.since, url: record.url, lease })
    this.schedule(() => this.renew(), this.timing.renewPeriodMs)
    this.o.onStartedLeading?.(record)
  }

  /** One renewal: a keep-alive, then a read that the key is still held by this lease. */
  private async renew(): Promise<void> {
    if (this.stateNow !== 'leader') return
    const lease = this.leaseId!
    const sentAt = Date.now()
    let next = this.timing.renewPeriodMs
    try {
      const alive = await this.o.store.keepAlive(lease)
      if (this.stateNow !== 'leader') return
      if (!alive) return this.lose('LeaseExpired')
      const held = await this.o.store.read(this.key)
      if (this.stateNow !== 'leader') return
      if (!held) return this.lose('KeyGone')
      if (held.leaseId !== lease) return this.lose('KeyTaken')
      this.lastError = undefined
      this.renewed(sentAt)
    } catch (err) {
      // Transient (a member down: the next call goes to another): retry soon; the watchdog decides
      // when too long has passed without a renewal, as client-go retries until its RenewDeadline.
      this.reportError('leader renewal failed', err)
      next = Math.min(this.timing.renewPeriodMs, RENEW_RETRY_MS)
    } finally {
      if (this.stateNow === 'leader') this.schedule(() => this.renew(), next)
    }
  }

  /** Records a renewal sent at `at` and re-arms the renew deadline from it. */
  private renewed(at: number): void {
    if (at > this.renewedAt) this.renewedAt = at
    clearTimeout(this.watchdog)
    const left = this.renewedAt + this.timing.renewDeadlineMs - Date.now()
    this.watchdog = setTimeout(() => this.lose('RenewDeadlineExceeded'), Math.max(0, left))
    this.watchdog.unref()
  }

  private lose(reason: LostReason): void {
    if (this.stateNow !== 'leader') return
    this.stateNow = 'lost'
    this.clearTimers()
    const sinceRenewMs = Date.now() - this.renewedAt
    this.log({ level: 'error', msg: 'leader lost', event: 'leader-lost', holder: this.identity, since: this.recordNow?.since, reason, lease: this.leaseId, sinceRenewMs, ...(this.lastError ? { error: this.lastError } : {}) })
    this.o.onStoppedLeading?.(reason)
  }

  /** A follower's view of who leads: one line each time the holder changes. */
  private observe(record: LeaderRecord): void {
    this.lastError = undefined
    if (record.holder === this.observed) return
    this.observed = record.holder
    this.log({ level: 'info', msg: 'leader observed', event: 'leader-observed', holder: record.holder, since: record.since, url: record.url, self: this.identity })
  }

  /** Logs an error once until it changes or a call succeeds (a down store would otherwise log every period). */
  private reportError(msg: string, err: unknown): void {
    const text = err instanceof Error ? err.message : String(err)
    if (text === this.lastError) return
    this.lastError = text
    this.log({ level: 'warn', msg, event: 'leader-election-error', state: this.stateNow, error: text })
  }

  private schedule(fn: () => Promise<void>, ms: number): void {
    clearTimeout(this.loop)
    this.loop = setTimeout(() => void fn(), ms)
    this.loop.unref()
  }

  private clearTimers(): void {
    clearTimeout(this.loop)
    clearTimeout(this.watchdog)
    this.loop = undefined
    this.watchdog = undefined
  }
}

/** `p`, or a rejection after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined
  return Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)))]).finally(() => clearTimeout(t))
}
