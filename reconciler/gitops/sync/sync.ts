/**
 * One sync of a git commit, as a straight pipeline: source → render → validate and plan → apply →
 * prune → health → record. Each step fails the same way (a SyncFailure with the step's reason);
 * the outcome is data, and every sync that got as far as a commit leaves a SyncRecord.
 *
 * A resync looks only at what changed: the files that differ between the last synced commit and
 * this one (trees compared by id), and the API objects written since the last sync (the store's
 * history). A no-op resync is one ref read, one tree comparison and one revision check.
 */
import { sameRepo } from '../same-repo.js'
import { ApiServer } from '../../api/api-server.js'
import { advanceResumePoint } from '../../controllers/runtime/resume-point.js'
import { isApiError } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import type { DeploymentObject } from '../../controllers/deployment/types.js'
import { blobParser, entryAt, resolveRef, revertOf, type CommitInfo } from '../../source/git/index.js'
import { StagedStorage } from '../../storage/staged.js'
import type { TxnOp } from '../../storage/types.js'
import { desiredObjects, type DesiredObject, type SourceProblem } from '../desired.js'
import { idKey, type ObjectId } from '../identity.js'
import { isManaged } from '../labels.js'
import { listManaged } from '../managed.js'
import { hpaTarget } from '../plan/hpa.js'
import { makePlan, type StagedPlan } from '../plan/make-plan.js'
import { prefetchedStorage } from '../plan/prefetched-storage.js'
import { countActions, type ChangeAction } from '../plan/types.js'
import { deploymentBefore, deploymentRevision, type DeploymentBefore } from '../record/deployment-revisions.js'
import { recordChanges, recordSeq, writeSyncRecord } from '../record/sync-record.js'
import type { DeploymentRevision, SyncReason, SyncRecordObject, SyncRecordSpec, SyncResult } from '../record/types.js'
import { indexOps, readIdEntry } from '../state/id-index.js'
import { storedBlobCache } from '../state/blob-store.js'
import { loadGitopsState, putStateOp, type LastSync } from '../state/sync-state.js'
import type { RunCluster } from './cluster.js'
import { isSyncFailure, SyncFailure } from './errors.js'
import { liveChangesSince, type LiveChange } from './live-changes.js'
import { pruneObjects } from './prune.js'
import { renderAll, renderChanged } from './render.js'
import { resolveSource, type ResolvedSource, type SourceSpec } from './source.js'
import { waitForHealth, type HealthProgress, type ObjectHealth } from './wait-health.js'

/** Options of `runSync`. */
export interface SyncOptions {
  api: ApiServer
  source: SourceSpec
  /** Where namespaced objects without a namespace go (default `default`). */
  namespace?: string
  /** Delete managed objects that left git. */
  prune?: boolean
  /** Prune even when the commit renders no objects. */
  allowEmpty?: boolean
  /** Plan only: nothing is applied (a DryRun record is written). */
  dryRun?: boolean
  /** Wait for health (default true). */
  wait?: boolean
  /** Plan every object, not only what changed since the last sync. */
  full?: boolean
  trigger?: SyncRecordSpec['trigger']
  /** The virtual clock. */
  now: () => Date
  /** Runs the controllers around the health step. */
  runCluster: RunCluster
  /** Progress reports (the CLI draws them on a terminal). */
  progress?: (p: SyncProgress) => void
}

/** A progress report: the step, and while waiting for health, how far along. */
export type SyncProgress = { step: 'source' | 'render' | 'plan' | 'apply' | 'prune' } | ({ step: 'health' } & HealthProgress)

/** How a sync went. */
export interface SyncOutcome {
  result: SyncResult
  reason: SyncReason
  message: string
  /** How much was planned: nothing (already in sync), what changed since the last sync, or everything. */
  mode: 'noop' | 'incremental' | 'full'
  /** Nothing to do: the commit and the live objects are as the last sync left them. */
  inSync: boolean
  commit?: CommitInfo
  plan?: Pick<StagedPlan, 'changes' | 'notes' | 'warnings'>
  counts: Record<ChangeAction, number>
  health: ObjectHealth[]
  deployments: DeploymentRevision[]
  problems: SourceProblem[]
  record?: SyncRecordObject
}

