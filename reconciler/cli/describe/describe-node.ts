/** `describe node`: describe.go's describeNode, with pods and lease from the related lookup. */
import { byteCompare } from '../../api/table/labels.js'
import { describeEvents, eventsAbout } from './events.js'
import { describeNodeResource } from './node-resources.js'
import { LEVEL_0, LEVEL_1, tabbedString, type PrefixWriter } from './prefix-writer.js'
import { printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline } from './print-meta.js'
import { canonicalQuantity } from './quantity.js'
import { formatRFC1123Z } from './time-format.js'
import type { DescribeContext, KubeObject } from './types.js'

const ROLE_PREFIX = 'node-role.kubernetes.io/'
const ROLE_LABEL = 'kubernetes.io/role'

type NodeCondition = { type?: string; status?: string; lastHeartbeatTime?: string; lastTransitionTime?: string; reason?: string; message?: string }

/** A Node, the fields describe reads. */
export type Node = KubeObject & {
  spec?: { taints?: Array<{ key?: string; value?: string; effect?: string }>; unschedulable?: boolean; podCIDR?: string; podCIDRs?: string[]; providerID?: string }
  status?: {
    conditions?: NodeCondition[]
    addresses?: Array<{ type?: string; address?: string }>
    capacity?: Record<string, unknown>
    allocatable?: Record<string, unknown>
    nodeInfo?: Record<string, string>
  }
}

/** findNodeRoles: from node-role.kubernetes.io/<role> keys and the kubernetes.io/role value, sorted. */
function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>()
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length)
      if (role) roles.add(role)
    } else if (k === ROLE_LABEL && v !== '') roles.add(v)
  }
  return [...roles].sort(byteCompare)
}

function printResourceList(w: PrefixWriter, list: Record<string, unknown>): void {
  for (const name of Object.keys(list).sort(byteCompare)) w.write(LEVEL_0, `  ${name}:\t${canonicalQuantity(list[name])}\n`)
}

/** The Node's description: roles, taints, lease, conditions, addresses, capacity, system info, pods, events. */
export function describeNode(node: Node, ctx: DescribeContext): string {
  const md = node.metadata ?? {}
  const spec = node.spec ?? {}
  const status = node.status ?? {}
  const tz = ctx.timeZone
  const name = md.name ?? ''
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${name}\n`)
    const roles = nodeRoles(md.labels)
    w.write(LEVEL_0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    w.write(LEVEL_0, `CreationTimestamp:\t${formatRFC1123Z(md.creationTimestamp, tz)}\n`)
    printTaintsMultiline(w, 'Taints', spec.taints)
    w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable === true}\n`)
    if (ctx.related.leaseFor) {
      const lease = ctx.related.leaseFor(name)
      if (lease) {
        w.write(LEVEL_0, 'Lease:\n')
        w.write(LEVEL_1, `HolderIdentity:\t${lease.holderIdentity ?? '<unset>'}\n`)
        w.write(LEVEL_1, `AcquireTime:\t${lease.acquireTime ? formatRFC1123Z(lease.acquireTime, tz) : '<unset>'}\n`)
        w.write(LEVEL_1, `RenewTime:\t${lease.renewTime ? formatRFC1123Z(lease.renewTime, tz) : '<unset>'}\n`)
      } else {
        w.write(LEVEL_0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${name}" not found\n`)
      }
    }
    const conditions = status.conditions ?? []
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n')
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n')
      for (const c of conditions) {
        w.write(
          LEVEL_1,
          `${c.type ?? ''} \t${c.status ?? ''} \t${formatRFC1123Z(c.lastHeartbeatTime, tz)} \t${formatRFC1123Z(c.lastTransitionTime, tz)} \t` +
            `${c.reason ?? ''} \t${c.message ?? ''}\n`,
        )
      }
    }
    w.write(LEVEL_0, 'Addresses:\n')
    for (const a of status.addresses ?? []) w.write(LEVEL_1, `${a.type ?? ''}:\t${a.address ?? ''}\n`)
    if (Object.keys(status.capacity ?? {}).length > 0) {
      w.write(LEVEL_0, 'Capacity:\n')
      printResourceList(w, status.capacity ?? {})
    }
    if (Object.keys(status.allocatable ?? {}).length > 0) {
      w.write(LEVEL_0, 'Allocatable:\n')
      printResourceList(w, status.allocatable ?? {})
    }
    const info = status.nodeInfo ?? {}
    w.write(LEVEL_0, 'System Info:\n')
    w.write(LEVEL_0, `  Machine ID:\t${info.machineID ?? ''}\n`)
    w.write(LEVEL_0, `  System UUID:\t${info.systemUUID ?? ''}\n`)
    w.write(LEVEL_0, `  Boot ID:\t${info.bootID ?? ''}\n`)
    w.write(LEVEL_0, `  Kernel Version:\t${info.kernelVersion ?? ''}\n`)
    w.write(LEVEL_0, `  OS Image:\t${info.osImage ?? ''}\n`)
    w.write(LEVEL_0, `  Operating System:\t${info.operatingSystem ?? ''}\n`)
    w.write(LEVEL_0, `  Architecture:\t${info.architecture ?? ''}\n`)
    w.write(LEVEL_0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`)
    w.write(LEVEL_0, `  Kubelet Version:\t${info.kubeletVersion ?? ''}\n`)
    w.write(LEVEL_0, `  Kube-Proxy Version:\t${info.kubeProxyVersion ?? ''}\n`)
    if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`)
    if ((spec.podCIDRs ?? []).length > 0) w.write(LEVEL_0, `PodCIDRs:\t${(spec.podCIDRs ?? []).join(',')}\n`)
    if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${spec.providerID}\n`)
    if (ctx.related.podsOnNode) {
      const pods = ctx.related.podsOnNode(name).filter((p) => {
        const s = p as { spec?: { nodeName?: string }; status?: { phase?: string } }
        return s.spec?.nodeName === name && s.status?.phase !== 'Succeeded' && s.status?.phase !== 'Failed'
      })
      describeNodeResource(pods, node, w, ctx.now)
    }
    if (ctx.events) {
      // Node events come from controllers (involvedObject.uid = node uid) and kubelets (uid = node name).
      const uids = [md.uid, name].filter((u): u is string => !!u)
      describeEvents(eventsAbout(ctx.events, { name, namespace: '', kind: 'Node', uids }), w, ctx.now)
    }
  })
}
