/** `capstan delete`: delete objects by type and name, by file, by selector, or all of a type. */
import type { DeleteOptions } from '../../api/client.js'
import { ApiError, isNotFound } from '../../api/errors.js'
import { kindByName, qualifiedResource, type KindInfo } from '../../api/kinds.js'
import { formatManifestError, readManifestPaths } from '../../source/render/index.js'
import { flag, flagAll, flagBool, UsageError } from '../args.js'
import { withCluster } from '../cluster.js'
import { commandContext } from '../context.js'
import type { Command } from '../run.js'
import { parseResourceArgs } from './get.js'

const FLAGS = [
  { name: 'filename', short: 'f' },
  { name: 'recursive', short: 'R', boolean: true },
  { name: 'selector', short: 'l' },
  { name: 'all', boolean: true },
  { name: 'all-namespaces', short: 'A', boolean: true },
  { name: 'cascade', noValueDefault: 'background' },
  { name: 'dry-run', noValueDefault: 'client' },
  { name: 'ignore-not-found', boolean: true },
  { name: 'output', short: 'o' },
  { name: 'wait', boolean: true },
]

/** kubectl's --cascade values to a propagation policy. */
function propagation(v: string | undefined): DeleteOptions['propagationPolicy'] {
  switch (v ?? 'background') {
    case 'background':
    case 'true':
      return 'Background'
    case 'foreground':
      return 'Foreground'
    case 'orphan':
    case 'false':
      return 'Orphan'
    default:
      throw new UsageError(`invalid cascade value (${v}). Must be "background", "foreground", or "orphan".`)
  }
}

interface Target {
  kind: KindInfo
  namespace: string | undefined
  name: string
}

export const deleteCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    const files = flagAll(ctx.args, 'filename')
    const selector = flag(ctx.args, 'selector')
    const all = flagBool(ctx.args, 'all')
    const dryRun = flag(ctx.args, 'dry-run') ?? 'none'
    if (!['none', 'client', 'server'].includes(dryRun)) throw new UsageError(`Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`)
    const policy = propagation(flag(ctx.args, 'cascade'))
    const targets: Target[] = []
    const client = await ctx.client()
    try {
      if (files.length) {
        const read = await readManifestPaths(files, { recursive: flagBool(ctx.args, 'recursive'), stdin: io.stdin })
        if (read.errors.length) {
          for (const e of read.errors) io.stderr(`error: ${formatManifestError(e)}\n`)
          return 2
        }
        for (const m of read.objects) {
          const k = kindByName(String(m.object.kind))
          const meta = (m.object.metadata ?? {}) as { name?: string; namespace?: string }
          if (!k) throw new UsageError(`${m.file}:${m.line}: no matches for kind "${m.object.kind}"`)
          targets.push({ kind: k, namespace: k.namespaced ? meta.namespace || ctx.namespace : undefined, name: meta.name ?? '' })
        }
      } else {
        // kubectl delete's own words when nothing is named.
        if (!ctx.args.positionals.length) throw new UsageError('You must provide one or more resources by argument or filename.')
        const requests = parseResourceArgs(ctx.args.positionals)
        for (const r of requests) {
          if (r.names.length) {
            for (const name of r.names) targets.push({ kind: r.kind, namespace: ctx.namespace, name })
            continue
          }
          if (!selector && !all) throw new UsageError('resource(s) were provided, but no name was specified')
          const list = await client.list(r.kind.plural, {
            namespace: flagBool(ctx.args, 'all-namespaces') ? undefined : ctx.namespace,
            labelSelector: selector,
          })
          for (const o of list.items) targets.push({ kind: r.kind, namespace: o.metadata.namespace, name: o.metadata.name! })
        }
      }
      if (!targets.length) {
        io.stderr('No resources found\n')
        return 0
      }
      let failed = false
      const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''
      for (const t of targets) {
        try {
          await client.delete(t.kind.plural, t.namespace, t.name, { propagationPolicy: policy, dryRun: dryRun !== 'none' })
          if (flag(ctx.args, 'output') === 'name') {
            io.stdout(`${t.kind.kind.toLowerCase()}${t.kind.group ? '.' + t.kind.group : ''}/${t.name}\n`)
          } else io.stdout(`${qualifiedResource({ group: t.kind.group, plural: t.kind.singular })} "${t.name}" deleted${suffix}\n`)
        } catch (err) {
          if (isNotFound(err) && flagBool(ctx.args, 'ignore-not-found')) continue
          if (!(err instanceof ApiError)) throw err
          io.stderr(`Error from server (${err.reason}): ${err.message}\n`)
          failed = true
        }
      }
      if (dryRun === 'none') await withCluster(ctx)
      return failed ? 2 : 0
    } finally {
      await ctx.close()
    }
  },
}