const NO_COUNTS = (): Record<ChangeAction, number> => ({ create: 0, update: 0, unchanged: 0, prune: 0 })

/** Kinds git may hold, listed for managed objects in a full plan. */

/** What to plan: the desired objects, the managed objects that may have left git, and the state to keep afterwards. */
interface Work {
  mode: 'incremental' | 'full'
  desired: DesiredObject[]
  liveManaged: KObject[]
  hpaTargets: Record<string, string>
  kustomize: boolean
  /** Index updates: entries to put, identities removed. */
  index: { put: Array<{ id: ObjectId; entry: { file: string; doc: number } }>; removed: ObjectId[] }
  problems: SourceProblem[]
}

/** Runs one sync; never throws for a failed step (the outcome says), only for bugs and I/O errors. */
export async function runSync(opts: SyncOptions): Promise<SyncOutcome> {
  const { api } = opts
  const storage = api.storage
  const namespace = opts.namespace ?? 'default'
  const prune = !!opts.prune
  const state = await loadGitopsState(storage)
  const blobs = storedBlobCache(storage)
  const base = { counts: NO_COUNTS(), health: [], deployments: [], problems: [] as SourceProblem[] }

  // Source: the commit the ref names now.
  opts.progress?.({ step: 'source' })
  let src: ResolvedSource
  try {
    src = await resolveSource(opts.source)
  } catch (err) {
    if (!isSyncFailure(err)) throw err
    return { ...base, result: 'Failed', reason: err.reason, message: err.message, mode: 'full', inSync: false }
  }
  // A --path the commit does not have is a mistake (Argo CD: "app path does not exist"), not an empty commit to prune to.
  if (src.tree === '' && src.path !== '') {
    return { ...base, result: 'Failed', reason: 'SourceFailed', message: `path "${src.path}" does not exist in commit ${src.commit.oid.slice(0, 7)}`, mode: 'full', inSync: false }
  }
  // An earlier sync that applied and stopped before its state (pending): the live objects may be
  // ahead of `last` (what it added and a later commit removed is in neither commit's files), so
  // the plan is a full one.
  const last = !state.pending && sameTarget(state.last, opts.source.repo, src) ? state.last : undefined

  // Render: what changed since the last sync, or everything.
  opts.progress?.({ step: 'render' })
  let work: Work | 'noop'
  try {
    work = await planWork({ opts, src, last, namespace, prune, blobs })
  } catch (err) {
    if (!isSyncFailure(err)) throw err
    return finish(opts, state.seq, src, { ...base, result: 'Failed', reason: err.reason, message: err.message, mode: 'full', inSync: false, problems: err.problems })
  }
  if (work === 'noop') {
    return { ...base, result: 'Succeeded', reason: 'Synced', message: `already in sync at ${src.commit.oid.slice(0, 7)}`, mode: 'noop', inSync: true, commit: src.commit }
  }
  if (work.problems.length) {
    return finish(opts, state.seq, src, { ...base, result: 'Failed', reason: 'ValidationFailed', message: `${work.problems.length} problem(s); nothing was applied`, mode: work.mode, inSync: false, problems: work.problems })
  }

  // Validate and plan: every object applied to a staging area (a dry run), compared with live.
  opts.progress?.({ step: 'plan' })
  // A full plan reads each crowded kind and namespace once instead of one lookup per object.
  const staged = new StagedStorage(work.mode === 'full' ? await prefetchedStorage(storage, work.desired) : storage)
  const stage = new ApiServer({ storage: staged, now: opts.now })
  const plan = await makePlan({
    stage,
    desired: work.desired,
    liveManaged: work.liveManaged,
    replicasOwners: await replicasOwners(api, work.hpaTargets),
    prune,
    allowEmpty: !!opts.allowEmpty,
    complete: work.mode === 'full',
  })
  const counts = countActions(plan.changes)
  const planned = { ...base, counts, plan: { changes: plan.changes, notes: plan.notes, warnings: plan.warnings }, mode: work.mode, inSync: false }
  if (plan.problems.length) {
    return finish(opts, state.seq, src, { ...planned, result: 'Failed', reason: 'ValidationFailed', message: `${plan.problems.length} problem(s); nothing was applied`, problems: plan.problems })
  }
  if (opts.dryRun) {
    return finish(opts, state.seq, src, { ...planned, result: 'DryRun', reason: 'Planned', message: summary(counts, 'would be') })
  }

  // Apply: the staged writes, in one transaction.
  opts.progress?.({ step: 'apply' })
  const befores = await deploymentsBefore(api, plan)
  const res = await staged.commit([putStateOp({ ...state, pending: src.commit.oid })])
  // What the plan created is new to the state: no Events about it can be stored from before.
  if (res.succeeded) api.adoptBorn(stage)
  if (!res.succeeded) {
    return finish(opts, state.seq, src, { ...planned, result: 'Failed', reason: 'ApplyFailed', message: 'the state changed while the sync was applying (another writer); nothing was applied, try again' })
  }

  // Prune: managed objects that left git.
  opts.progress?.({ step: 'prune' })
  try {
    await pruneObjects(api, plan.changes)
  } catch (err) {
    if (!isSyncFailure(err)) throw err
    return finish(opts, state.seq, src, { ...planned, result: 'Failed', reason: err.reason, message: err.message })
  }

  // Health: the controllers roll out what was applied; wait on virtual time unless told not to.
  // After a sync that applied and stopped (pending), its objects are live already: this plan finds
  // them unchanged, but their rollouts are still to be waited for, as that sync would have.
  const touched = plan.changes.filter((c) => c.action === 'create' || c.action === 'update' || (state.pending !== undefined && c.action === 'unchanged'))
  const wrote = touched.length > 0 || counts.prune > 0
  const { health, deployments } = !wrote ? { health: [], deployments: [] } : await opts.runCluster(async (c) => {
    await c.settle()
    const health = opts.wait === false ? [] : await waitForHealth(api, c, touched.map((t) => t.id), (p) => opts.progress?.({ step: 'health', ...p }))
    const deployments: DeploymentRevision[] = []
    for (const t of touched) {
      if (t.id.kind !== 'Deployment') continue
      const r = await deploymentRevision(api, t.id.namespace, t.id.name, befores.get(idKey(t.id)))
      if (r) deployments.push(r)
    }
    return { health, deployments }
  })
  const bad = health.filter((h) => h.health.status === 'Degraded')
  const outcome: SyncOutcome = bad.length
    ? { ...planned, health, deployments, result: 'Failed', reason: 'HealthCheckFailed', message: bad.slice(0, 3).map((b) => b.health.message).join('; ') + (bad.length > 3 ? `; and ${bad.length - 3} more` : '') }
    : { ...planned, health, deployments, result: 'Succeeded', reason: opts.wait === false ? 'Applied' : 'Synced', message: summary(counts, '') }
  // From here on the sync writes only its record and its bookkeeping, which no controller acts on
  // (the garbage collector's reconcile of a SyncRecord, an object without owners, does nothing).
  const mark = await storage.revision()
  const done = await finish(opts, state.seq, src, outcome)

  // Remember what was synced: the blobs parsed, which file holds each identity, the commit.
  const nextLast: LastSync = {
    repo: opts.source.repo,
    ref: src.ref,
    path: src.path,
    commit: src.commit.oid,
    tree: src.tree,
    revision: 0,
    prune,
    kustomize: work.kustomize,
    hpaTargets: work.hpaTargets,
  }
  const ops: TxnOp[] = [...blobs.takeWrites(), ...(await indexOps(storage, { ...work.index, replaceAll: work.mode === 'full' }))]
  // One store revision per txn: the record, the sequence when the sync failed, the bookkeeping with the state.
  let own = outcome.result === 'Succeeded' ? 1 : 2
  // The bookkeeping (parsed blobs, which file holds each identity) and the state that names its
  // commit go in one transaction: a process killed between the two left an index of the new
  // commit under a state naming the old one, and later incremental syncs trusted both (a moved
  // object "defined twice" for good, an object git holds never created again).
  // The state's write is the last of the sync: its revision is where "written since" starts.
  // (The record's own number: past state.seq + 1 when an earlier sync's state write was lost.)
  const seq = done.record ? recordSeq(done.record.metadata.name) : state.seq
  // The revision written since is counted from the one before this txn (which writes no API
  // object): another writer's change landing between the read and the txn is not skipped.
  const end = (await storage.txn({ success: [...ops, putStateOp({ seq, last: { ...nextLast, revision: await storage.revision() } })] })).revision
  own++
  // No other writer in between: the controllers' next start need not read these writes back from
  // the history (after a cold sync, ~20,000 bookkeeping rows).
  if (end - mark === own) await advanceResumePoint(storage, mark, end)
  return done
}

