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

/** The correlator's keys of one event: the spam, aggregate and local keys, and the event key. */
export interface CorrelationKeys {
  /** spamKey's value. */
  spam: string
  /** aggregateKeys' aggregateKey. */
  aggregate: string
  /** aggregateKeys' localKey: the message. */
  local: string
  /** eventKey's value. */
  event: string
}

/**
 * The four keys of `e` at once, each equal to what eventKey, spamKey and aggregateKeys return, built
 * from shared prefixes (source and object once, not three times) without an array of parts.
 */
export function correlationKeys(e: CoreEvent): CorrelationKeys {
  const s = e.source
  const o = e.involvedObject
  const object = (s ? (s.component ?? '') + (s.host ?? '') : '') + (o.kind ?? '') + (o.namespace ?? '') + (o.name ?? '')
  const identity = (o.uid ?? '') + (o.apiVersion ?? '')
  const spam = object + identity
  const typeReason = (e.type ?? '') + (e.reason ?? '')
  const local = e.message ?? ''
  return {
    spam,
    aggregate: spam + typeReason + (e.reportingComponent ?? '') + (e.reportingInstance ?? ''),
    local,
    event: (o.fieldPath ? object + o.fieldPath + identity : spam) + typeReason + local,
  }
}

/** Whether two events have the same eventKey because every part of it is the same value. */
export function sameEventKeyParts(a: CoreEvent, b: CoreEvent): boolean {
  const x = a.involvedObject
  const y = b.involvedObject
  return (
    a.message === b.message &&
    a.reason === b.reason &&
    x.name === y.name &&
    x.uid === y.uid &&
    a.type === b.type &&
    x.kind === y.kind &&
    x.namespace === y.namespace &&
    x.fieldPath === y.fieldPath &&
    x.apiVersion === y.apiVersion &&
    a.source?.component === b.source?.component &&
    a.source?.host === b.source?.host
  )
}
