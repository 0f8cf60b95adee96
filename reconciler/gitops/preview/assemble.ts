/** From a plan of head (against base or live) to a Preview: the changed objects, each summarized with what the state around it says. */
import type { ApiServer } from '../../api/api-server.js'
import type { KObject } from '../../api/object.js'
import type { ReplicaSetObject } from '../../controllers/deployment/types.js'
import { SIM_CONFIGMAP_NAME, SIM_CONFIGMAP_NAMESPACE, simConfigFromData } from '../../controllers/sim/sim-config.js'
import { readSimConfig } from '../../controllers/sim/sim-store.js'
import { idKey } from '../identity.js'
import { hpaTarget } from '../plan/hpa.js'
import { noteLines, type StagedPlan } from '../plan/make-plan.js'
import { summarize } from './summarize.js'
import type { Preview, PreviewChange } from './types.js'

/** The Preview of `plan`, made in the state under `api` (base's, or live); `base` is the base commit offline. */
export async function assemblePreview({ api, plan, head, base, against }: { api: ApiServer; plan: StagedPlan; head: string; base?: string; against: Preview['against'] }): Promise<Preview> {
  const changed = plan.changes.filter((c) => c.action !== 'unchanged')
  // What the summaries look at: ReplicaSets, Deployments after head, the registry after head, HPA owners.
  const needsRs = changed.some((c) => c.id.kind === 'Deployment')
  const replicaSets = needsRs ? ((await api.list('replicasets')).items as ReplicaSetObject[]) : []
  const needsDeps = changed.some((c) => c.id.kind === 'ConfigMap' || c.id.kind === 'Secret')
  const deployments: KObject[] = []
  if (needsDeps) {
    for (const d of (await api.list('deployments')).items) if (!plan.applied.has(idKey({ group: 'apps', kind: 'Deployment', namespace: d.metadata.namespace ?? '', name: d.metadata.name! }))) deployments.push(d)
    for (const [key, obj] of plan.applied) if (key.startsWith('apps/Deployment/')) deployments.push(obj)
  }
  const simCm = plan.applied.get(`/ConfigMap/${SIM_CONFIGMAP_NAMESPACE}/${SIM_CONFIGMAP_NAME}`)
  const sim = simCm ? simConfigFromData(simCm.data as Record<string, string> | undefined).config : await readSimConfig(api)
  const replicasOwners = new Map<string, string>()
  for (const [key, obj] of plan.applied) {
    if (!key.startsWith('autoscaling/HorizontalPodAutoscaler/')) continue
    const t = hpaTarget(obj)
    if (t) replicasOwners.set(t, `${obj.metadata.namespace}/${obj.metadata.name}`)
  }
  const changes: PreviewChange[] = changed.map((c) => {
    const key = idKey(c.id)
    const before = plan.before.get(key)
    const after = c.action === 'prune' ? undefined : plan.applied.get(key)
    const s = summarize({ action: c.action as PreviewChange['action'], kind: c.id.kind, namespace: c.id.namespace, name: c.id.name, before, after, patch: c.patch, takesOverFrom: c.takesOverFrom }, { replicaSets, deployments, sim, replicasOwners })
    const out: PreviewChange = { id: c.id, action: c.action as PreviewChange['action'], patch: c.patch, diff: c.diff, summary: s.summary, warnings: s.warnings }
    if (c.file) out.file = c.file
    if (c.line) out.line = c.line
    return out
  })
  const notes = noteLines(plan.notes.filter((n) => n.kind !== 'ReplicasOwnedByHPA' || changed.some((c) => n.id && idKey(n.id) === idKey(c.id))))
  return { ...(base ? { base } : {}), head, against, changes, notes, warnings: plan.warnings }
}
