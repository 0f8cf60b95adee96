/**
 * How kube-controller-manager takes a pod away from a node that cannot run it any more: a
 * `DisruptionTarget` condition saying why (pkg/api/v1/pod's UpdatePodCondition: the transition time
 * moves only when the status changes, and nothing is written when nothing changed), for PodGC the
 * `Failed` phase as well (an orphaned pod has no kubelet left to end it), then the delete.
 *
 * Example: PodGC on a pod of a deleted node writes phase Failed and
 * `{type: DisruptionTarget, status: "True", reason: DeletionByPodGC, message: "PodGC: node no longer exists"}`,
 * then deletes the pod with grace period 0.
 */
import { isConflict, isNotFound } from '../../api/errors.js'
import type { PodCondition } from '../../api/generated/types.js'
import type { KObject } from '../../api/object.js'
import { findObject } from '../runtime/find-object.js'
import type { ControllerContext } from '../runtime/types.js'
import { withCondition } from '../scheduler/bind.js'

/** The field manager of kube-controller-manager's pod writes. */
export const CONTROLLER_MANAGER_FIELD_MANAGER = 'kube-controller-manager'

/** What to write before the delete, and how to delete. */
export interface Disruption {
  /** The condition to set (type DisruptionTarget), if any. */
  condition?: Pick<PodCondition, 'type' | 'status' | 'reason' | 'message'>
  /** Whether a pod not yet Succeeded or Failed is marked Failed first (PodGC's markFailedAndDeletePod). */
  markFailed: boolean
  /** The delete's grace period: 0 forces it (PodGC); undefined is the pod's own (taint eviction). */
  gracePeriodSeconds?: number
}

const phaseOf = (pod: KObject): string | undefined => (pod.status as { phase?: string } | undefined)?.phase

/**
 * The pod with the disruption's status, or undefined when nothing is to be written: with
 * `markFailed`, a pod already Succeeded or Failed is left as it is (condition included), as PodGC
 * patches only a pod still running; otherwise the condition is set unless it already says the same.
 */
function disruptedStatus(pod: KObject, d: Disruption, now: Date): KObject | undefined {
  if (d.markFailed) {
    const phase = phaseOf(pod)
    if (phase === 'Succeeded' || phase === 'Failed') return undefined
    const base = d.condition ? withCondition(pod, d.condition, now).pod : pod
    return { ...base, status: { ...((base.status ?? {}) as object), phase: 'Failed' } }
  }
  if (!d.condition) return undefined
  const r = withCondition(pod, d.condition, now)
  return r.changed ? r.pod : undefined
}

/**
 * Writes the disruption's status to `pod` (read again on a conflict, as a status patch would
 * apply to the latest version) and deletes it, the delete preconditioned on the pod's uid so that
 * a pod recreated under the same name is left alone. A pod already gone is not an error.
 */
export async function disruptAndDelete(ctx: ControllerContext, pod: KObject, d: Disruption): Promise<void> {
  const { namespace, name, uid } = pod.metadata
  let current: KObject | undefined = pod
  for (let attempt = 0; current; attempt++) {
    if (current.metadata.uid !== uid) return
    const next = disruptedStatus(current, d, ctx.clock.now())
    if (!next) break
    try {
      await ctx.api.updateStatus(next, { fieldManager: CONTROLLER_MANAGER_FIELD_MANAGER })
      break
    } catch (err) {
      if (isNotFound(err)) return
      if (!isConflict(err) || attempt >= 4) throw err
    }
    current = await findObject(ctx.api, 'pods', namespace, name!)
  }
  if (!current) return
  try {
    await ctx.api.delete('pods', namespace, name!, { ...(d.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: d.gracePeriodSeconds } : {}), preconditions: { uid } })
  } catch (err) {
    // Gone, or a new pod under the same name (the uid precondition): nothing of ours to delete.
    if (!isNotFound(err) && !isConflict(err)) throw err
  }
}
