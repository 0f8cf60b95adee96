/**
 * `capstan rollout status|history|undo|pause|resume|restart deployment/NAME`, as kubectl's. Status
 * follows the rollout on the state's virtual clock: it advances time from one due piece of work to
 * the next until the rollout completes, or fails at its progress deadline (exit 1, as kubectl).
 */
import {
  isRolloutError,
  pauseDeployment,
  restartDeployment,
  resumeDeployment,
  rolloutHistory,
  rolloutStatus,
  undoDeployment,
} from '../../controllers/deployment/rollout.js'
import type { DeploymentObject } from '../../controllers/deployment/types.js'
import { flag, flagRevision, UsageError } from '../args.js'
import { parseDuration, withApi, withCluster, type Cluster } from '../cluster.js'
import { followRolloutRemote } from '../remote-rollout.js'
import { commandContext, type Context } from '../context.js'
import { describePodTemplate, type PodTemplate } from '../describe/pod-template.js'
import { tabbedString } from '../describe/prefix-writer.js'
import { tabwrite } from '../print/tabwriter.js'
import { rolloutHistoryWithCommits } from '../../gitops/revisions/index.js'
import { historyTable, rolloutGitCommand, wantsGitUndo } from './rollout-git.js'
import type { Command } from '../run.js'
import { parseResourceArgs } from './get.js'

const FLAGS = [
  { name: 'revision' },
  { name: 'to-revision' },
  { name: 'timeout' },
  { name: 'watch', short: 'w' },
  { name: 'dry-run', noValueDefault: 'client' },
]

const VERBS = ['status', 'history', 'undo', 'pause', 'resume', 'restart'] as const
type Verb = (typeof VERBS)[number]

export const rolloutCommand: Command = {
  async run(argv, io) {
    const [verb, ...rest] = argv
    if (!VERBS.includes(verb as Verb)) throw new UsageError(`unknown rollout command "${verb ?? ''}": use one of ${VERBS.join(', ')}`)
    // `rollout undo --repo PATH`: the undo is a git commit, then a sync (git stays the source of truth).
    if (verb === 'undo' && wantsGitUndo(rest)) return rolloutGitCommand.run(argv, io)
    const ctx = commandContext(rest, FLAGS, io)
    const requests = parseResourceArgs(ctx.args.positionals)
    const targets = requests.flatMap((r) => r.names.map((name) => ({ kind: r.kind, name })))
    if (!targets.length) throw new UsageError(`required resource not specified`)
    for (const t of targets) {
      if (t.kind.kind !== 'Deployment') throw new UsageError(`no ${verb} support for ${t.kind.plural}: capstan rolls out deployments`)
    }
    try {
      let code = 0
      for (const { name } of targets) code = Math.max(code, await runVerb(verb as Verb, ctx, name))
      return code
    } catch (err) {
      if (isRolloutError(err)) {
        io.stderr(`error: ${err.message}\n`)
        // kubectl exits 1 for these refusals of a well-formed request.
        return err.code === 'ProgressDeadlineExceeded' || err.code === 'RevisionMismatch' || err.code === 'AlreadyRestarted' ? 1 : 2
      }
      throw err
    } finally {
      await ctx.close()
    }
  },
}

