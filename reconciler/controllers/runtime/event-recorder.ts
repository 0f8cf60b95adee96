/**
 * Events as client-go's record package writes them (core/v1 Event through the EventCorrelator):
 * one recorder per component (`deployment-controller`, `replicaset-controller`, `kubelet` on a host,
 * `default-scheduler`), time from the Clock, writes in the order events were recorded. A failed
 * write is logged and dropped, never passed to the caller, as in client-go.
 */
import type { ApiClient } from '../../api/client.js'
import { isAlreadyExists, isNotFound } from '../../api/errors.js'
import { formatTime } from '../../api/strategy.js'
import type { KObject } from '../../api/object.js'
import type { CoreEvent, ObjectReference } from './core-event.js'
import { EventCorrelator, type CorrelatorOptions } from './event-correlator.js'
import type { Clock, EventRecorder } from './types.js'

/** A structured log line sink. */
export type LogFn = (line: Record<string, unknown>) => void

/** Gives each component its recorder. */
export interface EventRecorderFactory {
  /** The recorder of `component` (reported as `source.component`), on `host` for node agents. */
  recorderFor(component: string, host?: string): EventRecorder
  /** Resolves once every event recorded so far has been written (settle waits for it). */
  flush?(): Promise<void>
}

/** The field manager of each component's writes, as the API server derives it from the user agent. */
const FIELD_MANAGERS: Record<string, string> = { kubelet: 'kubelet', 'default-scheduler': 'kube-scheduler' }

/** The field manager for a component: kubelet, kube-scheduler, or kube-controller-manager for the controllers. */
export function fieldManagerFor(component: string): string {
  return FIELD_MANAGERS[component] ?? 'kube-controller-manager'
}

/** client-go's reference.GetReference: kind, namespace, name, uid, apiVersion, resourceVersion (empty ones left out). */
export function referenceTo(obj: KObject): ObjectReference {
  const ref: ObjectReference = { kind: obj.kind }
  const m = obj.metadata
  if (m.namespace) ref.namespace = m.namespace
  ref.name = m.name ?? ''
  if (m.uid) ref.uid = m.uid
  ref.apiVersion = obj.apiVersion
  if (m.resourceVersion) ref.resourceVersion = m.resourceVersion
  return ref
}

/** What the recorders write to and read time from. */
export interface EventRecordersOptions {
  api: ApiClient
  clock: Clock
  log?: LogFn
  /** The correlator's limits (client-go's defaults). */
  correlator?: CorrelatorOptions
  /** Makes each recorder's correlator (default: an EventCorrelator; a test may give another implementation to compare with). */
  newCorrelator?: (options: CorrelatorOptions) => Correlator
}

/** What a recorder needs of its correlator (seed: optional, for a test's reference implementation). */
type Correlator = Pick<EventCorrelator, 'correlate' | 'updateState'> & Partial<Pick<EventCorrelator, 'seed'>>

/**
 * What the in-process API server can say about an event's involved object, so that a recorder in
 * a new process counts up on the Events an earlier one stored (a one-shot command after another)
 * instead of creating a second Event for the same happening.
 */
interface EarlierEvents {
  /** Whether this process created the object: then it has no Events from an earlier one. */
  bornHere(uid: string): boolean
  /** The stored Events named as a recorder names those about `involvedName` (`<name>.<suffix>`) in `namespace`. */
  eventsNamedFor(namespace: string, involvedName: string): Promise<KObject[]>
}

const hasEarlierEvents = (api: ApiClient): api is ApiClient & EarlierEvents =>
  typeof (api as Partial<EarlierEvents>).bornHere === 'function' && typeof (api as Partial<EarlierEvents>).eventsNamedFor === 'function'

/** How many involved objects a recorder remembers having looked up; past it, it starts over (a look-up again only re-reads). */
const MAX_LOOKED_UP = 65_536

/** The recorders of one process: one correlator per component and host, one ordered write stream. */
export class EventRecorders implements EventRecorderFactory {
  private readonly api: ApiClient
  /** The API as EarlierEvents, when it is the in-process server (decided once, not per event). */
  private readonly earlier: EarlierEvents | undefined
  private readonly clock: Clock
  private readonly log: LogFn
  private readonly correlatorOptions: CorrelatorOptions
  private readonly newCorrelator: NonNullable<EventRecordersOptions['newCorrelator']>
  private readonly recorders = new Map<string, EventRecorder>()
  private lastNanos = 0n
  private tail: Promise<void> = Promise.resolve()

  constructor({ api, clock, log = () => {}, correlator = {}, newCorrelator = (o) => new EventCorrelator(o) }: EventRecordersOptions) {
    this.api = api
    this.earlier = hasEarlierEvents(api) ? api : undefined
    this.clock = clock
    this.log = log
    this.correlatorOptions = correlator
    this.newCorrelator = newCorrelator
  }

