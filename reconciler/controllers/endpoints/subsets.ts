/**
 * The Endpoints of a Service, computed as the endpoints controller's syncService does: every pod the
 * selector matches that has an IP, ready ones under `addresses` and not-ready ones (neither terminal
 * nor being deleted) under `notReadyAddresses`, each service port resolved against the pod's
 * containers (a named targetPort finds the container port of that name and protocol; a pod without
 * it is left out of that port), then repacked so that addresses with the same ports share a subset.
 * Pure: pods and Service in, subsets out.
 */
import type { KObject } from '../../api/object.js'

type ServicePort = { name?: string; port?: number; protocol?: string; appProtocol?: string; targetPort?: number | string }
type ContainerPort = { name?: string; containerPort?: number; protocol?: string }

/** An address of an Endpoints subset. */
export interface EndpointAddress {
  ip: string
  hostname?: string
  nodeName?: string
  targetRef?: { kind: 'Pod'; namespace: string; name: string; uid: string }
}

/** A port of an Endpoints subset. */
export interface EndpointPort {
  name?: string
  port: number
  protocol: string
  appProtocol?: string
}

/** One subset: addresses that serve the same ports. */
export interface EndpointSubset {
  addresses?: EndpointAddress[]
  notReadyAddresses?: EndpointAddress[]
  ports?: EndpointPort[]
}

/** Whether every key of `selector` is a label of the pod with the same value (an empty selector matches nothing: it selects no pods). */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const keys = Object.keys(selector ?? {})
  if (!keys.length) return false
  return keys.every((k) => labels?.[k] === selector![k])
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: KObject): boolean {
  const conds = ((pod.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [])
  return conds.some((c) => c.type === 'Ready' && c.status === 'True')
}

/** podutil.FindPort: the target port as a number for this pod, or undefined when a named port is not there. */
export function findPort(pod: KObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port
  if (typeof target === 'number') return target
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target)
  const protocol = sp.protocol ?? 'TCP'
  const containers = ((pod.spec as { containers?: Array<{ ports?: ContainerPort[] }> } | undefined)?.containers ?? [])
  for (const c of containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort
  }
  return undefined
}

/** ShouldPodBeInEndpoints: not finished (Succeeded/Failed), and not being deleted unless terminating pods are included. */
export function shouldBeInEndpoints(pod: KObject, includeTerminating: boolean): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase
  if (phase === 'Succeeded' || phase === 'Failed') return false
  return includeTerminating || !pod.metadata.deletionTimestamp
}

const byIpThenUid = (a: EndpointAddress, b: EndpointAddress): number =>
  a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef?.uid ?? '') < (b.targetRef?.uid ?? '') ? -1 : (a.targetRef?.uid ?? '') > (b.targetRef?.uid ?? '') ? 1 : 0

const portKey = (p: EndpointPort): string => `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol}\u0000${p.appProtocol ?? ''}`

/** The subsets of the Endpoints for `svc` over the candidate `pods` (any pods of its namespace). */
export function endpointSubsets(svc: KObject, pods: readonly KObject[]): EndpointSubset[] {
  const spec = (svc.spec ?? {}) as { selector?: Record<string, string>; ports?: ServicePort[]; clusterIP?: string; publishNotReadyAddresses?: boolean }
  const ns = svc.metadata.namespace ?? 'default'
  const headless = spec.clusterIP === 'None'
  // address key → address, its readiness, and the ports it serves
  const entries = new Map<string, { addr: EndpointAddress; ready: boolean; ports: EndpointPort[] }>()
  for (const pod of pods) {
    if (pod.metadata.namespace !== ns || !selectorMatches(spec.selector, pod.metadata.labels)) continue
    const podIP = (pod.status as { podIP?: string } | undefined)?.podIP
    if (!podIP) continue
    if (!shouldBeInEndpoints(pod, spec.publishNotReadyAddresses === true)) continue
    const ready = spec.publishNotReadyAddresses === true || isPodReady(pod)
    const podSpec = (pod.spec ?? {}) as { nodeName?: string; hostname?: string; subdomain?: string }
    const addr: EndpointAddress = { ip: podIP }
    if (podSpec.hostname && podSpec.subdomain === svc.metadata.name) addr.hostname = podSpec.hostname
    if (podSpec.nodeName) addr.nodeName = podSpec.nodeName
    addr.targetRef = { kind: 'Pod', namespace: ns, name: pod.metadata.name!, uid: pod.metadata.uid ?? '' }
    const ports: EndpointPort[] = []
    for (const sp of spec.ports ?? []) {
      const port = findPort(pod, sp)
      if (port === undefined) continue
      const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' }
      if (sp.name) ep.name = sp.name
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol
      ports.push(ep)
    }
    // A headless Service without ports still lists its pods; otherwise a pod serving no port is left out.
    if (!ports.length && !(headless && !(spec.ports ?? []).length)) continue
    entries.set(`${podIP}/${addr.targetRef.uid}`, { addr, ready, ports })
  }
  return repack([...entries.values()])
}

/** RepackSubsets: addresses with the same set of ports share one subset; sorted for a stable object. */
function repack(entries: Array<{ addr: EndpointAddress; ready: boolean; ports: EndpointPort[] }>): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>()
  for (const e of entries) {
    const ports = [...e.ports].sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0))
    const key = ports.map(portKey).join('\u0001')
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }))
    ;(e.ready ? g.ready : g.notReady).push(e.addr)
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => {
      const s: EndpointSubset = {}
      if (g.ready.length) s.addresses = g.ready.sort(byIpThenUid)
      if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(byIpThenUid)
      if (g.ports.length) s.ports = g.ports
      return s
    })
}
