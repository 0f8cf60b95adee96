/** A plan of one commit against the live state, written nowhere: what `capstan status` compares. */
import { ApiServer } from '../../api/api-server.js'
import { KINDS } from '../../api/kinds.js'
import type { KObject } from '../../api/object.js'
import { StagedStorage } from '../../storage/staged.js'
import { MANAGED_SELECTOR } from '../labels.js'
import { hpaTarget } from '../plan/hpa.js'
import { makePlan, type StagedPlan } from '../plan/make-plan.js'
import { isManaged } from '../labels.js'
import { storedBlobCache } from '../state/blob-store.js'
import { renderAll } from './render.js'
import { resolveSource, type ResolvedSource, type SourceSpec } from './source.js'

const LISTED = KINDS.filter((k) => !['Event', 'Pod', 'ReplicaSet', 'Endpoints', 'SyncRecord', 'Node'].includes(k.kind))

/** Plans `source` (every object, prunes included) against the state under `api`; nothing is written. Throws SyncFailure. */
export async function planCommit({ api, source, namespace = 'default', now }: { api: ApiServer; source: SourceSpec; namespace?: string; now: () => Date }): Promise<{ src: ResolvedSource; plan: StagedPlan; live: KObject[] }> {
  const src = await resolveSource(source)
  const rendered = await renderAll({ repo: src.repo, commit: src.commit.oid, path: src.path, cache: storedBlobCache(api.storage), namespace })
  const live: KObject[] = []
  for (const k of LISTED) live.push(...(await api.list(k, { labelSelector: MANAGED_SELECTOR })).items)
  const owners = new Map<string, string>()
  for (const h of (await api.list('horizontalpodautoscalers')).items) {
    const t = isManaged(h) ? undefined : hpaTarget(h)
    if (t) owners.set(t, `${h.metadata.namespace}/${h.metadata.name}`)
  }
  for (const d of rendered.desired) {
    const t = d.id.kind === 'HorizontalPodAutoscaler' ? hpaTarget(d.object) : undefined
    if (t) owners.set(t, `${d.id.namespace}/${d.id.name}`)
  }
  const stage = new ApiServer({ storage: new StagedStorage(api.storage), now })
  const plan = await makePlan({ stage, desired: rendered.desired, liveManaged: live, replicasOwners: owners, prune: true, allowEmpty: true })
  return { src, plan, live }
}
