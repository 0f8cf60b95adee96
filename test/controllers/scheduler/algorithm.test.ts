import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { fromLabelSelector } from '../../../reconciler/api/selectors/label-selector.js'
import {
  Algorithm,
  fitErrorMessage,
  numFeasibleNodesToFind,
  podRequests,
  type PodSpecLike,
  requirementMatches,
  SchedulerCache,
  leastAllocated,
  balancedAllocation,
  nodeInfoOf,
  type PodToSchedule,
} from '../../../reconciler/controllers/scheduler/index.js'

const node = (name: string, zone: string, extra: { cpu?: string; taints?: unknown[]; unschedulable?: boolean; labels?: Record<string, string> } = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone, ...(extra.labels ?? {}) } },
  spec: { ...(extra.taints ? { taints: extra.taints } : {}), ...(extra.unschedulable ? { unschedulable: true } : {}) },
  status: { allocatable: { cpu: extra.cpu ?? '2', memory: '8Gi', pods: '110' } },
})

const bound = (name: string, nodeName: string, labels: Record<string, string>, cpu = '100m'): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { nodeName, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }] },
})

const toSchedule = (over: Partial<PodToSchedule> = {}): PodToSchedule => ({
  key: 'default/p',
  namespace: 'default',
  labels: { app: 'web' },
  requests: { milliCpu: 100, memory: 0 },
  nonZero: { milliCpu: 100, memory: 200 * 1024 * 1024 },
  tolerations: [],
  matcher: undefined,
  affinity: undefined,
  constraints: [],
  systemDefaulted: false,
  ...over,
})

const Pure = suite('scheduler arithmetic')

Pure('numFeasibleNodesToFind (adaptive percentage)', () => {
  for (const [n, want] of [[9, 9], [99, 99], [100, 100], [1000, 420], [5000, 500], [10000, 500]] as const) assert.is(numFeasibleNodesToFind(n), want, String(n))
})

Pure('podRequests: max(containers + sidecars, largest init step) + overhead; non-zero defaults', () => {
  const cases: Array<{ name: string; spec: PodSpecLike; want: { milliCpu: number; memory: number } }> = [
    { name: 'containers only', spec: { containers: [{ resources: { requests: { cpu: '100m', memory: '1Gi' } } }, { resources: { requests: { cpu: '200m' } } }] }, want: { milliCpu: 300, memory: 2 ** 30 } },
    { name: 'init larger', spec: { containers: [{ resources: { requests: { cpu: '300m' } } }], initContainers: [{ resources: { requests: { cpu: '500m' } } }, { resources: { requests: { cpu: '250m' } } }] }, want: { milliCpu: 500, memory: 0 } },
    { name: 'sidecar adds', spec: { containers: [{ resources: { requests: { cpu: '300m' } } }], initContainers: [{ restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } }, { resources: { requests: { cpu: '350m' } } }] }, want: { milliCpu: 450, memory: 0 } },
    { name: 'overhead', spec: { containers: [{ resources: { requests: { cpu: '1' } } }], overhead: { cpu: '250m' } }, want: { milliCpu: 1250, memory: 0 } },
  ]
  for (const c of cases) assert.equal(podRequests(c.spec), c.want, c.name)
  assert.equal(podRequests({ containers: [{}] }, true), { milliCpu: 100, memory: 200 * 1024 * 1024 })
})

Pure('node selector requirements', () => {
  const labels = { zone: 'a', gen: '5' }
  const cases = [
    { name: 'In', r: { key: 'zone', operator: 'In', values: ['a', 'b'] }, want: true },
    { name: 'NotIn absent', r: { key: 'x', operator: 'NotIn', values: ['a'] }, want: true },
    { name: 'NotIn present', r: { key: 'zone', operator: 'NotIn', values: ['a'] }, want: false },
    { name: 'Exists', r: { key: 'zone', operator: 'Exists' }, want: true },
    { name: 'DoesNotExist', r: { key: 'zone', operator: 'DoesNotExist' }, want: false },
    { name: 'Gt', r: { key: 'gen', operator: 'Gt', values: ['4'] }, want: true },
    { name: 'Lt', r: { key: 'gen', operator: 'Lt', values: ['5'] }, want: false },
    { name: 'Gt non-integer', r: { key: 'zone', operator: 'Gt', values: ['1'] }, want: false },
  ]
  for (const c of cases) assert.is(requirementMatches(c.r, labels), c.want, c.name)
})

