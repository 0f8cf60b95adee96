/**
 * Which pods a ReplicaSet owns (ClaimPods, controller_ref_manager.go): pods it controls and whose
 * labels still match its selector; orphans that match are adopted; pods it controls that no longer
 * match are released. Another controller's pods are never touched, and a ReplicaSet being deleted
 * neither adopts nor releases.
 */
import type { ApiClient } from '../../api/client.js'
import { isNotFound } from '../../api/errors.js'
import { clone, type KObject } from '../../api/object.js'
import { kindByName, type KindInfo } from '../../api/kinds.js'
import { indexableTerms, type LabelSelector } from '../../api/selectors/index.js'
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

/** An ApiServer's owner-uid index, when the client is one (the HTTP client lists instead). */
interface WithDependents {
  dependents(uid: string, kinds?: readonly KindInfo[]): Promise<KObject[]>
}

/** Whether the client answers owner-uid lookups from an index (an ApiServer does). */
export function hasDependentsIndex(api: ApiClient): api is ApiClient & WithDependents {
  return typeof (api as Partial<WithDependents>).dependents === 'function'
}

/** The kinds list for a pods-only dependents lookup. */
export const POD_KIND: readonly KindInfo[] = [kindByName('Pod')!]

/**
 * The pods of the ReplicaSet's namespace that claiming can decide anything about, in list (key)
 * order: those its selector's equality terms match and those it controls. Every other pod of the
 * namespace is 'ignore' (neither matching nor controlled), so claiming over these gives what
 * claiming over the whole namespace gives — without reading every pod of the namespace on every
 * pass. Without indexes (an HTTP client, a selector with no equality term), the whole namespace.
 */
export async function claimCandidates(api: ApiClient, rs: KObject, selector: LabelSelector, noOrphans = false): Promise<KObject[]> {
  return indexedCandidates(api, rs, selector, 'pods', POD_KIND, noOrphans)
}

/**
 * The objects of `resource` in `owner`'s namespace that claiming by `owner` can decide anything
 * about, in list (name) order: those `selector`'s equality terms match (the label index) and those
 * `owner` controls (the owner index). The whole namespace without indexes (an HTTP client) or
 * without an equality term. Shared by the ReplicaSet controller (pods) and the Deployment
 * controller (ReplicaSets).
 *
 * With `noOrphans` (the caller's watch saw no object of `resource` without a controller in the
 * namespace: an OrphanIndex), only those `owner` controls: claiming adopts nothing else and ignores
 * every object another controller controls, so the label list would add nothing it acts on.
 */
export async function indexedCandidates(api: ApiClient, owner: KObject, selector: LabelSelector, resource: string, kinds: readonly KindInfo[], noOrphans = false): Promise<KObject[]> {
  const ns = owner.metadata.namespace
  if (noOrphans && owner.metadata.uid && hasDependentsIndex(api)) {
    const controlled = (await api.dependents(owner.metadata.uid, kinds)).filter((o) => o.metadata.namespace === ns)
    return controlled.length > 1 ? controlled.sort(nameOrder) : controlled
  }
  const terms = selector.nothing || selector.empty ? [] : indexableTerms(selector)
  if (!terms.length || !owner.metadata.uid || !hasDependentsIndex(api)) return (await api.list(resource, { namespace: ns })).items
  const labelSelector = terms.map(([k, v]) => `${k}=${v}`).join(',')
  const [matching, controlled] = await Promise.all([api.list(resource, { namespace: ns, labelSelector }), api.dependents(owner.metadata.uid, kinds)])
  const byName = new Map<string, KObject>()
  for (const o of matching.items) byName.set(o.metadata.name!, o)
  let extra = false
  for (const o of controlled) {
    if (o.metadata.namespace !== ns || byName.has(o.metadata.name!)) continue
    byName.set(o.metadata.name!, o)
    extra = true
  }
  if (!extra) return matching.items
  return [...byName.values()].sort(nameOrder)
}

/** List (name) order within one namespace. */
function nameOrder(a: KObject, b: KObject): number {
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0
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