/** Whether the last sync was of the same repository and path (the ref may differ: commits are compared, not names). */
function sameTarget(last: LastSync | undefined, repo: string, src: ResolvedSource): last is LastSync {
  return !!last && sameRepo(last.repo, repo) && last.path === src.path
}

/** `3 created, 1 configured, 0 pruned, 9996 unchanged`. */
function summary(c: Record<ChangeAction, number>, verb: string): string {
  const v = verb ? `${verb} ` : ''
  return `${c.create} ${v}created, ${c.update} ${v}configured, ${c.prune} ${v}pruned, ${c.unchanged} unchanged`
}

/** Writes the record of an outcome (every sync that read a commit has one). */
async function finish(opts: SyncOptions, seq: number, src: ResolvedSource, outcome: SyncOutcome): Promise<SyncOutcome> {
  const c = src.commit
  const revert = revertOf(c.message)
  const spec: SyncRecordSpec = {
    repo: redact(opts.source.repo),
    ref: src.ref,
    path: src.path,
    commit: c.oid,
    author: { name: c.author.name, email: c.author.email },
    subject: c.subject,
    time: opts.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    trigger: opts.trigger ?? 'manual',
    result: outcome.result,
    reason: outcome.reason,
    message: outcome.problems.length ? `${outcome.message}: ${outcome.problems.slice(0, 20).map((p) => p.text).join('; ')}` : outcome.message,
    changes: recordChanges(outcome.plan?.changes ?? []),
    deployments: outcome.deployments,
  }
  if (revert && /^[0-9a-f]{40}$/.test(revert)) spec.revertOf = revert
  else if (revert) {
    // `git revert` writes the full id; a shortened one is expanded when the repository knows it.
    const full = await resolveRef(src.repo, revert).catch(() => undefined)
    if (full) spec.revertOf = full
  }
  const record = await writeSyncRecord(opts.api, seq + 1, spec, outcome.counts)
  if (outcome.result !== 'Succeeded') {
    // A failed or dry-run sync leaves the last successful sync as it was; only the sequence moves.
    const state = await loadGitopsState(opts.api.storage)
    await opts.api.storage.txn({ success: [putStateOp({ ...state, seq: recordSeq(record.metadata.name) })] })
  }
  return { ...outcome, record }
}

