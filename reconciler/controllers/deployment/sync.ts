/**
 * The parts of a Deployment sync every strategy shares (pkg/controller/deployment/sync.go in our
 * words): claiming ReplicaSets, finding or creating the new one, proportional scaling, history
 * cleanup and the status.
 */
import { isAlreadyExists, isNotFound } from '../../api/errors.js'
import { clone, jsonEqual, type OwnerReference } from '../../api/object.js'
import type { LabelSelector } from '../../api/selectors/index.js'
import { labelSelectorOf } from '../runtime/selector-memo.js'
import { replicaSetCandidates } from './claim-candidates.js'
import type { ControllerContext } from '../runtime/types.js'
import {
  FIELD_MANAGER,
  POD_TEMPLATE_HASH_LABEL,
  Reasons,
  REVISION_ANNOTATION,
  type DeploymentObject,
  type DeploymentStatus,
  type ReplicaSetObject,
} from './types.js'
import {
  activeReplicaSets,
  actualReplicaCount,
  availableReplicaCount,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  computeHash,
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  getDeploymentCondition,
  getProportion,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  intAnnotation,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newDeploymentCondition,
  newRSNewReplicas,
  readyReplicaCount,
  replicaCount,
  replicasAnnotationsNeedUpdate,
  setDeploymentCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
} from './util.js'
import { copyRS, copyRSForAnnotations, updateReplicaSet, writeDeploymentStatus } from './writes.js'
import { DESIRED_REPLICAS_ANNOTATION } from './types.js'

/** The controller reference of an object, if any. */
export function controllerRefOf(o: { metadata: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller === true)
}

/** The owner reference a Deployment puts on its ReplicaSets (metav1.NewControllerRef). */
export function deploymentControllerRef(d: DeploymentObject): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name!, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }
}

/**
 * getReplicaSetsForDeployment with ClaimReplicaSets: of the namespace's ReplicaSets, keep those the
 * Deployment controls and still selects; release those it controls but no longer selects (unless
 * it is being deleted); adopt orphans it selects (unless it or they are being deleted, after
 * re-reading the Deployment to be sure it is still there). `noOrphans`: the caller's watch saw no
 * ReplicaSet without a controller in the namespace (see indexedCandidates); `selector`: d's, parsed.
 */
