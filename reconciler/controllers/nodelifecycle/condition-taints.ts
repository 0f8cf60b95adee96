/**
 * Taints that follow a node's state (the node lifecycle controller's TaintNodesByCondition and
 * NoExecute tainting, pure): Ready False → node.kubernetes.io/not-ready, Ready Unknown or missing →
 * node.kubernetes.io/unreachable, each as NoSchedule and NoExecute; spec.unschedulable →
 * node.kubernetes.io/unschedulable:NoSchedule. NoExecute taints carry the time they were added
 * (eviction counts tolerationSeconds from it); a taint already present keeps its time.
 */
import { formatTime } from '../../api/api-server.js'
import type { KObject } from '../../api/object.js'

/** A node taint. */
export interface Taint {
  key: string
  value?: string
  effect: string
  timeAdded?: string
}

export const NOT_READY = 'node.kubernetes.io/not-ready'
export const UNREACHABLE = 'node.kubernetes.io/unreachable'
export const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable'

const MANAGED = new Set([NOT_READY, UNREACHABLE, UNSCHEDULABLE])

/** The status of the node's Ready condition ('Unknown' when it has none). */
export function readyStatus(node: KObject): 'True' | 'False' | 'Unknown' {
  const c = ((node.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).find((x) => x.type === 'Ready')
  return c?.status === 'True' || c?.status === 'False' ? c.status : 'Unknown'
}

/** The node's taints as the lifecycle controller wants them, and whether they differ from the current ones. */
export function desiredTaints(node: KObject, now: Date): { taints: Taint[]; changed: boolean } {
  const spec = (node.spec ?? {}) as { unschedulable?: boolean; taints?: Taint[] }
  const current = spec.taints ?? []
  const want: Taint[] = []
  const ready = readyStatus(node)
  if (ready !== 'True') {
    const key = ready === 'False' ? NOT_READY : UNREACHABLE
    want.push({ key, effect: 'NoSchedule' })
    want.push({ key, effect: 'NoExecute' })
  }
  if (spec.unschedulable) want.push({ key: UNSCHEDULABLE, effect: 'NoSchedule' })
  const kept = current.filter((t) => !MANAGED.has(t.key) || want.some((w) => w.key === t.key && w.effect === t.effect))
  const added = want
    .filter((w) => !current.some((t) => t.key === w.key && t.effect === w.effect))
    .map((w) => (w.effect === 'NoExecute' ? { ...w, timeAdded: formatTime(now) } : w))
  const taints = [...kept, ...added]
  return { taints, changed: added.length > 0 || kept.length !== current.length }
}
