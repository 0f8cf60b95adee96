/** A plan of one commit against the live state, written nowhere: what `capstan status` compares. */
import { ApiServer } from '../../api/api-server.js'
import type { KObject } from '../../api/object.js'
import { StagedStorage } from '../../storage/staged.js'
import { listManaged, replicasOwners } from '../managed.js'
import { makePlan, type StagedPlan } from '../plan/make-plan.js'
import { prefetchedStorage } from '../plan/prefetched-storage.js'
import { storedBlobCache } from '../state/blob-store.js'
import { renderAll } from './render.js'
import { resolveSource, type ResolvedSource, type SourceSpec } from './source.js'

/** Plans `source` (every object, prunes included) against the state under `api`; nothing is written. Throws SyncFailure. */
export async function planCommit({ api, source, namespace = 'default', now }: { api: ApiServer; source: SourceSpec; namespace?: string; now: () => Date }): Promise<{ src: ResolvedSource; plan: StagedPlan; live: KObject[] }> {
  const src = await resolveSource(source)
  const rendered = await renderAll({ repo: src.repo, commit: src.commit.oid, path: src.path, cache: storedBlobCache(api.storage), namespace })
  const live = await listManaged(api)
  const owners = await replicasOwners(api, rendered.desired)
  const stage = new ApiServer({ storage: new StagedStorage(await prefetchedStorage(api.storage, rendered.desired)), now })
  const plan = await makePlan({ stage, desired: rendered.desired, liveManaged: live, replicasOwners: owners, prune: true, allowEmpty: true })
  return { src, plan, live }
}
