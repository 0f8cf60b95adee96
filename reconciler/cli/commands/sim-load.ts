/**
 * `capstan sim load`: the simulated load the HPA measures (stored in ConfigMap kube-system/capstan-sim,
 * key load.json), then a settle of the controllers.
 *
 *   capstan sim load                                   list the load
 *   capstan sim load deployment/NAME --cpu 650m        every ready pod uses 650m
 *   capstan sim load deployment/NAME --total-cpu 8     8 cores shared among the ready pods
 *   capstan sim load deployment/NAME --memory 256Mi    (--total-memory: shared)
 *   capstan sim load pod/NAME --cpu 300m               one pod (replaces its Deployment's load)
 *   capstan sim load deployment/NAME --clear           remove a load (`--clear` alone: every load)
 */
import { clearLoad, loadKey, readLoadModel, setLoad, writeLoadModel, type LoadChange, type LoadModel, type LoadTarget } from '../../controllers/metrics/index.js'
import { flag, flagBool, UsageError } from '../args.js'
import { withCluster } from '../cluster.js'
import { commandContext } from '../context.js'
import { tabwrite } from '../print/tabwriter.js'
import type { Command } from '../run.js'

const FLAGS = [{ name: 'cpu' }, { name: 'total-cpu' }, { name: 'memory' }, { name: 'total-memory' }, { name: 'clear', boolean: true }]

const USAGE = 'usage: capstan sim load deployment/NAME (--cpu Q | --total-cpu Q) [--memory Q | --total-memory Q] | pod/NAME [--cpu Q] [--memory Q] | TARGET --clear | --clear'

/** `deployment/NAME` or `pod/NAME` (kubectl's spellings of the two kinds accepted). */
export function parseLoadTarget(word: string, namespace: string): LoadTarget {
  const slash = word.indexOf('/')
  const type = slash > 0 ? word.slice(0, slash).toLowerCase() : ''
  const name = slash > 0 ? word.slice(slash + 1) : ''
  const kind = ['deployment', 'deployments', 'deploy', 'deployment.apps', 'deployments.apps'].includes(type)
    ? 'deployment'
    : ['pod', 'pods', 'po'].includes(type)
      ? 'pod'
      : undefined
  if (!kind || !name) throw new UsageError(`expected deployment/NAME or pod/NAME, got "${word}"\n${USAGE}`)
  return { kind, namespace, name }
}

/** What a target's load reads as: `cpu=650m`, `total-cpu=8 memory=256Mi`. */
function describeLoad(l: { cpu?: string; totalCpu?: string; memory?: string; totalMemory?: string } | undefined): string {
  if (!l) return '<none>'
  const parts: string[] = []
  if (l.cpu !== undefined) parts.push(`cpu=${l.cpu}`)
  if (l.totalCpu !== undefined) parts.push(`total-cpu=${l.totalCpu}`)
  if (l.memory !== undefined) parts.push(`memory=${l.memory}`)
  if (l.totalMemory !== undefined) parts.push(`total-memory=${l.totalMemory}`)
  return parts.join(' ') || '<none>'
}

/** The load as a table: NAMESPACE, TARGET, CPU, MEMORY (per pod, or "N total"). */
export function formatLoadTable(model: LoadModel): string {
  const rows: string[] = []
  const cell = (each?: string, total?: string): string => (each !== undefined ? each : total !== undefined ? `${total} total` : '<none>')
  const add = (kind: string, section: Record<string, { cpu?: string; totalCpu?: string; memory?: string; totalMemory?: string }>): void => {
    for (const key of Object.keys(section).sort()) {
      const [ns, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)]
      const l = section[key]
      rows.push(`${ns}\t${kind}/${name}\t${cell(l.cpu, l.totalCpu)}\t${cell(l.memory, l.totalMemory)}`)
    }
  }
  add('deployment', model.deployments)
  add('pod', model.pods)
  if (!rows.length) return 'No load set: every pod is idle.\n'
  return tabwrite(['NAMESPACE\tTARGET\tCPU\tMEMORY', ...rows].join('\n') + '\n', { minWidth: 0, padding: 3 })
}

/** `capstan sim load …` (argv after `load`). */
export const simLoadCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    try {
      const args = ctx.args.positionals
      const clear = flagBool(ctx.args, 'clear')
      const change: LoadChange = {
        cpu: flag(ctx.args, 'cpu'),
        totalCpu: flag(ctx.args, 'total-cpu'),
        memory: flag(ctx.args, 'memory'),
        totalMemory: flag(ctx.args, 'total-memory'),
      }
      const setting = Object.values(change).some((v) => v !== undefined)
      if (args.length > 1) throw new UsageError(USAGE)
      if (clear && setting) throw new UsageError('--clear takes no --cpu, --total-cpu, --memory or --total-memory')

      // No target and nothing to do: list the load.
      if (!args.length && !clear) {
        if (setting) throw new UsageError(USAGE)
        io.stdout(formatLoadTable(await readLoadModel(await ctx.client())))
        return 0
      }
      const target = args.length ? parseLoadTarget(args[0], ctx.namespace) : undefined
      return await withCluster(ctx, async ({ api }) => {
        const model = await readLoadModel(api)
        if (clear) {
          await writeLoadModel(api, clearLoad(model, target))
          io.stdout(target ? `load of ${target.kind}/${target.name} cleared\n` : 'all load cleared\n')
          return 0
        }
        // The target must exist (a typo would otherwise load nothing, silently).
        await api.get(target!.kind === 'pod' ? 'pods' : 'deployments', target!.namespace, target!.name)
        const r = setLoad(model, target!, change)
        if (r.problems.length) throw new UsageError(r.problems.map((p) => `${flagName(p.field)}: ${p.message}`).join('\n'))
        await writeLoadModel(api, r.model)
        const key = loadKey(target!.namespace, target!.name)
        const now = target!.kind === 'pod' ? r.model.pods[key] : r.model.deployments[key]
        io.stdout(`load of ${target!.kind}/${target!.name}: ${describeLoad(now)}\n`)
        return 0
      })
    } finally {
      await ctx.close()
    }
  },
}

/** A model field as the flag that sets it (`totalCpu` → `--total-cpu`). */
function flagName(field: string): string {
  const f = { cpu: 'cpu', totalCpu: 'total-cpu', memory: 'memory', totalMemory: 'total-memory' }[field]
  return f ? `--${f}` : field
}
