/**
 * Which pods a ReplicaSet owns (ClaimPods, controller_ref_manager.go): pods it controls and whose
 * labels still match its selector; orphans that match are adopted; pods it controls that no longer
 * match are released. Another controller's pods are never touched, and a ReplicaSet being deleted
 * neither adopts nor releases.
 */
import type { ApiClient } from '../../api/client.js'
import { isNotFound } from '../../api/errors.js'
import { clone, type KObject } from '../../api/object.js'
import type { LabelSelector } from '../../api/selectors/index.js'
import { controllerRefOf } from './pod-util.js'
import { replicaSetControllerRef } from './util.js'

/** The field manager of the ReplicaSet controller's writes. */
export const FIELD_MANAGER = 'kube-controller-manager'

/** What claiming decided for one pod. */
export type ClaimDecision = 'owned' | 'adopt' | 'release' | 'ignore'

/** The decision for one pod, without writing (ClaimObject's branches). */
export function claimDecision(rs: KObject, selector: LabelSelector, pod: KObject): ClaimDecision {
  const ref = controllerRefOf(pod)
  const matches = selector.matches(pod.metadata.labels)
  if (ref) {
    if (ref.uid !== rs.metadata.uid) return 'ignore'
    if (matches) return 'owned'
    return rs.metadata.deletionTimestamp ? 'ignore' : 'release'
  }
  if (rs.metadata.deletionTimestamp || !matches || pod.metadata.deletionTimestamp) return 'ignore'
  if (pod.metadata.namespace !== rs.metadata.namespace) return 'ignore'
  return 'adopt'
}

/**
 * Claims pods for `rs` and returns the ones it owns afterwards. Adoption first re-reads the
 * ReplicaSet (RecheckDeletionTimestamp): a ReplicaSet that is gone, replaced (new uid) or being
 * deleted adopts nothing. The first write error is thrown after every pod was tried.
 */
export async function claimPods(api: ApiClient, rs: KObject, selector: LabelSelector, pods: KObject[]): Promise<KObject[]> {
  const claimed: KObject[] = []
  let canAdopt: boolean | undefined
  let firstError: unknown
  for (const pod of pods) {
    const decision = claimDecision(rs, selector, pod)
    try {
      if (decision === 'owned') claimed.push(pod)
      else if (decision === 'release') await release(api, rs, pod)
      else if (decision === 'adopt') {
        canAdopt ??= await stillAdoptable(api, rs)
        if (!canAdopt) continue
        const adopted = await adopt(api, rs, pod)
        if (adopted) claimed.push(adopted)
      }
    } catch (err) {
      if (isNotFound(err)) continue
      firstError ??= err
    }
  }
  if (firstError) throw firstError
  return claimed
}

async function stillAdoptable(api: ApiClient, rs: KObject): Promise<boolean> {
  try {
    const fresh = await api.get('replicasets', rs.metadata.namespace, rs.metadata.name!)
    return fresh.metadata.uid === rs.metadata.uid && !fresh.metadata.deletionTimestamp
  } catch (err) {
    if (isNotFound(err)) return false
    throw err
  }
}

async function adopt(api: ApiClient, rs: KObject, pod: KObject): Promise<KObject | undefined> {
  const next = clone(pod)
  next.metadata.ownerReferences = [...(pod.metadata.ownerReferences ?? []), replicaSetControllerRef(rs)]
  return api.update(next, { fieldManager: FIELD_MANAGER })
}

async function release(api: ApiClient, rs: KObject, pod: KObject): Promise<void> {
  const next = clone(pod)
  next.metadata.ownerReferences = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== rs.metadata.uid)
  if (!next.metadata.ownerReferences.length) delete next.metadata.ownerReferences
  await api.update(next, { fieldManager: FIELD_MANAGER })
}