function redact(repo: string): string {
  return repo.replace(/\/\/[^@/]*@/, '//')
}

/** What each Deployment about to be updated had before (its revision and ReplicaSets), for the record. */
async function deploymentsBefore(api: ApiServer, plan: StagedPlan): Promise<Map<string, DeploymentBefore>> {
  const out = new Map<string, DeploymentBefore>()
  for (const c of plan.changes) {
    if (c.action !== 'update' || c.id.kind !== 'Deployment') continue
    const live = plan.before.get(idKey(c.id))
    if (live) out.set(idKey(c.id), await deploymentBefore(api, live as DeploymentObject))
  }
  return out
}

/** Deployment key → the HPA owning its replicas: git's HPAs (`targets`) and live HPAs capstan does not manage. */
async function replicasOwners(api: ApiServer, targets: Record<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const h of (await api.list('horizontalpodautoscalers')).items) {
    if (isManaged(h)) continue
    const t = hpaTarget(h)
    if (t) out.set(t, `${h.metadata.namespace}/${h.metadata.name}`)
  }
  for (const [hpa, dep] of Object.entries(targets)) {
    const [, , ns, name] = hpa.split('/')
    out.set(dep, `${ns}/${name}`)
  }
  return out
}

async function getOrUndefined(api: ApiServer, id: ObjectId): Promise<KObject | undefined> {
  try {
    return await api.get(id.kind, id.namespace || undefined, id.name)
  } catch (err) {
    if (isApiError(err) && err.reason === 'NotFound') return undefined
    throw err
  }
}

