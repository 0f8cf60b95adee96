/**
 * The offline preview without syncing all of base. An object whose manifest is the same in base and
 * head plans as unchanged right after base is synced (a plan after a sync shows nothing), so the
 * throwaway state needs only:
 * - the objects of the files that differ between the two commits (trees compared by id), base's
 *   side synced and head's side planned — creates, updates and prunes;
 * - the context their summaries and plans read: the Deployments consuming a changed ConfigMap or
 *   Secret, the Namespaces the subset lives in, the simulated registry's ConfigMap, and the objects
 *   the API server warns about (an older apiVersion: every such warning is in the output); and the
 *   ConfigMaps and Secrets a changed Deployment's pods read (so its rollout in base settles as in
 *   base's own sync, not at its progress deadline).
 * ReplicaSets come from syncing the subset's Deployments with every controller, as base's own sync
 * makes them. Unchanged files are scanned as raw text and parsed only when they may hold context.
 *
 * It answers `undefined` — hand over to the reference, which syncs all of base — whenever its answer
 * could differ: any problem (the reference reports it exactly), a kustomization, a path naming a
 * file, an identity also held by an unchanged file, an HPA among or targeting the changed objects
 * (replicas then depend on the autoscaler over all of base's virtual time), an Ingress with TLS
 * leaving git (its controller's annotation depends on time), or a Namespace new in head that
 * unchanged files may use.
 */
import { ApiServer } from '../../api/api-server.js'
import { bulkReader, diffTreeFiles, listTreeFiles } from '../../source/git/bulk-read.js'
import { isSourceError } from '../../source/git/index.js'
import { StagedStorage } from '../../storage/staged.js'
import { idKey } from '../identity.js'
import { makePlan } from '../plan/make-plan.js'
import { listManaged, replicasOwners } from '../managed.js'
import { isSyncFailure } from '../sync/errors.js'
import type { ResolvedSource } from '../sync/source.js'
import { assemblePreview } from './assemble.js'
import type { PreviewOptions } from './preview.js'
import { subsetContext } from './subset-context.js'
import { changedObjects, hasKustomization, resolveBoth, treeIsDir } from './subset-source.js'
import { namespaceExists, syncSubset } from './subset-sync.js'
import { throwawayState } from './throwaway.js'
import type { Preview } from './types.js'

/** Why the subset hands over (for tests and debugging). */
export type Handover = { reason: string }

/** The preview by syncing only what differs and its context; undefined to hand over to the reference (see the top of this file). */
export async function subsetPreview(o: PreviewOptions, why?: (h: Handover) => void): Promise<Preview | undefined> {
  const namespace = o.namespace ?? 'default'
  const handOver = (reason: string): undefined => {
    why?.({ reason })
    return undefined
  }
  // Source: both commits, and the files that differ (equal subtrees skipped by id).
  let base: ResolvedSource
  let head: ResolvedSource
  try {
    ;[base, head] = await resolveBoth(o)
  } catch (err) {
    if (isSyncFailure(err) || isSourceError(err)) return handOver(`source: ${(err as Error).message}`)
    throw err
  }
  const r = bulkReader(head.repo)
  if (!(await treeIsDir(r, base)) || !(await treeIsDir(r, head))) return handOver('the path names a file')
  const changes = await diffTreeFiles(r, base.tree, head.tree, head.path)
  if (hasKustomization(changes.map((c) => c.path))) return handOver('a kustomization changed')
  const headFiles = await listTreeFiles(r, head.tree, head.path)
  if (hasKustomization(headFiles.map((f) => f.path))) return handOver('head has a kustomization')
  const changed = await changedObjects(r, changes, namespace)
  if (!changed) return handOver('a changed file has a problem')

  // The context: what the changed objects need beside them, from the files that did not change.
  const found = await subsetContext({ r, changes, changed, headFiles, namespace })
  if ('handover' in found) return handOver(found.handover)
  const { needed, texts } = found

  const throwaway = await throwawayState()
  try {
    // A Namespace new in head that base lacks: unchanged files using it make base invalid; the reference tells.
    const baseKeys = new Set(changed.base.map((d) => idKey(d.id)))
    for (const d of changed.head) {
      if (d.id.kind !== 'Namespace' || baseKeys.has(idKey(d.id)) || (await namespaceExists(throwaway, d.id.name))) continue
      if (d.id.name === namespace || [...texts.values()].some((t) => t.includes(d.id.name))) return handOver(`namespace ${d.id.name} is new in head`)
    }
    // Base: the subset synced into the throwaway state, every rollout settled (as runSync does it).
    if (!(await syncSubset(throwaway, [...changed.base, ...needed]))) return handOver('base does not apply')
    // Head: the subset planned against it (as planCommit does it).
    const { api } = throwaway
    const live = await listManaged(api)
    const headDesired = [...changed.head, ...needed]
    const owners = await replicasOwners(api, headDesired)
    const now = () => throwaway.clock.now()
    const stage = new ApiServer({ storage: new StagedStorage(api.storage), now })
    const plan = await makePlan({ stage, desired: headDesired, liveManaged: live, replicasOwners: owners, prune: true, allowEmpty: true })
    if (plan.problems.length) return handOver('head does not apply')
    return await assemblePreview({ api, plan, head: head.commit.oid, base: base.commit.oid, against: 'base' })
  } finally {
    await throwaway.close()
  }
}
