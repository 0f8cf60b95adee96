import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { getRawResourceReplicas, getResourceReplicas, groupPods } from '../../../reconciler/controllers/hpa/replica-calculator.js'
import type { PodMetricsInfo, ResourceMetricResult } from '../../../reconciler/controllers/metrics/resource-metrics.js'

const NOW = Date.parse('2024-01-01T01:00:00Z')
const iso = (ms: number): string => new Date(ms).toISOString()

interface PodOpts {
  phase?: string
  ready?: boolean
  /** Seconds before NOW the pod started (default 10 min: past the cpu initialization period). */
  startedAgo?: number
  /** Seconds before NOW the Ready condition last changed (default: 10 s after the start). */
  transitionAgo?: number
  cpu?: string | null
  memory?: string
  deleting?: boolean
  containers?: number
}
function pod(name: string, o: PodOpts = {}): KObject {
  const started = NOW - (o.startedAgo ?? 600) * 1000
  const transition = o.transitionAgo !== undefined ? NOW - o.transitionAgo * 1000 : started + 10_000
  const requests: Record<string, string> = {}
  if (o.cpu !== null) requests.cpu = o.cpu ?? '1000m'
  if (o.memory) requests.memory = o.memory
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(o.deleting ? { deletionTimestamp: iso(NOW) } : {}) },
    spec: { containers: Array.from({ length: o.containers ?? 1 }, (_, i) => ({ name: `c${i}`, image: 'x', resources: { requests } })) },
    status: {
      phase: o.phase ?? 'Running',
      startTime: iso(started),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: iso(transition) }],
    },
  }
}
/** Metrics sampled at NOW with a 15 s window. */
const metrics = (values: Record<string, number>): ResourceMetricResult => ({
  metrics: new Map(Object.entries(values).map(([n, v]) => [n, { value: v, timestamp: new Date(NOW), windowMs: 15_000 }])) as PodMetricsInfo,
  timestamp: new Date(NOW),
})

