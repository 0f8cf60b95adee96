/** Node columns (printers.go printNode). */
import { arr, getPath, map, str } from '../get-path.js'
import { byteCompare } from '../labels.js'
import type { Column, KubeObject } from '../types.js'
import { ageColumn, nameColumn } from './common.js'

/** STATUS: Ready/NotReady from the Ready condition ("Unknown" without one), plus SchedulingDisabled. */
function nodeStatus(node: KubeObject): string {
  const status: string[] = []
  let ready: { type?: string; status?: string } | undefined
  for (const c of arr(node, 'status.conditions') as Array<{ type?: string; status?: string }>) {
    if (c.type === 'Ready') ready = c // the last one wins, as in the condition map
  }
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady')
  if (status.length === 0) status.push('Unknown')
  if (getPath(node, 'spec.unschedulable') === true) status.push('SchedulingDisabled')
  return status.join(',')
}

/** findNodeRoles: node-role.kubernetes.io/<role> label keys and kubernetes.io/role values, sorted. */
export function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>()
  for (const [k, v] of Object.entries(map(node, 'metadata.labels'))) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length)
      if (role) roles.add(role)
    } else if (k === 'kubernetes.io/role' && v !== '') {
      roles.add(String(v))
    }
  }
  return [...roles].sort(byteCompare).join(',') || '<none>'
}

/** The first address of a type, "<none>" without one. */
function nodeAddress(node: KubeObject, type: string): string {
  const a = (arr(node, 'status.addresses') as Array<{ type?: string; address?: string }>).find((x) => x.type === type)
  return a ? a.address ?? '' : '<none>'
}

/** NAME STATUS ROLES AGE VERSION (+ wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME). */
export const nodeColumns: Column[] = [
  nameColumn,
  { name: 'Status', priority: 0, type: 'string', description: 'The status of the node', cell: (o) => nodeStatus(o) },
  { name: 'Roles', priority: 0, type: 'string', description: 'The roles of the node', cell: (o) => nodeRoles(o) },
  ageColumn,
  { name: 'Version', priority: 0, type: 'string', description: 'Kubelet Version reported by the node.', cell: (o) => str(o, 'status.nodeInfo.kubeletVersion') },
  { name: 'Internal-IP', priority: 1, type: 'string', description: 'List of addresses reachable to the node.', cell: (o) => nodeAddress(o, 'InternalIP') },
  { name: 'External-IP', priority: 1, type: 'string', description: 'List of addresses reachable to the node.', cell: (o) => nodeAddress(o, 'ExternalIP') },
  { name: 'OS-Image', priority: 1, type: 'string', description: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', cell: (o) => str(o, 'status.nodeInfo.osImage') || '<unknown>' },
  { name: 'Kernel-Version', priority: 1, type: 'string', description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", cell: (o) => str(o, 'status.nodeInfo.kernelVersion') || '<unknown>' },
  { name: 'Container-Runtime', priority: 1, type: 'string', description: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', cell: (o) => str(o, 'status.nodeInfo.containerRuntimeVersion') || '<unknown>' },
]
