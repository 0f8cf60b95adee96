/** The order changes are made in: what others live in or refer to first; prune in reverse. */
import { idKey, type ObjectId } from '../identity.js'

/**
 * Kinds in apply order: namespaces hold everything; node pools make the nodes pods land on;
 * ConfigMaps and Secrets before the pods that mount them (else CreateContainerConfigError); Services
 * before the Deployments whose pods they front; HPAs after their targets; Ingresses after their
 * Services. Kinds not listed go between Deployments and HPAs.
 */
export const KIND_ORDER = ['Namespace', 'NodePool', 'Node', 'ConfigMap', 'Secret', 'Service', 'Endpoints', 'Deployment', 'ReplicaSet', 'Pod', '*', 'HorizontalPodAutoscaler', 'Ingress']

const OTHER = KIND_ORDER.indexOf('*')

/** The rank of a kind in KIND_ORDER. */
export function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind)
  return i < 0 ? OTHER : i
}

/** Apply order: by kind rank, then namespace, then name (stable for equal keys). */
export function byApplyOrder(a: ObjectId, b: ObjectId): number {
  return kindRank(a.kind) - kindRank(b.kind) || (idKey(a) < idKey(b) ? -1 : idKey(a) > idKey(b) ? 1 : 0)
}

/** Prune order: the reverse of apply order (Ingresses first, Namespaces last). */
export function byPruneOrder(a: ObjectId, b: ObjectId): number {
  return byApplyOrder(b, a)
}