export async function getReplicaSetsForDeployment(
  ctx: ControllerContext,
  d: DeploymentObject,
  noOrphans = false,
  selector: LabelSelector = labelSelectorOf(d.spec.selector),
): Promise<ReplicaSetObject[]> {
  const all = (await replicaSetCandidates(ctx.api, d, selector, noOrphans)) as ReplicaSetObject[]
  const uid = d.metadata.uid
  const claimed: ReplicaSetObject[] = []
  let adoptionChecked = false
  for (const rs of all) {
    const ref = controllerRefOf(rs)
    const matches = !selector.empty && selector.matches(rs.metadata.labels)
    if (ref) {
      if (ref.uid !== uid) continue
      if (matches) {
        claimed.push(rs)
        continue
      }
      if (d.metadata.deletionTimestamp) continue
      // Release: drop our owner reference.
      const copy = copyRS(rs)
      copy.metadata.ownerReferences = (copy.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid)
      if (copy.metadata.ownerReferences.length === 0) delete copy.metadata.ownerReferences
      try {
        await updateReplicaSet(ctx, copy)
      } catch (err) {
        if (!isNotFound(err)) throw err
      }
      continue
    }
    if (d.metadata.deletionTimestamp || !matches || rs.metadata.deletionTimestamp) continue
    if (!adoptionChecked) {
      // RecheckDeletionTimestamp: adopt only for a live Deployment with the same uid.
      const fresh = await ctx.api.get('deployments', d.metadata.namespace, d.metadata.name!)
      if (fresh.metadata.uid !== uid) {
        throw new Error(`original Deployment ${d.metadata.namespace}/${d.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`)
      }
      if (fresh.metadata.deletionTimestamp) {
        throw new Error(`${d.metadata.namespace}/${d.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`)
      }
      adoptionChecked = true
    }
    const copy = copyRS(rs)
    copy.metadata.ownerReferences = [...(copy.metadata.ownerReferences ?? []), deploymentControllerRef(d)]
    try {
      claimed.push(await updateReplicaSet(ctx, copy))
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
  }
  return claimed
}

/** The new and old ReplicaSets of one sync. */
export interface ReplicaSets {
  newRS: ReplicaSetObject | undefined
  oldRSs: ReplicaSetObject[]
}

/**
 * getAllReplicaSetsAndSyncRevision: the old ReplicaSets, and the new one (created when `create`)
 * with its revision raised to one past the highest old revision and copied to the Deployment.
 */
export async function getAllReplicaSetsAndSyncRevision(ctx: ControllerContext, d: DeploymentObject, rsList: ReplicaSetObject[], create: boolean): Promise<ReplicaSets> {
  // FindNewReplicaSet once for both (it sorts and compares every template).
  const found = findNewReplicaSet(d, rsList)
  const oldRSs = findOldReplicaSets(d, rsList, found)
  const newRS = await getNewReplicaSet(ctx, d, rsList, oldRSs, create, found)
  return { newRS, oldRSs }
}

/** ReplicaSet names and the Deployment's are both DNS subdomains; the hash keeps them apart. */
function newReplicaSetObject(d: DeploymentObject): { rs: ReplicaSetObject; hash: string } {
  const template = clone(d.spec.template)
  const hash = computeHash(template, d.status?.collisionCount)
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } }
  const sel = clone(d.spec.selector)
  sel.matchLabels = { ...(sel.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash }
  const rs: ReplicaSetObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      ownerReferences: [deploymentControllerRef(d)],
      labels: { ...template.metadata.labels },
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector: sel, template },
  }
  return { rs, hash }
}

/**
 * getNewReplicaSet: the ReplicaSet whose template is the Deployment's. An existing one gets the
 * Deployment's annotations, the new revision and minReadySeconds (then this pass ends with that
 * write); otherwise the Deployment's revision annotation follows it, and a first Progressing
 * condition (FoundNewReplicaSet) is set. When none exists and `create`, it is created as
 * `<deployment>-<hash>`; a name taken by a ReplicaSet with another template is a hash collision:
 * status.collisionCount goes up and the error makes the sync retry with a new hash.
 */
