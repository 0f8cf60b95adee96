/**
 * `capstan diff --repo PATH --base REF --head REF [--path DIR] [-o text|markdown|json] [--against live]`:
 * what merging head would change. Offline by default (base synced into a throwaway state); with
 * `--against live`, head is planned against the embedded state. Exit 0: no change; 1: changes;
 * 2: invalid input (each problem with file, line and field). With --server and --against live, the
 * running `capstan serve` plans a ref of what it follows against its live state.
 */
import { ApiServer } from '../../api/api-server.js'
import type { RemoteDiffAnswer } from '../../daemon/routes.js'
import { previewDiff, PreviewInvalid, previewJson, previewMarkdown, previewText, type Preview } from '../../gitops/preview/index.js'
import { flag, UsageError } from '../args.js'
import { commandContext, type Context } from '../context.js'
import { daemonRequest, requireFollows } from '../daemon-client.js'
import { reportProblems } from '../report-error.js'
import type { CliIO } from '../io.js'
import type { Command } from '../run.js'
import { repoCacheDir } from './sync.js'

const FLAGS = [{ name: 'repo' }, { name: 'base' }, { name: 'head' }, { name: 'path' }, { name: 'output', short: 'o' }, { name: 'against' }]

/** Prints a preview in the asked format; exit 1 when it changes something, else 0. */
function printPreview(preview: Preview, output: string, io: CliIO): number {
  io.stdout(output === 'json' ? previewJson(preview) : output === 'markdown' ? previewMarkdown(preview) : previewText(preview, { color: io.isTTY }))
  return preview.changes.length ? 1 : 0
}

/**
 * `capstan diff --against live --server URL [--head REF]`: the running `capstan serve` plans a ref
 * of the repository it follows (default: the ref it follows) against its live state. The offline
 * diff (--base) needs no server and runs here even with --server.
 */
async function remoteDiff(ctx: Context, repo: string | undefined): Promise<number> {
  const io = ctx.io
  if (ctx.args.positionals.length) throw new UsageError(`unexpected arguments: ${ctx.args.positionals.join(' ')}`)
  for (const name of ['base', 'path']) {
    if (ctx.args.flags.has(name)) throw new UsageError(`--${name} cannot be used with --against live --server: ${ctx.server} plans a ref of what it follows against its live state`)
  }
  const output = flag(ctx.args, 'output') ?? 'text'
  if (!['text', 'markdown', 'json'].includes(output)) throw new UsageError(`unknown output format "${output}": text, markdown or json`)
  await requireFollows(ctx, repo)
  const answer = await daemonRequest<RemoteDiffAnswer>(ctx, 'GET', '/capstan/diff', { head: flag(ctx.args, 'head'), namespace: ctx.namespaceGiven ? ctx.namespace : undefined })
  if (answer.invalid) return reportProblems(answer.invalid.message, answer.invalid.problems, io)
  if (!answer.preview) throw new UsageError(`${ctx.server} returned no preview`)
  return printPreview(answer.preview, output, io)
}

export const diffCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    const repo = flag(ctx.args, 'repo')
    if (ctx.server && flag(ctx.args, 'against') === 'live') return remoteDiff(ctx, repo)
    if (!repo) throw new UsageError('required flag "repo" not set: capstan diff --repo PATH --base REF --head REF')
    if (ctx.args.positionals.length) throw new UsageError(`unexpected arguments: ${ctx.args.positionals.join(' ')}`)
    const against = flag(ctx.args, 'against')
    if (against !== undefined && against !== 'live') throw new UsageError(`--against must be "live", not "${against}"`)
    const base = flag(ctx.args, 'base')
    if (!base && !against) throw new UsageError('required flag "base" not set (or --against live)')
    const output = flag(ctx.args, 'output') ?? 'text'
    if (!['text', 'markdown', 'json'].includes(output)) throw new UsageError(`unknown output format "${output}": text, markdown or json`)
    try {
      let live
      if (against) {
        const api = await ctx.client()
        if (!(api instanceof ApiServer)) throw new UsageError('--against live needs the embedded state (--state)')
        const clock = await ctx.clock()
        live = { api, now: () => clock.now() }
      }
      let preview
      try {
        preview = await previewDiff({ repo, base, head: flag(ctx.args, 'head') ?? 'HEAD', path: flag(ctx.args, 'path'), namespace: ctx.namespace, cacheDir: repoCacheDir(ctx), live })
      } catch (err) {
        if (!(err instanceof PreviewInvalid)) throw err
        return reportProblems(err.message, err.problems, io)
      }
      return printPreview(preview, output, io)
    } finally {
      await ctx.close()
    }
  },
}
