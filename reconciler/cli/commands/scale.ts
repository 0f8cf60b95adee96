/** `capstan scale deployment/NAME --replicas=N`: sets replicas through the scale subresource, then settles the controllers. */
import { flag, UsageError } from '../args.js'
import { withApi } from '../cluster.js'
import { commandContext } from '../context.js'
import type { Command } from '../run.js'
import { parseResourceArgs } from './get.js'

const FLAGS = [{ name: 'replicas' }, { name: 'current-replicas' }, { name: 'resource-version' }]

export const scaleCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    const replicasText = flag(ctx.args, 'replicas')
    if (replicasText === undefined) throw new UsageError('required flag(s) "replicas" not set')
    const replicas = Number(replicasText)
    if (!Number.isInteger(replicas) || replicas < 0) throw new UsageError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0')
    const current = flag(ctx.args, 'current-replicas')
    const targets = parseResourceArgs(ctx.args.positionals).flatMap((r) => r.names.map((name) => ({ kind: r.kind, name })))
    if (!targets.length) throw new UsageError('resource(s) were provided, but no name was specified')
    try {
      return await withApi(ctx, async ({ api }) => {
        for (const t of targets) {
          if (!t.kind.hasScale) throw new UsageError(`cannot scale ${t.kind.plural}: it has no scale subresource`)
          const scale = await api.getScale(t.kind.plural, ctx.namespace, t.name)
          if (current !== undefined && scale.spec.replicas !== Number(current)) {
            throw new UsageError(`Expected replicas to be ${current}, was ${scale.spec.replicas}`)
          }
          await api.updateScale(t.kind.plural, ctx.namespace, t.name, replicas, { fieldManager: 'kubectl-scale', resourceVersion: flag(ctx.args, 'resource-version') })
          io.stdout(`${t.kind.kind.toLowerCase()}.${t.kind.group}/${t.name} scaled\n`)
        }
        return 0
      })
    } finally {
      await ctx.close()
    }
  },
}
