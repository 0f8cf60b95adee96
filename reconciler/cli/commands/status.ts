/**
 * `capstan status`: the commit last synced, the health of each managed object, and whether the
 * live state still matches git (a plan of that commit against live: objects that differ, are
 * missing, or are managed but no longer in git). Exit 0; 2 when nothing can be read.
 */
import { ApiServer } from '../../api/api-server.js'
import { displayName, healthOf, loadGitopsState, planCommit, type PlanChange } from '../../gitops/index.js'
import { listSyncRecords } from '../../gitops/record/index.js'
import { isSyncFailure } from '../../gitops/sync/errors.js'
import { flagBool, UsageError } from '../args.js'
import { commandContext } from '../context.js'
import { tabwrite } from '../print/tabwriter.js'
import type { Command } from '../run.js'
import { repoCacheDir } from './sync.js'

const FLAGS = [{ name: 'diff', boolean: true }]

export const statusCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    if (ctx.args.positionals.length) throw new UsageError(`unexpected arguments: ${ctx.args.positionals.join(' ')}`)
    try {
      const api = await ctx.client()
      if (!(api instanceof ApiServer)) throw new UsageError('status needs the embedded state (--state)')
      const state = await loadGitopsState(api.storage)
      const last = state.last
      if (!last) {
        io.stdout('Nothing synced yet: run capstan sync --repo PATH|URL\n')
        return 0
      }
      const records = await listSyncRecords(api)
      const rec = [...records].reverse().find((r) => r.spec.commit === last.commit && r.spec.result !== 'DryRun')
      const clock = await ctx.clock()
      io.stdout(`Synced:  ${last.commit.slice(0, 7)} "${rec?.spec.subject ?? ''}"${rec ? ` (${rec.metadata.name}, ${rec.spec.time})` : ''}\n`)
      io.stdout(`Source:  ${last.repo} ref ${last.ref}${last.path ? ` path ${last.path}` : ''}\n`)
      let plan
      try {
        plan = (await planCommit({ api, source: { repo: last.repo, ref: last.commit, path: last.path, cacheDir: repoCacheDir(ctx) }, namespace: ctx.namespace, now: () => clock.now() })).plan
      } catch (err) {
        if (!isSyncFailure(err)) throw err
        io.stderr(`error: cannot read the synced commit: ${err.message}\n`)
        return 2
      }
      const drift = plan.changes.filter((c) => c.action !== 'unchanged')
      io.stdout(drift.length ? `Live:    differs from git in ${drift.length} object(s)\n` : 'Live:    matches git\n')
      io.stdout('\n')
      const rows = ['KIND\tNAMESPACE\tNAME\tHEALTH\tSYNC\tMESSAGE']
      for (const c of plan.changes) {
        const live = await api.get(c.id.kind, c.id.namespace || undefined, c.id.name).catch(() => undefined)
        const h = await healthOf(api, live)
        rows.push([displayName(c.id).split('/')[0], c.id.namespace || '', c.id.name, h.status, syncWord(c), h.message.replace(/\t/g, ' ')].join('\t'))
      }
      io.stdout(tabwrite(rows.join('\n') + '\n'))
      if (flagBool(ctx.args, 'diff')) for (const c of drift) io.stdout(c.diff)
      for (const n of plan.notes) if (n.kind === 'ReplicasOwnedByHPA') io.stdout(`note: ${n.message}\n`)
      return 0
    } finally {
      await ctx.close()
    }
  },
}

/** How an object stands against git: Synced, OutOfSync (live differs), Missing (not live), Extraneous (managed, not in git). */
function syncWord(c: PlanChange): string {
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
