/**
 * Leader election for `capstan serve --ha`: the record a leader keeps under a lease-guarded key,
 * the store that key lives in (etcd, or a fake in tests), and the timing of the election.
 */

/** Who leads: what the leader key holds (JSON), and what GET /capstan/v1/leader answers. */
export interface LeaderRecord {
  /** The holder's identity: `<hostname>_<pid>_<random>`, as client-go's `<hostname>_<uuid>`. */
  holder: string
  /** When it started leading (RFC 3339). */
  since: string
  /** The holder's API URL, when it listens (so a client can find the leader). */
  url?: string
}

/** The leader key as read: its record and the lease guarding it. */
export interface HeldKey {
  record: LeaderRecord
  leaseId: string
}

/** What an acquire attempt found. */
export type AcquireResult = { acquired: true } | { acquired: false; current?: HeldKey }

/**
 * The store a lease-guarded key lives in. etcd's model: a lease expires `ttl` after its last
 * keep-alive reached the server, and deletes every key attached to it when it does.
 */
export interface LeaseStore {
  /** Grants a lease of `ttlMs` (etcd rounds up to whole seconds); resolves to its id. */
  grant(ttlMs: number): Promise<string>
  /** Puts `record` at `key` attached to `leaseId`, only if `key` does not exist (one transaction). */
  acquire(key: string, record: LeaderRecord, leaseId: string): Promise<AcquireResult>
  /** One keep-alive of the lease: false when the store says it has expired (or never existed). */
  keepAlive(leaseId: string): Promise<boolean>
  /** The key's record and lease, or undefined when nobody holds it. */
  read(key: string): Promise<HeldKey | undefined>
  /** Revokes a lease (its keys are deleted at once); a lease that is already gone is no error. */
  revoke(leaseId: string): Promise<void>
  close(): Promise<void>
}

/**
 * Election timing, in milliseconds. Kubernetes' client-go leaderelection has the same three knobs
 * (LeaderElectionConfig.LeaseDuration, RenewDeadline, RetryPeriod; kube-controller-manager runs
 * with 15 s, 10 s and 2 s). capstan's defaults are shorter so that a dead leader is replaced in
 * about 6 s: the lease lives 5 s, the leader renews it every 1.5 s and gives up leading when no
 * renewal succeeded for 3.5 s, candidates retry every 1 s.
 */
export interface ElectionTiming {
  /** The lease's TTL: how long after its last renewal a dead leader's key disappears. */
  leaseMs: number
  /**
   * The leader stops leading when no renewal succeeded for this long. Must be below `leaseMs`, as
   * client-go requires LeaseDuration > RenewDeadline: a leader that cannot renew stops before
   * its key can expire and another replica take over, so two never lead at once.
   */
  renewDeadlineMs: number
  /** How often the leader renews (client-go renews every RetryPeriod). */
  renewPeriodMs: number
  /** How often a candidate tries to acquire (client-go: RetryPeriod, jittered by up to 1.2×). */
  retryPeriodMs: number
}

/** capstan's election timing (see ElectionTiming). */
export const DEFAULT_TIMING: ElectionTiming = { leaseMs: 5000, renewDeadlineMs: 3500, renewPeriodMs: 1500, retryPeriodMs: 1000 }

/** client-go's JitterFactor for the acquire loop (wait.JitterUntil with 1.2). */
export const JITTER_FACTOR = 1.2

/** The etcd key the leader holds (outside /registry/, so no watch cache or controller sees it). */
export const LEADER_KEY = '/capstan/leader'

/** Why a leader stopped leading: closed set of reasons, as logged in `leader-lost` lines. */
export type LostReason =
  /** The store said the lease has expired (a keep-alive came back with TTL 0). */
  | 'LeaseExpired'
  /** The leader key is gone (deleted by hand, or the lease expired and a renewal raced it). */
  | 'KeyGone'
  /** The leader key is held by another lease. */
  | 'KeyTaken'
  /** No renewal succeeded within renewDeadlineMs (the store is unreachable or too slow). */
  | 'RenewDeadlineExceeded'

/** Checks timing the way client-go's NewLeaderElector does; returns the problems (empty when valid). */
export function timingProblems(t: ElectionTiming): string[] {
  const out: string[] = []
  if (!(t.leaseMs > t.renewDeadlineMs)) out.push('leaseMs must be greater than renewDeadlineMs')
  if (!(t.renewDeadlineMs > JITTER_FACTOR * t.renewPeriodMs)) out.push(`renewDeadlineMs must be greater than ${JITTER_FACTOR} × renewPeriodMs`)
  for (const [k, v] of Object.entries(t)) if (!(typeof v === 'number' && v > 0)) out.push(`${k} must be a positive number`)
  return out
}
