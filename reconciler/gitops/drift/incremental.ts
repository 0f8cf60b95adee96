/**
 * The drift plan of the last synced commit without re-applying every object. Right after a sync,
 * a plan of its commit shows nothing (every object was applied as planned, or planned unchanged),
 * so an object can differ from git only when something wrote it since: the store's history since
 * the sync's last write names those objects. The plan then covers them, the Deployments whose
 * replicas an HPA owns (their Tolerated findings), and the targets of HPAs written since (replicas
 * ownership moved); managed objects not in git are found by listing them (Extra). The result is
 * the full plan's findings, in the same order (apply order is a total order on identities).
 *
 * It answers `undefined` — plan everything — when it cannot vouch for that: the history was
 * compacted, a Namespace was written since, the commit does not render, or the identities the
 * commit renders (with this namespace) are not exactly those the sync indexed.
 */
import { ApiServer } from '../../api/api-server.js'
import { decodeObject } from '../../api/codec.js'
import { kindPrefix } from '../../api/keys.js'
import type { KObject } from '../../api/object.js'
import { StagedStorage } from '../../storage/staged.js'
import { idKey, idOf } from '../identity.js'
import { isManaged } from '../labels.js'
import { PLANNED_KINDS, replicasOwners } from '../managed.js'
import { hpaTarget } from '../plan/hpa.js'
import { makePlan, type StagedPlan } from '../plan/make-plan.js'
import { ID_PREFIX, idIndexKey } from '../state/keys.js'
import type { LastSync } from '../state/sync-state.js'
import { liveChangesSince } from '../sync/live-changes.js'
import type { ResolvedSource } from '../sync/source.js'
import { renderFromCache } from './render-cached.js'

/** Kinds git may hold, listed for managed objects (as the plan of a commit lists them). */

/** The plan of `src` (the last synced commit) against live, covering only what can differ; undefined to plan everything. */
export async function incrementalDriftPlan({ api, src, last, namespace, now }: { api: ApiServer; src: ResolvedSource; last: LastSync; namespace: string; now: () => Date }): Promise<StagedPlan | undefined> {
  const storage = api.storage
  if (src.commit.oid !== last.commit || src.path !== last.path || last.kustomize) return undefined
  // What was written since the sync.
  const live = await liveChangesSince(storage, last.revision)
  if (!live) return undefined
  for (const c of live.values()) if (c.kind.kind === 'Namespace') return undefined
  // The commit's objects (parsed blobs come from the state's cache), checked against the sync's index.
  const desired = await renderFromCache(api, src, namespace)
  if (!desired) return undefined
  const index = new Map((await storage.range(ID_PREFIX)).items.map((kv) => [kv.key, kv.value]))
  if (index.size !== desired.length) return undefined
  for (const d of desired) {
    const entry = index.get(idIndexKey(d.id))
    if (!entry || (JSON.parse(entry) as { file: string }).file !== d.source.file) return undefined
  }
  // Replicas owners, as a plan of the commit computes them: live HPAs capstan does not manage, then git's.
  const owners = await replicasOwners(api, desired)
  // What to plan: objects written since, targets of HPAs written since, Deployments an HPA owns.
  const wanted = new Set<string>(live.keys())
  for (const c of live.values()) {
    const t = c.kind.kind === 'HorizontalPodAutoscaler' && c.object ? hpaTarget(c.object) : undefined
    if (t) wanted.add(t)
  }
  for (const t of owners.keys()) wanted.add(t)
  const selected = desired.filter((d) => wanted.has(idKey(d.id)))
  // Managed objects git does not have, whenever they were made (prune candidates): the stored objects
  // of each kind, decoded only when git does not hold their identity.
  const desiredKeys = new Set(desired.map((d) => idKey(d.id)))
  const extra: KObject[] = []
  for (const k of PLANNED_KINDS) {
    const prefix = kindPrefix(k)
    for (const kv of (await storage.range(prefix)).items) {
      const [namespace, name] = k.namespaced ? kv.key.slice(prefix.length).split('/') : ['', kv.key.slice(prefix.length)]
      if (desiredKeys.has(idKey(idOf(k, { metadata: { namespace, name } })))) continue
      const o = decodeObject(kv)
      if (isManaged(o)) extra.push(o)
    }
  }
  const stage = new ApiServer({ storage: new StagedStorage(storage), now })
  return makePlan({ stage, desired: selected, liveManaged: extra, replicasOwners: owners, prune: true, allowEmpty: true })
}
