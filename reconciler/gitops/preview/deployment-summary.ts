/**
 * What a Deployment change will do: roll its pods to a new revision (how many, with maxSurge and
 * maxUnavailable resolved as the controller resolves them), return to an existing ReplicaSet (a
 * rollback: the template equals an old ReplicaSet's, ignoring the pod-template-hash label), scale,
 * or change nothing the controller acts on.
 */
import type { KObject } from '../../api/object.js'
import type { DeploymentObject, ReplicaSetObject } from '../../controllers/deployment/types.js'
import { equalIgnoreHash, maxRevision, maxSurge, maxUnavailable, revisionOf, specReplicas } from '../../controllers/deployment/util.js'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** The rollout parameters as the controller resolves them, e.g. `RollingUpdate: maxSurge 1, maxUnavailable 0`. */
export function strategyText(d: DeploymentObject): string {
  if (d.spec.strategy?.type === 'Recreate') return 'Recreate: every old pod stops before new ones start'
  return `RollingUpdate: maxSurge ${maxSurge(d)}, maxUnavailable ${maxUnavailable(d)}`
}

/** The ReplicaSets of `d` among `rss` (owned by its uid). */
export function ownedReplicaSets(d: KObject, rss: readonly ReplicaSetObject[]): ReplicaSetObject[] {
  return rss.filter((rs) => (rs.metadata.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.uid === d.metadata.uid))
}

/** One line for a Deployment created, updated or deleted; `rss` are the base state's ReplicaSets of it. */
export function deploymentSummary(action: 'create' | 'update' | 'prune', before: DeploymentObject | undefined, after: DeploymentObject | undefined, rss: readonly ReplicaSetObject[]): string {
  if (action === 'create') return `creates ${plural(specReplicas(after!), 'pod')} at revision 1`
  if (action === 'prune') return `deletes the Deployment and its ${plural(specReplicas(before!), 'pod')}`
  const b = before!
  const a = after!
  const from = specReplicas(b)
  const to = specReplicas(a)
  const parts: string[] = []
  if (!equalIgnoreHash(b.spec.template, a.spec.template)) {
    const next = maxRevision(rss) + 1
    const back = rss.find((rs) => equalIgnoreHash(rs.spec.template, a.spec.template) && !equalIgnoreHash(rs.spec.template, b.spec.template))
    if (a.spec.paused) parts.push(`template changes but the Deployment is paused: no pods roll until it is resumed`)
    else if (back) parts.push(`rolls back to ReplicaSet ${back.metadata.name} (revision ${revisionOf(back) ?? '?'}, which becomes revision ${next}): ${plural(to, 'pod')} (${strategyText(a)})`)
    else parts.push(`rolls ${plural(to, 'pod')} to revision ${next} (${strategyText(a)})`)
  }
  if (from !== to) parts.push(`scales from ${from} to ${to}`)
  if (!parts.length) parts.push('no rollout (the pod template is unchanged)')
  return parts.join('; ')
}

/** Every image of a pod template (init containers first). */
export function templateImages(d: KObject | undefined): string[] {
  const spec = (d?.spec as { template?: { spec?: { containers?: Array<{ image?: string }>; initContainers?: Array<{ image?: string }> } } } | undefined)?.template?.spec
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.image).filter((i): i is string => typeof i === 'string')
}
