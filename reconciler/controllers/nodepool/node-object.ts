/**
 * The Node object a NodePool creates: the labels a cloud node carries (the current topology and
 * instance-type labels, the legacy `failure-domain.beta.kubernetes.io/*` and
 * `beta.kubernetes.io/instance-type` ones the Kubernetes 1.2 posts show, and
 * `capstan.dev/nodepool`), the pool's taints, capacity from the machine type, a Ready status as the
 * kubelet posts it, and an owner reference to the pool so the garbage collector removes it with the pool.
 */
import { formatTime } from '../../api/api-server.js'
import type { KObject } from '../../api/object.js'
import { nodeIP, podCIDR, type NodePoolSpec, type WantedNode } from './layout.js'

/** The label naming a node's pool. */
export const NODEPOOL_LABEL = 'capstan.dev/nodepool'

/** The labels of a pool's node. */
export function nodeLabels(pool: string, spec: NodePoolSpec, w: WantedNode): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': w.name,
    'kubernetes.io/os': 'linux',
    [NODEPOOL_LABEL]: pool,
  }
  if (spec.machineType.name) {
    labels['beta.kubernetes.io/instance-type'] = spec.machineType.name
    labels['node.kubernetes.io/instance-type'] = spec.machineType.name
  }
  if (spec.region) {
    labels['failure-domain.beta.kubernetes.io/region'] = spec.region
    labels['topology.kubernetes.io/region'] = spec.region
  }
  if (w.zone) {
    labels['failure-domain.beta.kubernetes.io/zone'] = w.zone
    labels['topology.kubernetes.io/zone'] = w.zone
  }
  return { ...labels, ...(spec.labels ?? {}) }
}

/** capacity (and allocatable) from the machine type. */
export function nodeResources(spec: NodePoolSpec): Record<string, string> {
  const m = spec.machineType
  return { cpu: String(m.cpu), 'ephemeral-storage': '100Gi', memory: String(m.memory), pods: String(m.pods ?? 110) }
}

const hex = (s: string, len: number): string => {
  let out = ''
  for (let i = 0; out.length < len; i++) {
    let h = 2166136261 ^ i
    for (let j = 0; j < s.length; j++) h = Math.imul(h ^ s.charCodeAt(j), 16777619)
    out += (h >>> 0).toString(16).padStart(8, '0')
  }
  return out.slice(0, len)
}

/** The Ready conditions a healthy kubelet posts, timestamped `t`. */
export function healthyConditions(t: string): Array<Record<string, string>> {
  const cond = (type: string, status: string, reason: string, message: string): Record<string, string> => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  })
  return [
    cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ]
}

/** The Node for `w` of `pool`, owned by the pool, Ready at `now`. */
export function poolNode(pool: KObject, spec: NodePoolSpec, w: WantedNode, now: Date): KObject {
  const name = pool.metadata.name!
  const resources = nodeResources(spec)
  const id = hex(`${name}/${w.name}`, 32)
  const cidr = podCIDR(w.zoneIndex, w.index)
  const taints = (spec.taints ?? []).map((t) => ({ ...t }))
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: w.name,
      labels: nodeLabels(name, spec, w),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      ownerReferences: [
        { apiVersion: 'capstan.dev/v1alpha1', kind: 'NodePool', name, uid: pool.metadata.uid!, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: { podCIDR: cidr, podCIDRs: [cidr], providerID: `capstan://${w.zone || 'default'}/${w.name}`, ...(taints.length ? { taints } : {}) },
    status: {
      capacity: resources,
      allocatable: { ...resources },
      conditions: healthyConditions(formatTime(now)),
      addresses: [
        { type: 'InternalIP', address: nodeIP(w.zoneIndex, w.index) },
        { type: 'Hostname', address: w.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: id,
        systemUUID: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
        bootID: hex(`boot/${w.name}`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
        kernelVersion: '6.8.0-1017-capstan',
        osImage: 'Container-Optimized OS from Google',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: 'v1.32.0',
        kubeProxyVersion: 'v1.32.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  }
}
