/** `capstan create configmap|secret`: objects built as kubectl builds them, created or printed (--dry-run=client). */
import type { KObject } from '../../api/object.js'
import {
  buildConfigMap,
  buildGenericSecret,
  buildTlsSecret,
  CreateError,
  nameFromArgs,
} from '../create/index.js'
import { flag, flagAll, flagBool, UsageError } from '../args.js'
import { withCluster } from '../cluster.js'
import { commandContext } from '../context.js'
import { objectNameLine } from '../print/name.js'
import { printObjects } from '../print/output.js'
import type { Command } from '../run.js'

const FLAGS = [
  { name: 'from-literal' },
  { name: 'from-file' },
  { name: 'from-env-file' },
  { name: 'type' },
  { name: 'cert' },
  { name: 'key' },
  { name: 'append-hash', boolean: true },
  { name: 'save-config', boolean: true },
  { name: 'dry-run', noValueDefault: 'client' },
  { name: 'output', short: 'o' },
  { name: 'field-manager' },
]

export const createCommand: Command = {
  async run(argv, io) {
    const [what, ...rest] = argv
    const ctx = commandContext(what === 'secret' ? rest.slice(1) : rest, FLAGS, io)
    const common = {
      name: '',
      namespace: ctx.namespaceGiven ? ctx.namespace : undefined,
      appendHash: flagBool(ctx.args, 'append-hash'),
      saveConfig: flagBool(ctx.args, 'save-config'),
    }
    const sources = {
      fromLiteral: flagAll(ctx.args, 'from-literal'),
      fromFile: flagAll(ctx.args, 'from-file'),
      fromEnvFile: flagAll(ctx.args, 'from-env-file'),
      env: io.env,
    }
    let object: Record<string, unknown>
    try {
      common.name = nameFromArgs(ctx.args.positionals)
      if (what === 'configmap' || what === 'cm') object = buildConfigMap({ ...common, ...sources })
      else if (what === 'secret' && rest[0] === 'generic') object = buildGenericSecret({ ...common, ...sources, type: flag(ctx.args, 'type') })
      else if (what === 'secret' && rest[0] === 'tls') object = buildTlsSecret({ ...common, cert: flag(ctx.args, 'cert'), key: flag(ctx.args, 'key') })
      else throw new UsageError(`unknown create target "${[what, what === 'secret' ? rest[0] : ''].filter(Boolean).join(' ')}": use configmap, secret generic or secret tls`)
    } catch (err) {
      if (err instanceof CreateError) throw new UsageError(err.message)
      throw err
    }
    const dryRun = flag(ctx.args, 'dry-run') ?? 'none'
    if (!['none', 'client', 'server'].includes(dryRun)) throw new UsageError(`Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`)
    const output = flag(ctx.args, 'output')
    if (dryRun === 'client') {
      io.stdout(output ? printBuilt(object, output) : objectNameLine(object, 'created (dry run)'))
      return 0
    }
    const client = await ctx.client()
    try {
      const obj = object as KObject
      const created = await client.create(
        { ...obj, metadata: { ...obj.metadata, namespace: ctx.namespace, creationTimestamp: undefined } },
        { fieldManager: flag(ctx.args, 'field-manager') ?? 'capstan-create', dryRun: dryRun === 'server' },
      )
      if (dryRun !== 'server') await withCluster(ctx)
      io.stdout(output ? printObjects([created], { output, now: (await ctx.clock()).now() }) : objectNameLine(created, dryRun === 'server' ? 'created (server dry run)' : 'created'))
      return 0
    } finally {
      await ctx.close()
    }
  },
}

/**
 * kubectl prints a client-side object from its Go struct: JSON keeps the struct's field order (the
 * builders' key order), while YAML (through sigs.k8s.io/yaml) sorts keys like any other output.
 */
function printBuilt(object: Record<string, unknown>, output: string): string {
  if (output !== 'json') return printObjects([object], { output, now: new Date() })
  const escaped = JSON.stringify(object, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
  return escaped + '\n'
}
