/**
 * The garbage collector's three jobs (pkg/controller/garbagecollector, simplified):
 * - attemptToDelete: a dependent none of whose owners is solid any more is deleted; one with a
 *   solid owner only loses its references to the gone and foreground-deleting owners.
 * - processForeground: an owner deleted in the foreground has its dependents deleted, and loses its
 *   foregroundDeletion finalizer once no dependent with blockOwnerDeletion is left.
 * - processOrphan: an owner deleted with the orphan policy has its reference removed from every
 *   dependent, then loses its orphan finalizer.
 */
import { isConflict, isNotFound } from '../../api/errors.js'
import { clone, type KObject } from '../../api/object.js'
import type { ControllerContext } from '../runtime/types.js'
import { findDependents, resourceOfKind } from './dependents.js'
import { classifyOwners, FOREGROUND, isWaitingForDependents, ORPHAN } from './owners.js'

/** The field manager of the garbage collector's writes. */
export const GC_FIELD_MANAGER = 'kube-controller-manager'

/** What attemptToDelete did to a dependent. */
export type Outcome = 'kept' | 'deleted' | 'unlinked'

/** Deletes `dep` when no owner is solid, or drops its references to gone owners when one is. */
export async function attemptToDelete(ctx: ControllerContext, dep: KObject): Promise<Outcome> {
  if (!dep.metadata.ownerReferences?.length) return 'kept'
  if (dep.metadata.deletionTimestamp && !isWaitingForDependents(dep)) return 'kept'
  const { solid, dangling, waiting } = await classifyOwners(ctx.api, dep)
  if (solid.length) {
    if (!dangling.length && !waiting.length) return 'kept'
    const drop = new Set([...dangling, ...waiting].map((r) => r.uid))
    await removeOwnerRefs(ctx, dep, drop)
    return 'unlinked'
  }
  if (!dangling.length && !waiting.length) return 'kept'
  if (dep.metadata.deletionTimestamp) return 'kept'
  // A dependent with dependents of its own, whose owner waits in the foreground, is deleted in the
  // foreground too, so the wait covers the whole chain (Deployment → ReplicaSet → Pods).
  let policy: 'Foreground' | 'Background' | 'Orphan' = 'Background'
  const finalizers = dep.metadata.finalizers ?? []
  if (finalizers.includes(ORPHAN)) policy = 'Orphan'
  else if (finalizers.includes(FOREGROUND)) policy = 'Foreground'
  else if (waiting.length && (await findDependents(ctx.api, dep)).length) policy = 'Foreground'
  try {
    await ctx.api.delete(resourceOfKind(dep.kind)!, dep.metadata.namespace, dep.metadata.name!, {
      propagationPolicy: policy,
      preconditions: { uid: dep.metadata.uid },
    })
  } catch (err) {
    if (isNotFound(err)) return 'deleted'
    throw err
  }
  ctx.log({ level: 'info', msg: 'garbage collected', kind: dep.kind, namespace: dep.metadata.namespace, name: dep.metadata.name, policy })
  return 'deleted'
}

/** Foreground deletion of `owner`: delete its dependents; drop the finalizer when none blocks. */
export async function processForeground(ctx: ControllerContext, owner: KObject): Promise<'done' | 'waiting'> {
  for (const dep of await findDependents(ctx.api, owner)) await attemptToDelete(ctx, dep)
  const blocking = (await findDependents(ctx.api, owner)).filter((d) =>
    d.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid && r.blockOwnerDeletion === true),
  )
  if (blocking.length) return 'waiting'
  await removeFinalizer(ctx, owner, FOREGROUND)
  return 'done'
}

/** Orphan deletion of `owner`: remove its reference from every dependent, then the finalizer. */
export async function processOrphan(ctx: ControllerContext, owner: KObject): Promise<void> {
  for (const dep of await findDependents(ctx.api, owner)) await removeOwnerRefs(ctx, dep, new Set([owner.metadata.uid!]))
  await removeFinalizer(ctx, owner, ORPHAN)
}

/** Removes the owner references with the given uids from `obj` (re-reading it on a conflict). */
async function removeOwnerRefs(ctx: ControllerContext, obj: KObject, uids: Set<string>): Promise<void> {
  await rewrite(ctx, obj, (next) => {
    const refs = (next.metadata.ownerReferences ?? []).filter((r) => !uids.has(r.uid))
    if (refs.length === (next.metadata.ownerReferences ?? []).length) return false
    if (refs.length) next.metadata.ownerReferences = refs
    else delete next.metadata.ownerReferences
    return true
  })
}

/** Removes a finalizer from `obj` (the API removes a deleted object whose last finalizer goes). */
async function removeFinalizer(ctx: ControllerContext, obj: KObject, finalizer: string): Promise<void> {
  await rewrite(ctx, obj, (next) => {
    const fins = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer)
    if (fins.length === (next.metadata.finalizers ?? []).length) return false
    if (fins.length) next.metadata.finalizers = fins
    else delete next.metadata.finalizers
    return true
  })
}

/** Read-modify-write of an object's metadata, retried on conflicts; a vanished or replaced object is left alone. */
async function rewrite(ctx: ControllerContext, obj: KObject, change: (next: KObject) => boolean): Promise<void> {
  const resource = resourceOfKind(obj.kind)!
  let current = obj
  for (let attempt = 0; ; attempt++) {
    const next = clone(current)
    if (!change(next)) return
    try {
      await ctx.api.update(next, { fieldManager: GC_FIELD_MANAGER })
      return
    } catch (err) {
      if (isNotFound(err)) return
      if (!isConflict(err) || attempt >= 4) throw err
      try {
        current = await ctx.api.get(resource, obj.metadata.namespace, obj.metadata.name!)
      } catch (getErr) {
        if (isNotFound(getErr)) return
        throw getErr
      }
      if (current.metadata.uid !== obj.metadata.uid) return
    }
  }
}
