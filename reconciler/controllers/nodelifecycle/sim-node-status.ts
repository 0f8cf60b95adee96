/**
 * What `capstan sim zone down|up` does to a node's status. Down: the kubelet stops posting, so
 * every condition becomes Unknown with reason NodeStatusUnknown and "Kubelet stopped posting node
 * status." (what the node lifecycle controller writes once node-monitor-grace-period passes; the
 * heartbeat times stay where the kubelet left them). Up: the kubelet posts again — Ready True and
 * the pressure conditions False, heartbeats now.
 */
import { formatTime } from '../../api/api-server.js'
import { clone, type KObject } from '../../api/object.js'
import { healthyConditions } from '../nodepool/node-object.js'

interface NodeCondition {
  type: string
  status: string
  lastHeartbeatTime?: string
  lastTransitionTime?: string
  reason?: string
  message?: string
}

/** The node with every condition Unknown (the kubelet stopped posting), or undefined when it already is. */
export function nodeDown(node: KObject, now: Date): KObject | undefined {
  const next = clone(node)
  const status = (next.status ??= {}) as { conditions?: NodeCondition[] }
  const conds = status.conditions?.length ? status.conditions : healthyConditions(formatTime(now))
  if (conds.every((c) => c.status === 'Unknown')) return undefined
  const t = formatTime(now)
  status.conditions = (conds as NodeCondition[]).map((c) => ({
    ...c,
    status: 'Unknown',
    lastTransitionTime: c.status === 'Unknown' ? c.lastTransitionTime : t,
    reason: 'NodeStatusUnknown',
    message: 'Kubelet stopped posting node status.',
  }))
  return next
}

/** The node with a healthy kubelet's conditions again, or undefined when it is already Ready. */
export function nodeUp(node: KObject, now: Date): KObject | undefined {
  const next = clone(node)
  const status = (next.status ??= {}) as { conditions?: NodeCondition[] }
  const old = status.conditions ?? []
  if (old.some((c) => c.type === 'Ready' && c.status === 'True')) return undefined
  status.conditions = healthyConditions(formatTime(now)) as unknown as NodeCondition[]
  return next
}

/** The zone of a node (the current label, the legacy one otherwise). */
export function zoneOf(node: KObject): string | undefined {
  const l = node.metadata.labels ?? {}
  return l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone']
}
