/**
 * client-go's EventCorrelator, in our words: what happens to an Event between "a component reports
 * it" and "the API stores it". Three steps, in client-go's order:
 *
 * 1. Aggregate. Events alike but for the message (same source, object, type, reason) are counted by
 *    distinct message over a rolling 10 minutes; from the 10th distinct message on, the event is
 *    replaced by one whose message is "(combined from similar events): <message>", and all further
 *    ones count up on that single combined Event.
 * 2. Dedupe. An event identical to one already recorded (same source, object, type, reason,
 *    message) does not create a new Event: it patches the recorded one with count + 1, the new
 *    lastTimestamp and the message. There is no time limit here: in Kubernetes the limit is the
 *    API server's event TTL (1 h after the last write), after which the patch finds nothing and the
 *    Event is created again.
 * 3. Filter spam. Each source + object has a token bucket of 25 events refilled at 1 per 5 minutes;
 *    an event with no token is dropped (after step 2 counted it, so the next one sent carries the
 *    full count).
 */
import { copyOf } from '../../api/object.js'
import { correlationKeys, eventKey, sameEventKeyParts, type CoreEvent, type CorrelationKeys } from './core-event.js'
import { LruCache } from './lru-cache.js'
import { TokenBucket } from './token-bucket.js'

/** The correlator's limits; the defaults are client-go's. */
export interface CorrelatorOptions {
  /** Distinct messages of similar events, within maxIntervalMs, from which they are combined (10). */
  maxEvents?: number
  /** How long since the last similar event before the count of distinct messages starts over (10 min). */
  maxIntervalMs?: number
  /** Events a source may send about one object at once (25). */
  spamBurst?: number
  /** The refill rate of that allowance, per second (1/300: one every 5 minutes). */
  spamPerSecond?: number
  /** Entries per cache (4096). */
  cacheSize?: number
}

/** The merge patch that updates a recorded Event when the same event happens again. */
export interface EventPatch {
  count: number
  lastTimestamp: string
  message?: string
}

/** What to do with an event: drop it (skip), create it, or patch the recorded one (patch set). */
export interface CorrelateResult {
  event: CoreEvent
  patch?: EventPatch
  skip: boolean
}

interface AggregateRecord {
  localKeys: Set<string>
  last: number
}

interface EventLog {
  count: number
  firstTimestamp: string | undefined
  name: string
  resourceVersion: string | undefined
}

/** The text a combined event's message starts with (client-go's EventAggregatorByReasonMessageFunc). */
export const COMBINED_PREFIX = '(combined from similar events): '

/**
 * A stored Event's correlation keys, and whether it is a combined one. A combined Event carries no
 * reporting fields (see EventCorrelator's aggregate): its keys are those of the events it combines,
 * whose reporting component and instance are the recorder's source.
 */
function storedKeys(e: CoreEvent): { combined: boolean; keys: CorrelationKeys } {
  const combined = (e.message ?? '').startsWith(COMBINED_PREFIX)
  return { combined, keys: correlationKeys(combined ? { ...e, reportingComponent: e.source?.component ?? '', reportingInstance: e.source?.host ?? '' } : e) }
}

/** One component's correlator: aggregation, dedupe and spam state across its events. */
export class EventCorrelator {
  private readonly maxEvents: number
  private readonly maxIntervalMs: number
  private readonly spamBurst: number
  private readonly spamPerSecond: number
  private readonly aggregates: LruCache<AggregateRecord>
  private readonly logs: LruCache<EventLog>
  private readonly spam: LruCache<TokenBucket>
  /** The last event observed under its own event key, and that key: updateState of its write reuses the key. */
  private observed: { event: CoreEvent; key: string } | undefined

  constructor({ maxEvents = 10, maxIntervalMs = 600_000, spamBurst = 25, spamPerSecond = 1 / 300, cacheSize = 4096 }: CorrelatorOptions = {}) {
    this.maxEvents = maxEvents
    this.maxIntervalMs = maxIntervalMs
    this.spamBurst = spamBurst
    this.spamPerSecond = spamPerSecond
    this.aggregates = new LruCache(cacheSize)
    this.logs = new LruCache(cacheSize)
    this.spam = new LruCache(cacheSize)
  }

  /**
   * Runs the three steps on a new event that happened at `now`. `nameFor(involvedName)` names a
   * combined event (`<object name>.<hex nanoseconds>`, as the recorder names events).
   */
  correlate(ev: CoreEvent, now: Date, nameFor: (involvedName: string) => string): CorrelateResult {
    const keys = correlationKeys(ev)
    const { event: aggregated, key } = this.aggregate(ev, keys, now, nameFor)
    const { event, patch } = this.observe(aggregated, key)
    // A combined event is observed under the aggregate key, not its own event key.
    this.observed = aggregated === ev ? { event, key } : undefined
    // (A combined or repeated event has the source and object of `ev`, so the same spam key.)
    if (!this.allow(keys.spam, now)) return { event, skip: true }
    return { event, patch, skip: false }
  }

  /** Records the Event as the server returned it (its name and resourceVersion) after a write. */
  updateState(written: CoreEvent): void {
    // The written Event is usually the one just observed: its key is built and hashed already.
    const o = this.observed
    const key = o !== undefined && sameEventKeyParts(written, o.event) ? o.key : eventKey(written)
    // (A get refreshes the entry as an add would; the entry is this correlator's own to change.)
    const log = this.logs.get(key)
    if (!log) {
      this.logs.add(key, { count: written.count ?? 0, firstTimestamp: written.firstTimestamp, name: written.metadata.name ?? '', resourceVersion: written.metadata.resourceVersion })
      return
    }
    log.count = written.count ?? 0
    log.firstTimestamp = written.firstTimestamp
    log.name = written.metadata.name ?? ''
    log.resourceVersion = written.metadata.resourceVersion
  }

