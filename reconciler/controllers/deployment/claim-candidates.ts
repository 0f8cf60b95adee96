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
import type { LabelSelector } from '../../api/selectors/index.js'
import { indexedCandidates } from '../replicaset/claim.js'

const RS_KIND = [kindByName('ReplicaSet')!]

/** The candidate ReplicaSets for claiming by `d` (the whole namespace without indexes: an HTTP client, a selector without an equality term). */
export async function replicaSetCandidates(api: ApiClient, d: KObject, selector: LabelSelector, noOrphans = false): Promise<KObject[]> {
  return indexedCandidates(api, d, selector, 'replicasets', RS_KIND, noOrphans)
}
