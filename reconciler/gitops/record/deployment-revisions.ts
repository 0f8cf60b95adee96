/**
 * The revision each touched Deployment reached: read after the rollout settled, compared with what
 * it had before the sync. `rollback` marks a Deployment that went back to a ReplicaSet it already
 * had (a revert): the controller scaled that one up and gave it the next revision; no new one was made.
 */
import type { ApiClient } from '../../api/client.js'
import { deploymentReplicaSets } from '../../controllers/deployment/rollout.js'
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, type DeploymentObject } from '../../controllers/deployment/types.js'
import type { DeploymentRevision } from './types.js'

/** What a Deployment had before the sync. */
export interface DeploymentBefore {
  namespace: string
  name: string
  revision?: number
  /** Its ReplicaSets' names. */
  replicaSets: string[]
}

function revisionOf(d: { metadata: { annotations?: Record<string, string> } }): number | undefined {
  const v = Number(d.metadata.annotations?.[REVISION_ANNOTATION])
  return Number.isInteger(v) && v > 0 ? v : undefined
}

/** A Deployment's revision and ReplicaSets now (before a sync changes it). */
export async function deploymentBefore(api: ApiClient, live: DeploymentObject): Promise<DeploymentBefore> {
  const { all } = await deploymentReplicaSets(api, live)
  const rev = revisionOf(live)
  return { namespace: live.metadata.namespace!, name: live.metadata.name!, ...(rev ? { revision: rev } : {}), replicaSets: all.map((r) => r.metadata.name!) }
}

/** The revision entry of a Deployment now, given what it had before (absent before: created by this sync). */
export async function deploymentRevision(api: ApiClient, namespace: string, name: string, before: DeploymentBefore | undefined): Promise<DeploymentRevision | undefined> {
  let d: DeploymentObject
  try {
    d = (await api.get('deployments', namespace, name)) as DeploymentObject
  } catch {
    return undefined
  }
  const revision = revisionOf(d)
  const { newRS } = await deploymentReplicaSets(api, d)
  const out: DeploymentRevision = { namespace, name, revision: revision ?? 0 }
  if (newRS) {
    out.replicaSet = newRS.metadata.name!
    const hash = newRS.metadata.labels?.[POD_TEMPLATE_HASH_LABEL]
    if (hash) out.podTemplateHash = hash
  }
  if (before?.revision !== undefined) out.previousRevision = before.revision
  if (before && newRS && revision !== before.revision && before.replicaSets.includes(newRS.metadata.name!)) out.rollback = true
  return out
}
