/** One line per changed object saying what will happen, and warnings of what will go wrong. */
import type { Operation } from 'fast-json-patch'
import type { KObject } from '../../api/object.js'
import type { DeploymentObject, ReplicaSetObject } from '../../controllers/deployment/types.js'
import { imageExists } from '../../controllers/sim/registry.js'
import type { SimConfig } from '../../controllers/sim/sim-config.js'
import { hpaTarget } from '../plan/hpa.js'
import type { ChangeAction } from '../plan/types.js'
import { consumersOf, consumersText } from './consumers.js'
import { deploymentSummary, ownedReplicaSets, templateImages } from './deployment-summary.js'
import { ingressSummary } from './ingress-summary.js'

/** What the summaries look at besides the object's two sides. */
export interface SummaryContext {
  /** The ReplicaSets of the state head is planned against. */
  replicaSets: readonly ReplicaSetObject[]
  /** Deployments as they will be after head (for ConfigMap and Secret consumers). */
  deployments: readonly KObject[]
  /** The simulated registry after head. */
  sim: SimConfig
  /** Deployment key → the HPA owning its replicas. */
  replicasOwners?: ReadonlyMap<string, string>
}

/** One change to summarize. */
export interface SummaryInput {
  action: Exclude<ChangeAction, 'unchanged'>
  kind: string
  namespace: string
  name: string
  before?: KObject
  after?: KObject
  patch: Operation[]
  takesOverFrom?: string[]
}

const VERB: Record<SummaryInput['action'], string> = { create: 'created', update: 'updated', prune: 'deleted' }

/** The top-level fields a patch touches, e.g. `spec.ports, metadata.labels`. */
function fieldsOf(patch: readonly Operation[]): string {
  const fields = new Set(patch.map((op) => op.path.split('/').slice(1, 3).join('.')))
  const list = [...fields].sort()
  return list.slice(0, 3).join(', ') + (list.length > 3 ? `, and ${list.length - 3} more` : '')
}

/** The summary and warnings of one change. */
export function summarize(c: SummaryInput, ctx: SummaryContext): { summary: string; warnings: string[] } {
  const warnings: string[] = []
  let summary: string
  switch (c.kind) {
    case 'Deployment': {
      const owned = ownedReplicaSets(c.before ?? c.after!, ctx.replicaSets)
      summary = deploymentSummary(c.action, c.before as DeploymentObject | undefined, c.after as DeploymentObject | undefined, owned)
      const owner = ctx.replicasOwners?.get(`apps/Deployment/${c.namespace}/${c.name}`)
      if (owner && c.action !== 'prune') summary += `; spec.replicas belongs to HorizontalPodAutoscaler ${owner}`
      if (c.action !== 'prune') {
        const beforeImages = new Set(templateImages(c.before))
        for (const image of new Set(templateImages(c.after))) {
          if (!imageExists(ctx.sim, image)) warnings.push(`image ${image} is not in the simulated registry: its pods will fail to pull (ErrImagePull)${beforeImages.has(image) ? ' (already so in base)' : ''}`)
        }
      }
      break
    }
    case 'ConfigMap':
    case 'Secret': {
      const consumers = consumersOf(c.kind, c.namespace, c.name, ctx.deployments)
      if (c.action === 'prune') summary = consumers.length ? `deleted while ${consumersText(consumers).replace(/^consumed by /, '')} still reference it` : 'deleted; no Deployment consumes it'
      else summary = `${VERB[c.action]}${c.action === 'update' ? ` (${fieldsOf(c.patch)})` : ''}; ${consumersText(consumers)}`
      break
    }
    case 'HorizontalPodAutoscaler': {
      const target = hpaTarget(c.after ?? c.before!)?.split('/').pop() ?? '?'
      const spec = (c.after?.spec ?? {}) as { minReplicas?: number; maxReplicas?: number }
      summary = c.action === 'prune' ? `deleted; spec.replicas of deployment/${target} goes back to git` : `${VERB[c.action]}; owns spec.replicas of deployment/${target} (${spec.minReplicas ?? 1}–${spec.maxReplicas ?? '?'} replicas)`
      break
    }
    case 'Ingress': {
      const routes = ingressSummary(c.before, c.after)
      summary = `${VERB[c.action]}${routes ? `; ${routes}` : c.action === 'update' ? ` (${fieldsOf(c.patch)}; routing unchanged)` : ''}`
      break
    }
    default:
      summary = `${VERB[c.action]}${c.action === 'update' ? ` (${fieldsOf(c.patch)})` : ''}`
  }
  if (c.takesOverFrom?.length) summary += `; takes fields over from ${c.takesOverFrom.join(', ')}`
  return { summary, warnings }
}
