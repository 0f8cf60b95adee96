/** `capstan describe`: kubectl's describe output for objects, with related objects and events. */
import type { ApiClient } from '../../api/client.js'
import { isNotFound } from '../../api/errors.js'
import type { KindInfo } from '../../api/kinds.js'
import type { KObject } from '../../api/object.js'
import { flag, flagBool } from '../args.js'
import { commandContext } from '../context.js'
import { describeObject, type RelatedLookup } from '../describe/index.js'
import type { Command } from '../run.js'
import { parseResourceArgs } from './get.js'

/** The label the NodePool controller puts on the nodes it manages. */
const NODEPOOL_LABEL = 'capstan.dev/nodepool'

const FLAGS = [
  { name: 'selector', short: 'l' },
  { name: 'all-namespaces', short: 'A', boolean: true },
  { name: 'show-events' },
]

/** Lists of a kind in a namespace, fetched at most once per command. */
function lister(client: ApiClient) {
  const cache = new Map<string, Promise<KObject[]>>()
  return (plural: string, namespace?: string): Promise<KObject[]> => {
    const key = `${plural}/${namespace ?? ''}`
    let p = cache.get(key)
    if (!p) cache.set(key, (p = client.list(plural, { namespace }).then((l) => l.items)))
    return p
  }
}

/** What kubectl fetches besides the object, loaded up front for the describer's synchronous lookups. */
async function relatedFor(obj: KObject, list: ReturnType<typeof lister>): Promise<RelatedLookup> {
  const ns = obj.metadata.namespace
  switch (obj.kind) {
    case 'Deployment': {
      const rs = await list('replicasets', ns)
      return { replicaSetsOf: () => rs }
    }
    case 'ReplicaSet': {
      const pods = await list('pods', ns)
      return { podsOf: () => pods }
    }
    case 'Service':
    case 'Ingress': {
      const eps = await list('endpoints', ns)
      const svcs = await list('services', ns)
      return {
        endpointsFor: (n, name) => eps.find((e) => e.metadata.namespace === n && e.metadata.name === name),
        serviceByName: (n, name) => svcs.find((s) => s.metadata.namespace === n && s.metadata.name === name),
      }
    }
    case 'Node': {
      const pods = await list('pods')
      return { podsOnNode: (node) => pods.filter((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName === node) }
    }
    case 'NodePool': {
      const nodes = await list('nodes')
      return { nodesOfPool: (pool) => nodes.filter((n) => n.metadata.labels?.[NODEPOOL_LABEL] === pool.metadata?.name) }
    }
    default:
      return {}
  }
}

async function targets(client: ApiClient, k: KindInfo, names: string[], o: { namespace?: string; selector?: string }): Promise<KObject[]> {
  if (!names.length) return (await client.list(k.plural, { namespace: o.namespace, labelSelector: o.selector })).items
  const out: KObject[] = []
  for (const name of names) {
    try {
      out.push(await client.get(k.plural, o.namespace, name))
    } catch (err) {
      if (!isNotFound(err)) throw err
      // kubectl describe falls back to every object whose name starts with the given one.
      const prefixed = (await client.list(k.plural, { namespace: o.namespace })).items.filter((x) => x.metadata.name?.startsWith(name))
      if (!prefixed.length) throw err
      out.push(...prefixed)
    }
  }
  return out
}

export const describeCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    const requests = parseResourceArgs(ctx.args.positionals)
    const all = flagBool(ctx.args, 'all-namespaces')
    const showEvents = flag(ctx.args, 'show-events') !== 'false'
    const client = await ctx.client()
    try {
      const list = lister(client)
      const blocks: string[] = []
      for (const r of requests) {
        const namespace = r.kind.namespaced && !all ? ctx.namespace : undefined
        const objs = await targets(client, r.kind, r.names, { namespace, selector: flag(ctx.args, 'selector') })
        for (const obj of objs) {
          const events = showEvents ? await list('events', r.kind.namespaced ? obj.metadata.namespace : undefined) : undefined
          blocks.push(describeObject(obj, { now: (await ctx.clock()).now(), events, related: await relatedFor(obj, list) }))
        }
      }
      if (!blocks.length) {
        io.stderr(all || !requests[0].kind.namespaced ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`)
        return 0
      }
      io.stdout(blocks.join('\n\n'))
      if (!blocks[blocks.length - 1].endsWith('\n')) io.stdout('\n')
      return 0
    } finally {
      await ctx.close()
    }
  },
}
