/**
 * What a plan reads from the live state: the kinds git may hold (not those the controllers or the
 * API server write: Events, Pods, ReplicaSets, Endpoints, Nodes, SyncRecords), the objects of those
 * kinds that capstan manages, and who owns a Deployment's spec.replicas.
 */
import type { ApiServer } from '../api/api-server.js'
import { KINDS } from '../api/kinds.js'
import type { KObject } from '../api/object.js'
import type { DesiredObject } from './desired.js'
import { isManaged, MANAGED_SELECTOR } from './labels.js'
import { hpaTarget } from './plan/hpa.js'

/** Kinds never planned from git. */
const NOT_PLANNED = new Set(['Event', 'Pod', 'ReplicaSet', 'Endpoints', 'Node', 'SyncRecord'])

/** Kinds git may hold, whose managed objects a plan lists from live. */
export const PLANNED_KINDS = KINDS.filter((k) => !NOT_PLANNED.has(k.kind))

/** Every live object capstan manages, kind by kind in PLANNED_KINDS order. */
export async function listManaged(api: ApiServer): Promise<KObject[]> {
  const live: KObject[] = []
  for (const k of PLANNED_KINDS) live.push(...(await api.list(k, { labelSelector: MANAGED_SELECTOR })).items)
  return live
}

/**
 * Who owns each Deployment's spec.replicas (`namespace/name` of the HPA, by the target's identity
 * key), as a plan of a commit computes it: live HPAs capstan does not manage, then git's HPAs.
 */
export async function replicasOwners(api: ApiServer, desired: readonly DesiredObject[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>()
  for (const h of (await api.list('horizontalpodautoscalers')).items) {
    const t = isManaged(h) ? undefined : hpaTarget(h)
    if (t) owners.set(t, `${h.metadata.namespace}/${h.metadata.name}`)
  }
  for (const d of desired) {
    const t = d.id.kind === 'HorizontalPodAutoscaler' ? hpaTarget(d.object) : undefined
    if (t) owners.set(t, `${d.id.namespace}/${d.id.name}`)
  }
  return owners
}
