/**
 * `capstan diff --repo PATH --base REF --head REF [--path DIR] [-o text|markdown|json] [--against live]`:
 * what merging head would change. Offline by default (base synced into a throwaway state); with
 * `--against live`, head is planned against the embedded state. Exit 0: no change; 1: changes;
 * 2: invalid input (each problem with file, line and field).
 */
import { ApiServer } from '../../api/api-server.js'
import { previewDiff, PreviewInvalid, previewJson, previewMarkdown, previewText } from '../../gitops/preview/index.js'
import { flag, UsageError } from '../args.js'
import { commandContext } from '../context.js'
import type { Command } from '../run.js'
import { repoCacheDir } from './sync.js'

const FLAGS = [{ name: 'repo' }, { name: 'base' }, { name: 'head' }, { name: 'path' }, { name: 'output', short: 'o' }, { name: 'against' }]

export const diffCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    const repo = flag(ctx.args, 'repo')
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
        for (const p of err.problems) io.stderr(`error: ${p.text}\n`)
        io.stderr(`error: ${err.message}\n`)
        return 2
      }
      io.stdout(output === 'json' ? previewJson(preview) : output === 'markdown' ? previewMarkdown(preview) : previewText(preview, { color: io.isTTY }))
      return preview.changes.length ? 1 : 0
    } finally {
      await ctx.close()
    }
  },
}
