/**
 * Classifying a dependent's owners (attemptToDeleteItem's classifyReferences): an owner is
 * dangling when no object of that kind and name exists with the referenced uid (same name, new uid
 * counts as gone), waiting when it exists but is being deleted in the foreground, and solid
 * otherwise. An owner of a kind capstan does not serve is treated as solid: it cannot be checked.
 */
import type { ApiClient } from '../../api/client.js'
import { kindByName } from '../../api/kinds.js'
import type { KObject, OwnerReference } from '../../api/object.js'
import { findObject } from '../runtime/find-object.js'

/** The foreground-deletion finalizer. */
export const FOREGROUND = 'foregroundDeletion'
/** The orphan finalizer. */
export const ORPHAN = 'orphan'

/** A dependent's owner references, by what became of their owners. */
export interface ClassifiedOwners {
  solid: OwnerReference[]
  dangling: OwnerReference[]
  waiting: OwnerReference[]
}

/** Being deleted in the foreground: has a deletionTimestamp and the foregroundDeletion finalizer. */
export function isWaitingForDependents(obj: KObject): boolean {
  return !!obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).includes(FOREGROUND)
}

/** Looks up each owner of `dep` and sorts the references into solid, dangling and waiting. */
export async function classifyOwners(api: ApiClient, dep: KObject): Promise<ClassifiedOwners> {
  const out: ClassifiedOwners = { solid: [], dangling: [], waiting: [] }
  for (const ref of dep.metadata.ownerReferences ?? []) {
    const k = kindByName(ref.kind)
    if (!k) {
      out.solid.push(ref)
      continue
    }
    if (k.namespaced && !dep.metadata.namespace) {
      // A cluster-scoped object cannot be owned by a namespaced one.
      out.dangling.push(ref)
      continue
    }
    const owner = await findObject(api, k.plural, k.namespaced ? dep.metadata.namespace : undefined, ref.name)
    if (!owner || owner.metadata.uid !== ref.uid) out.dangling.push(ref)
    else if (isWaitingForDependents(owner)) out.waiting.push(ref)
    else out.solid.push(ref)
  }
  return out
}
