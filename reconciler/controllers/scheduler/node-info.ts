/**
 * The scheduler's view of one node and of one assigned pod (pkg/scheduler/framework NodeInfo and
 * PodInfo): what the filters and scores read, computed once per change rather than once per pod
 * scheduled.
 */
import type { KObject } from '../../api/object.js'
import { nodeAllocatable, podRequests, type PodSpecLike, type Resources } from './resources.js'
import type { Taint, Toleration } from './taints.js'

/** An assigned (or assumed) pod as the cache holds it. */
export interface PodInfo {
  key: string
  namespace: string
  labels: Record<string, string>
  nodeName: string
  requests: Resources
  nonZero: Resources
  /** Being deleted: still holds its resources, no longer counted for spreading. */
  terminating: boolean
  priority: number
}

/** A node as the cache holds it, with the sums of its pods' requests. */
export interface NodeInfo {
  name: string
  labels: Record<string, string>
  taints: Taint[]
  unschedulable: boolean
  allocatable: Resources & { pods: number }
  requested: Resources
  nonZeroRequested: Resources
  /** How many pods it holds (the node table's pod count: nothing reads which they are). */
  podCount: number
}

/** The pod's key, `namespace/name`. */
export const podKey = (pod: KObject): string => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`

/** The cache's record of a pod bound (or about to be bound) to `nodeName`; `known`: its requests, when already computed. */
export function podInfoOf(pod: KObject, nodeName: string, known?: Pick<PodInfo, 'requests' | 'nonZero'>): PodInfo {
  const spec = (pod.spec ?? {}) as PodSpecLike & { priority?: number }
  return {
    key: podKey(pod),
    namespace: pod.metadata.namespace ?? '',
    labels: pod.metadata.labels ?? {},
    nodeName,
    requests: known?.requests ?? podRequests(spec),
    nonZero: known?.nonZero ?? podRequests(spec, true),
    terminating: !!pod.metadata.deletionTimestamp,
    priority: spec.priority ?? 0,
  }
}

/** A fresh NodeInfo for a Node object (no pods yet). */
export function nodeInfoOf(node: KObject): NodeInfo {
  const spec = (node.spec ?? {}) as { unschedulable?: boolean; taints?: Taint[] }
  return {
    name: node.metadata.name!,
    labels: node.metadata.labels ?? {},
    taints: spec.taints ?? [],
    unschedulable: !!spec.unschedulable,
    allocatable: nodeAllocatable(node.status as Parameters<typeof nodeAllocatable>[0]),
    requested: { milliCpu: 0, memory: 0 },
    nonZeroRequested: { milliCpu: 0, memory: 0 },
    podCount: 0,
  }
}

/**
 * Adds (sign 1) or removes (sign -1) a pod's requests to a node's sums and counts it in or out.
 * The cache counts a pod at most once per node: it removes any record of a pod before adding one.
 */
export function accountPod(node: NodeInfo, pod: PodInfo, sign: 1 | -1): void {
  node.requested.milliCpu += sign * pod.requests.milliCpu
  node.requested.memory += sign * pod.requests.memory
  node.nonZeroRequested.milliCpu += sign * pod.nonZero.milliCpu
  node.nonZeroRequested.memory += sign * pod.nonZero.memory
  node.podCount += sign
}

/** The pod's tolerations. */
export function tolerationsOf(pod: KObject): Toleration[] {
  return ((pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations ?? []) as Toleration[]
}

/** The zone a node is in, for the node tree: region and zone labels (the legacy beta labels as fallback). */
export function zoneKeyOf(labels: Record<string, string>): string {
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? ''
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? ''
  return region || zone ? `${region}:\u0000:${zone}` : ''
}
