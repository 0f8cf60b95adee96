/**
 * The push-to-deploy daemon (`capstan serve --repo`): the API server with the controllers on the
 * wall clock, plus git: a ref watcher for a local repository, a poller, push webhooks, a drift
 * check on a cron schedule, one lane that runs syncs one at a time, and /capstan/ endpoints.
 */
import { Cron } from 'croner'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { healDrift, listDriftReports, saveDriftReport, scanDrift, updateDriftReport, DriftInvalid, driftReason } from '../gitops/drift/index.js'
import { isRemote, runSync, type SyncOutcome } from '../gitops/index.js'
import { openRepo, resolveRef, syncRemote, type GitRepo } from '../source/git/index.js'
import { startServe, type ServeHandle, type ServeLog, type ServeOptions } from '../server/start-serve.js'
import { capstanRoutes, type DaemonStatus, type LastSyncStatus } from './routes.js'
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
  if (state.startsWith('memory')) return join(tmpdir(), 'capstan-repos')
  return join(dirname(state.replace(/^sqlite:/, '')), 'repos')
}

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
  const lane: SyncLane = new SyncLane({
    sync: async (t, merged) => {
      const commit = await currentCommit().catch(() => t.commit)
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
    },
    drift: async () => {
      let scan
      try {
        scan = await scanDrift({ api: serve!.api, namespace: o.namespace, cacheDir, now: () => new Date() })
      } catch (err) {
        if (!(err instanceof DriftInvalid)) throw err
        log({ level: 'info', msg: 'drift skipped', event: 'drift', error: err.message })
        return
      }
      const key = await saveDriftReport(serve!.api.storage, scan.report)
      const { report } = scan
      log({ level: report.drifted ? 'warn' : 'info', msg: 'drift', event: 'drift', commit: report.commit, drifted: report.drifted, findings: report.findings.length, ...(report.drifted ? { reason: driftReason(report.findings) } : {}) })
      if (!report.drifted || !o.selfHeal) return
      const outcome = await healDrift({ api: serve!.api, scan, namespace: o.namespace, cacheDir, now: () => new Date(), runCluster: wallCluster({ manager: serve!.manager, healthTimeoutMs: o.healthTimeoutMs ?? 120_000 }) })
      if (outcome.record) await updateDriftReport(serve!.api.storage, key, { ...report, healedBy: outcome.record.metadata.name })
      log({ level: outcome.result === 'Failed' ? 'warn' : 'info', msg: 'drift healed', event: 'drift-heal', commit: report.commit, result: outcome.result, reason: outcome.reason, record: outcome.record?.metadata.name })
    },
    onError: (job, err) => log({ level: 'error', msg: `${job} failed`, event: `${job}-error`, error: String((err as Error)?.stack ?? err) }),
  })

  const trigger = (t: Trigger): ReturnType<SyncLane['requestSync']> => {
    const r = lane.requestSync(t)
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

  serve = await startServe({
    ...o,
    routes: capstanRoutes({
      api: () => serve!.api,
      tokens: o.tokens,
      webhookSecret: o.webhookSecret,
      branch: o.ref,
      log,
      status: () => status(),
      requestSync: async (source, commit) => {
        const now = commit ?? (await currentCommit().catch(() => undefined))
        return { queued: trigger({ source, commit: now }), commit: now }
      },
      driftReports: async () => (await listDriftReports(serve!.api.storage)).map((r) => r.report),
    }),
  })

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
  let watcher: RefWatcher | undefined
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
    for (const c of closers) await c()
    await serve.close()
    throw err
  }
  log({ level: 'info', msg: 'following', event: 'start', repo: o.repo, ref: o.ref ?? 'HEAD', watch: !!watcher, pollMs: o.pollMs ?? 30_000, driftSchedule: o.driftSchedule, selfHeal: !!o.selfHeal, webhooks: !!o.webhookSecret })
  if (o.syncOnStart !== false) {
    seen = await currentCommit().catch(() => undefined)
    trigger({ source: 'startup', commit: seen })
  }

  let closing: Promise<void> | undefined
  return {
    serve,
    url: serve.url,
    lane,
    status,
    close: () =>
      (closing ??= (async () => {
        for (const c of closers) await c()
        const ended = await lane.close(o.shutdownWaitMs ?? 60_000)
        if (!ended) log({ level: 'warn', msg: 'sync still running at shutdown', event: 'shutdown-timeout' })
        await serve!.close()
      })()),
  }
}
