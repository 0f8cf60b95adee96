/**
 * A deterministic stream of scheduling decisions over mixed scenarios (zones, taints, an
 * unschedulable node, node selectors and affinity, hard and soft spreading, system defaults,
 * running out of room, pods leaving, nodes relabelled and removed): every decision the algorithm
 * makes, as `node@evaluated` or the FitError message. Used to check that a faster algorithm makes
 * exactly the same decisions (a digest is pinned by the algorithm tests).
 */
import type { KObject } from '../../../reconciler/api/object.js'
import { fromLabelSelector } from '../../../reconciler/api/selectors/label-selector.js'
import {
  Algorithm,
  podConstraints,
  podRequests,
  requiredNodeMatcher,
  SchedulerCache,
  seededRandom,
  systemDefaultConstraints,
  type NodeAffinity,
  type PodToSchedule,
  type TopologySpreadConstraintSpec,
} from '../../../reconciler/controllers/scheduler/index.js'

interface PodShape {
  name: string
  labels: Record<string, string>
  cpu: string
  memory?: string
  tolerations?: Array<Record<string, string>>
  nodeSelector?: Record<string, string>
  affinity?: NodeAffinity
  spread?: TopologySpreadConstraintSpec[]
  /** System default spreading over this selector (a ReplicaSet's). */
  defaultSelector?: Record<string, string>
}

const podObject = (s: PodShape): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: s.name, namespace: 'default', labels: s.labels },
  spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: s.cpu, ...(s.memory ? { memory: s.memory } : {}) } } }] },
})

const toSchedule = (s: PodShape): PodToSchedule => {
  const spec = { containers: [{ resources: { requests: { cpu: s.cpu, ...(s.memory ? { memory: s.memory } : {}) } } }] }
  const own = s.spread ?? []
  const constraints = own.length ? podConstraints(own, s.labels) : s.defaultSelector ? systemDefaultConstraints(fromLabelSelector({ matchLabels: s.defaultSelector })) : []
  return {
    key: `default/${s.name}`,
    namespace: 'default',
    labels: s.labels,
    requests: podRequests(spec),
    nonZero: podRequests(spec, true),
    tolerations: s.tolerations ?? [],
    matcher: requiredNodeMatcher(s.nodeSelector, s.affinity),
    affinity: s.affinity,
    constraints,
    systemDefaulted: !own.length,
  }
}

const nodeObject = (name: string, zone: string | undefined, o: { cpu: string; memory: string; pods: number; taints?: unknown[]; unschedulable?: boolean; labels?: Record<string, string> }): KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(zone ? { 'topology.kubernetes.io/zone': zone, 'topology.kubernetes.io/region': 'r1' } : {}), ...(o.labels ?? {}) } },
  spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
  status: { allocatable: { cpu: o.cpu, memory: o.memory, pods: String(o.pods) } },
})

/** Every decision of the mixed scenarios, in order. */
export function decisionStream(): string[] {
  const out: string[] = []
  const rand = seededRandom('scenario')
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]
  for (const nodes of [7, 60, 240]) {
    const cache = new SchedulerCache()
    const algo = new Algorithm(cache)
    const zones = ['z-a', 'z-b', 'z-c']
    for (let i = 0; i < nodes; i++) {
      const zone = i % 17 === 16 ? undefined : zones[i % 3]
      const taints = i % 11 === 3 ? [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] : i % 13 === 5 ? [{ key: 'spot', effect: 'PreferNoSchedule' }] : undefined
      cache.setNode(nodeObject(`n-${i}`, zone, { cpu: pick(['2', '4', '8']), memory: pick(['4Gi', '8Gi', '30Gi']), pods: pick([10, 30, 110]), taints, unschedulable: i % 23 === 7, labels: i % 4 === 0 ? { disk: 'ssd' } : {} }))
    }
    const assigned: Array<{ key: string }> = []
    const pods = nodes * 6
    for (let p = 0; p < pods; p++) {
      const app = `app-${p % 9}`
      const labels = { app, tier: p % 2 ? 'web' : 'db' }
      const kind = p % 9
      const shape: PodShape = { name: `p-${nodes}-${p}`, labels, cpu: pick(['100m', '250m', '500m', '1']), memory: pick([undefined, '256Mi', '1Gi']) }
      if (kind === 0) shape.spread = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app } } }]
      if (kind === 1) shape.spread = [{ maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app } } }, { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app } } }]
      if (kind === 2) shape.defaultSelector = { app }
      if (kind === 3) shape.nodeSelector = { disk: 'ssd' }
      if (kind === 4) shape.affinity = { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] }
      if (kind === 5) shape.tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]
      if (kind === 6) {
        shape.affinity = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z-b', 'z-c'] }] }] } }
        shape.spread = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app } }, minDomains: 3 }]
      }
      if (kind === 7) shape.defaultSelector = { tier: labels.tier }
      const r = algo.schedule(toSchedule(shape))
      out.push(r.node !== undefined ? `${r.node}@${r.evaluated}` : `${r.message}@${r.evaluated}`)
      if (r.node !== undefined) {
        cache.assume(podObject(shape), r.node)
        assigned.push({ key: `default/${shape.name}` })
      }
      // Churn: pods leave, a node is relabelled or goes away, a node comes back.
      if (p % 29 === 28 && assigned.length) cache.removePod(assigned.splice(Math.floor(rand() * assigned.length), 1)[0].key)
      if (p % 97 === 50) cache.setNode(nodeObject(`n-${p % nodes}`, pick(zones), { cpu: '4', memory: '8Gi', pods: 30, labels: { disk: 'ssd' } }))
      if (p % 131 === 70) cache.removeNode(`n-${(p * 7) % nodes}`)
      if (p % 131 === 100) cache.setNode(nodeObject(`n-new-${p}`, pick(zones), { cpu: '8', memory: '30Gi', pods: 110 }))
    }
  }
  // The benchmark's shape, smaller: identical nodes in 3 zones, ReplicaSets spread over zones
  // (hard) and, for every third one, the system defaults (soft) — many ties, the adaptive node count.
  const cache = new SchedulerCache()
  const algo = new Algorithm(cache)
  for (let i = 0; i < 450; i++) cache.setNode(nodeObject(`b-${i}`, ['z-a', 'z-b', 'z-c'][i % 3], { cpu: '8', memory: '30Gi', pods: 110 }))
  for (let p = 0; p < 2400; p++) {
    const app = `rs-${p % 12}`
    const shape: PodShape = { name: `b-${p}`, labels: { app }, cpu: '100m', memory: '500Mi' }
    if (p % 3 === 2) shape.defaultSelector = { app }
    else shape.spread = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app } } }]
    const r = algo.schedule(toSchedule(shape))
    out.push(r.node !== undefined ? `${r.node}@${r.evaluated}` : `${r.message}@${r.evaluated}`)
    if (r.node !== undefined) cache.assume(podObject(shape), r.node)
  }
  return out
}
