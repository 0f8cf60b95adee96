/**
 * Progress estimation (pkg/controller/deployment/progress.go in our words): the Progressing
 * condition during a rollout, ReplicaSet failures promoted to the Deployment, and when to look
 * again for a deadline.
 */
import { jsonEqual } from '../../api/object.js'
import type { ControllerContext, Result } from '../runtime/types.js'
import { calculateStatus } from './sync.js'
import { Reasons, type DeploymentCondition, type DeploymentObject, type DeploymentStatus, type ReplicaSetObject } from './types.js'
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getDeploymentCondition,
  hasProgressDeadline,
  newDeploymentCondition,
  removeDeploymentCondition,
  setDeploymentCondition,
} from './util.js'
import { writeDeploymentStatus } from './writes.js'

/**
 * The status a rollout pass should have: calculateStatus plus the Progressing condition —
 * NewReplicaSetAvailable once complete, ReplicaSetUpdated (lastUpdateTime refreshed, transition time
 * kept) on any progress, ProgressDeadlineExceeded past the deadline — and ReplicaFailure copied from
 * the ReplicaSets (the new one's first).
 */
export function calculateRolloutStatus(allRSs: ReadonlyArray<ReplicaSetObject | undefined>, newRS: ReplicaSetObject | undefined, d: DeploymentObject, now: Date): DeploymentStatus {
  const s = calculateStatus(allRSs, newRS, d, now)
  if (!hasProgressDeadline(d)) removeDeploymentCondition(s, 'Progressing')
  const current = getDeploymentCondition(d.status, 'Progressing')
  const isComplete = (s.replicas ?? 0) === (s.updatedReplicas ?? 0) && current?.reason === Reasons.NewReplicaSetAvailable
  if (hasProgressDeadline(d) && !isComplete) {
    const name = d.metadata.name
    if (deploymentComplete(d, s)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` : `Deployment "${name}" has successfully progressed.`
      setDeploymentCondition(s, newDeploymentCondition('Progressing', 'True', Reasons.NewReplicaSetAvailable, msg, now))
    } else if (deploymentProgressing(d, s)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${name}" is progressing.`
      const cond = newDeploymentCondition('Progressing', 'True', Reasons.ReplicaSetUpdated, msg, now)
      // Same reason, new lastUpdateTime: progress resets the deadline.
      if (current) {
        if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime
        removeDeploymentCondition(s, 'Progressing')
      }
      setDeploymentCondition(s, cond)
    } else if (deploymentTimedOut(d, s, now)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` : `Deployment "${name}" has timed out progressing.`
      setDeploymentCondition(s, newDeploymentCondition('Progressing', 'False', Reasons.ProgressDeadlineExceeded, msg, now))
    }
  }
  const failures = replicaFailures(allRSs, newRS)
  if (failures.length) setDeploymentCondition(s, failures[0])
  else removeDeploymentCondition(s, 'ReplicaFailure')
  return s
}

/** getReplicaFailures: ReplicaFailure conditions of the new ReplicaSet, else of any ReplicaSet. */
export function replicaFailures(allRSs: ReadonlyArray<ReplicaSetObject | undefined>, newRS: ReplicaSetObject | undefined): DeploymentCondition[] {
  const from = (rs: ReplicaSetObject): DeploymentCondition[] =>
    (rs.status?.conditions ?? [])
      .filter((c) => c.type === 'ReplicaFailure')
      .map((c) => ({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, lastUpdateTime: c.lastTransitionTime, reason: c.reason, message: c.message }))
  if (newRS) {
    const own = from(newRS)
    if (own.length) return own
  }
  return allRSs.flatMap((rs) => (rs ? from(rs) : []))
}

/**
 * requeueStuckDeployment: when a rollout with a deadline is neither complete nor timed out, the
 * delay until the deadline passes: lastUpdateTime + progressDeadlineSeconds - now, plus one second
 * (so the next look is strictly past it). Example: updated 00:00:00, deadline 600 s, now 00:03:00 →
 * 7 min + 1 s. Upstream requeues at once (rate-limited) when under a second remains; on a virtual
 * clock that would spin, so we always wait the extra second. Undefined: no requeue needed.
 */
export function requeueStuckDeployment(d: DeploymentObject, newStatus: DeploymentStatus, now: Date): number | undefined {
  const current = getDeploymentCondition(d.status, 'Progressing')
  if (!hasProgressDeadline(d) || !current) return undefined
  if (deploymentComplete(d, newStatus) || current.reason === Reasons.ProgressDeadlineExceeded) return undefined
  const from = Date.parse(current.lastUpdateTime ?? '')
  if (Number.isNaN(from)) return undefined
  const after = from + d.spec.progressDeadlineSeconds! * 1000 - now.getTime()
  return Math.max(after, 0) + 1000
}

/**
 * syncRolloutStatus: writes the rollout status when it changed; when it did not, asks to be run
 * again when the progress deadline would pass.
 */
export async function syncRolloutStatus(ctx: ControllerContext, allRSs: ReadonlyArray<ReplicaSetObject | undefined>, newRS: ReplicaSetObject | undefined, d: DeploymentObject): Promise<Result> {
  const now = ctx.clock.now()
  const next = calculateRolloutStatus(allRSs, newRS, d, now)
  if (jsonEqual(d.status ?? {}, next)) {
    const after = requeueStuckDeployment(d, next, now)
    return after === undefined ? {} : { requeueAfterMs: after }
  }
  const timedOutNow = next.conditions?.some((c) => c.type === 'Progressing' && c.reason === Reasons.ProgressDeadlineExceeded) &&
    getDeploymentCondition(d.status, 'Progressing')?.reason !== Reasons.ProgressDeadlineExceeded
  d.status = next
  await writeDeploymentStatus(ctx, d)
  if (timedOutNow) ctx.log({ msg: 'Deployment has timed out progressing', deployment: `${d.metadata.namespace}/${d.metadata.name}` })
  return {}
}
