/** The core/v1 Event as the recorder writes it, and the keys the correlator groups Events by. */
import type { KObject } from '../../api/object.js'

/** core/v1 ObjectReference as client-go's reference.GetReference fills it (empty fields left out). */
export interface ObjectReference {
  kind?: string
  namespace?: string
  name?: string
  uid?: string
  apiVersion?: string
  resourceVersion?: string
  fieldPath?: string
}

/** core/v1 EventSource: the component that reported, and its host (the node, for a kubelet). */
export interface EventSource {
  component?: string
  host?: string
}

/** A core/v1 Event with the fields the recorder sets. */
export interface CoreEvent extends KObject {
  involvedObject: ObjectReference
  reason?: string
  message?: string
  source?: EventSource
  firstTimestamp?: string
  lastTimestamp?: string
  count?: number
  type?: string
  reportingComponent?: string
  reportingInstance?: string
}

/** The parts concatenated, a missing one as empty (Go's zero string). */
function join(parts: Array<string | undefined>): string {
  let out = ''
  for (const p of parts) if (p !== undefined && p !== null) out += p
  return out
}

/** client-go's getEventKey: source, involved object (with field path), type, reason and message. */
export function eventKey(e: CoreEvent): string {
  const o = e.involvedObject
  return join([e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, e.type, e.reason, e.message])
}

/** client-go's getSpamKey: source and involved object (the spam filter's bucket per source + object). */
export function spamKey(e: CoreEvent): string {
  const o = e.involvedObject
  return join([e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion])
}

/**
 * client-go's EventAggregatorByReasonFunc: events alike but for their message share the aggregate
 * key; the message is the local key that tells them apart.
 */
export function aggregateKeys(e: CoreEvent): { aggregateKey: string; localKey: string } {
  const o = e.involvedObject
  return {
    aggregateKey: join([
      e.source?.component,
      e.source?.host,
      o.kind,
      o.namespace,
      o.name,
      o.uid,
      o.apiVersion,
      e.type,
      e.reason,
      e.reportingComponent,
      e.reportingInstance,
    ]),
    localKey: e.message ?? '',
  }
}
