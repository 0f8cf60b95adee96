/** The Events section: which events are about an object, their order, and the Age column. */
import { ageSince } from './age.js'
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './prefix-writer.js'
import type { EventObject, KubeObject } from './types.js'

/** What an event must match: kubectl's field selector on involvedObject (kind and uid only when known). */
export type EventRef = { name: string; namespace: string; kind?: string; uids?: string[] }

/**
 * The events about an object. The name and namespace must match; the kind when the reference has
 * one; the uid when both sides have one (capstan events may be recorded without a uid).
 */
export function eventsAbout(events: EventObject[], ref: EventRef): EventObject[] {
  return events.filter((e) => {
    const io = e.involvedObject ?? {}
    if ((io.name ?? '') !== ref.name) return false
    if ((io.namespace ?? '') !== ref.namespace) return false
    if (ref.kind && io.kind !== ref.kind) return false
    if (ref.uids && ref.uids.length > 0 && io.uid && !ref.uids.includes(io.uid)) return false
    return true
  })
}

/** The usual reference: kind, name, namespace and uid of the object itself. */
export function refOf(obj: KubeObject): EventRef {
  const uid = obj.metadata?.uid
  return { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace ?? '', kind: obj.kind, uids: uid ? [uid] : [] }
}

const isZeroTime = (t: unknown): boolean => typeof t !== 'string' || t === '' || Number.isNaN(Date.parse(t))

/** event.SortableEvents' key: series.lastObservedTime, else lastTimestamp, else eventTime. */
function eventTime(e: EventObject): number {
  let t: unknown
  if (e.series) t = e.series.lastObservedTime
  else if (!isZeroTime(e.lastTimestamp)) t = e.lastTimestamp
  else t = e.eventTime
  const ms = typeof t === 'string' ? Date.parse(t) : NaN
  // Go's zero time sorts before every real time.
  return Number.isNaN(ms) ? -Infinity : ms
}

/**
 * The Age cell: the first time seen ("5m"), or for a repeated event the last time seen with the
 * count and the first time, "2m (x3 over 10m)". A series counts from eventTime and series fields.
 */
export function eventInterval(e: EventObject, now: Date): string {
  const first = isZeroTime(e.eventTime) ? ageSince(e.firstTimestamp, now) : ageSince(e.eventTime, now)
  if (e.series) return `${ageSince(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`
  if ((e.count ?? 0) > 1) return `${ageSince(e.lastTimestamp, now)} (x${e.count} over ${first})`
  return first
}

/** DescribeEvents: "Events:  <none>", or a Type / Reason / Age / From / Message table, oldest first. */
export function describeEvents(events: EventObject[], w: PrefixWriter, now: Date): void {
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n')
    return
  }
  // Stable, as Go's sort is for the short lists describe shows.
  const sorted = events.map((e, i) => ({ e, i, t: eventTime(e) })).sort((a, b) => a.t - b.t || a.i - b.i)
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n')
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n')
  for (const { e } of sorted) {
    const from = e.source?.component || e.reportingController || e.reportingComponent || ''
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${eventInterval(e, now)}\t${from}\t${(e.message ?? '').trim()}\n`)
  }
}
