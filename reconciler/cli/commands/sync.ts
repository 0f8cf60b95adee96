/**
 * `capstan sync --repo PATH|URL [--ref REF] [--path DIR] [--prune] [--allow-empty] [--dry-run] [--no-wait]`:
 * makes the live state match a commit. Prints each change as kubectl apply does, the plan's notes,
 * progress while rollouts run (on a terminal), and a summary naming the commit and its SyncRecord.
 * Exit 0 when in sync; 1 when a rollout failed; 2 for invalid input or an error.
 */
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ApiServer } from '../../api/api-server.js'
import { displayName, runSync, type SyncProgress } from '../../gitops/index.js'
import { outcomeView, type SyncOutcomeView } from '../../gitops/report/index.js'
import { flag, flagBool, UsageError } from '../args.js'
import { handleOf } from '../../gitops/sync/virtual-cluster.js'
import { withCluster } from '../cluster.js'
import { commandContext, statePath, type Context } from '../context.js'
import { daemonRequest, requireFollows } from '../daemon-client.js'
import type { RemoteSyncAnswer } from '../../daemon/routes.js'
import type { CliIO } from '../io.js'
import type { Command } from '../run.js'

const FLAGS = [
  { name: 'repo' },
  { name: 'ref' },
  { name: 'path' },
  { name: 'prune', boolean: true },
  { name: 'allow-empty', boolean: true },
  { name: 'dry-run', boolean: true },
  { name: 'no-wait', boolean: true },
  { name: 'full', boolean: true },
]

/** The kubectl apply word for an action. */
const PAST: Record<string, string> = { create: 'created', update: 'configured', prune: 'pruned', unchanged: 'unchanged' }

/** Where mirrors of remote repositories are kept: next to the state file. */
export function repoCacheDir(ctx: Context): string {
  const path = statePath(ctx.args, ctx.io)
  if (path.startsWith('memory:')) return join(tmpdir(), 'capstan-repos')
  return join(dirname(path.replace(/^sqlite:/, '')), 'repos')
}

export const syncCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    const repo = flag(ctx.args, 'repo')
    if (ctx.args.positionals.length) throw new UsageError(`unexpected arguments: ${ctx.args.positionals.join(' ')}`)
    const dryRun = flagBool(ctx.args, 'dry-run')
    if (ctx.server) return remoteSync(ctx, io, repo, dryRun)
    if (!repo) throw new UsageError('required flag "repo" not set: capstan sync --repo PATH|URL')
    try {
      const api = await ctx.client()
      if (!(api instanceof ApiServer)) throw new UsageError('sync needs the embedded state (--state)')
      const clock = await ctx.clock()
      const progress = progressPrinter(io)
      const outcome = await runSync({
        api,
        source: { repo, ref: flag(ctx.args, 'ref'), path: flag(ctx.args, 'path'), cacheDir: repoCacheDir(ctx) },
        namespace: ctx.namespace,
        prune: flagBool(ctx.args, 'prune'),
        allowEmpty: flagBool(ctx.args, 'allow-empty'),
        dryRun,
        wait: !flagBool(ctx.args, 'no-wait'),
        full: flagBool(ctx.args, 'full'),
        now: () => clock.now(),
        runCluster: (fn) => withCluster(ctx, ({ manager, clock: c }) => fn(handleOf(manager, c))),
        progress: progress.report,
      })
      progress.end()
      return printOutcome(outcomeView(outcome), io, dryRun)
    } finally {
      await ctx.close()
    }
  },
}

/**
 * `capstan sync --server URL`: asks the running `capstan serve` to sync what it follows now (as
 * `argocd app sync` or `flux reconcile` do) and prints its outcome; `--no-wait` returns once the
 * sync is queued. The server's repository, ref, path and prune setting apply: a different --repo,
 * or --ref/--path/--prune/--allow-empty/--full, is a usage error rather than silently ignored.
 */
