/** `capstan get`: display objects as kubectl get does (tables, -o formats, selectors, -A, -w). */
import type { ApiClient, WatchEvent } from '../../api/client.js'
import { ApiError } from '../../api/errors.js'
import { resolveResource, type KindInfo } from '../../api/kinds.js'
import type { KObject } from '../../api/object.js'
import { flag, flagAll, flagBool, UsageError } from '../args.js'
import { commandContext, type Context } from '../context.js'
import { noResourcesFound } from '../print/format-table.js'
import { parseOutputFormat, printObjects, type OutputFormat } from '../print/output.js'
import type { Command } from '../run.js'
import { waitForStop } from '../stop-signal.js'

const FLAGS = [
  { name: 'output', short: 'o' },
  { name: 'selector', short: 'l' },
  { name: 'field-selector' },
  { name: 'all-namespaces', short: 'A', boolean: true },
  { name: 'show-labels', boolean: true },
  { name: 'label-columns', short: 'L' },
  { name: 'no-headers', boolean: true },
  { name: 'watch', short: 'w', boolean: true },
  { name: 'watch-only', boolean: true },
  { name: 'show-kind', boolean: true },
  { name: 'allow-missing-template-keys' },
]

/** The kinds `get all` shows, in kubectl's order. */
const ALL = ['Pod', 'Service', 'Deployment', 'ReplicaSet', 'HorizontalPodAutoscaler']

interface Request {
  kind: KindInfo
  names: string[]
}

/** `TYPE[,TYPE] [NAME…]` or `TYPE/NAME …`, as kubectl reads them. */
export function parseResourceArgs(args: string[]): Request[] {
  if (!args.length) throw new UsageError('You must specify the type of resource to get. Use "capstan api-resources" for a complete list of supported resources.')
  const resolve = (word: string): KindInfo => {
    const k = resolveResource(word)
    if (!k) throw new ApiError('NotFound', `the server doesn't have a resource type "${word}"`)
    return k
  }
  if (args.some((a) => a.includes('/'))) {
    const out: Request[] = []
    for (const a of args) {
      const slash = a.indexOf('/')
      if (slash <= 0) throw new UsageError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'capstan get resource/<resource_name>' instead of 'capstan get resource resource/<resource_name>'`)
      const k = resolve(a.slice(0, slash))
      const last = out[out.length - 1]
      if (last && last.kind === k) last.names.push(a.slice(slash + 1))
      else out.push({ kind: k, names: [a.slice(slash + 1)] })
    }
    return out
  }
  const [types, ...names] = args
  const kinds: KindInfo[] = []
  for (const t of types.split(',')) {
    if (t === 'all') kinds.push(...ALL.map((k) => resolve(k)))
    else kinds.push(resolve(t))
  }
  return kinds.map((kind) => ({ kind, names }))
}

export const getCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    const requests = parseResourceArgs(ctx.args.positionals)
    const format = parseOutputFormat(flag(ctx.args, 'output'))
    const allNamespaces = flagBool(ctx.args, 'all-namespaces')
    const client = await ctx.client()
    try {
      const objects: KObject[] = []
      let failed = false
      let named = false
      for (const r of requests) {
        if (r.names.length) {
          named = true
          for (const name of r.names) {
            try {
              objects.push(await client.get(r.kind.plural, ctx.namespace, name))
            } catch (err) {
              if (!(err instanceof ApiError)) throw err
              io.stderr(`Error from server (${err.reason}): ${err.message}\n`)
              failed = true
            }
          }
        } else {
          const list = await client.list(r.kind.plural, {
            namespace: allNamespaces ? undefined : ctx.namespace,
            labelSelector: flag(ctx.args, 'selector'),
            fieldSelector: flag(ctx.args, 'field-selector'),
          })
          objects.push(...list.items)
        }
      }
      const watch = flagBool(ctx.args, 'watch') || flagBool(ctx.args, 'watch-only')
      if (!flagBool(ctx.args, 'watch-only')) {
        if (!objects.length && !failed && isTable(format)) {
          io.stderr(noResourcesFound({ namespace: ctx.namespace, allNamespaces, namespaced: requests[0].kind.namespaced }))
        } else if (objects.length) {
          io.stdout(print(ctx, objects, format, { now: (await ctx.clock()).now(), single: named && objects.length === 1 && requests.length === 1 && requests[0].names.length === 1, allNamespaces, multiKind: requests.length > 1 }))
        }
      }
      if (watch) await watchChanges(ctx, client, requests, format, allNamespaces)
      return failed ? 2 : 0
    } finally {
      await ctx.close()
    }
  },
}

function isTable(f: OutputFormat): boolean {
  return f.kind === 'table' || f.kind === 'wide'
}

function print(
  ctx: Context,
  objects: KObject[],
  format: OutputFormat,
  o: { single: boolean; allNamespaces: boolean; multiKind: boolean; noHeaders?: boolean; now: Date },
): string {
  const labelColumns = flagAll(ctx.args, 'label-columns').flatMap((v) => v.split(',')).filter(Boolean)
  return printObjects(objects, {
    output: format,
    now: o.now,
    singleItem: o.single,
    withNamespace: o.allNamespaces,
    showLabels: flagBool(ctx.args, 'show-labels'),
    columnLabels: labelColumns.length ? labelColumns : undefined,
    noHeaders: o.noHeaders || flagBool(ctx.args, 'no-headers'),
    allowMissingTemplateKeys: flag(ctx.args, 'allow-missing-template-keys') !== 'false',
  })
}

/** Streams changes until interrupted: one row (or document) per event, as `kubectl get -w`. */
async function watchChanges(ctx: Context, client: ApiClient, requests: Request[], format: OutputFormat, allNamespaces: boolean): Promise<void> {
  const stops: Array<() => void> = []
  const clock = await ctx.clock()
  let headerShown = !flagBool(ctx.args, 'watch-only')
  for (const r of requests) {
    const namesWanted = new Set(r.names)
    const list = await client.list(r.kind.plural, { namespace: allNamespaces ? undefined : ctx.namespace, labelSelector: flag(ctx.args, 'selector') })
    const w = await client.watch(
      r.kind.plural,
      {
        namespace: allNamespaces ? undefined : ctx.namespace,
        labelSelector: flag(ctx.args, 'selector'),
        fieldSelector: flag(ctx.args, 'field-selector'),
        resourceVersion: list.metadata.resourceVersion,
      },
      (ev: WatchEvent) => {
        if (ev.type === 'ERROR' || ev.type === 'BOOKMARK') return
        const obj = ev.object as KObject
        if (namesWanted.size && !namesWanted.has(obj.metadata.name ?? '')) return
        ctx.io.stdout(print(ctx, [obj], format, { now: clock.now(), single: true, allNamespaces, multiKind: false, noHeaders: headerShown }))
        headerShown = true
      },
    )
    stops.push(() => w.stop())
  }
  await waitForStop(ctx.io, client)
  for (const s of stops) s()
}
