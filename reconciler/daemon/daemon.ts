/**
 * The push-to-deploy daemon (`capstan serve --repo`): the API server with the controllers on the
 * wall clock, plus git: a ref watcher for a local repository, a poller, push webhooks, a drift
 * check on a cron schedule, one lane that runs syncs one at a time, and /capstan/ endpoints.
 *
 * With `ha` (replicas on one etcd state) all of the git side runs only on the elected leader: it
 * starts the watcher, poller and drift schedule, and syncs the ref's head, when it is elected; a
 * follower serves the API and the read endpoints, and refuses sync requests (503). What to sync
 * after a takeover is decided from the shared store (see server/leader/takeover.ts).
 */
import { Cron } from 'croner'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { healable, healDrift, listDriftReports, saveDriftReport, scanDrift, updateDriftReport, DriftInvalid, driftReason } from '../gitops/drift/index.js'
import { isRemote, runSync, type SyncOutcome } from '../gitops/index.js'
import { openRepo, resolveRef, syncRemote, type GitRepo } from '../source/git/index.js'
import { recordedUnsynced } from '../server/leader/takeover.js'
import { startServe, type ServeHandle, type ServeLog, type ServeOptions } from '../server/start-serve.js'
import { previewDiff, PreviewInvalid } from '../gitops/preview/index.js'
import { outcomeView, statusReport, type SyncOutcomeView } from '../gitops/report/index.js'
import { capstanRoutes, type DaemonStatus, type LastSyncStatus, type RemoteDriftAnswer } from './routes.js'
import { SyncLane, type Trigger } from './sync-lane.js'
import { wallCluster } from './wall-cluster.js'
import { watchRefs, type RefWatcher } from './watch-refs.js'

/** Options of `startDaemon`: the server's, and the repository to follow. */
export interface DaemonOptions extends Omit<ServeOptions, 'routes'> {
  /** A local path (bare or work tree) or an http(s) URL. */
  repo: string
  ref?: string
  path?: string
  prune?: boolean
  /** Namespace for objects without one (default `default`). */
  namespace?: string
  /** How often the repository is polled (default 30 s; local repositories are also watched). */
  pollMs?: number
  /** A cron expression for the drift check (croner syntax, seconds allowed). */
  driftSchedule?: string
  selfHeal?: boolean
  /** The webhook secret; without it webhooks are refused. */
  webhookSecret?: string
  /** How long a sync waits for health on the wall clock before calling what still progresses failed (default 120 s). */
  healthTimeoutMs?: number
  /** How long shutting down waits for a running sync (default 60 s). */
  shutdownWaitMs?: number
  /** Where remote mirrors are kept (default next to the state). */
  cacheDir?: string
  /** Sync at start (default true). */
  syncOnStart?: boolean
}

/** A running daemon. */
export interface DaemonHandle {
  serve: ServeHandle
  url: string
  lane: SyncLane
  status(): DaemonStatus
  /** Stops the triggers, waits for the running sync (bounded), then closes the server. Idempotent. */
  close(): Promise<void>
}

const TRIGGER_KIND: Record<Trigger['source'], 'manual' | 'poll' | 'webhook'> = { startup: 'manual', watch: 'poll', poll: 'poll', webhook: 'webhook', api: 'manual' }

function defaultCacheDir(state: string): string {
  if (state.startsWith('memory') || state.startsWith('etcd://')) return join(tmpdir(), 'capstan-repos')
  return join(dirname(state.replace(/^sqlite:/, '')), 'repos')
}

/** Why a follower refuses work that writes from git (a dry-run plan and a drift check keep records too). */
const NOT_LEADER = 'this replica does not lead: ask the leader (GET /capstan/v1/leader names it)'

