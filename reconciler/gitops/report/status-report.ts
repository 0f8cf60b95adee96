/**
 * What `capstan status` says, as data: the commit last synced, whether the live state still matches
 * it (a plan of that commit against live), and each object's health and sync word. The CLI renders
 * it for the embedded state; a running `capstan serve` computes it for `capstan status --server`.
 */
import type { ApiServer } from '../../api/api-server.js'
import { healthOf } from '../health/index.js'
import { displayName } from '../identity.js'
import type { PlanChange } from '../plan/types.js'
import { listSyncRecords } from '../record/index.js'
import { loadGitopsState } from '../state/index.js'
import { isSyncFailure } from '../sync/errors.js'
import { planCommit } from '../sync/plan-commit.js'

/** One object's row. */
export interface StatusRow {
  kind: string
  namespace: string
  name: string
  health: string
  sync: 'Synced' | 'OutOfSync' | 'Missing' | 'Extraneous'
  message: string
}

/** The whole status; `synced` is absent before the first sync, `error` set when the synced commit cannot be read. */
export interface StatusReport {
  synced?: { commit: string; subject: string; record?: string; time?: string; repo: string; ref: string; path: string }
  /** A commit a sync applied and did not finish recording (killed, or failed after its apply): live may be that commit's; the next sync completes it. */
  pending?: string
  error?: string
  /** How many objects differ from git. */
  differs: number
  rows: StatusRow[]
  /** The unified diffs of the objects that differ. */
  diffs: string[]
  /** The plan's notes about replicas owned by an HPA. */
  notes: string[]
}

/** How an object stands against git: Synced, OutOfSync (live differs), Missing (not live), Extraneous (managed, not in git). */
function syncWord(c: PlanChange): StatusRow['sync'] {
  switch (c.action) {
    case 'unchanged':
      return 'Synced'
    case 'update':
      return 'OutOfSync'
    case 'create':
      return 'Missing'
    case 'prune':
      return 'Extraneous'
  }
}

/** Computes the status of the GitOps state behind `api`. */
export async function statusReport({ api, cacheDir, namespace, now }: { api: ApiServer; cacheDir: string; namespace: string; now: () => Date }): Promise<StatusReport> {
  const out: StatusReport = { differs: 0, rows: [], diffs: [], notes: [] }
  const state = await loadGitopsState(api.storage)
  const last = state.last
  if (state.pending) out.pending = state.pending
  if (!last) return out
  const records = await listSyncRecords(api)
  const rec = [...records].reverse().find((r) => r.spec.commit === last.commit && r.spec.result !== 'DryRun')
  out.synced = { commit: last.commit, subject: rec?.spec.subject ?? '', record: rec?.metadata.name, time: rec?.spec.time, repo: last.repo, ref: last.ref, path: last.path ?? '' }
  let plan
  try {
    plan = (await planCommit({ api, source: { repo: last.repo, ref: last.commit, path: last.path, cacheDir }, namespace, now })).plan
  } catch (err) {
    if (!isSyncFailure(err)) throw err
    out.error = `cannot read the synced commit: ${err.message}`
    return out
  }
  for (const c of plan.changes) {
    const live = await api.get(c.id.kind, c.id.namespace || undefined, c.id.name).catch(() => undefined)
    const h = await healthOf(api, live)
    out.rows.push({ kind: displayName(c.id).split('/')[0], namespace: c.id.namespace || '', name: c.id.name, health: h.status, sync: syncWord(c), message: h.message })
    if (c.action !== 'unchanged') {
      out.differs++
      out.diffs.push(c.diff)
    }
  }
  for (const n of plan.notes) if (n.kind === 'ReplicasOwnedByHPA') out.notes.push(n.message)
  return out
}
