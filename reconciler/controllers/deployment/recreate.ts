/** The Recreate strategy (pkg/controller/deployment/recreate.go in our words). */
import type { KObject } from '../../api/object.js'
import type { ControllerContext, Result } from '../runtime/types.js'
import { syncRolloutStatus } from './progress.js'
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, refresh, scaleReplicaSetAndRecordEvent } from './sync.js'
import type { DeploymentObject, ReplicaSetObject } from './types.js'
import { activeReplicaSets, actualReplicaCount, deploymentComplete, specReplicas } from './util.js'

/** Pods of the Deployment grouped by the uid of the ReplicaSet that controls them. */
export type PodMap = Map<string, KObject[]>

/**
 * rolloutRecreate: scale every old ReplicaSet to 0 (and stop); wait while any old pod still runs;
 * then create the new ReplicaSet if needed and scale it to replicas; clean up once complete.
 */
export async function rolloutRecreate(ctx: ControllerContext, d: DeploymentObject, rsList: ReplicaSetObject[], podMap: PodMap): Promise<Result> {
  // Do not create the new ReplicaSet yet: nothing scales up before the old pods are gone.
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false)
  let allRSs: Array<ReplicaSetObject | undefined> = [...oldRSs, newRS]

  // Scale down old ReplicaSets.
  let scaledDown = false
  for (const rs of activeReplicaSets(oldRSs)) {
    if ((await scaleReplicaSetAndRecordEvent(ctx, rs, 0, d, rsList)).scaled) scaledDown = true
  }
  if (scaledDown) return syncRolloutStatus(ctx, allRSs, newRS, d)

  // Wait for old pods to stop.
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(ctx, allRSs, newRS, d)

  // Create the new ReplicaSet now if needed.
  if (!newRS) {
    ;({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true))
    allRSs = [...oldRSs, newRS]
  }

  // Scale up the new ReplicaSet.
  if (newRS) await scaleReplicaSetAndRecordEvent(ctx, newRS, specReplicas(d), d, rsList)

  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, refresh(rsList, newRS, oldRSs).oldRSs, d)
  return syncRolloutStatus(ctx, allRSs, newRS, d)
}

/**
 * oldPodsRunning: an old ReplicaSet still reports pods, or a pod of one is in any phase but
 * Succeeded or Failed (Unknown counts as running: it might be).
 */
export function oldPodsRunning(newRS: ReplicaSetObject | undefined, oldRSs: ReplicaSetObject[], podMap: PodMap): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue
    for (const pod of pods) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase
      if (phase === 'Failed' || phase === 'Succeeded') continue
      return true
    }
  }
  return false
}