async function remoteSync(ctx: Context, io: CliIO, repo: string | undefined, dryRun: boolean): Promise<number> {
  for (const name of ['ref', 'path', 'prune', 'allow-empty', 'full']) {
    if (ctx.args.flags.has(name)) throw new UsageError(`--${name} cannot be used with --server: ${ctx.server} syncs what it follows with its own settings (capstan serve --repo … --ref … --path … --prune)`)
  }
  await requireFollows(ctx, repo)
  return requestRemoteSync(ctx, io, { wait: !flagBool(ctx.args, 'no-wait'), dryRun })
}

/** POST /capstan/sync: prints the outcome (with `wait` or `dryRun`) or that the sync was queued; the exit code. */
export async function requestRemoteSync(ctx: Context, io: CliIO, { wait, dryRun }: { wait: boolean; dryRun: boolean }): Promise<number> {
  const answer = await daemonRequest<RemoteSyncAnswer>(ctx, 'POST', '/capstan/sync', { wait: wait || dryRun, dryRun })
  if (!answer.outcome) {
    io.stdout(`sync ${answer.status}${answer.commit ? ` for ${answer.commit.slice(0, 7)}` : ''} on ${ctx.server}\n`)
    return 0
  }
  return printOutcome(answer.outcome, io, dryRun)
}

/** Prints what a sync did and returns its exit code. */
export function printOutcome(o: SyncOutcomeView, io: CliIO, dryRun: boolean): number {
  for (const w of o.warnings) io.stderr(`Warning: ${w}\n`)
  const suffix = dryRun ? ' (dry run)' : ''
  const rec = o.record ? ` (${o.record.name})` : ''
  if (o.problems.length) {
    // Nothing was applied: no "created" or "configured" lines for what the plan would have done.
    for (const p of o.problems) io.stderr(`error: ${p.text}\n`)
    io.stderr(`error: ${o.problems.length} problem${o.problems.length === 1 ? '' : 's'} found; nothing was applied${rec}\n`)
    return 2
  }
  for (const c of o.changes) {
    if (c.action === 'unchanged') continue
    const ns = c.id.namespace ? ` -n ${c.id.namespace}` : ''
    const over = c.takesOverFrom ? ` (fields taken over from ${c.takesOverFrom.join(', ')})` : ''
    io.stdout(`${displayName(c.id)}${ns} ${PAST[c.action]}${suffix}${over}\n`)
    if (dryRun && c.diff) io.stdout(c.diff)
  }
  for (const n of o.notes) io.stdout(`note: ${n.message}\n`)
  if (o.result === 'Failed') {
    io.stderr(`error: sync failed (${o.reason}): ${o.message}${rec}\n`)
    return o.reason === 'HealthCheckFailed' ? 1 : 2
  }
  const commit = o.record?.commit ?? ''
  const subject = o.record?.subject ?? ''
  if (o.inSync) io.stdout(`${o.message}\n`)
  else io.stdout(`${dryRun ? 'planned' : 'synced'} ${commit.slice(0, 7)} "${subject}": ${o.message}${rec}\n`)
  return 0
}

/** Progress on a terminal: one line redrawn in place; nothing when stdout is not a terminal. */
function progressPrinter(io: CliIO): { report: (p: SyncProgress) => void; end: () => void } {
  if (!io.isTTY) return { report: () => {}, end: () => {} }
  let drawn = false
  return {
    report(p) {
      let line: string
      if (p.step === 'health') {
        const width = 20
        const filled = p.total ? Math.round((p.healthy / p.total) * width) : width
        line = `health [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.healthy}/${p.total} healthy, ${Math.round(p.elapsedMs / 1000)}s${p.waiting ? `  ${p.waiting}` : ''}`
      } else line = `${p.step}…`
      io.stderr(`\r\x1b[K${line.slice(0, 160)}`)
      drawn = true
    },
    end() {
      if (drawn) io.stderr('\r\x1b[K')
    },
  }
}
