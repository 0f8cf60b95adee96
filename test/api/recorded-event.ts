/** An Event as client-go's recorder (and ours) builds it, for the Event fast-path suites. */
import type { KObject } from '../../reconciler/api/object.js'

/** The instant of its timestamps. */
export const RECORDED_AT = '2026-01-01T00:00:00Z'

/** The recorder's Event for a pod, with `over` set over it (undefined members kept as given). */
export function recordedEvent(over: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-1.18867251edfa0320', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u-1', apiVersion: 'v1', resourceVersion: '12' },
    reason: 'Pulled',
    message: 'Successfully pulled image "nginx:1.27"',
    source: { component: 'kubelet', host: 'node-a' },
    firstTimestamp: RECORDED_AT,
    lastTimestamp: RECORDED_AT,
    count: 1,
    type: 'Normal',
    reportingComponent: 'kubelet',
    reportingInstance: 'node-a',
    ...over,
  }
}
