/**
 * Service address allocation as kube-apiserver's Service registry does it on create and update:
 * a cluster IP from the service CIDR (a chosen one is honoured when free and in range), node ports
 * for NodePort and LoadBalancer Services (a chosen one honoured when free), a health-check node port
 * for LoadBalancers with `externalTrafficPolicy: Local`, and the IP family fields. Pure: the
 * addresses in use come in, the new spec and any field errors (422 causes) go out.
 *
 * Dynamic values are probed from a hash of the Service's uid (kube-apiserver picks at random; a hash
 * makes replays allocate the same values) and prefer the upper band of each range, leaving the lower
 * band to values users choose, as kube-apiserver does.
 */
import type { StatusCause } from './errors.js'
import type { KObject } from './object.js'
import { invalid } from './validation/field-error.js'
import { NODE_PORT_RANGE } from './validation/kinds/service.js'
import { allocatableOffsets, inRange, numberToIp, parseCidr, SERVICE_CIDR, stableHash, type Ipv4Range } from './service-ip-range.js'

type Obj = Record<string, unknown>
type ServicePort = { name?: string; port?: number; protocol?: string; nodePort?: number; [k: string]: unknown }

/** What other Services hold: address or port → `namespace/name` of the holder. */
export interface ServiceAllocations {
  clusterIPs: Map<string, string>
  nodePorts: Map<number, string>
  loadBalancerIPs: Map<string, string>
}

