/**
 * A drift scan: the synced commit (or a given ref) planned against live, nothing written, each
 * difference classed; and a heal: the commit synced again as capstan with force, with the drift as
 * the sync's trigger and message.
 */
import type { ApiServer } from '../../api/api-server.js'
import type { SourceProblem } from '../desired.js'
import { loadGitopsState } from '../state/sync-state.js'
import type { RunCluster } from '../sync/cluster.js'
import { isSyncFailure } from '../sync/errors.js'
import type { StagedPlan } from '../plan/make-plan.js'
import { planCommit } from '../sync/plan-commit.js'
import { resolveSource, type ResolvedSource } from '../sync/source.js'
import { runSync, type SyncOutcome } from '../sync/sync.js'
import { classifyDrift } from './classify.js'
import { sameRepo as sameRepoSpelling } from '../same-repo.js'
import { ID_PREFIX } from '../state/keys.js'
import { incrementalDriftPlan } from './incremental.js'
import type { DriftFinding, DriftReport } from './types.js'

/** Invalid input: nothing synced and no repository given, an unreadable ref, manifests that do not parse. */
export class DriftInvalid extends Error {
  constructor(
    message: string,
    readonly problems: SourceProblem[] = [],
  ) {
    super(message)
  }
}

/** Options of `scanDrift`. */
export interface ScanOptions {
  api: ApiServer
  /** The repository (default: the one last synced). */
  repo?: string
  /** The commit to compare with (default: the last synced commit). */
  ref?: string
  path?: string
  namespace?: string
  cacheDir: string
  now: () => Date
  /** `incremental` (default): plan what was written since the last sync when scanning its commit; `full`: plan every object (the reference). */
  method?: 'incremental' | 'full'
}

/** What a scan found, and where git was read. */
export interface DriftScan {
  report: DriftReport
  source: { repo: string; ref: string; path: string; prune: boolean }
  /** Why objects that left git stay through a heal (no --prune; a commit that renders nothing), or undefined when a heal prunes them. */
  keeps?: string
}

/** Compares live with git; throws DriftInvalid on invalid input. */
export async function scanDrift(o: ScanOptions): Promise<DriftScan> {
  const state = await loadGitopsState(o.api.storage)
  const last = state.last
  const repo = o.repo ?? last?.repo
  if (!repo) throw new DriftInvalid('nothing synced yet and no --repo given')
  const sameRepo = last && sameRepoSpelling(last.repo, repo)
  // A sync that applied its commit and did not finish (pending): live is that commit's, so drift
  // is measured from it (a full plan), and a heal finishes that sync instead of rolling it back.
  const ref = o.ref ?? (sameRepo ? (state.pending ?? last.commit) : 'HEAD')
  const path = o.path ?? (sameRepo ? last.path : '')
  const source = { repo, ref, path, cacheDir: o.cacheDir }
  let planned: { src: ResolvedSource; plan: StagedPlan }
  try {
    // The last synced commit: only what was written since can differ (see incremental.ts); else every object.
    const src = sameRepo && o.method !== 'full' ? await resolveSource(source) : undefined
    const plan = src && last ? await incrementalDriftPlan({ api: o.api, src, last, namespace: o.namespace ?? 'default', now: o.now }) : undefined
    planned = src && plan ? { src, plan } : await planCommit({ api: o.api, source, namespace: o.namespace, now: o.now })
  } catch (err) {
    if (isSyncFailure(err)) throw new DriftInvalid(err.message, err.problems)
    throw err
  }
  if (planned.plan.problems.length) throw new DriftInvalid(`${planned.plan.problems.length} problem(s) in the manifests`, planned.plan.problems)
  // An object that left git is drift (Argo CD's "requires pruning") also when the last sync kept it
  // (no --prune): a heal, which syncs with the last sync's settings, keeps it too (see healable).
  // A commit that renders no objects prunes nothing without --allow-empty. The last synced commit's
  // objects are in the identity index; another commit's plan is a full one, holding all of them.
  const prune = sameRepo ? last.prune : true
  const lastCommit = sameRepo && planned.src.commit.oid === last.commit
  const rendersNothing = lastCommit
    ? (await o.api.storage.range(ID_PREFIX, { limit: 1 })).items.length === 0
    : !planned.plan.changes.some((c) => c.action !== 'prune')
  const keeps = !prune ? 'the last sync did not --prune' : rendersNothing ? 'the commit renders no objects; --allow-empty prunes them' : undefined
  const findings = classifyDrift(planned.plan).map((f) => (f.class === 'Extra' && keeps ? { ...f, message: `${f.message} (kept: ${keeps})` } : f))
  const report: DriftReport = { time: iso(o.now()), commit: planned.src.commit.oid, repo, findings, drifted: findings.filter((f) => f.class !== 'Tolerated').length }
  return { report, source: { repo, ref: planned.src.commit.oid, path, prune }, ...(keeps ? { keeps } : {}) }
}

/** The findings a heal fixes: every drift but objects that left git and that a heal keeps (see DriftScan.keeps). */
export function healable(scan: DriftScan): DriftFinding[] {
  return scan.report.findings.filter((f) => f.class !== 'Tolerated' && (f.class !== 'Extra' || !scan.keeps))
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** `drift: 1 Modified (deployment.apps/web spec.replicas by kubectl-scale)`: the drift in one line. */
export function driftReason(findings: readonly DriftFinding[]): string {
  const drift = findings.filter((f) => f.class !== 'Tolerated')
  const counts = new Map<string, number>()
  for (const f of drift) counts.set(f.class, (counts.get(f.class) ?? 0) + 1)
  const first = drift.slice(0, 3).map((f) => `${f.class} ${f.id.kind.toLowerCase()}/${f.id.name}${f.field ? ` ${f.field}` : ''}${f.manager ? ` by ${f.manager}` : ''}`)
  return `drift: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')} (${first.join('; ')}${drift.length > 3 ? '; …' : ''})`
}

/** Heals: syncs the scanned commit again (every object, as capstan with force), trigger `drift`; the record's message names the drift. */
export async function healDrift(o: { api: ApiServer; scan: DriftScan; namespace?: string; cacheDir: string; now: () => Date; runCluster: RunCluster }): Promise<SyncOutcome> {
  const { source } = o.scan
  const outcome = await runSync({ api: o.api, source: { repo: source.repo, ref: source.ref, path: source.path, cacheDir: o.cacheDir }, namespace: o.namespace, prune: source.prune, full: true, trigger: 'drift', now: o.now, runCluster: o.runCluster })
  if (outcome.record) {
    const reason = driftReason(o.scan.report.findings)
    const rec = await o.api.patch('syncrecords', undefined, outcome.record.metadata.name, 'merge', { spec: { message: `${reason}; ${outcome.record.spec.message ?? ''}` } })
    outcome.record = rec as unknown as NonNullable<SyncOutcome['record']>
  }
  return outcome
}
