/**
 * Scaling a ReplicaSet's pods (manageReplicas): too few → create from the template in slow-start
 * batches; too many → delete the pods ranked first for deletion. At most BURST_REPLICAS per pass; the
 * next pass (enqueued by the pod events) does the rest.
 */
import type { ApiError } from '../../api/errors.js'
import { isApiError, isNotFound } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import type { ControllerContext } from '../runtime/types.js'
import { kindByName } from '../../api/kinds.js'
import { FIELD_MANAGER, hasDependentsIndex, POD_KIND } from './claim.js'
import { controllerRefOf } from './pod-util.js'
import { BURST_REPLICAS, podFromTemplate, podsToDelete, slowStartBatch, SLOW_START_INITIAL_BATCH } from './util.js'

/** What a scaling pass did: pods created or deleted, and the error that stopped it (for the ReplicaFailure condition). */
export interface ManageResult {
  created: number
  deleted: number
  error?: { reason: 'FailedCreate' | 'FailedDelete'; message: string }
}

/** Brings the number of active pods to spec.replicas. */
export async function manageReplicas(ctx: ControllerContext, rs: KObject, active: KObject[]): Promise<ManageResult> {
  const want = ((rs.spec as { replicas?: number }).replicas ?? 1) as number
  const diff = active.length - want
  if (diff < 0) return createPods(ctx, rs, Math.min(-diff, BURST_REPLICAS))
  if (diff > 0) return deletePods(ctx, rs, active, Math.min(diff, BURST_REPLICAS))
  return { created: 0, deleted: 0 }
}

async function createPods(ctx: ControllerContext, rs: KObject, count: number): Promise<ManageResult> {
  const template = podFromTemplate(rs)
  const { successes, error } = await slowStartBatch(count, SLOW_START_INITIAL_BATCH, async () => {
    try {
      const pod = await ctx.api.create(template, { fieldManager: FIELD_MANAGER })
      await ctx.events.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`)
    } catch (err) {
      // A terminating namespace refuses new content: not a failure of this ReplicaSet.
      if (isApiError(err, 'Forbidden') && /being terminated/.test((err as ApiError).message)) return
      await ctx.events.event(rs, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`)
      throw err
    }
  })
  return { created: successes, deleted: 0, error: error ? { reason: 'FailedCreate', message: (error as Error).message } : undefined }
}

const RS_KIND = [kindByName('ReplicaSet')!]

async function deletePods(ctx: ControllerContext, rs: KObject, active: KObject[], diff: number): Promise<ManageResult> {
  const related = await relatedPods(ctx, rs)
  const victims = podsToDelete(active, related, diff, ctx.clock.now().getTime())
  let deleted = 0
  let error: ManageResult['error']
  await Promise.all(
    victims.map(async (pod) => {
      try {
        await ctx.api.delete('pods', pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } })
        deleted++
        await ctx.events.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`)
      } catch (err) {
        if (isNotFound(err)) return
        await ctx.events.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`)
        error ??= { reason: 'FailedDelete', message: (err as Error).message }
      }
    }),
  )
  return { created: 0, deleted, error }
}

/**
 * The pods of every ReplicaSet controlled by the same owner as `rs` (getIndirectlyRelatedPods),
 * or of `rs` alone when nothing controls it: a Deployment's old and new pods count together when
 * ranking nodes.
 */
async function relatedPods(ctx: ControllerContext, rs: KObject): Promise<KObject[]> {
  const owner = controllerRefOf(rs)
  const uids = new Set<string>([rs.metadata.uid!])
  const api = ctx.api
  if (owner) {
    // The owner's ReplicaSets from the owner index (every one it controls names its uid), else a list.
    const siblings = hasDependentsIndex(api) ? await api.dependents(owner.uid, RS_KIND) : (await api.list('replicasets', { namespace: rs.metadata.namespace })).items
    for (const other of siblings) if (other.metadata.namespace === rs.metadata.namespace && controllerRefOf(other)?.uid === owner.uid) uids.add(other.metadata.uid!)
  }
  const controlled = (p: KObject): boolean => {
    const ref = controllerRefOf(p)
    return ref !== undefined && uids.has(ref.uid)
  }
  if (!hasDependentsIndex(api)) return (await api.list('pods', { namespace: rs.metadata.namespace })).items.filter(controlled)
  // The same pods from the owner index, in the list's (name) order.
  const byName = new Map<string, KObject>()
  for (const uid of uids) {
    for (const p of await api.dependents(uid, POD_KIND)) if (p.metadata.namespace === rs.metadata.namespace && controlled(p)) byName.set(p.metadata.name!, p)
  }
  return [...byName.values()].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0))
}