export async function getNewReplicaSet(
  ctx: ControllerContext,
  d: DeploymentObject,
  rsList: ReplicaSetObject[],
  oldRSs: ReplicaSetObject[],
  create: boolean,
  existing: ReplicaSetObject | undefined = findNewReplicaSet(d, rsList),
): Promise<ReplicaSetObject | undefined> {
  const newRevision = String(maxRevision(oldRSs) + 1)
  const now = ctx.clock.now()

  if (existing) {
    // Only its annotations and spec.minReadySeconds change here.
    const copy = copyRSForAnnotations(existing)
    const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true)
    const minReadyNeedsUpdate = (copy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0)
    if (annotationsUpdated || minReadyNeedsUpdate) {
      copy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0
      return updateReplicaSet(ctx, copy, rsList)
    }
    let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_ANNOTATION] ?? '')
    if (hasProgressDeadline(d) && !getDeploymentCondition(d.status, 'Progressing')) {
      d.status ??= {}
      setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'True', Reasons.FoundNewReplicaSet, `Found new replica set "${copy.metadata.name}"`, now))
      needsUpdate = true
    }
    if (needsUpdate) await writeDeploymentStatus(ctx, d)
    return existing
  }

  if (!create) return undefined

  const { rs } = newReplicaSetObject(d)
  const count = newRSNewReplicas(d, [...oldRSs, rs], rs)
  rs.spec.replicas = count
  setNewReplicaSetAnnotations(d, rs, newRevision, false)

  let created: ReplicaSetObject
  let alreadyExists = false
  try {
    created = (await ctx.api.create(rs, { fieldManager: FIELD_MANAGER })) as ReplicaSetObject
  } catch (err) {
    if (isAlreadyExists(err)) {
      const found = (await ctx.api.get('replicasets', rs.metadata.namespace, rs.metadata.name!)) as ReplicaSetObject
      const ref = controllerRefOf(found)
      if (ref && ref.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, found.spec.template)) {
        created = found
        alreadyExists = true
      } else {
        // A hash collision: bump collisionCount so the next sync computes another name.
        d.status ??= {}
        const before = d.status.collisionCount ?? 0
        d.status.collisionCount = before + 1
        try {
          await writeDeploymentStatus(ctx, d)
          ctx.log({ msg: 'Found a hash collision for deployment - bumping collisionCount to resolve it', deployment: `${d.metadata.namespace}/${d.metadata.name}`, oldCollisionCount: before, newCollisionCount: before + 1 })
        } catch {
          // The original error is what requeues the Deployment.
        }
        throw err
      }
    } else {
      const msg = `Failed to create new replica set "${rs.metadata.name}": ${err instanceof Error ? err.message : String(err)}`
      if (hasProgressDeadline(d)) {
        d.status ??= {}
        setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'False', Reasons.FailedRSCreate, msg, now))
        await writeDeploymentStatus(ctx, d).catch(() => undefined)
      }
      await ctx.events.event(d, 'Warning', Reasons.FailedRSCreate, msg)
      throw err
    }
  }
  if (!alreadyExists) rsList.push(created)
  if (!alreadyExists && count > 0) {
    await ctx.events.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${count}`)
  }
  let needsUpdate = setDeploymentRevision(d, newRevision)
  if (!alreadyExists && hasProgressDeadline(d)) {
    d.status ??= {}
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'True', Reasons.NewReplicaSetCreated, `Created new replica set "${created.metadata.name}"`, now))
    needsUpdate = true
  }
  if (needsUpdate) await writeDeploymentStatus(ctx, d)
  return created
}

/**
 * scaleReplicaSet: sets spec.replicas and the desired-replicas / max-replicas annotations; a size
 * change records `Scaled up|down replica set NAME to N from M`.
 */
export async function scaleReplicaSet(
  ctx: ControllerContext,
  rs: ReplicaSetObject,
  newScale: number,
  d: DeploymentObject,
  operation: 'up' | 'down' | '',
  rsList?: ReplicaSetObject[],
): Promise<{ scaled: boolean; rs: ReplicaSetObject }> {
  const sizeNeedsUpdate = specReplicas(rs) !== newScale
  const desired = specReplicas(d)
  const max = desired + maxSurge(d)
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs }
  const oldScale = specReplicas(rs)
  const copy = copyRS(rs)
  copy.spec.replicas = newScale
  setReplicasAnnotations(copy, desired, max)
  const updated = await updateReplicaSet(ctx, copy, rsList)
  if (sizeNeedsUpdate) {
    await ctx.events.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata.name} to ${newScale} from ${oldScale}`)
  }
  return { scaled: sizeNeedsUpdate, rs: updated }
}

/** scaleReplicaSetAndRecordEvent: scaleReplicaSet when the size differs, naming the direction. */
export async function scaleReplicaSetAndRecordEvent(
  ctx: ControllerContext,
  rs: ReplicaSetObject,
  newScale: number,
  d: DeploymentObject,
  rsList?: ReplicaSetObject[],
): Promise<{ scaled: boolean; rs: ReplicaSetObject }> {
  if (specReplicas(rs) === newScale) return { scaled: false, rs }
  return scaleReplicaSet(ctx, rs, newScale, d, specReplicas(rs) < newScale ? 'up' : 'down', rsList)
}