/** `namespace/name` of an object. */
export const ownerKey = (o: KObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`

/** The addresses and ports held by `services` (the repair loop's view: the Services are the record). */
export function collectAllocations(services: readonly KObject[]): ServiceAllocations {
  const used: ServiceAllocations = { clusterIPs: new Map(), nodePorts: new Map(), loadBalancerIPs: new Map() }
  for (const s of services) {
    const key = ownerKey(s)
    const spec = (s.spec ?? {}) as { clusterIPs?: string[]; clusterIP?: string; ports?: ServicePort[]; healthCheckNodePort?: number }
    for (const ip of spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []) {
      if (ip !== 'None') used.clusterIPs.set(ip, key)
    }
    for (const p of spec.ports ?? []) if (p.nodePort) used.nodePorts.set(p.nodePort, key)
    if (spec.healthCheckNodePort) used.nodePorts.set(spec.healthCheckNodePort, key)
    const lb = (s.status as { loadBalancer?: { ingress?: Array<{ ip?: string }> } } | undefined)?.loadBalancer?.ingress ?? []
    for (const i of lb) if (i.ip) used.loadBalancerIPs.set(i.ip, key)
  }
  return used
}

/** The outcome of allocating for one Service. */
export interface AllocationResult {
  /** The spec with everything allocated (a copy; the input is not changed). */
  spec: Obj
  /** True when `spec` differs from the Service's. */
  changed: boolean
  /** Field errors kube-apiserver answers with 422 (a chosen IP or port is taken or out of range). */
  causes: StatusCause[]
}

/** Options: the service CIDR (default 10.96.0.0/12). */
export interface AllocateOptions {
  serviceCidr?: string
}

/**
 * Allocates what `svc` lacks. `used` holds what other Services have (entries naming `svc` itself
 * are ignored, so a Service keeps its own values on update).
 */
export function allocateService(svc: KObject, used: ServiceAllocations, { serviceCidr = SERVICE_CIDR }: AllocateOptions = {}): AllocationResult {
  const self = ownerKey(svc)
  const spec = structuredClone((svc.spec ?? {}) as Obj)
  const causes: StatusCause[] = []
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP'
  const seed = svc.metadata.uid ?? self

  if (type !== 'ExternalName') {
    const range = parseCidr(serviceCidr)!
    const chosen = (spec.clusterIPs as string[] | undefined)?.[0] || (spec.clusterIP as string | undefined) || ''
    if (chosen === 'None') {
      spec.clusterIP = 'None'
      spec.clusterIPs = ['None']
    } else if (chosen) {
      const holder = used.clusterIPs.get(chosen)
      if (!inRange(range, chosen)) {
        causes.push(clusterIPCause(spec, chosen, `the provided IP (${chosen}) is not in the valid range. The range of valid IPs is ${range.cidr}`))
      } else if (holder && holder !== self) {
        causes.push(clusterIPCause(spec, chosen, 'provided IP is already allocated'))
      }
      spec.clusterIP = chosen
      spec.clusterIPs = [chosen]
    } else {
      const ip = nextClusterIP(range, used, self, seed)
      if (ip) {
        spec.clusterIP = ip
        spec.clusterIPs = [ip]
      } else causes.push(clusterIPCause(spec, '', `failed to allocate a serviceIP: range is full`))
    }
    if (!Array.isArray(spec.ipFamilies) || !spec.ipFamilies.length) spec.ipFamilies = ['IPv4']
    if (spec.ipFamilyPolicy === undefined) spec.ipFamilyPolicy = 'SingleStack'
  }

  const wantsNodePorts = type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)
  const taken = new Set<number>()
  for (const [p, holder] of used.nodePorts) if (holder !== self) taken.add(p)
  const ports = (Array.isArray(spec.ports) ? spec.ports : []) as ServicePort[]
  if (wantsNodePorts) {
    // A port number served over two protocols shares one node port (initNodePorts).
    const byPort = new Map<number, number>()
    ports.forEach((p, i) => {
      if (!p.nodePort) return
      if (taken.has(p.nodePort) && byPort.get(p.port ?? 0) !== p.nodePort) {
        causes.push(invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'))
      }
      byPort.set(p.port ?? 0, p.nodePort)
      taken.add(p.nodePort)
    })
    ports.forEach((p, i) => {
      if (p.nodePort) return
      const shared = byPort.get(p.port ?? 0)
      const np = shared ?? nextNodePort(taken, `${seed}/${p.port ?? 0}/${i}`)
      if (np === undefined) {
        causes.push(invalid(`spec.ports[${i}].nodePort`, 0, 'range is full'))
        return
      }
      p.nodePort = np
      taken.add(np)
      byPort.set(p.port ?? 0, np)
    })
  }
  if (type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    const hc = spec.healthCheckNodePort as number | undefined
    if (hc && taken.has(hc)) causes.push(invalid('spec.healthCheckNodePort', hc, 'provided port is already allocated'))
    else if (!hc) {
      const np = nextNodePort(taken, `${seed}/health`)
      if (np !== undefined) spec.healthCheckNodePort = np
    }
  }
  return { spec, changed: JSON.stringify(spec) !== JSON.stringify(svc.spec ?? {}), causes }
}

/** kube-apiserver's error on spec.clusterIPs: `failed to allocate IP 10.96.0.5: provided IP is already allocated`. */
function clusterIPCause(spec: Obj, ip: string, detail: string): StatusCause {
  const listed = (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? spec.clusterIPs : [ip]) as string[]
  return invalid('spec.clusterIPs', listed, ip ? `failed to allocate IP ${ip}: ${detail}` : detail)
}

/** The first free cluster IP probing from the hash of `seed` through the dynamic band, then the static band. */
export function nextClusterIP(range: Ipv4Range, used: ServiceAllocations, self: string, seed: string): string | undefined {
  const { first, last, dynamicFirst } = allocatableOffsets(range)
  const free = (off: number): string | undefined => {
    const ip = numberToIp(range.base + off)
    const holder = used.clusterIPs.get(ip)
    return !holder || holder === self ? ip : undefined
  }
  const span = last - dynamicFirst + 1
  const start = stableHash(seed) % span
  for (let i = 0; i < span; i++) {
    const ip = free(dynamicFirst + ((start + i) % span))
    if (ip) return ip
  }
  for (let off = first; off < dynamicFirst; off++) {
    const ip = free(off)
    if (ip) return ip
  }
  return undefined
}

/**
 * The first free node port probing from the hash of `seed` through the dynamic band (above the
 * static band of min(max(16, size/32), 128) ports: 30000–30085 for the default range), then the static band.
 */
export function nextNodePort(taken: ReadonlySet<number>, seed: string): number | undefined {
  const { min, max } = NODE_PORT_RANGE
  const size = max - min + 1
  const band = Math.min(Math.max(16, Math.floor(size / 32)), 128)
  const span = size - band
  const start = stableHash(seed) % span
  for (let i = 0; i < span; i++) {
    const p = min + band + ((start + i) % span)
    if (!taken.has(p)) return p
  }
  for (let p = min; p < min + band; p++) if (!taken.has(p)) return p
  return undefined
}