/** The HPA → Deployment map of some desired objects. */
function targetsOf(desired: readonly DesiredObject[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const d of desired) {
    if (d.id.kind !== 'HorizontalPodAutoscaler') continue
    const t = hpaTarget(d.object)
    if (t) out[idKey(d.id)] = t
  }
  return out
}

function indexOf(desired: readonly DesiredObject[]): Work['index']['put'] {
  return desired.map((d) => ({ id: d.id, entry: { file: d.source.file, doc: d.source.doc } }))
}

/** The render step: decides between no-op, incremental and full, and gathers what to plan. */
async function planWork(o: {
  opts: SyncOptions
  src: ResolvedSource
  last: LastSync | undefined
  namespace: string
  prune: boolean
  blobs: ReturnType<typeof storedBlobCache>
}): Promise<Work | 'noop'> {
  const { opts, src, last, namespace, prune, blobs } = o
  const api = opts.api
  const storage = api.storage
  const canIncrement = !!last && !opts.full && !last.kustomize && src.tree !== '' && (!prune || last.prune)
  const live = canIncrement ? await liveChangesSince(storage, last!.revision) : undefined
  if (canIncrement && live) {
    const relevant = await relevantChanges(api, live)
    if (last!.tree === src.tree && relevant.length === 0) {
      if (last!.commit === src.commit.oid) return 'noop'
    }
    const changed = last!.tree === src.tree ? undefined : await renderChanged({ repo: src.repo, from: last!.commit, to: src.commit.oid, path: src.path, cache: blobs, namespace })
    // Objects leaving git with --prune: a full plan, which also knows whether the commit renders nothing at all.
    const leaving = prune && changed ? changed.old.some((o) => !changed.desired.some((d) => idKey(d.id) === idKey(o.id))) : false
    if (!changed?.needsFull && !leaving) return incrementalWork({ opts, src, last: last!, namespace, blobs, changed, relevant })
  }
  // Full: every object of the commit, every managed object live.
  const rendered = await renderAll({ repo: src.repo, commit: src.commit.oid, path: src.path, cache: blobs, namespace })
  const liveManaged = await listManaged(api)
  return {
    mode: 'full',
    desired: rendered.desired,
    liveManaged,
    hpaTargets: targetsOf(rendered.desired),
    kustomize: rendered.kustomize,
    index: { put: indexOf(rendered.desired), removed: [] },
    problems: [],
  }
}

/** Live changes that matter: objects git holds (in the index), and HPAs (they move replicas ownership). */
async function relevantChanges(api: ApiServer, live: Map<string, LiveChange>): Promise<LiveChange[]> {
  const out: LiveChange[] = []
  for (const c of live.values()) {
    if (c.kind.kind === 'HorizontalPodAutoscaler' && c.object && !isManaged(c.object)) {
      out.push(c)
      continue
    }
    const [group, kind, namespace, ...name] = c.key.split('/')
    if (await readIdEntry(api.storage, { group, kind, namespace, name: name.join('/') })) out.push(c)
  }
  return out
}

