/** The RollingUpdate strategy (pkg/controller/deployment/rolling.go in our words): one step per pass. */
import type { ControllerContext, Result } from '../runtime/types.js'
import { syncRolloutStatus } from './progress.js'
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, refresh, scaleReplicaSetAndRecordEvent } from './sync.js'
import type { DeploymentObject, ReplicaSetObject } from './types.js'
import {
  activeReplicaSets,
  availableReplicaCount,
  byCreation,
  deploymentComplete,
  maxUnavailable,
  newRSNewReplicas,
  replicaCount,
  specReplicas,
} from './util.js'

/**
 * rolloutRolling: create the new ReplicaSet if needed; scale it up if surge allows (and stop);
 * else scale old ones down if availability allows (and stop); else, once complete, clean up
 * history. Each pass ends with the rollout status.
 */
export async function rolloutRolling(ctx: ControllerContext, d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<Result> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true)
  const allRSs = [...oldRSs, newRS]
  if (!newRS) return syncRolloutStatus(ctx, allRSs, newRS, d)

  // Scale up, if we can.
  if (await reconcileNewReplicaSet(ctx, allRSs, newRS, d, rsList)) return syncRolloutStatus(ctx, allRSs, newRS, d)

  // Scale down, if we can.
  if (await reconcileOldReplicaSets(ctx, allRSs, activeReplicaSets(oldRSs), newRS, d, rsList)) return syncRolloutStatus(ctx, allRSs, newRS, d)

  // Nothing to scale: clean up old history once the rollout is complete.
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, refresh(rsList, newRS, oldRSs).oldRSs, d)
  return syncRolloutStatus(ctx, allRSs, newRS, d)
}

/** reconcileNewReplicaSet: the new ReplicaSet to min(replicas, what maxSurge allows); down to replicas if above. */
export async function reconcileNewReplicaSet(
  ctx: ControllerContext,
  allRSs: ReadonlyArray<ReplicaSetObject | undefined>,
  newRS: ReplicaSetObject,
  d: DeploymentObject,
  rsList?: ReplicaSetObject[],
): Promise<boolean> {
  const replicas = specReplicas(d)
  if (specReplicas(newRS) === replicas) return false
  if (specReplicas(newRS) > replicas) return (await scaleReplicaSetAndRecordEvent(ctx, newRS, replicas, d, rsList)).scaled
  const count = newRSNewReplicas(d, allRSs, newRS)
  return (await scaleReplicaSetAndRecordEvent(ctx, newRS, count, d, rsList)).scaled
}

/**
 * reconcileOldReplicaSets: how far old ReplicaSets may shrink is
 *   maxScaledDown = all pods - (replicas - maxUnavailable) - new pods not yet available,
 * so unavailable new pods never let availability drop further. Example: 10 replicas, maxUnavailable 2,
 * maxSurge 3, new RS at 5 crash-looping, old at 8: 13 - 8 - 5 = 0, nothing moves; after a rollback
 * to the old template only 1 new pod is unavailable: 13 - 8 - 1 = 4. Unhealthy old pods go first
 * (cleanupUnhealthyReplicas), then available ones down to minAvailable.
 */
export async function reconcileOldReplicaSets(
  ctx: ControllerContext,
  allRSs: ReadonlyArray<ReplicaSetObject | undefined>,
  oldRSs: ReplicaSetObject[],
  newRS: ReplicaSetObject,
  d: DeploymentObject,
  rsList?: ReplicaSetObject[],
): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false
  const allPods = replicaCount(allRSs)
  const minAvailable = specReplicas(d) - maxUnavailable(d)
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0)
  const maxScaledDown = allPods - minAvailable - newUnavailable
  if (maxScaledDown <= 0) return false

  const cleaned = await cleanupUnhealthyReplicas(ctx, oldRSs, d, maxScaledDown, rsList)
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(ctx, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d, rsList)
  return cleaned.count + scaledDown > 0
}

/**
 * cleanupUnhealthyReplicas: oldest first, shrink each old ReplicaSet by its unavailable pods (up to
 * `maxCleanup` in all); the ReplicaSet controller deletes not-ready pods first, so availability
 * does not drop.
 */
export async function cleanupUnhealthyReplicas(
  ctx: ControllerContext,
  oldRSs: ReplicaSetObject[],
  d: DeploymentObject,
  maxCleanup: number,
  rsList?: ReplicaSetObject[],
): Promise<{ oldRSs: ReplicaSetObject[]; count: number }> {
  const sorted = [...oldRSs].sort(byCreation)
  let total = 0
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanup) break
    const rs = sorted[i]
    const replicas = specReplicas(rs)
    const available = rs.status?.availableReplicas ?? 0
    if (replicas === 0 || replicas === available) continue
    const down = Math.min(maxCleanup - total, replicas - available)
    const next = replicas - down
    if (next > replicas) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicas} -> ${next}`)
    sorted[i] = (await scaleReplicaSetAndRecordEvent(ctx, rs, next, d, rsList)).rs
    total += down
  }
  return { oldRSs: sorted, count: total }
}

/**
 * scaleDownOldReplicaSetsForRollingUpdate: oldest first, remove available pods beyond
 * replicas - maxUnavailable. Example: 4 replicas, maxUnavailable 1, old 4 available + new 1 not yet
 * available: 4 - 3 = 1 pod may go, old → 3.
 */
export async function scaleDownOldReplicaSetsForRollingUpdate(
  ctx: ControllerContext,
  allRSs: ReadonlyArray<ReplicaSetObject | undefined>,
  oldRSs: ReplicaSetObject[],
  d: DeploymentObject,
  rsList?: ReplicaSetObject[],
): Promise<number> {
  const minAvailable = specReplicas(d) - maxUnavailable(d)
  const available = availableReplicaCount(allRSs)
  if (available <= minAvailable) return 0
  const totalToScaleDown = available - minAvailable
  let total = 0
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= totalToScaleDown) break
    const replicas = specReplicas(rs)
    if (replicas === 0) continue
    const down = Math.min(replicas, totalToScaleDown - total)
    await scaleReplicaSetAndRecordEvent(ctx, rs, replicas - down, d, rsList)
    total += down
  }
  return total
}
