/**
 * A preview of merging head: offline, a throwaway in-memory state is synced to base (rollouts
 * settled on its virtual clock) and head is planned against it; against live, head is planned
 * against the given state. Nothing is written to the state planned against.
 */
import type { ApiServer } from '../../api/api-server.js'
import type { KObject } from '../../api/object.js'
import type { ReplicaSetObject } from '../../controllers/deployment/types.js'
import { SIM_CONFIGMAP_NAME, SIM_CONFIGMAP_NAMESPACE, simConfigFromData } from '../../controllers/sim/sim-config.js'
import { readSimConfig } from '../../controllers/sim/sim-store.js'
import type { SourceProblem } from '../desired.js'
import { idKey } from '../identity.js'
import { hpaTarget } from '../plan/hpa.js'
import { noteLines } from '../plan/make-plan.js'
import { SyncFailure, isSyncFailure } from '../sync/errors.js'
import { planCommit } from '../sync/plan-commit.js'
import { runSync } from '../sync/sync.js'
import { summarize } from './summarize.js'
import { throwawayState } from './throwaway.js'
import type { Preview, PreviewChange } from './types.js'

/** Options of `previewDiff`. */
export interface PreviewOptions {
  repo: string
  /** Required offline; ignored against live. */
  base?: string
  head: string
  path?: string
  namespace?: string
  cacheDir: string
  /** Plan against this state instead of a throwaway one synced to base. */
  live?: { api: ApiServer; now: () => Date }
}

/** Invalid input: a ref that does not resolve, or manifests that do not parse or validate. */
export class PreviewInvalid extends Error {
  constructor(
    readonly side: 'base' | 'head',
    message: string,
    readonly problems: SourceProblem[],
  ) {
    super(message)
  }
}

/** What merging head would change, each object summarized. Throws PreviewInvalid on invalid input. */
export async function previewDiff(o: PreviewOptions): Promise<Preview> {
  const namespace = o.namespace ?? 'default'
  const throwaway = o.live ? undefined : await throwawayState()
  try {
    const api = o.live?.api ?? throwaway!.api
    const now = o.live?.now ?? (() => throwaway!.clock.now())
    let baseCommit: string | undefined
    if (throwaway) {
      // Base: synced into the throwaway state, every rollout settled.
      const out = await runSync({ api, source: { repo: o.repo, ref: o.base, path: o.path, cacheDir: o.cacheDir }, namespace, prune: true, allowEmpty: true, full: true, now, runCluster: throwaway.runCluster })
      if (out.result === 'Failed' && out.reason !== 'HealthCheckFailed') throw new PreviewInvalid('base', `base ${o.base ?? 'HEAD'}: ${out.message}`, out.problems)
      baseCommit = out.commit?.oid ?? out.record?.spec.commit
    }
    // Head: planned against that state.
    let planned
    try {
      planned = await planCommit({ api, source: { repo: o.repo, ref: o.head, path: o.path, cacheDir: o.cacheDir }, namespace, now })
    } catch (err) {
      if (isSyncFailure(err)) throw new PreviewInvalid('head', `head ${o.head}: ${err.message}`, (err as SyncFailure).problems)
      throw err
    }
    const { plan, src } = planned
    if (plan.problems.length) throw new PreviewInvalid('head', `head ${o.head}: ${plan.problems.length} problem(s)`, plan.problems)
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
    return { ...(baseCommit ? { base: baseCommit } : {}), head: src.commit.oid, against: o.live ? 'live' : 'base', changes, notes: noteLines(plan.notes.filter((n) => n.kind !== 'ReplicasOwnedByHPA' || changed.some((c) => n.id && idKey(n.id) === idKey(c.id)))), warnings: plan.warnings }
  } finally {
    await throwaway?.close()
  }
}