/** The desired object of `id` in the commit, read from the file the index names. */
async function desiredAt(o: { src: ResolvedSource; blobs: ReturnType<typeof storedBlobCache>; namespace: string }, file: string, id: ObjectId): Promise<DesiredObject | undefined> {
  const entry = await entryAt(o.src.repo, o.src.commit.oid, file)
  if (entry?.type !== 'blob') return undefined
  const parsed = await blobParser(o.src.repo, o.blobs).parse(entry.oid, file)
  const { desired } = desiredObjects(parsed.objects.map((p) => ({ ...p, file })), o.namespace)
  return desired.find((d) => idKey(d.id) === idKey(id))
}

/** Incremental work: objects of changed files, objects whose live copy someone changed, Deployments whose HPA came or went. */
async function incrementalWork(o: {
  opts: SyncOptions
  src: ResolvedSource
  last: LastSync
  namespace: string
  blobs: ReturnType<typeof storedBlobCache>
  changed: Awaited<ReturnType<typeof renderChanged>> | undefined
  relevant: LiveChange[]
}): Promise<Work> {
  const { opts, last, changed, relevant } = o
  const api = opts.api
  const storage = api.storage
  const problems: SourceProblem[] = []
  const desired = new Map<string, DesiredObject>()
  for (const d of changed?.desired ?? []) desired.set(idKey(d.id), d)
  const oldKeys = new Map((changed?.old ?? []).map((d) => [idKey(d.id), d]))
  // An identity new to the changed files must not be held by an unchanged file.
  for (const d of changed?.desired ?? []) {
    if (oldKeys.has(idKey(d.id))) continue
    const entry = await readIdEntry(storage, d.id)
    if (entry && !changed!.files.has(entry.file)) {
      problems.push({ file: d.source.file, line: d.source.line, doc: d.source.doc, text: `${d.source.file}:${d.source.line}: document ${d.source.doc}: ${d.id.kind} "${d.id.name}" appears twice: first at ${entry.file} (document ${entry.doc})` })
    }
  }
  // Replicas ownership: HPAs of the changed files replace their old selves.
  const hpaTargets = { ...last.hpaTargets }
  for (const k of oldKeys.keys()) delete hpaTargets[k]
  Object.assign(hpaTargets, targetsOf(changed?.desired ?? []))
  const wanted = new Map<string, ObjectId>()
  const before = new Set(Object.values(last.hpaTargets))
  const after = new Set(Object.values(hpaTargets))
  for (const dep of new Set([...before, ...after])) {
    if (before.has(dep) !== after.has(dep)) {
      const [group, kind, namespace, name] = dep.split('/')
      wanted.set(dep, { group, version: 'v1', kind, namespace, name })
    }
  }
  // Live objects someone else wrote since the last sync: plan them again (git wins).
  for (const c of relevant) {
    if (c.kind.kind === 'HorizontalPodAutoscaler' && c.object && !isManaged(c.object)) {
      const t = hpaTarget(c.object)
      if (t) {
        const [group, kind, namespace, name] = t.split('/')
        wanted.set(t, { group, version: 'v1', kind, namespace, name })
      }
      continue
    }
    const [group, kind, namespace, ...name] = c.key.split('/')
    wanted.set(c.key, { group, version: c.kind.version, kind, namespace, name: name.join('/') })
  }
  for (const [key, id] of wanted) {
    if (desired.has(key) || oldKeys.has(key)) continue
    const entry = await readIdEntry(storage, id)
    if (!entry) continue
    const d = await desiredAt(o, entry.file, id)
    if (d) desired.set(key, d)
  }
  // Identities the changed files no longer hold: prune candidates when live and managed.
  const removed: ObjectId[] = []
  const liveManaged: KObject[] = []
  for (const [key, d] of oldKeys) {
    if (desired.has(key) && changed!.desired.some((n) => idKey(n.id) === key)) continue
    removed.push(d.id)
    const l = await getOrUndefined(api, d.id)
    if (l && isManaged(l)) liveManaged.push(l)
  }
  return {
    mode: 'incremental',
    desired: [...desired.values()],
    liveManaged,
    hpaTargets,
    kustomize: false,
    index: { put: indexOf(changed?.desired ?? []), removed },
    problems,
  }
}