/**
 * scale: a resize outside a rollout step. One active ReplicaSet (or none: the newest) simply takes
 * spec.replicas. A saturated new ReplicaSet means the old ones go to 0. Otherwise, for RollingUpdate,
 * the difference between replicas + maxSurge and the pods the active ReplicaSets have is shared in
 * proportion to their sizes (their max-replicas annotation is the base). Example: 10 replicas,
 * maxSurge 3, mid-rollout old 8 / new 5 (both annotated max-replicas 13), scaled to 15: allowed is
 * 15+3 = 18, so 5 more; largest first, old gets round(8*18/13)-8 = 3, new round(5*18/13)-5 = 2
 * (clamped to what is left); old 11 / new 7. Rounding leftovers go to the first (largest).
 */
export async function scale(ctx: ControllerContext, d: DeploymentObject, newRS: ReplicaSetObject | undefined, oldRSs: ReplicaSetObject[], rsList?: ReplicaSetObject[]): Promise<void> {
  const single = findActiveOrLatest(newRS, oldRSs)
  if (single) {
    if (specReplicas(single) === specReplicas(d)) return
    await scaleReplicaSetAndRecordEvent(ctx, single, specReplicas(d), d, rsList)
    return
  }
  if (isSaturated(d, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(ctx, old, 0, d, rsList)
    return
  }
  if (!isRollingUpdate(d)) return

  const all = activeReplicaSets([...oldRSs, newRS])
  const allReplicas = replicaCount(all)
  const allowed = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0
  const toAdd = allowed - allReplicas
  let operation: 'up' | 'down' | '' = ''
  if (toAdd > 0) {
    all.sort(bySizeNewer)
    operation = 'up'
  } else if (toAdd < 0) {
    all.sort(bySizeOlder)
    operation = 'down'
  }
  let added = 0
  const sizes = new Map<string, number>()
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = getProportion(rs, d, toAdd, added)
      sizes.set(rs.metadata.name!, specReplicas(rs) + p)
      added += p
    } else sizes.set(rs.metadata.name!, specReplicas(rs))
  }
  for (let i = 0; i < all.length; i++) {
    const rs = all[i]
    const name = rs.metadata.name!
    if (i === 0 && toAdd !== 0) {
      // Leftovers (from rounding) go to the largest ReplicaSet.
      sizes.set(name, Math.max(0, sizes.get(name)! + toAdd - added))
    }
    await scaleReplicaSet(ctx, rs, sizes.get(name)!, d, operation, rsList)
  }
}

/**
 * cleanupDeployment: keeps revisionHistoryLimit old ReplicaSets. The oldest by revision go first, and
 * only those fully scaled down (spec and status 0, generation observed, not already being deleted).
 */
export async function cleanupDeployment(ctx: ControllerContext, oldRSs: ReplicaSetObject[], d: DeploymentObject): Promise<void> {
  if (!hasRevisionHistoryLimit(d)) return
  const cleanable = oldRSs.filter((rs) => rs && !rs.metadata.deletionTimestamp)
  const diff = cleanable.length - d.spec.revisionHistoryLimit!
  if (diff <= 0) return
  cleanable.sort(byRevision)
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i]
    const observed = rs.status?.observedGeneration ?? 0
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > observed || rs.metadata.deletionTimestamp) continue
    try {
      await ctx.api.delete('replicasets', rs.metadata.namespace, rs.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: rs.metadata.uid } })
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
  }
}

/**
 * calculateStatus: counts summed over the ReplicaSets (zeros omitted, as Go's omitempty writes
 * them), the conditions carried over, and Available set from availability against
 * replicas - maxUnavailable.
 */
export function calculateStatus(allRSs: ReadonlyArray<ReplicaSetObject | undefined>, newRS: ReplicaSetObject | undefined, d: DeploymentObject, now: Date): DeploymentStatus {
  const available = availableReplicaCount(allRSs)
  const total = replicaCount(allRSs)
  const unavailable = Math.max(0, total - available)
  const s: DeploymentStatus = {}
  const put = (k: keyof DeploymentStatus, v: number | undefined): void => {
    if (v) (s as Record<string, unknown>)[k] = v
  }
  put('observedGeneration', d.metadata.generation)
  put('replicas', actualReplicaCount(allRSs))
  put('updatedReplicas', actualReplicaCount([newRS]))
  put('readyReplicas', readyReplicaCount(allRSs))
  put('availableReplicas', available)
  put('unavailableReplicas', unavailable)
  if (d.status?.collisionCount !== undefined && d.status.collisionCount !== null) s.collisionCount = d.status.collisionCount
  if (d.status?.conditions?.length) s.conditions = d.status.conditions.map((c) => ({ ...c }))
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setDeploymentCondition(s, newDeploymentCondition('Available', 'True', Reasons.MinimumReplicasAvailable, 'Deployment has minimum availability.', now))
  } else {
    setDeploymentCondition(s, newDeploymentCondition('Available', 'False', Reasons.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now))
  }
  return s
}

