/**
 * `capstan sim advance|status|registry|start-delay`: the simulated cluster's clock, its pending
 * work, its image registry and the node's start delay.
 */
import { readSimConfig, registryAdd, registryList, registryRemove, writeSimConfig } from '../../controllers/sim/index.js'
import { UsageError } from '../args.js'
import { parseDuration, withApi, withCluster } from '../cluster.js'
import { commandContext } from '../context.js'
import { humanDuration } from '../../api/table/duration.js'
import { tabwrite } from '../print/tabwriter.js'
import type { Command } from '../run.js'

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

export const simCommand: Command = {
  async run(argv, io) {
    const [verb, ...rest] = argv
    if (verb === 'zone') return (await import('./sim-zone.js')).simZoneCommand.run(rest, io)
    if (verb === 'load') return (await import('./sim-load.js')).simLoadCommand.run(rest, io)
    const ctx = commandContext(rest, [], io)
    const args = ctx.args.positionals
    try {
      switch (verb) {
        case 'advance': {
          if (args.length !== 1) throw new UsageError('usage: capstan sim advance DURATION (e.g. 30s, 5m, 1h)')
          const ms = parseDuration(args[0])
          return await withCluster(ctx, async ({ manager, clock }) => {
            const from = clock.now()
            await manager.advance(ms)
            io.stdout(`virtual time: ${iso(clock.now())} (advanced ${args[0]} from ${iso(from)})\n`)
            return 0
          })
        }
        case 'status':
          return await withCluster(ctx, async ({ manager, clock, api }) => {
            const now = clock.now()
            const cfg = await readSimConfig(api)
            io.stdout(`Virtual time:  ${iso(now)}\n`)
            io.stdout(`Start delay:   ${cfg.settings.startDelaySeconds}s\n`)
            const pending = manager.pending()
            if (!pending.queued.length && !pending.delayed.length) {
              io.stdout('Pending work:  <none>\n')
              return 0
            }
            io.stdout('Pending work:\n')
            const rows = ['  CONTROLLER\tKEY\tDUE']
            for (const q of pending.queued) rows.push(`  ${q.controller}\t${q.key}\tnow`)
            for (const d of [...pending.delayed].sort((a, b) => a.at.getTime() - b.at.getTime())) {
              rows.push(`  ${d.controller}\t${d.key}\tin ${humanDuration(Math.max(0, d.at.getTime() - now.getTime()))} (${iso(d.at)})`)
            }
            io.stdout(tabwrite(rows.join('\n') + '\n', { minWidth: 0, padding: 3 }))
            return 0
          })
        case 'registry':
          return await registry(ctx.args.positionals, ctx, io)
        case 'start-delay': {
          if (args.length !== 1) throw new UsageError('usage: capstan sim start-delay DURATION (0s: pods run at once)')
          const seconds = parseDuration(args[0]) / 1000
          return await withApi(ctx, async ({ api }) => {
            const cfg = await readSimConfig(api)
            await writeSimConfig(api, { ...cfg, settings: { ...cfg.settings, startDelaySeconds: seconds } })
            io.stdout(`start delay: ${seconds}s\n`)
            return 0
          })
        }
        default:
          throw new UsageError(`unknown sim command "${verb ?? ''}": use advance, status, registry, start-delay, zone or load`)
      }
    } finally {
      await ctx.close()
    }
  },
}

async function registry(args: string[], ctx: ReturnType<typeof commandContext>, io: { stdout(s: string): void; stderr(s: string): void }): Promise<number> {
  const [op, ...refs] = args
  if (op === 'list') {
    const entries = await registryList(await ctx.client())
    io.stdout(entries.length ? entries.join('\n') + '\n' : 'the simulated registry lists no repositories: every image pulls\n')
    return 0
  }
  if (op !== 'add' && op !== 'remove') throw new UsageError('usage: capstan sim registry add REPOSITORY:TAG… | remove REPOSITORY[:TAG]… | list')
  if (!refs.length) throw new UsageError(`capstan sim registry ${op} needs at least one image reference`)
  return withApi(ctx, async ({ api }) => {
    const r = op === 'add' ? await registryAdd(api, ...refs) : await registryRemove(api, ...refs)
    if (r.errors.length) {
      for (const e of r.errors) io.stderr(`error: ${e.ref}: ${e.message}\n`)
      return 2
    }
    for (const ref of refs) io.stdout(`${ref} ${op === 'add' ? 'added' : 'removed'}\n`)
    return 0
  })
}
