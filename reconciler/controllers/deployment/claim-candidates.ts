/**
 * The ReplicaSets of a Deployment's namespace that claiming can decide anything about, read from
 * the API's indexes instead of listing the namespace on every sync (which made a namespace of N
 * Deployments cost N² reads): those the selector's equality terms match, and those the Deployment
 * controls (the owner index). Any other ReplicaSet of the namespace neither matches the selector
 * nor names the Deployment as its controller, so getReplicaSetsForDeployment skips it: claiming over
 * these gives what claiming over the whole namespace gives, in the same (key) order.
 */
import type { ApiClient } from '../../api/client.js'
import { kindByName } from '../../api/kinds.js'
import type { KObject } from '../../api/object.js'
import { indexableTerms, type LabelSelector } from '../../api/selectors/index.js'
import { hasDependentsIndex } from '../replicaset/claim.js'

const RS_KIND = [kindByName('ReplicaSet')!]

/** The candidate ReplicaSets for claiming by `d` (the whole namespace without indexes: an HTTP client, a selector without an equality term). */
export async function replicaSetCandidates(api: ApiClient, d: KObject, selector: LabelSelector): Promise<KObject[]> {
  const ns = d.metadata.namespace
  const terms = selector.nothing || selector.empty ? [] : indexableTerms(selector)
  if (!terms.length || !d.metadata.uid || !hasDependentsIndex(api)) return (await api.list('replicasets', { namespace: ns })).items
  const labelSelector = terms.map(([k, v]) => `${k}=${v}`).join(',')
  const [matching, controlled] = await Promise.all([api.list('replicasets', { namespace: ns, labelSelector }), api.dependents(d.metadata.uid, RS_KIND)])
  const byName = new Map<string, KObject>()
  for (const rs of matching.items) byName.set(rs.metadata.name!, rs)
  let extra = false
  for (const rs of controlled) {
    if (rs.metadata.namespace !== ns || byName.has(rs.metadata.name!)) continue
    byName.set(rs.metadata.name!, rs)
    extra = true
  }
  if (!extra) return matching.items
  return [...byName.values()].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0))
}