  recorderFor(component: string, host?: string): EventRecorder {
    const id = `${component}\u0000${host ?? ''}`
    let r = this.recorders.get(id)
    if (!r) {
      r = this.makeRecorder(component, host)
      this.recorders.set(id, r)
    }
    return r
  }

  /** Resolves once every event recorded so far has been written (or dropped). */
  flush(): Promise<void> {
    return this.tail
  }

  /**
   * `<name>.<nanoseconds since the epoch in hex>`, as client-go names events; nanoseconds are
   * bumped by one when two events fall on the same instant (a virtual clock has millisecond steps,
   * a Go clock nanosecond ones), so names stay unique and ordered. Example: 2024-01-01T00:00:00Z →
   * 1704067200000000000 ns → "web.17a6101701650000".
   */
  eventName(involvedName: string, at: Date): string {
    let nanos = BigInt(at.getTime()) * 1_000_000n
    if (nanos <= this.lastNanos) nanos = this.lastNanos + 1n
    this.lastNanos = nanos
    return `${involvedName}.${nanos.toString(16)}`
  }

  private makeRecorder(component: string, host: string | undefined): EventRecorder {
    const correlator = this.newCorrelator(this.correlatorOptions)
    const fieldManager = fieldManagerFor(component)
    const source = host ? { component, host } : { component }
    /** The involved objects whose earlier Events this recorder has looked up, by uid. */
    const lookedUp = new Set<string>()
    return {
      event: (object, type, reason, message) => {
        if (type !== 'Normal' && type !== 'Warning') {
          this.log({ level: 'error', msg: 'unsupported event type', component, type })
          return Promise.resolve()
        }
        const at = this.clock.now()
        const ref = referenceTo(object)
        const stamp = formatTime(at)
        // The Go struct's field order, so the stored JSON reads as Kubernetes writes it.
        const ev: CoreEvent = {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: this.eventName(ref.name ?? '', at), namespace: ref.namespace || 'default' },
          involvedObject: ref,
          reason,
          message,
          source,
          firstTimestamp: stamp,
          lastTimestamp: stamp,
          count: 1,
          type,
          reportingComponent: component,
          reportingInstance: host ?? '',
        }
        const done = this.tail.then(() => this.write(correlator, ev, at, fieldManager, lookedUp))
        this.tail = done
        return done
      },
    }
  }

  /**
   * The first event about an object this process did not create: the correlator takes in the
   * Events an earlier process of this component stored about it (see EarlierEvents).
   */
  private async seedFromState(correlator: Correlator, ev: CoreEvent, at: Date, lookedUp: Set<string>): Promise<void> {
    const { uid, name } = ev.involvedObject
    const earlier = this.earlier
    if (!correlator.seed || !earlier || !uid || !name || lookedUp.has(uid) || earlier.bornHere(uid)) return
    if (lookedUp.size >= MAX_LOOKED_UP) lookedUp.clear()
    lookedUp.add(uid)
    const same = (e: CoreEvent): boolean =>
      e.involvedObject?.uid === uid && e.source?.component === ev.source?.component && (e.source?.host ?? '') === (ev.source?.host ?? '')
    const stored = (await earlier.eventsNamedFor(ev.metadata.namespace ?? 'default', name)) as CoreEvent[]
    correlator.seed(stored.filter(same), at)
  }

  /** Correlates, then patches the recorded Event or creates a new one (creating when the patch finds none). */
  private async write(correlator: Correlator, ev: CoreEvent, at: Date, fieldManager: string, lookedUp: Set<string>): Promise<void> {
    try {
      await this.seedFromState(correlator, ev, at, lookedUp)
      const result = correlator.correlate(ev, at, (name) => this.eventName(name, at))
      if (result.skip) {
        this.log({ level: 'debug', msg: 'event dropped by the spam filter', event: result.event.metadata.name, reason: ev.reason })
        return
      }
      const { namespace, name } = result.event.metadata
      let written: KObject | undefined
      if (result.patch) {
        try {
          written = await this.api.patch('events', namespace, name ?? '', 'merge', result.patch, { fieldManager })
        } catch (err) {
          if (!isNotFound(err)) throw err
        }
      }
      if (!written) {
        const body: CoreEvent = { ...result.event, metadata: { ...result.event.metadata } }
        delete body.metadata.resourceVersion
        // Names come from the (virtual) time; another process may have used this instant's name
        // already (its nanosecond counter is its own): take the next free one.
        for (let attempt = 0; ; attempt++) {
          try {
            written = await this.api.create(body, { fieldManager })
            break
          } catch (err) {
            if (!isAlreadyExists(err) || attempt >= 20) throw err
            body.metadata = { ...body.metadata, name: this.eventName(body.involvedObject?.name ?? '', at) }
          }
        }
      }
      correlator.updateState(written as CoreEvent)
    } catch (err) {
      this.log({
        level: 'error',
        msg: 'unable to write event (will not retry)',
        event: ev.metadata.name,
        reason: ev.reason,
        error: err instanceof Error ? err.message : String(err),
      })
    }
  }
}
