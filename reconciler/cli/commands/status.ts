/**
 * `capstan status`: the commit last synced, the health of each managed object, and whether the
 * live state still matches git (a plan of that commit against live: objects that differ, are
 * missing, or are managed but no longer in git). With --server, a running `capstan serve` computes
 * it. Exit 0; 2 when nothing can be read.
 */
import { ApiServer } from '../../api/api-server.js'
import { statusReport, type StatusReport } from '../../gitops/report/index.js'
import { flagBool, UsageError } from '../args.js'
import { commandContext } from '../context.js'
import { daemonRequest } from '../daemon-client.js'
import type { CliIO } from '../io.js'
import { tabwrite } from '../print/tabwriter.js'
import type { Command } from '../run.js'
import { repoCacheDir } from './sync.js'

const FLAGS = [{ name: 'diff', boolean: true }]

/** Prints a status report; returns the exit code. */
export function printStatus(r: StatusReport, io: CliIO, withDiff: boolean): number {
  const s = r.synced
  if (!s) {
    io.stdout('Nothing synced yet: run capstan sync --repo PATH|URL\n')
    return 0
  }
  io.stdout(`Synced:  ${s.commit.slice(0, 7)} "${s.subject}"${s.record ? ` (${s.record}, ${s.time ?? ''})` : ''}\n`)
  io.stdout(`Source:  ${s.repo} ref ${s.ref}${s.path ? ` path ${s.path}` : ''}\n`)
  if (r.pending && r.pending !== s.commit) io.stdout(`Pending: ${r.pending.slice(0, 7)} applied, its sync did not finish (the next sync completes it)\n`)
  if (r.error) {
    io.stderr(`error: ${r.error}\n`)
    return 2
  }
  io.stdout(r.differs ? `Live:    differs from git in ${r.differs} object(s)\n` : 'Live:    matches git\n')
  io.stdout('\n')
  const rows = ['KIND\tNAMESPACE\tNAME\tHEALTH\tSYNC\tMESSAGE']
  for (const row of r.rows) rows.push([row.kind, row.namespace, row.name, row.health, row.sync, row.message.replace(/\t/g, ' ')].join('\t'))
  io.stdout(tabwrite(rows.join('\n') + '\n'))
  if (withDiff) for (const d of r.diffs) io.stdout(d)
  for (const n of r.notes) io.stdout(`note: ${n}\n`)
  return 0
}

export const statusCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    if (ctx.args.positionals.length) throw new UsageError(`unexpected arguments: ${ctx.args.positionals.join(' ')}`)
    const withDiff = flagBool(ctx.args, 'diff')
    try {
      if (ctx.server) return printStatus(await daemonRequest<StatusReport>(ctx, 'GET', '/capstan/gitops/status', { namespace: ctx.namespaceGiven ? ctx.namespace : undefined }), io, withDiff)
      const api = await ctx.client()
      if (!(api instanceof ApiServer)) throw new UsageError('status needs the embedded state (--state)')
      const clock = await ctx.clock()
      return printStatus(await statusReport({ api, cacheDir: repoCacheDir(ctx), namespace: ctx.namespace, now: () => clock.now() }), io, withDiff)
    } finally {
      await ctx.close()
    }
  },
}
