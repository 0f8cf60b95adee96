/** `describe ingress`: describe.go's describeIngressV1, backends resolved through the related lookup. */
import { byteCompare } from '../../api/table/labels.js'
import { tlsProblemsFor } from '../../controllers/ingress/tls-status.js'
import { formatEndpoints } from './endpoint-list.js'
import { describeEvents, eventsAbout, refOf } from './events.js'
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbedString } from './prefix-writer.js'
import { printAnnotationsMultiline, printLabelsMultiline } from './print-meta.js'
import type { DescribeContext, KubeObject } from './types.js'

type Backend = {
  service?: { name?: string; port?: { number?: number; name?: string } }
  resource?: { apiGroup?: string; kind?: string; name?: string }
}

/** An Ingress (networking.k8s.io/v1), the fields describe reads. */
export type Ingress = KubeObject & {
  spec?: {
    ingressClassName?: string
    defaultBackend?: Backend
    tls?: Array<{ hosts?: string[]; secretName?: string }>
    rules?: Array<{ host?: string; http?: { paths?: Array<{ path?: string; pathType?: string; backend?: Backend }> } }>
  }
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } }
}

type ServicePorts = { spec?: { ports?: Array<{ name?: string; port?: number }> } }

/** serviceBackendStringer: "name:port" with the port number, or its name. */
function serviceBackend(b: NonNullable<Backend['service']>): string {
  const port = b.port?.number ? String(b.port.number) : (b.port?.name ?? '')
  return `${b.name ?? ''}:${port}`
}

/** describeBackendV1: "svc:80 (10.0.0.1:8080,…)", the error kubectl shows for a missing Service, or a resource backend. */
function describeBackend(namespace: string, b: Backend, ctx: DescribeContext): string {
  if (b.service) {
    const sb = serviceBackend(b.service)
    const name = b.service.name ?? ''
    const svc = ctx.related.serviceByName?.(namespace, name) as ServicePorts | undefined
    if (!svc) return `${sb} (<error: services "${name}" not found>)`
    let spName = ''
    for (const sp of svc.spec?.ports ?? []) {
      if (b.service.port?.number && b.service.port.number === sp.port) spName = sp.name ?? ''
      else if (b.service.port?.name && b.service.port.name === sp.name) spName = sp.name ?? ''
    }
    const eps = formatEndpoints(ctx.related.endpointsFor?.(namespace, name), new Set([spName]))
    return `${sb} (${eps})`
  }
  if (b.resource) {
    const apiGroup = b.resource.apiGroup ?? '<none>'
    return `APIGroup: ${apiGroup}, Kind: ${b.resource.kind ?? ''}, Name: ${b.resource.name ?? ''}`
  }
  return ''
}

/** The Ingress's description: address, class, default backend, TLS, rules with backends, annotations, events. */
export function describeIngress(ing: Ingress, ctx: DescribeContext): string {
  const md = ing.metadata ?? {}
  const ns = md.namespace ?? ''
  const spec = ing.spec ?? {}
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    w.write(LEVEL_0, `Namespace:\t${ns}\n`)
    const addresses = new Set<string>()
    for (const i of ing.status?.loadBalancer?.ingress ?? []) {
      if (i.ip) addresses.add(i.ip)
      else if (i.hostname) addresses.add(i.hostname)
    }
    w.write(LEVEL_0, `Address:\t${[...addresses].sort(byteCompare).join(',')}\n`)
    w.write(LEVEL_0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`)
    const def = spec.defaultBackend ? describeBackend(ns, spec.defaultBackend, ctx) : '<default>'
    w.write(LEVEL_0, `Default backend:\t${def}\n`)
    if ((spec.tls ?? []).length > 0) {
      w.write(LEVEL_0, 'TLS:\n')
      for (const t of spec.tls ?? []) {
        const hosts = (t.hosts ?? []).join(',')
        if (!t.secretName) w.write(LEVEL_1, `SNI routes ${hosts}\n`)
        else w.write(LEVEL_1, `${t.secretName} terminates ${hosts}\n`)
        // capstan: the ingress controller's findings about this Secret (not in kubectl's output).
        for (const problem of tlsProblemsFor(ing, t.secretName ?? '')) w.write(LEVEL_2, `Problem:\t${problem}\n`)
      }
    }
    w.write(LEVEL_0, 'Rules:\n  Host\tPath\tBackends\n')
    w.write(LEVEL_1, '----\t----\t--------\n')
    let count = 0
    for (const rule of spec.rules ?? []) {
      if (!rule.http) continue
      count++
      w.write(LEVEL_1, `${rule.host || '*'}\t\n`)
      for (const p of rule.http.paths ?? []) w.write(LEVEL_2, `\t${p.path ?? ''} \t${describeBackend(ns, p.backend ?? {}, ctx)}\n`)
    }
    if (count === 0) w.write(LEVEL_1, `*\t*\t${def}\n`)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    if (ctx.events) describeEvents(eventsAbout(ctx.events, refOf(ing)), w, ctx.now)
  })
}