/** Starts the daemon; resolves once it listens, watches and has queued the first sync. */
export async function startDaemon(o: DaemonOptions): Promise<DaemonHandle> {
  const log: ServeLog = o.log ?? (() => {})
  const cacheDir = o.cacheDir ?? defaultCacheDir(o.state)
  const remote = isRemote(o.repo)
  let localRepo: GitRepo | undefined = remote ? undefined : await openRepo(o.repo)
  let last: LastSyncStatus | undefined
  let seen: string | undefined
  const started = new Date()

  /** The commit the ref names now (a fetch for a remote). */
  const currentCommit = async (): Promise<string> => {
    if (remote) return (await syncRemote({ url: o.repo, cacheDir, ref: o.ref })).oid
    localRepo ??= await openRepo(o.repo)
    return resolveRef(localRepo, o.ref ?? 'HEAD')
  }

  let serve: ServeHandle | undefined
  /** Callers of POST /capstan/sync?wait: each gets the outcome of the first sync that starts after it asked. */
  let syncWaiters: Array<(o: SyncOutcomeView | undefined) => void> = []
  const lane: SyncLane = new SyncLane({
    sync: async (t, merged) => {
      const covered = syncWaiters
      syncWaiters = []
      let view: SyncOutcomeView | undefined
      try {
        view = await syncNow(t, merged)
      } finally {
        for (const w of covered) w(view)
      }
    },
    drift: async () => {
      await driftCheck(!!o.selfHeal)
    },
    onError: (job, err) => log({ level: 'error', msg: `${job} failed`, event: `${job}-error`, error: String((err as Error)?.stack ?? err) }),
  })

  /** One sync of the followed ref, logged; returns its outcome for waiting callers. */
  const syncNow = async (t: Trigger, merged: number): Promise<SyncOutcomeView> => {
    const commit = await currentCommit().catch(() => t.commit)
    if (o.ha && t.source === 'startup') {
      // A new leader: a commit whose objects the old one found invalid is not synced again (server/leader/takeover.ts).
      const record = await recordedUnsynced(serve!.api, commit)
      if (record) {
        seen = commit
        log({ level: 'info', msg: 'sync skipped', event: 'sync-skipped', trigger: t.source, commit, reason: 'ValidationFailed', record })
        const message = `not synced again: the previous leader's sync of ${commit?.slice(0, 7) ?? ''} found invalid objects (${record})`
        return { result: 'Failed', reason: 'ValidationFailed', message, mode: 'noop', inSync: false, changes: [], notes: [], warnings: [], problems: [], record: { name: record, commit }, health: [] }
      }
    }
    const t0 = Date.now()
    log({ level: 'info', msg: 'sync start', event: 'sync-start', trigger: t.source, commit, coalesced: merged })
    const outcome: SyncOutcome = await runSync({
      api: serve!.api,
      source: { repo: o.repo, ref: o.ref, path: o.path, cacheDir },
      namespace: o.namespace,
      prune: o.prune,
      trigger: TRIGGER_KIND[t.source],
      now: () => new Date(),
      runCluster: wallCluster({ manager: serve!.manager, healthTimeoutMs: o.healthTimeoutMs ?? 120_000 }),
    })
    last = {
      trigger: t.source,
      commit: outcome.commit?.oid ?? commit,
      subject: outcome.commit?.subject,
      result: outcome.result,
      reason: outcome.reason,
      message: outcome.message,
      mode: outcome.mode,
      record: outcome.record?.metadata.name,
      startedAt: new Date(t0).toISOString(),
      durationMs: Date.now() - t0,
      health: outcome.health.map((h) => ({ kind: h.id.kind, namespace: h.id.namespace, name: h.id.name, status: h.health.status, message: h.health.message })),
    }
    if (outcome.commit) seen = outcome.commit.oid
    log({ level: outcome.result === 'Failed' ? 'warn' : 'info', msg: 'sync end', event: 'sync-end', trigger: t.source, commit: last.commit, result: outcome.result, reason: outcome.reason, message: outcome.message, record: last.record, durationMs: last.durationMs })
    // None lost: when the ref moved during the sync and no trigger said so yet, one more sync.
    if (!remote && !lane.syncWaiting) {
      const now = await currentCommit().catch(() => undefined)
      if (now && now !== last.commit) {
        seen = now
        trigger({ source: 'watch', commit: now })
      }
    }
    return outcomeView(outcome)
  }

  /** A dry-run plan of the followed ref (POST /capstan/sync?dryRun): nothing applied; a DryRun record kept. */
  const planNow = async (): Promise<SyncOutcomeView> =>
    outcomeView(
      await runSync({
        api: serve!.api,
        source: { repo: o.repo, ref: o.ref, path: o.path, cacheDir },
        namespace: o.namespace,
        prune: o.prune,
        dryRun: true,
        trigger: 'manual',
        now: () => new Date(),
        runCluster: wallCluster({ manager: serve!.manager, healthTimeoutMs: o.healthTimeoutMs ?? 120_000 }),
      }),
    )

  /** A drift check (scheduled, or asked for over HTTP), kept and logged; healed when `heal`. */
  const driftCheck = async (heal: boolean): Promise<RemoteDriftAnswer> => {
    let scan
    try {
      scan = await scanDrift({ api: serve!.api, namespace: o.namespace, cacheDir, now: () => new Date() })
    } catch (err) {
      if (!(err instanceof DriftInvalid)) throw err
      log({ level: 'info', msg: 'drift skipped', event: 'drift', error: err.message })
      return { invalid: { message: err.message, problems: err.problems.map((p) => ({ text: p.text })) } }
    }
    const key = await saveDriftReport(serve!.api.storage, scan.report)
    const { report } = scan
    log({ level: report.drifted ? 'warn' : 'info', msg: 'drift', event: 'drift', commit: report.commit, drifted: report.drifted, findings: report.findings.length, ...(report.drifted ? { reason: driftReason(report.findings) } : {}) })
    const fixable = healable(scan).length
    const kept = report.drifted - fixable && scan.keeps ? { kept: { count: report.drifted - fixable, why: scan.keeps } } : {}
    // Nothing a heal would change (only objects a heal keeps): no sync.
    if (!fixable || !heal) return { report, ...kept }
    const outcome = await healDrift({ api: serve!.api, scan, namespace: o.namespace, cacheDir, now: () => new Date(), runCluster: wallCluster({ manager: serve!.manager, healthTimeoutMs: o.healthTimeoutMs ?? 120_000 }) })
    if (outcome.record) await updateDriftReport(serve!.api.storage, key, { ...report, healedBy: outcome.record.metadata.name })
    log({ level: outcome.result === 'Failed' ? 'warn' : 'info', msg: 'drift healed', event: 'drift-heal', commit: report.commit, result: outcome.result, reason: outcome.reason, record: outcome.record?.metadata.name })
    return { report: outcome.record ? { ...report, healedBy: outcome.record.metadata.name } : report, heal: outcomeView(outcome), ...kept }
  }

  /** Whether this replica may sync: always without `ha`, while it leads with it. */
  let leading = !o.ha
  const trigger = (t: Trigger): ReturnType<SyncLane['requestSync']> => {
    const r = leading ? lane.requestSync(t) : 'closed'
    log({ level: 'info', msg: 'trigger', event: 'trigger', source: t.source, commit: t.commit, queued: r })
    return r
  }

  /** A trigger when the ref moved since it was last seen (watcher and poller). */
  const checkMoved = async (source: 'watch' | 'poll'): Promise<void> => {
    let commit: string
    try {
      commit = await currentCommit()
    } catch (err) {
      log({ level: 'warn', msg: 'ref read failed', event: 'ref-error', source, error: (err as Error).message })
      return
    }
    if (commit === seen) return
    seen = commit
    trigger({ source, commit })
  }

  /** Resolves once the daemon is set up: a replica elected before that starts leading then. */
  let setUp: () => void = () => {}
  const ready = new Promise<void>((r) => (setUp = r))
  serve = await startServe({
    ...o,
    ha: o.ha && {
      ...o.ha,
      onStartedLeading: (record) => {
        void ready.then(async () => {
          if (closing || lost) return
          leading = true
          await lead()
          o.ha?.onStartedLeading?.(record)
        }).catch((err: unknown) => log({ level: 'error', msg: 'starting to lead failed', event: 'lead-error', error: String((err as Error)?.stack ?? err) }))
      },
      onStoppedLeading: (reason) => {
        // Stop at once: no new trigger, nothing waiting runs (a running sync cannot be cut short:
        // the command exits the process right after this).
        lost = true
        leading = false
        void lane.close(0)
        void stopTriggers()
        o.ha?.onStoppedLeading?.(reason)
      },
    },
    routes: capstanRoutes({
      api: () => serve!.api,
      tokens: o.tokens,
      webhookSecret: o.webhookSecret,
      branch: o.ref,
      log,
      status: () => status(),
      requestSync: async (source, commit, how = {}) => {
        const now = commit ?? (await currentCommit().catch(() => undefined))
        if (how.dryRun && !leading) return { queued: 'closed', commit: now }
        if (how.dryRun) return { queued: 'queued', commit: now, outcome: await lane.run('sync', planNow) }
        if (!how.wait) return { queued: trigger({ source, commit: now }), commit: now }
        const done = new Promise<SyncOutcomeView | undefined>((resolve) => syncWaiters.push(resolve))
        const queued = trigger({ source, commit: now })
        if (queued === 'closed') {
          releaseWaiters()
          return { queued, commit: now }
        }
        const outcome = await done
        if (!outcome) throw new Error('the sync did not finish: see the server log')
        return { queued, commit: now, outcome }
      },
      driftReports: async () => (await listDriftReports(serve!.api.storage)).map((r) => r.report),
      checkDrift: (heal) => (leading ? lane.run('drift', () => driftCheck(heal)) : Promise.reject(new Error(NOT_LEADER))),
      diffLive: async (head, namespace) => {
        try {
          const preview = await previewDiff({ repo: o.repo, head: head ?? o.ref ?? 'HEAD', path: o.path, namespace: namespace ?? o.namespace, cacheDir, live: { api: serve!.api, now: () => new Date() } })
          return { preview }
        } catch (err) {
          if (!(err instanceof PreviewInvalid)) throw err
          return { invalid: { message: err.message, problems: err.problems.map((p) => ({ text: p.text })) } }
        }
      },
      gitopsStatus: (namespace) => statusReport({ api: serve!.api, cacheDir, namespace: namespace ?? o.namespace ?? 'default', now: () => new Date() }),
    }),
  })

  /** Answers callers still waiting (the lane closed before their sync ran). */
  const releaseWaiters = (): void => {
    const left = syncWaiters
    syncWaiters = []
    for (const w of left) w(undefined)
  }

  const status = (): DaemonStatus => ({
    repo: o.repo,
    ref: o.ref ?? 'HEAD',
    path: o.path ?? '',
    since: started.toISOString(),
    running: lane.running,
    syncWaiting: lane.syncWaiting,
    lastSync: last,
    healthy: last ? last.result !== 'Failed' : undefined,
  })

  const closers: Array<() => Promise<void> | void> = []
  const stopTriggers = async (): Promise<void> => {
    for (const c of closers.splice(0)) await c()
  }
  let lost = false
  let watcher: RefWatcher | undefined
  /** The leader's work: watch and poll the ref, schedule drift checks, sync the head. */
  const lead = async (): Promise<void> => {
    try {
      if (localRepo) {
        watcher = await watchRefs(localRepo.gitdir, () => void checkMoved('watch'))
        closers.push(() => watcher!.close())
      }
      const poll = setInterval(() => void checkMoved('poll'), o.pollMs ?? 30_000)
      poll.unref()
      closers.push(() => clearInterval(poll))
      if (o.driftSchedule) {
        const cron = new Cron(o.driftSchedule, { protect: true }, () => {
          lane.requestDrift()
        })
        closers.push(() => cron.stop())
      }
    } catch (err) {
      await stopTriggers()
      throw err
    }
    log({ level: 'info', msg: 'following', event: 'start', repo: o.repo, ref: o.ref ?? 'HEAD', watch: !!watcher, pollMs: o.pollMs ?? 30_000, driftSchedule: o.driftSchedule, selfHeal: !!o.selfHeal, webhooks: !!o.webhookSecret })
    if (o.syncOnStart !== false) {
      seen = await currentCommit().catch(() => undefined)
      trigger({ source: 'startup', commit: seen })
    }
  }
  if (!o.ha) {
    try {
      await lead()
    } catch (err) {
      await serve.close()
      throw err
    }
  }

  let closing: Promise<void> | undefined
  setUp()
  return {
    serve,
    url: serve.url,
    lane,
    status,
    close: () =>
      (closing ??= (async () => {
        await stopTriggers()
        const ended = await lane.close(o.shutdownWaitMs ?? 60_000)
        releaseWaiters()
        if (!ended) log({ level: 'warn', msg: 'sync still running at shutdown', event: 'shutdown-timeout' })
        await serve!.close()
      })()),
  }
}
