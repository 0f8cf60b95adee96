/** A NodePool's status: node counts (all, Ready) in total and per zone, and its Ready condition. */
import { formatTime } from '../../api/api-server.js'
import type { KObject } from '../../api/object.js'
import { isNodeReady } from '../node/default-node.js'
import { poolZones, zoneCount, type NodePoolSpec } from './layout.js'

interface Condition {
  type: string
  status: string
  lastTransitionTime: string
  reason: string
  message: string
  observedGeneration?: number
}

/** The status for `pool` given its nodes now. */
export function poolStatus(pool: KObject, spec: NodePoolSpec, nodes: KObject[], now: Date): Record<string, unknown> {
  const zoneOf = (n: KObject): string => n.metadata.labels?.['topology.kubernetes.io/zone'] ?? ''
  const zones = poolZones(spec).map((z) => {
    const inZone = nodes.filter((n) => zoneOf(n) === z)
    return { name: z, nodes: inZone.length, readyNodes: inZone.filter(isNodeReady).length }
  })
  const wanted = poolZones(spec).reduce((s, z) => s + zoneCount(spec, z), 0)
  const ready = nodes.filter(isNodeReady).length
  const old = ((pool.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready')
  const ok = ready === wanted && nodes.length === wanted
  const status = ok ? 'True' : 'False'
  const cond: Condition = {
    type: 'Ready',
    status,
    lastTransitionTime: old?.status === status ? old.lastTransitionTime : formatTime(now),
    reason: ok ? 'NodesReady' : nodes.length !== wanted ? 'Scaling' : 'NodesNotReady',
    message: ok ? `${ready}/${wanted} nodes are ready` : `${ready}/${wanted} nodes are ready (${nodes.length} exist)`,
    observedGeneration: pool.metadata.generation,
  }
  return {
    nodes: nodes.length,
    readyNodes: ready,
    zones: zones.filter((z) => z.name !== ''),
    observedGeneration: pool.metadata.generation,
    conditions: [cond],
  }
}
