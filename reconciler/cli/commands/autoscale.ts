/**
 * `capstan autoscale deployment/NAME --min=1 --max=10 --cpu-percent=80`: kubectl autoscale. Creates an
 * autoscaling/v2 HorizontalPodAutoscaler named like the target (or --name) and settles the
 * controllers, so the HPA has made its first sync when the command returns.
 */
import { apiVersionOf, type KindInfo } from '../../api/kinds.js'
import type { KObject } from '../../api/object.js'
import { flag, UsageError } from '../args.js'
import { withCluster } from '../cluster.js'
import { commandContext } from '../context.js'
import { objectNameLine } from '../print/name.js'
import { printObjects } from '../print/output.js'
import type { Command } from '../run.js'
import { parseResourceArgs } from './get.js'

const FLAGS = [
  { name: 'min' },
  { name: 'max' },
  { name: 'cpu-percent' },
  { name: 'name' },
  { name: 'dry-run', noValueDefault: 'client' },
  { name: 'output', short: 'o' },
  { name: 'field-manager' },
]

/** An integer flag, -1 when absent (kubectl's "unset"). */
function intFlag(value: string | undefined, name: string): number {
  if (value === undefined) return -1
  if (!/^-?\d+$/.test(value)) throw new UsageError(`invalid argument "${value}" for "--${name}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`)
  return Number(value)
}

/** The HPA kubectl builds (createHorizontalPodAutoscalerV2): minReplicas only when > 0, a cpu metric only when --cpu-percent ≥ 0. */
export function buildHpa(o: { name: string; target: KindInfo; targetName: string; min: number; max: number; cpuPercent: number }): KObject {
  const spec: Record<string, unknown> = {
    scaleTargetRef: { apiVersion: apiVersionOf(o.target), kind: o.target.kind, name: o.targetName },
  }
  if (o.min > 0) spec.minReplicas = o.min
  spec.maxReplicas = o.max
  if (o.cpuPercent >= 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: o.cpuPercent } } }]
  }
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: o.name }, spec }
}

/** `capstan autoscale TYPE/NAME --max=N [--min=N] [--cpu-percent=N] [--name=NAME]`. */
export const autoscaleCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    try {
      const min = intFlag(flag(ctx.args, 'min'), 'min')
      const max = intFlag(flag(ctx.args, 'max'), 'max')
      const cpuPercent = intFlag(flag(ctx.args, 'cpu-percent'), 'cpu-percent')
      if (max < 1) throw new UsageError(`--max=MAXPODS is required and must be at least 1, max: ${max}`)
      if (max < min) throw new UsageError(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`)
      const dryRun = flag(ctx.args, 'dry-run') ?? 'none'
      if (!['none', 'client', 'server'].includes(dryRun)) throw new UsageError(`Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`)
      const output = flag(ctx.args, 'output')
      const targets = parseResourceArgs(ctx.args.positionals).flatMap((r) => r.names.map((name) => ({ kind: r.kind, name })))
      if (!targets.length) throw new UsageError('resource(s) were provided, but no name was specified')

      const one = async (create: (hpa: KObject) => Promise<KObject>): Promise<number> => {
        const api = await ctx.client()
        for (const t of targets) {
          // The target must exist and have a scale subresource.
          await api.get(t.kind.plural, ctx.namespace, t.name)
          if (!t.kind.hasScale) {
            const gvr = `${t.kind.group}/${t.kind.version}, Resource=${t.kind.plural}`
            throw new UsageError(`cannot autoscale a ${t.kind.kind}: could not find scale subresource for ${gvr} in discovery information`)
          }
          const hpa = buildHpa({ name: flag(ctx.args, 'name') || t.name, target: t.kind, targetName: t.name, min, max, cpuPercent })
          hpa.metadata.namespace = ctx.namespace
          const made = await create(hpa)
          const suffix = dryRun === 'client' ? 'autoscaled (dry run)' : dryRun === 'server' ? 'autoscaled (server dry run)' : 'autoscaled'
          io.stdout(output ? printObjects([made], { output, now: (await ctx.clock()).now() }) : objectNameLine(made, suffix))
        }
        return 0
      }
      const fieldManager = flag(ctx.args, 'field-manager') ?? 'kubectl-autoscale'
      if (dryRun === 'client') return await one(async (h) => h)
      if (dryRun === 'server') return await one(async (h) => (await ctx.client()).create(h, { fieldManager, dryRun: true }))
      return await withCluster(ctx, async ({ api }) => one((h) => api.create(h, { fieldManager })))
    } finally {
      await ctx.close()
    }
  },
}