/** syncDeploymentStatus: writes the calculated status when it differs from the stored one. */
export async function syncDeploymentStatus(ctx: ControllerContext, allRSs: ReadonlyArray<ReplicaSetObject | undefined>, newRS: ReplicaSetObject | undefined, d: DeploymentObject): Promise<void> {
  const next = calculateStatus(allRSs, newRS, d, ctx.clock.now())
  if (jsonEqual(d.status ?? {}, next)) return
  d.status = next
  await writeDeploymentStatus(ctx, d)
}

/**
 * isScalingEvent: an active ReplicaSet was last scaled for another spec.replicas (its
 * desired-replicas annotation differs), so this sync is a resize, not a rollout step.
 */
export async function isScalingEvent(ctx: ControllerContext, d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false)
  for (const rs of activeReplicaSets([...oldRSs, newRS])) {
    const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION)
    if (desired === undefined) continue
    if (desired !== specReplicas(d)) return true
  }
  return false
}

/**
 * checkPausedConditions: with a progress deadline, pausing sets Progressing=Unknown
 * DeploymentPaused and resuming DeploymentResumed (so time spent paused never counts against the
 * deadline); a ProgressDeadlineExceeded condition is never overwritten.
 */
export async function checkPausedConditions(ctx: ControllerContext, d: DeploymentObject): Promise<void> {
  if (!hasProgressDeadline(d)) return
  const cond = getDeploymentCondition(d.status, 'Progressing')
  if (cond?.reason === Reasons.ProgressDeadlineExceeded) return
  const pausedCondExists = cond?.reason === Reasons.DeploymentPaused
  const now = ctx.clock.now()
  d.status ??= {}
  if (d.spec.paused && !pausedCondExists) {
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'Unknown', Reasons.DeploymentPaused, 'Deployment is paused', now))
  } else if (!d.spec.paused && pausedCondExists) {
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'Unknown', Reasons.DeploymentResumed, 'Deployment is resumed', now))
  } else return
  await writeDeploymentStatus(ctx, d)
}

/**
 * sync: the path for resizes and paused Deployments: no new ReplicaSet is created, existing ones are
 * scaled (proportionally when several are active), history is cleaned up while paused, and the
 * status is written.
 */
export async function sync(ctx: ControllerContext, d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false)
  await scale(ctx, d, newRS, oldRSs, rsList)
  const current = refresh(rsList, newRS, oldRSs)
  if (d.spec.paused) await cleanupDeployment(ctx, current.oldRSs, d)
  await syncDeploymentStatus(ctx, [...current.oldRSs, current.newRS], current.newRS, d)
}

/** syncStatusOnly: a Deployment being deleted only gets its status written. */
export async function syncStatusOnly(ctx: ControllerContext, d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false)
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d)
}

/** The same ReplicaSets as stored after this pass's writes (looked up in `rsList` by uid). */
export function refresh(rsList: ReplicaSetObject[], newRS: ReplicaSetObject | undefined, oldRSs: ReplicaSetObject[]): ReplicaSets {
  const byUid = new Map(rsList.map((rs) => [rs.metadata.uid, rs]))
  return {
    newRS: newRS ? (byUid.get(newRS.metadata.uid) ?? newRS) : undefined,
    oldRSs: oldRSs.map((rs) => byUid.get(rs.metadata.uid) ?? rs),
  }
}
