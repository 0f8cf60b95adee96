/**
 * Scaling a pool down drains each extra node as `kubectl drain` would: cordon it (spec.unschedulable
 * and the node.kubernetes.io/unschedulable:NoSchedule taint), evict its pods (delete them; the
 * kubelet finishes their termination), and delete the node once no pod is left on it. Pods stuck
 * terminating on a node that is not Ready (its kubelet is gone) do not hold the node.
 */
import type { ApiClient } from '../../api/client.js'
import { isNotFound } from '../../api/errors.js'
import { clone, type KObject } from '../../api/object.js'
import { isNodeReady } from '../node/default-node.js'

/** The cordon taint. */
export const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }

/** Whether the node is cordoned (unschedulable and tainted). */
export function isCordoned(node: KObject): boolean {
  const spec = (node.spec ?? {}) as { unschedulable?: boolean; taints?: Array<{ key: string; effect: string }> }
  return !!spec.unschedulable && (spec.taints ?? []).some((t) => t.key === UNSCHEDULABLE_TAINT.key && t.effect === UNSCHEDULABLE_TAINT.effect)
}

/** One drain step for a node; returns true once the node is deleted. */
export async function drainNode(api: ApiClient, node: KObject, fieldManager: string): Promise<boolean> {
  const name = node.metadata.name!
  if (!isCordoned(node)) {
    const next = clone(node)
    const spec = (next.spec ??= {}) as { unschedulable?: boolean; taints?: Array<{ key: string; effect: string }> }
    spec.unschedulable = true
    const taints = (spec.taints ?? []).filter((t) => !(t.key === UNSCHEDULABLE_TAINT.key && t.effect === UNSCHEDULABLE_TAINT.effect))
    spec.taints = [...taints, { ...UNSCHEDULABLE_TAINT }]
    await api.update(next, { fieldManager })
  }
  const { items: pods } = await api.list('pods', { fieldSelector: `spec.nodeName=${name}` })
  let holding = 0
  for (const pod of pods) {
    const phase = (pod.status as { phase?: string } | undefined)?.phase
    if (phase === 'Succeeded' || phase === 'Failed') continue
    if (pod.metadata.deletionTimestamp) {
      if (isNodeReady(node)) holding++
      continue
    }
    try {
      await api.delete('pods', pod.metadata.namespace, pod.metadata.name!)
      if (isNodeReady(node)) holding++
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
  }
  if (holding) return false
  try {
    await api.delete('nodes', undefined, name)
  } catch (err) {
    if (!isNotFound(err)) throw err
  }
  return true
}
