/**
 * `rollout history` with commits: kubectl's rows (one per ReplicaSet revision) joined with the
 * SyncRecords, which name the commit that produced each revision, and keep the revision a ReplicaSet
 * had before a revert brought it back (kubectl shows only its new number).
 */
import type { ApiClient } from '../../api/client.js'
import { deploymentReplicaSets, rolloutHistory } from '../../controllers/deployment/rollout.js'
import { REVISION_HISTORY_ANNOTATION, type DeploymentObject } from '../../controllers/deployment/types.js'
import { listSyncRecords } from '../record/sync-record.js'
import type { SyncRecordObject } from '../record/types.js'

/** One revision of a Deployment and where it came from. */
export interface RevisionRow {
  revision: number
  /** The revision its ReplicaSet had before it was brought back (a revert or undo). */
  wasRevision?: number
  replicaSet: string
  changeCause?: string
  /** The commit whose sync produced this revision (absent: not produced by a sync). */
  commit?: string
  subject?: string
  /** The commit this one reverted (`git revert`). */
  revertOf?: string
  /** The SyncRecord of that sync. */
  record?: string
  /** The file holding the Deployment in that commit, as the record lists it. */
  file?: string
}

/** What the records say of one revision. */
export interface RevisionOrigin {
  commit: string
  subject?: string
  revertOf?: string
  record: string
  replicaSet?: string
  rollback?: boolean
  file?: string
}

/**
 * Revision → the sync that produced it, from the records (oldest first). The first record that
 * reached a revision produced it (a later sync that left the template alone reports the same one);
 * a sync that created the Deployment starts a new history (it was deleted and made again).
 */
export function revisionOrigins(records: readonly SyncRecordObject[], namespace: string, name: string): Map<number, RevisionOrigin> {
  const out = new Map<number, RevisionOrigin>()
  for (const rec of records) {
    for (const d of rec.spec.deployments ?? []) {
      if (d.namespace !== namespace || d.name !== name || !(d.revision > 0)) continue
      if (d.previousRevision === undefined) out.clear()
      if (out.has(d.revision)) continue
      const change = rec.spec.changes?.find((c) => c.kind === 'Deployment' && c.name === name && (c.namespace ?? namespace) === namespace)
      out.set(d.revision, {
        commit: rec.spec.commit,
        ...(rec.spec.subject !== undefined ? { subject: rec.spec.subject } : {}),
        ...(rec.spec.revertOf ? { revertOf: rec.spec.revertOf } : {}),
        record: rec.metadata.name,
        ...(d.replicaSet ? { replicaSet: d.replicaSet } : {}),
        ...(d.rollback ? { rollback: true } : {}),
        ...(change?.file ? { file: change.file } : {}),
      })
    }
  }
  return out
}

/** The revision a brought-back ReplicaSet had just before `revision`: from the records, else its revision-history annotation. */
function previousNumber(origins: Map<number, RevisionOrigin>, revision: number, replicaSet: string, historyAnnotation: string | undefined): number | undefined {
  let best: number | undefined
  for (const [rev, o] of origins) if (rev < revision && o.replicaSet === replicaSet && (best === undefined || rev > best)) best = rev
  if (best !== undefined) return best
  const last = Number(historyAnnotation?.split(',').pop())
  return Number.isInteger(last) && last > 0 ? last : undefined
}

/** The rows of `rollout history deployment/NAME`, each with the commit and subject that produced it. */
export async function rolloutHistoryWithCommits(api: ApiClient, ns: string, name: string, records?: readonly SyncRecordObject[]): Promise<RevisionRow[]> {
  const history = await rolloutHistory(api, ns, name)
  const d = (await api.get('deployments', ns, name)) as DeploymentObject
  const { all } = await deploymentReplicaSets(api, d)
  const byName = new Map(all.map((rs) => [rs.metadata.name!, rs]))
  const origins = revisionOrigins(records ?? (await listSyncRecords(api)), ns, name)
  return history.map((h) => {
    const row: RevisionRow = { revision: h.revision, replicaSet: h.replicaSet, ...(h.changeCause ? { changeCause: h.changeCause } : {}) }
    const o = origins.get(h.revision)
    if (o && (!o.replicaSet || o.replicaSet === h.replicaSet)) {
      row.commit = o.commit
      if (o.subject !== undefined) row.subject = o.subject
      if (o.revertOf) row.revertOf = o.revertOf
      row.record = o.record
      if (o.file) row.file = o.file
    }
    const annotation = byName.get(h.replicaSet)?.metadata.annotations?.[REVISION_HISTORY_ANNOTATION]
    if (o?.rollback || annotation) {
      const was = previousNumber(origins, h.revision, h.replicaSet, annotation)
      if (was !== undefined) row.wasRevision = was
    }
    return row
  })
}
