/**
 * `capstan route [--ingress NAME] URL [-o json]`: which Ingress, rule, Service, port and ready pods
 * would serve a request, and whether TLS terminates there (with which Secret, or why not). Read-only:
 * it reads the state on its virtual clock (certificate dates are judged at that time). No matching
 * rule is an error with exit code 1, as kubectl's lookups fail.
 */
import type { KObject } from '../../api/object.js'
import { parseRequestUrl, routeRequest, type Route } from '../../controllers/routing/index.js'
import { flag, UsageError } from '../args.js'
import { commandContext } from '../context.js'
import type { Command } from '../run.js'

const FLAGS = [{ name: 'ingress' }, { name: 'output', short: 'o' }]

export const routeCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    const output = flag(ctx.args, 'output') ?? ''
    if (output && output !== 'json') throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json`)
    if (ctx.args.positionals.length !== 1) throw new UsageError('exactly one URL is required: capstan route [--ingress NAME] URL [-o json]')
    const request = parseRequestUrl(ctx.args.positionals[0])
    if ('error' in request) throw new UsageError(request.error)
    const only = flag(ctx.args, 'ingress')
    try {
      const api = await ctx.client()
      const now = (await ctx.clock()).now()
      const [ingresses, services, endpoints, secrets] = await Promise.all(
        ['ingresses', 'services', 'endpoints', 'secrets'].map(async (r) => (await api.list(r)).items),
      )
      const secretIndex = new Map<string, KObject>(secrets.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]))
      const outcome = routeRequest({
        request,
        ingresses,
        services,
        endpoints,
        secret: (ns, name) => secretIndex.get(`${ns}/${name}`),
        now,
        only: only ? { namespace: ctx.namespace, name: only } : undefined,
      })
      if ('error' in outcome) {
        io.stderr(`error: ${outcome.error}\n`)
        return 1
      }
      io.stdout(output === 'json' ? JSON.stringify(routeJson(outcome.route), null, 2) + '\n' : routeText(outcome.route))
      return 0
    } finally {
      await ctx.close()
    }
  },
}

/** The JSON document of a route. */
export function routeJson(r: Route): Record<string, unknown> {
  return {
    url: `${r.request.scheme}://${r.request.host}${r.request.path}`,
    ingress: r.ingress.name,
    namespace: r.ingress.namespace,
    rule: r.rule,
    service: r.service,
    ...(r.resource ? { resource: r.resource } : {}),
    pods: r.pods,
    notReadyPods: r.notReadyPods,
    tls: r.tls,
    problems: r.problems,
  }
}

/** The human-readable answer, one `Label: value` line per fact. */
export function routeText(r: Route): string {
  const lines: Array<[string, string]> = []
  lines.push(['URL', `${r.request.scheme}://${r.request.host}${r.request.path}`])
  lines.push(['Ingress', `${r.ingress.namespace}/${r.ingress.name}`])
  lines.push(['Rule', r.rule.via === 'defaultBackend' ? 'default backend' : `host ${r.rule.host || '*'}, path ${r.rule.path} (${r.rule.pathType})`])
  if (r.service) {
    const port = r.service.portName ? `${r.service.port} (${r.service.portName})` : String(r.service.port)
    lines.push(['Service', `${r.service.name}:${port}${r.service.clusterIP ? `, cluster IP ${r.service.clusterIP}` : ''}`])
  } else if (r.resource) {
    lines.push(['Resource', `${r.resource.kind ?? ''} ${r.resource.name ?? ''}${r.resource.apiGroup ? ` (${r.resource.apiGroup})` : ''}`])
  }
  const pods = r.pods.map((p) => `${p.name} (${p.ip}:${p.port}${p.node ? ` on ${p.node}` : ''})`)
  lines.push(['Pods', pods.length ? pods.join(', ') : '<none>'])
  if (r.notReadyPods.length) lines.push(['Not ready', r.notReadyPods.map((p) => p.name).join(', ')])
  const t = r.tls
  if (t.terminates) {
    const cert = t.certificate ? `, certificate for ${t.certificate.dnsNames.join(', ') || t.certificate.subject} valid until ${t.certificate.notAfter}` : ''
    lines.push(['TLS', `terminates with secret ${t.secretName}${cert}`])
  } else {
    lines.push(['TLS', `does not terminate${t.secretName ? ` with secret ${t.secretName}` : ''}: ${t.reason ?? 'no TLS'}`])
  }
  for (const p of r.problems) lines.push(['Warning', p])
  const width = Math.max(...lines.map(([k]) => k.length)) + 2
  return lines.map(([k, v]) => `${(k + ':').padEnd(width)}${v}\n`).join('')
}
