/** Columns of Service and Ingress (printers.go printService, printIngress). */
import { arr, getPath, map, str } from '../get-path.js'
import { byteCompare, formatLabels } from '../labels.js'
import type { Column, KubeObject, PrintContext } from '../types.js'
import { ageColumn, int, nameColumn } from './common.js'

/** Load-balancer addresses are clipped to 16 characters outside -o wide. */
const LOAD_BALANCER_WIDTH = 16

/** loadBalancerStatusStringer: the sorted, de-duplicated IPs (or hostnames), clipped unless wide. */
export function loadBalancerString(status: unknown, wide: boolean): string {
  const set = new Set<string>()
  for (const ing of arr(status, 'ingress')) {
    const ip = str(ing, 'ip')
    const hostname = str(ing, 'hostname')
    if (ip) set.add(ip)
    else if (hostname) set.add(hostname)
  }
  let r = [...set].sort(byteCompare).join(',')
  if (!wide && r.length > LOAD_BALANCER_WIDTH) r = r.slice(0, LOAD_BALANCER_WIDTH - 3) + '...'
  return r
}

/** getServiceExternalIP, by service type. */
function serviceExternalIP(svc: KubeObject, wide: boolean): string {
  const externalIPs = arr(svc, 'spec.externalIPs').map(String)
  switch (str(svc, 'spec.type')) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>'
    case 'LoadBalancer': {
      const lb = loadBalancerString(getPath(svc, 'status.loadBalancer'), wide)
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',')
      return lb || '<pending>'
    }
    case 'ExternalName':
      return str(svc, 'spec.externalName')
  }
  return '<unknown>'
}

/** makePortString: "80/TCP", or "80:30080/TCP" with a node port. */
function portString(svc: KubeObject): string {
  const pieces = arr(svc, 'spec.ports').map((p) => {
    const port = int(getPath(p, 'port'))
    const protocol = str(p, 'protocol')
    const nodePort = int(getPath(p, 'nodePort'))
    return nodePort > 0 ? `${port}:${nodePort}/${protocol}` : `${port}/${protocol}`
  })
  return pieces.join(',') || '<none>'
}

/** The first cluster IP (spec.clusterIPs[0], or spec.clusterIP), "<none>" without one. */
function clusterIP(svc: KubeObject): string {
  const ips = arr(svc, 'spec.clusterIPs')
  if (ips.length > 0) return String(ips[0])
  return str(svc, 'spec.clusterIP') || '<none>'
}

/** Wide is part of the context for the two columns whose text depends on it. */
export type WideContext = PrintContext & { wide?: boolean }

/** NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (+ wide SELECTOR). */
export const serviceColumns: Column[] = [
  nameColumn,
  { name: 'Type', priority: 0, type: 'string', description: 'type determines how the Service is exposed.', cell: (o) => str(o, 'spec.type') },
  { name: 'Cluster-IP', priority: 0, type: 'string', description: 'clusterIP is the IP address of the service and is usually assigned randomly.', cell: (o) => clusterIP(o) },
  { name: 'External-IP', priority: 0, type: 'string', description: 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    cell: (o, c) => serviceExternalIP(o, (c as WideContext).wide === true) },
  { name: 'Port(s)', priority: 0, type: 'string', description: 'The list of ports that are exposed by this service.', cell: (o) => portString(o) },
  ageColumn,
  { name: 'Selector', priority: 1, type: 'string', description: 'Route service traffic to pods with label keys and values matching this selector.', cell: (o) => formatLabels(map(o, 'spec.selector')) },
]

/** formatHosts: up to 3 rule hosts, then " + N more..."; "*" when no rule has a host. */
function formatHosts(ing: KubeObject): string {
  const rules = arr(ing, 'spec.rules')
  const list: string[] = []
  const max = 3
  let more = false
  for (const rule of rules) {
    if (list.length === max) more = true
    const host = str(rule, 'host')
    if (!more && host) list.push(host)
  }
  if (list.length === 0) return '*'
  const ret = list.join(',')
  return more ? `${ret} + ${rules.length - max} more...` : ret
}

/** NAME CLASS HOSTS ADDRESS PORTS AGE */
export const ingressColumns: Column[] = [
  nameColumn,
  { name: 'Class', priority: 0, type: 'string', description: 'The name of the IngressClass resource that should be used for additional configuration',
    cell: (o) => (typeof getPath(o, 'spec.ingressClassName') === 'string' ? str(o, 'spec.ingressClassName') : '<none>') },
  { name: 'Hosts', priority: 0, type: 'string', description: 'Hosts that incoming requests are matched against before the ingress rule', cell: (o) => formatHosts(o) },
  { name: 'Address', priority: 0, type: 'string', description: 'Address is a list containing ingress points for the load-balancer',
    cell: (o, c) => loadBalancerString(getPath(o, 'status.loadBalancer'), (c as WideContext).wide === true) },
  { name: 'Ports', priority: 0, type: 'string', description: 'Ports of TLS configurations that open', cell: (o) => (arr(o, 'spec.tls').length > 0 ? '80, 443' : '80') },
  ageColumn,
]
