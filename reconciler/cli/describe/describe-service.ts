/** `describe service` and `describe endpoints`: describe.go's describeService and describeEndpoints. */
import { formatLabels } from '../../api/table/labels.js'
import { formatEndpoints } from './endpoint-list.js'
import { describeEvents, eventsAbout, refOf } from './events.js'
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbedString } from './prefix-writer.js'
import { printAnnotationsMultiline, printLabelsMultiline } from './print-meta.js'
import type { DescribeContext, KubeObject } from './types.js'

type ServicePort = { name?: string; port?: number; protocol?: string; targetPort?: number | string; nodePort?: number }

/** A Service, the fields describe reads. */
export type Service = KubeObject & {
  spec?: {
    selector?: Record<string, string>
    type?: string
    ipFamilyPolicy?: string
    ipFamilies?: string[]
    clusterIP?: string
    clusterIPs?: string[]
    externalIPs?: string[]
    loadBalancerIP?: string
    externalName?: string
    ports?: ServicePort[]
    sessionAffinity?: string
    externalTrafficPolicy?: string
    internalTrafficPolicy?: string
    healthCheckNodePort?: number
    loadBalancerSourceRanges?: string[]
    trafficDistribution?: string
  }
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string; ipMode?: string }> } }
}

/** The Service's description: selector, type, IPs, each port with its endpoints, policies, events. */
export function describeService(svc: Service, ctx: DescribeContext): string {
  const md = svc.metadata ?? {}
  const spec = svc.spec ?? {}
  const endpoints = ctx.related.endpointsFor?.(md.namespace ?? '', md.name ?? '')
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`)
    w.write(LEVEL_0, `Type:\t${spec.type ?? ''}\n`)
    if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`)
    const families = spec.ipFamilies ?? []
    w.write(LEVEL_0, `IP Families:\t${families.length > 0 ? families.join(',') : '<none>'}\n`)
    w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`)
    const ips = spec.clusterIPs ?? []
    w.write(LEVEL_0, `IPs:\t${ips.length > 0 ? ips.join(',') : '<none>'}\n`)
    if ((spec.externalIPs ?? []).length > 0) w.write(LEVEL_0, `External IPs:\t${(spec.externalIPs ?? []).join(',')}\n`)
    if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`)
    if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`)
    const lb = svc.status?.loadBalancer?.ingress ?? []
    if (lb.length > 0) {
      const list = lb.map((i) => (i.ip ? i.ip + (i.ipMode ? ` (${i.ipMode})` : '') : (i.hostname ?? ''))).join(', ')
      w.write(LEVEL_0, `LoadBalancer Ingress:\t${list}\n`)
    }
    for (const sp of spec.ports ?? []) {
      const name = sp.name || '<unset>'
      const protocol = sp.protocol ?? ''
      w.write(LEVEL_0, `Port:\t${name}\t${sp.port ?? 0}/${protocol}\n`)
      w.write(LEVEL_0, `TargetPort:\t${String(sp.targetPort ?? 0)}/${protocol}\n`)
      if (sp.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${sp.nodePort}/${protocol}\n`)
      w.write(LEVEL_0, `Endpoints:\t${formatEndpoints(endpoints, new Set([sp.name ?? '']))}\n`)
    }
    w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`)
    if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`)
    if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`)
    if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`)
    if ((spec.loadBalancerSourceRanges ?? []).length > 0) {
      w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${(spec.loadBalancerSourceRanges ?? []).join(',')}\n`)
    }
    if (spec.trafficDistribution) w.write(LEVEL_0, `Traffic Distribution:\t${spec.trafficDistribution}\n`)
    if (ctx.events) describeEvents(eventsAbout(ctx.events, refOf(svc)), w, ctx.now)
  })
}

type Subset = {
  addresses?: Array<{ ip?: string }>
  notReadyAddresses?: Array<{ ip?: string }>
  ports?: Array<{ name?: string; port?: number; protocol?: string }>
}

/** The Endpoints' description: each subset's ready and not-ready addresses and ports. */
export function describeEndpoints(ep: KubeObject, ctx: DescribeContext): string {
  const md = ep.metadata ?? {}
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    w.write(LEVEL_0, 'Subsets:\n')
    for (const ss of (ep.subsets ?? []) as Subset[]) {
      const ready = (ss.addresses ?? []).map((a) => a.ip ?? '').join(',')
      w.write(LEVEL_1, `Addresses:\t${ready || '<none>'}\n`)
      const notReady = (ss.notReadyAddresses ?? []).map((a) => a.ip ?? '').join(',')
      w.write(LEVEL_1, `NotReadyAddresses:\t${notReady || '<none>'}\n`)
      if ((ss.ports ?? []).length > 0) {
        w.write(LEVEL_1, 'Ports:\n')
        w.write(LEVEL_2, 'Name\tPort\tProtocol\n')
        w.write(LEVEL_2, '----\t----\t--------\n')
        for (const p of ss.ports ?? []) w.write(LEVEL_2, `${p.name || '<unset>'}\t${p.port ?? 0}\t${p.protocol ?? ''}\n`)
      }
      w.write(LEVEL_0, '\n')
    }
    if (ctx.events) describeEvents(eventsAbout(ctx.events, refOf(ep)), w, ctx.now)
  })
}
