/** Columns of Namespace, ConfigMap, Secret, Endpoints and Event (printers.go). */
import { translateTimestampSince } from '../duration.js'
import { arr, getPath, map, str } from '../get-path.js'
import type { Column, KubeObject } from '../types.js'
import { ageColumn, int, nameColumn } from './common.js'

/** NAME STATUS AGE */
export const namespaceColumns: Column[] = [
  nameColumn,
  { name: 'Status', priority: 0, type: 'string', description: 'The status of the namespace', cell: (o) => str(o, 'status.phase') },
  ageColumn,
]

/** NAME DATA AGE — DATA counts data and binaryData keys. */
export const configMapColumns: Column[] = [
  nameColumn,
  { name: 'Data', priority: 0, type: 'string', description: 'Data contains the configuration data.',
    cell: (o) => Object.keys(map(o, 'data')).length + Object.keys(map(o, 'binaryData')).length },
  ageColumn,
]

/** NAME TYPE DATA AGE */
export const secretColumns: Column[] = [
  nameColumn,
  { name: 'Type', priority: 0, type: 'string', description: 'Used to facilitate programmatic handling of secret data.', cell: (o) => str(o, 'type') },
  { name: 'Data', priority: 0, type: 'string', description: 'Data contains the secret data.', cell: (o) => Object.keys(map(o, 'data')).length },
  ageColumn,
]

/** Go's net.JoinHostPort: IPv6 hosts in brackets. */
const joinHostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`)

/** formatEndpoints: up to 3 "ip:port" (or bare ip without ports), then " + N more...". */
export function formatEndpoints(obj: KubeObject): string {
  const subsets = arr(obj, 'subsets')
  if (subsets.length === 0) return '<none>'
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const ss of subsets) {
    const addresses = arr(ss, 'addresses')
    const ports = arr(ss, 'ports')
    if (ports.length === 0) {
      count += addresses.length
      for (const a of addresses) {
        if (list.length === max) { more = true; break }
        list.push(str(a, 'ip'))
      }
      continue
    }
    for (const p of ports) {
      count += addresses.length
      for (const a of addresses) {
        if (list.length === max) { more = true; break }
        list.push(joinHostPort(str(a, 'ip'), int(getPath(p, 'port'))))
      }
    }
  }
  const ret = list.join(',')
  return more ? `${ret} + ${count - max} more...` : ret
}

/** NAME ENDPOINTS AGE */
export const endpointsColumns: Column[] = [
  nameColumn,
  { name: 'Endpoints', priority: 0, type: 'string', description: 'The set of all endpoints is the union of all subsets.', cell: (o) => formatEndpoints(o) },
  ageColumn,
]

function isZeroTime(v: unknown): boolean {
  return typeof v !== 'string' || v === '' || Number.isNaN(Date.parse(v))
}

/** An event's LAST SEEN, FIRST SEEN and COUNT as printEvent computes them. */
function eventTimes(o: KubeObject, now: Date): { first: string; last: string; count: number } {
  let first = translateTimestampSince(o.firstTimestamp, now)
  if (isZeroTime(o.firstTimestamp)) first = translateTimestampSince(o.eventTime, now)
  let last = translateTimestampSince(o.lastTimestamp, now)
  if (isZeroTime(o.lastTimestamp)) last = first
  let count = int(o.count)
  const series = o.series as { lastObservedTime?: string; count?: number } | undefined | null
  if (series) {
    last = translateTimestampSince(series.lastObservedTime, now)
    count = int(series.count)
  } else if (count === 0) {
    count = 1
  }
  return { first, last, count }
}

/** "kind/name" of the involved object, lower-case kind. */
function eventTarget(o: KubeObject): string {
  const kind = str(o, 'involvedObject.kind').toLowerCase()
  const name = str(o, 'involvedObject.name')
  return name ? `${kind}/${name}` : kind
}

/** formatEventSource: component (or reportingController) and host (or reportingInstance). */
function eventSource(o: KubeObject): string {
  const component = str(o, 'source.component') || str(o, 'reportingController')
  const host = str(o, 'source.host') || str(o, 'reportingInstance')
  return host ? `${component}, ${host}` : component
}

/** LAST SEEN TYPE REASON OBJECT MESSAGE (+ wide SUBOBJECT SOURCE … FIRST SEEN COUNT NAME, in the wide order). */
export const eventColumns: Column[] = [
  { name: 'Last Seen', priority: 0, type: 'string', description: 'The time at which the most recent occurrence of this event was recorded.', cell: (o, c) => eventTimes(o, c.now).last },
  { name: 'Type', priority: 0, type: 'string', description: 'Type of this event (Normal, Warning), new types could be added in the future', cell: (o) => str(o, 'type') },
  { name: 'Reason', priority: 0, type: 'string', description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.", cell: (o) => str(o, 'reason') },
  { name: 'Object', priority: 0, type: 'string', description: 'The object that this event is about.', cell: (o) => eventTarget(o) },
  { name: 'Subobject', priority: 1, type: 'string', description: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', cell: (o) => str(o, 'involvedObject.fieldPath') },
  { name: 'Source', priority: 1, type: 'string', description: 'The component reporting this event. Should be a short machine understandable string.', cell: (o) => eventSource(o) },
  { name: 'Message', priority: 0, type: 'string', description: 'A human-readable description of the status of this operation.', cell: (o) => str(o, 'message').trim() },
  { name: 'First Seen', priority: 1, type: 'string', description: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', cell: (o, c) => eventTimes(o, c.now).first },
  { name: 'Count', priority: 1, type: 'string', description: 'The number of times this event has occurred.', cell: (o, c) => eventTimes(o, c.now).count },
  { ...nameColumn, priority: 1 },
]
