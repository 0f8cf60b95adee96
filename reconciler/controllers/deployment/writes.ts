/** The controller's writes: ReplicaSet updates and Deployment status, with kube-controller-manager as field manager. */
import { clone } from '../../api/object.js'
import type { ControllerContext } from '../runtime/types.js'
import { FIELD_MANAGER, type DeploymentObject, type ReplicaSetObject } from './types.js'

/** Updates a ReplicaSet and puts the stored result in `rsList` (so later steps of the same pass see it). */
export async function updateReplicaSet(ctx: ControllerContext, rs: ReplicaSetObject, rsList?: ReplicaSetObject[]): Promise<ReplicaSetObject> {
  const updated = (await ctx.api.update(rs, { fieldManager: FIELD_MANAGER })) as ReplicaSetObject
  if (rsList) {
    const i = rsList.findIndex((x) => x.metadata.uid === updated.metadata.uid)
    if (i >= 0) rsList[i] = updated
  }
  return updated
}

/**
 * Writes `d.status` through the status subresource and keeps `d` current (resourceVersion). The
 * Deployment status strategy takes annotations from a status update too, which is how the
 * controller sets `deployment.kubernetes.io/revision` in the same write.
 */
export async function writeDeploymentStatus(ctx: ControllerContext, d: DeploymentObject): Promise<void> {
  const stored = (await ctx.api.updateStatus(d, { fieldManager: FIELD_MANAGER })) as DeploymentObject
  d.metadata.resourceVersion = stored.metadata.resourceVersion
}

/**
 * The Deployment a sync works on, from a (possibly frozen, cache-shared) stored one: a sync changes
 * only its status, metadata.annotations (the revision) and metadata.resourceVersion, so those are
 * copied and everything else (spec above all) is shared with `live` and must not be changed. Sharing
 * also lets the API server's status write see at once that spec and the rest are unchanged (it
 * compares and copies by identity first), where a deep copy made it walk them on every write.
 */
export function copyDeploymentForSync(live: DeploymentObject): DeploymentObject {
  const metadata = { ...live.metadata }
  if (live.metadata.annotations) metadata.annotations = { ...live.metadata.annotations }
  const d: DeploymentObject = { ...live, metadata }
  if (live.status !== undefined) d.status = clone(live.status)
  return d
}

/** A writable copy of a (possibly frozen, cache-shared) ReplicaSet. */
export function copyRS(rs: ReplicaSetObject): ReplicaSetObject {
  return clone(rs)
}

/**
 * A copy of a (possibly frozen, cache-shared) ReplicaSet in which only metadata.annotations and
 * top-level spec fields may be changed; everything else is shared with `rs` and must not be. Syncing
 * the new ReplicaSet's annotations needs no more, and a full copy of it on every sync was most of
 * that step's cost.
 */
export function copyRSForAnnotations(rs: ReplicaSetObject): ReplicaSetObject {
  const metadata = { ...rs.metadata }
  if (rs.metadata.annotations) metadata.annotations = { ...rs.metadata.annotations }
  return { ...rs, metadata, spec: { ...rs.spec } }
}