const Util = suite('hpa: getResourceReplicas (Utilization)')
const utilCases: Array<{ name: string; current: number; target: number; pods: KObject[]; values: Record<string, number> | { error: string }; want: number | string; utilization?: number }> = [
  { name: 'scale up: 1500m of 3000m is 50% against 30%', current: 3, target: 30, pods: [pod('a'), pod('b'), pod('c')], values: { a: 300, b: 500, c: 700 }, want: 5, utilization: 50 },
  { name: 'scale down: 28% against 50%', current: 5, target: 50, pods: ['a', 'b', 'c', 'd', 'e'].map((n) => pod(n)), values: { a: 100, b: 300, c: 500, d: 250, e: 250 }, want: 3, utilization: 28 },
  { name: 'within the tolerance: 102% against 100%', current: 3, target: 100, pods: [pod('a'), pod('b'), pod('c')], values: { a: 1010, b: 1030, c: 1020 }, want: 3, utilization: 102 },
  { name: 'utilization is an integer (33%, not 33.3%); 33/30 = 1.1 is just past the tolerance in float64 → 4', current: 3, target: 30, pods: [pod('a'), pod('b'), pod('c')], values: { a: 333, b: 333, c: 334 }, want: 4, utilization: 33 },
  {
    name: 'scale up with an unready pod: it counts as 0 (60% → 40% over 3 pods → 4)',
    current: 3, target: 30, pods: [pod('a', { ready: false, startedAgo: 60, transitionAgo: 55 }), pod('b'), pod('c')], values: { a: 300, b: 500, c: 700 }, want: 4, utilization: 60,
  },
  { name: 'a Pending pod is unready', current: 3, target: 30, pods: [pod('a', { phase: 'Pending', ready: false }), pod('b'), pod('c')], values: { b: 500, c: 700 }, want: 4, utilization: 60 },
  { name: 'scale down with a missing pod: it counts as using its whole request (1.1 → stay)', current: 4, target: 50, pods: ['a', 'b', 'c', 'd'].map((n) => pod(n, { cpu: '100m' })), values: { a: 40, b: 40, c: 40 }, want: 4, utilization: 40 },
  { name: 'scale up with a missing pod: it counts as 0 (90% → 67% → ceil(1.34 × 4) = 6)', current: 4, target: 50, pods: ['a', 'b', 'c', 'd'].map((n) => pod(n, { cpu: '100m' })), values: { a: 90, b: 90, c: 90 }, want: 6, utilization: 90 },
  { name: 'unready pods would flip the direction: stay', current: 2, target: 50, pods: [pod('a', { cpu: '100m' }), pod('b', { cpu: '100m', phase: 'Pending', ready: false })], values: { a: 60 }, want: 2, utilization: 60 },
  { name: 'deleting and Failed pods are ignored', current: 3, target: 50, pods: [pod('a'), pod('b', { deleting: true }), pod('c', { phase: 'Failed' })], values: { a: 1000, b: 0, c: 0 }, want: 2, utilization: 100 },
  {
    name: 'ready for less than a metric window, within the initialization period: unready',
    current: 2, target: 50, pods: [pod('a'), pod('b', { startedAgo: 20, transitionAgo: 10 })], values: { a: 2000, b: 1000 }, want: 4, utilization: 200,
  },
  {
    name: 'past the initialization period, not ready but ready before: its metric counts',
    current: 2, target: 50, pods: [pod('a'), pod('b', { ready: false, transitionAgo: 60 })], values: { a: 1000, b: 1000 }, want: 4, utilization: 100,
  },
  {
    name: 'past the initialization period, never ready: unready (counts 0 on the way up)',
    current: 2, target: 50, pods: [pod('a'), pod('b', { ready: false, transitionAgo: 595 })], values: { a: 2000, b: 1000 }, want: 4, utilization: 200,
  },
  { name: 'a container without a cpu request', current: 1, target: 50, pods: [pod('a', { cpu: null })], values: { a: 100 }, want: 'missing request for cpu in container c0 of Pod a' },
  { name: 'requests add up over containers', current: 1, target: 50, pods: [pod('a', { cpu: '100m', containers: 2 })], values: { a: 200 }, want: 2, utilization: 100 },
  { name: 'no metrics at all', current: 1, target: 50, pods: [pod('a')], values: { error: 'no metrics returned from resource metrics API' }, want: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API' },
  { name: 'only unready pods', current: 1, target: 50, pods: [pod('a', { phase: 'Pending', ready: false })], values: {}, want: 'did not receive metrics for targeted pods (pods might be unready)' },
  { name: 'no pods', current: 1, target: 50, pods: [], values: {}, want: 'no pods returned by selector while calculating replica count' },
]
for (const c of utilCases) {
  Util(c.name, () => {
    const m = 'error' in c.values ? (c.values as { error: string }) : metrics(c.values as Record<string, number>)
    const r = getResourceReplicas({ currentReplicas: c.current, targetUtilization: c.target, resource: 'cpu', pods: c.pods, metrics: m, now: new Date(NOW) })
    if (typeof c.want === 'string') assert.equal(r, { error: c.want })
    else {
      assert.ok(!('error' in r), JSON.stringify(r))
      if (!('error' in r)) {
        assert.is(r.replicas, c.want)
        assert.is(r.utilization, c.utilization)
      }
    }
  })
}
Util.run()

const Raw = suite('hpa: getRawResourceReplicas (AverageValue)')
const Mi = 1048576000
const rawCases: Array<{ name: string; current: number; target: number; pods: KObject[]; values: Record<string, number>; want: number; usage: number }> = [
  { name: 'memory: 100Mi average against 50Mi → ceil(2 × 3)', current: 3, target: 50 * Mi, pods: [pod('a'), pod('b'), pod('c')], values: { a: 100 * Mi, b: 100 * Mi, c: 100 * Mi }, want: 6, usage: 100 * Mi },
  { name: 'memory ignores readiness', current: 2, target: 50 * Mi, pods: [pod('a'), pod('b', { ready: false, startedAgo: 20, transitionAgo: 10 })], values: { a: 100 * Mi, b: 100 * Mi }, want: 4, usage: 100 * Mi },
  { name: 'scale down with a missing pod: it counts as the target', current: 3, target: 100 * Mi, pods: [pod('a'), pod('b'), pod('c')], values: { a: 10 * Mi, b: 10 * Mi }, want: 2, usage: 10 * Mi },
  { name: 'within the tolerance', current: 2, target: 100 * Mi, pods: [pod('a'), pod('b')], values: { a: 105 * Mi, b: 105 * Mi }, want: 2, usage: 105 * Mi },
]
for (const c of rawCases) {
  Raw(c.name, () => {
    const r = getRawResourceReplicas({ currentReplicas: c.current, targetUsage: c.target, resource: 'memory', pods: c.pods, metrics: metrics(c.values), now: new Date(NOW) })
    assert.equal(r, { replicas: c.want, usage: c.usage, timestamp: new Date(NOW) })
  })
}
Raw.run()

const Group = suite('hpa: groupPods')
Group('ready, unready, missing, ignored', () => {
  const pods = [pod('ready'), pod('pending', { phase: 'Pending' }), pod('nometric'), pod('gone', { deleting: true }), pod('fresh', { startedAgo: 20, transitionAgo: 5 })]
  const m = metrics({ ready: 1, fresh: 1, gone: 1 })
  const g = groupPods(pods, (m as { metrics: PodMetricsInfo }).metrics, 'cpu', new Date(NOW))
  assert.is(g.readyPodCount, 1)
  assert.equal([...g.unready].sort(), ['fresh', 'pending'])
  assert.equal([...g.missing], ['nometric'])
  assert.equal([...g.ignored], ['gone'])
})
Group.run()