Pure('scores: least allocated and balanced allocation', () => {
  const n = nodeInfoOf(node('n', 'a'))
  n.nonZeroRequested = { milliCpu: 1500, memory: 0 }
  assert.is(leastAllocated(n, { milliCpu: 100, memory: 0 }), Math.trunc((20 + 100) / 2))
  n.requested = { milliCpu: 1000, memory: 0.1 * 8 * 2 ** 30 }
  assert.is(balancedAllocation(n, { milliCpu: 0, memory: 0 }), 80)
})

Pure('fit error message: sorted histogram, then preemption', () => {
  const taint = { reasons: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'], unresolvable: true }
  const cpu = { reasons: ['Insufficient cpu'], unresolvable: false }
  assert.is(
    fitErrorMessage(9, [taint, taint, taint, cpu, cpu, cpu, cpu, cpu, cpu]),
    '0/9 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 6 Insufficient cpu. preemption: 0/9 nodes are available: 3 Preemption is not helpful for scheduling, 6 No preemption victims found for incoming pod.',
  )
})

Pure.run()

const Algo = suite('scheduler algorithm')

function cacheWith(nodes: KObject[], pods: KObject[] = []): SchedulerCache {
  const c = new SchedulerCache()
  for (const n of nodes) c.setNode(n)
  for (const p of pods) c.setPod(p)
  return c
}

Algo('filters: unschedulable, taints, affinity, resources — the message counts every node', () => {
  const c = cacheWith([
    node('cordoned', 'a', { unschedulable: true }),
    node('tainted', 'a', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] }),
    node('small', 'b', { cpu: '50m' }),
    node('other', 'c', { labels: { disk: 'hdd' } }),
  ])
  const matcher = (l: Record<string, string>): boolean => l.disk !== 'hdd'
  const r = new Algorithm(c).schedule(toSchedule({ matcher }))
  assert.is(r.node, undefined)
  assert.is(
    (r as { message: string }).message,
    "0/4 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
  )
})

Algo('a tolerated taint passes; NoSchedule untolerated fails', () => {
  const c = cacheWith([node('t', 'a', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })])
  assert.is(new Algorithm(c).schedule(toSchedule()).node, undefined)
  assert.is(new Algorithm(c).schedule(toSchedule({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] })).node, 't')
})

Algo('DoNotSchedule zone spread: only the emptiest zone fits at maxSkew 1', () => {
  const nodes = [node('a1', 'a'), node('b1', 'b'), node('c1', 'c')]
  const pods = [bound('x1', 'a1', { app: 'web' }), bound('x2', 'a1', { app: 'web' }), bound('x3', 'b1', { app: 'web' }), bound('x4', 'b1', { app: 'web' }), bound('x5', 'c1', { app: 'web' })]
  const c = cacheWith(nodes, pods)
  const constraints = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', hard: true, selector: fromLabelSelector({ matchLabels: { app: 'web' } }), minDomains: 1 }]
  assert.is(new Algorithm(c).schedule(toSchedule({ constraints })).node, 'c1')
})

Algo('ScheduleAnyway zone spread with equal nodes: one pod per zone, deterministic', () => {
  const nodes = ['a', 'b', 'c'].flatMap((z) => [1, 2, 3].map((i) => node(`${z}${i}`, z)))
  const run = (): string[] => {
    const c = cacheWith(nodes)
    const algo = new Algorithm(c)
    const constraints = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', hard: false, selector: fromLabelSelector({ matchLabels: { app: 'web' } }), minDomains: 1 }]
    const out: string[] = []
    for (let i = 0; i < 3; i++) {
      const r = algo.schedule(toSchedule({ key: `default/p${i}`, constraints }))
      c.assume(bound(`p${i}`, r.node!, { app: 'web' }), r.node!)
      out.push(r.node!)
    }
    return out
  }
  const first = run()
  assert.equal(first.map((n) => n[0]).sort(), ['a', 'b', 'c'])
  assert.equal(run(), first)
})

Algo('no nodes at all', () => {
  assert.equal(new Algorithm(new SchedulerCache()).schedule(toSchedule()), { message: 'no nodes available to schedule pods', evaluated: 0 })
})

Algo.run()