  /**
   * Takes in Events this component recorded before the correlator existed (an earlier command's,
   * read back from the state), as though it had recorded them itself: a repeat then counts up on
   * the stored Event instead of creating another, and similar events stored within the last 10
   * minutes count toward their combination. Of two stored Events for one happening (written by
   * processes before this one looked, or after an eviction), the latest is the one counted on, as
   * the cache of the process that wrote it would hold. What it already holds is kept. The spam
   * filter's allowance is not restored: a new process starts with a full one, as a restarted
   * kube-controller-manager does.
   */
  seed(events: readonly CoreEvent[], now: Date): void {
    const t = now.getTime()
    const time = (e: CoreEvent): number => Date.parse(e.lastTimestamp ?? e.firstTimestamp ?? '') || 0
    // Latest first: the first Event seen under a key is the one kept.
    const latestFirst = [...events].sort((a, b) => time(b) - time(a))
    for (const e of latestFirst) {
      const { combined, keys } = storedKeys(e)
      // A combined Event is recorded under its aggregate key (see aggregate).
      const key = combined ? keys.aggregate : keys.event
      if (!this.logs.get(key)) this.logs.add(key, { count: e.count ?? 0, firstTimestamp: e.firstTimestamp, name: e.metadata.name ?? '', resourceVersion: e.metadata.resourceVersion })
    }
    // The distinct messages oldest first, as they came (aggregate drops the oldest past the maximum).
    for (let i = latestFirst.length - 1; i >= 0; i--) {
      const e = latestFirst[i]
      const { combined, keys } = storedKeys(e)
      const at = time(e)
      if (t - at > this.maxIntervalMs) continue
      let record = this.aggregates.get(keys.aggregate)
      if (!record) {
        record = { localKeys: new Set(), last: 0 }
        this.aggregates.add(keys.aggregate, record)
      }
      record.last = Math.max(record.last, at)
      if (!combined) record.localKeys.add(keys.local)
      else {
        // Combining was under way: the next similar event is combined again, as in a process that
        // had kept the distinct messages (held at the maximum less one; no message matches these).
        for (let i = 0; record.localKeys.size < this.maxEvents - 1; i++) record.localKeys.add(`\u0000earlier message ${i}`)
      }
    }
  }

  /** Step 1: the event itself under its full key, or the combined event under the aggregate key. */
  private aggregate(ev: CoreEvent, keys: CorrelationKeys, now: Date, nameFor: (n: string) => string): { event: CoreEvent; key: string } {
    const t = now.getTime()
    const { aggregate: aggregateKey, local: localKey } = keys
    // A get refreshes the entry as an add would, so a live record is changed in place.
    let record = this.aggregates.get(aggregateKey)
    if (!record || t - record.last > this.maxIntervalMs) {
      record = { localKeys: new Set(), last: 0 }
      this.aggregates.add(aggregateKey, record)
    }
    record.localKeys.add(localKey)
    record.last = t
    if (record.localKeys.size < this.maxEvents) return { event: ev, key: keys.event }
    // Keep the set at its maximum: drop one message (the oldest; client-go drops an arbitrary one).
    record.localKeys.delete(record.localKeys.values().next().value as string)
    const stamp = ev.lastTimestamp ?? ev.firstTimestamp
    const combined: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: nameFor(ev.involvedObject.name ?? ''), namespace: ev.metadata.namespace },
      involvedObject: ev.involvedObject,
      reason: ev.reason,
      message: COMBINED_PREFIX + (ev.message ?? ''),
      source: ev.source,
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
      type: ev.type,
    }
    return { event: combined, key: aggregateKey }
  }

  /** Step 2: a repeat takes the recorded Event's name, first time and count + 1, and yields a patch. */
  private observe(ev: CoreEvent, key: string): { event: CoreEvent; patch?: EventPatch } {
    const last = this.logs.get(key)
    let event = ev
    let patch: EventPatch | undefined
    if (last && last.count > 0) {
      // `{ ...ev.metadata, name, resourceVersion }` without the slow spread (see copyOf).
      const metadata = copyOf(ev.metadata)
      metadata.name = last.name
      metadata.resourceVersion = last.resourceVersion
      event = {
        ...ev,
        metadata,
        firstTimestamp: last.firstTimestamp,
        count: last.count + 1,
      }
      if (event.metadata.resourceVersion === undefined) delete event.metadata.resourceVersion
      patch = { count: event.count as number, lastTimestamp: event.lastTimestamp as string }
      if (event.message) patch.message = event.message
    }
    // The entry `get` just refreshed is updated in place (what an add of a new entry would store).
    if (last) {
      last.count = event.count ?? 0
      last.firstTimestamp = event.firstTimestamp
      last.name = event.metadata.name ?? ''
      last.resourceVersion = event.metadata.resourceVersion
    } else {
      this.logs.add(key, { count: event.count ?? 0, firstTimestamp: event.firstTimestamp, name: event.metadata.name ?? '', resourceVersion: event.metadata.resourceVersion })
    }
    return { event, patch }
  }

  /** Step 3: whether the source still has a token for this object. */
  private allow(key: string, now: Date): boolean {
    let bucket = this.spam.get(key)
    if (!bucket) {
      bucket = new TokenBucket(this.spamPerSecond, this.spamBurst)
      this.spam.add(key, bucket)
    }
    return bucket.tryTake(now.getTime())
  }
}