async function runVerb(verb: Verb, ctx: Context, name: string): Promise<number> {
  const ns = ctx.namespace
  const id = `deployment.apps/${name}`
  switch (verb) {
    case 'status':
      return followStatus(ctx, name)
    case 'history': {
      const api = await ctx.client()
      const history = await rolloutHistory(api, ns, name)
      const wanted = flagRevision(ctx.args, 'revision')
      if (wanted > 0) {
        const h = history.find((e) => e.revision === wanted)
        if (!h) throw new UsageError(`unable to find the specified revision`)
        ctx.io.stdout(`${id} with revision #${wanted}\n`)
        // The describer reads plain JSON; the generated PodTemplateSpec type is the same data.
        ctx.io.stdout(tabbedString((w) => describePodTemplate(h.template as unknown as PodTemplate, w, 'UTC')))
        return 0
      }
      // Revisions produced by capstan syncs are shown with the commit and subject that made them.
      const withCommits = await rolloutHistoryWithCommits(api, ns, name)
      if (withCommits.some((r) => r.commit)) {
        ctx.io.stdout(historyTable(id, withCommits))
        return 0
      }
      if (!history.length) {
        ctx.io.stdout('No rollout history found.\n')
        return 0
      }
      const rows = ['REVISION\tCHANGE-CAUSE', ...history.map((h) => `${h.revision}\t${h.changeCause || '<none>'}`)]
      ctx.io.stdout(`${id} \n${tabwrite(rows.join('\n') + '\n', { minWidth: 0, padding: 2 })}\n`)
      return 0
    }
    case 'undo': {
      const dryRun = flag(ctx.args, 'dry-run') ?? 'none'
      return withApi(ctx, async ({ api }) => {
        const r = await undoDeployment(api, ns, name, flagRevision(ctx.args, 'to-revision'), {
          dryRun: dryRun === 'client',
          serverDryRun: dryRun === 'server',
        })
        ctx.io.stdout(`${id} ${r.message === 'dry run' ? 'rolled back (dry run)' : r.message}\n`)
        return 0
      })
    }
    case 'pause':
    case 'resume':
    case 'restart':
      return withApi(ctx, async ({ api, now }) => {
        if (verb === 'pause') await pauseDeployment(api, ns, name)
        else if (verb === 'resume') await resumeDeployment(api, ns, name)
        else await restartDeployment(api, ns, name, now())
        ctx.io.stdout(`${id} ${verb === 'pause' ? 'paused' : verb === 'resume' ? 'resumed' : 'restarted'}\n`)
        return 0
      })
  }
}

/**
 * Prints each new status line while moving the virtual clock to the next due work, until the
 * rollout is complete (0), fails past its deadline (1), or --timeout of virtual time passes (1).
 */
async function followStatus(ctx: Context, name: string): Promise<number> {
  const watch = flag(ctx.args, 'watch') !== 'false'
  // --revision: the rollout must be of that revision (kubectl: an error, exit 1, when it is not).
  const revision = flagRevision(ctx.args, 'revision')
  const timeout = flag(ctx.args, 'timeout')
  const limitMs = timeout && timeout !== '0' && timeout !== '0s' ? parseDuration(timeout) : Infinity
  if (ctx.server) {
    // A running server: real time passes by itself; watch the Deployment as kubectl does.
    const api = await ctx.client()
    return followRolloutRemote({ api, namespace: ctx.namespace, name, watch, revision, timeoutMs: limitMs, out: ctx.io.stdout, err: ctx.io.stderr, signal: ctx.io.signal })
  }
  return withCluster(ctx, async (c: Cluster) => {
    const start = c.clock.now().getTime()
    let last = ''
    for (;;) {
      // kubectl 1.32 prints the status viewer's line alone (no pod warnings), once per change.
      const d = (await c.api.get('deployments', ctx.namespace, name)) as DeploymentObject
      const st = rolloutStatus(d, { revision })
      if (st.failed) {
        ctx.io.stderr(`error: ${st.message}\n`)
        return 1
      }
      if (st.message !== last) ctx.io.stdout(st.message + '\n')
      last = st.message
      if (st.done || !watch) return 0
      // Paused, the rollout waits for a resume that no virtual time brings (kubectl would wait on
      // the wall clock): say so rather than move the clock on for ever (an HPA re-checks every 15 s).
      if (d.spec.paused) {
        ctx.io.stderr(`error: deployment "${name}" is paused: its rollout cannot progress until it is resumed (capstan rollout resume deployment/${name})\n`)
        return 1
      }
      const next = c.clock.nextTimer()
      if (!next) {
        ctx.io.stderr(`error: the rollout of deployment "${name}" has no further work scheduled: it cannot progress\n`)
        return 1
      }
      if (next.getTime() - start > limitMs) {
        await c.manager.advanceTo(new Date(start + limitMs))
        ctx.io.stderr(`error: timed out waiting for the condition\n`)
        return 1
      }
      await c.manager.advanceTo(next)
    }
  })
}
