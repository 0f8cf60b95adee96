/** The node the scheduler creates when the cluster has no Node and no NodePool: one simulated kubelet's Node, as `kubectl get node` shows a kind worker. */
import type { KObject } from '../../api/object.js'
import { formatTime } from '../../api/api-server.js'

/** Name of the default node. */
export const DEFAULT_NODE_NAME = 'capstan-node-1'
/** Its InternalIP (the pods' hostIP). */
export const DEFAULT_NODE_IP = '10.0.0.1'
/** The pod network it hands addresses from. */
export const DEFAULT_POD_CIDR = '10.244.0.0/16'

/** The Node object, with a Ready status as the kubelet posts it, timestamped `now`. */
export function defaultNode(now: Date, name = DEFAULT_NODE_NAME): KObject {
  const t = formatTime(now)
  const cond = (type: string, status: string, reason: string, message: string): Record<string, string> => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  })
  const resources = { cpu: '8', 'ephemeral-storage': '100Gi', memory: '32Gi', pods: '110' }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: DEFAULT_POD_CIDR, podCIDRs: [DEFAULT_POD_CIDR], providerID: `capstan://${name}` },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: DEFAULT_NODE_IP },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'c0a5fa4e5a2f4c1f9d3b2e1a0c9b8d7e',
        systemUUID: 'c0a5fa4e-5a2f-4c1f-9d3b-2e1a0c9b8d7e',
        bootID: '5b1f3f0e-8c1d-4e2a-9f6b-7d3c2a1b0e9f',
        kernelVersion: '6.8.0-1017-capstan',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: 'v1.32.0',
        kubeProxyVersion: 'v1.32.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  }
}

/** Whether the node's Ready condition is True. */
export function isNodeReady(node: KObject): boolean {
  const conds = ((node.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [])
  return conds.some((c) => c.type === 'Ready' && c.status === 'True')
}

/** The node's InternalIP (its first address otherwise). */
export function nodeInternalIP(node: KObject): string | undefined {
  const addrs = ((node.status as { addresses?: Array<{ type: string; address: string }> } | undefined)?.addresses ?? [])
  return (addrs.find((a) => a.type === 'InternalIP') ?? addrs[0])?.address
}
