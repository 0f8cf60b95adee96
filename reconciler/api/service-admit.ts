/**
 * Allocation at write time, as kube-apiserver's Service REST storage does it (beginCreate and
 * beginUpdate in pkg/registry/core/service/storage): on every create and update of a Service (not
 * its status), after defaulting and managed fields and before validation. On update the values the
 * server allocated are first kept when the client left them out (patchAllocatedValues), and those
 * a type change no longer needs are dropped (dropTypeDependentFields). A chosen cluster IP or node
 * port that is taken or out of range answers 422 with the causes allocateService builds.
 */
import type { StatusCause } from './errors.js'
import type { KObject } from './object.js'
import { allocateService, collectAllocations, ownerKey, type ServiceAllocations } from './service-allocate.js'

type Obj = Record<string, unknown>
type Port = { name?: string; port?: number; protocol?: string; nodePort?: number }

/** Allocates what `svc` lacks, in place, given every stored Service; returns the 422 causes (then `svc` is unchanged). */
export function allocateOnWrite(svc: KObject, services: readonly KObject[]): StatusCause[] {
  const self = ownerKey(svc)
  return allocateInPlace(svc, collectAllocations(services.filter((s) => ownerKey(s) !== self)))
}

/** Allocates what `svc` lacks, in place, given what Services hold (`svc`'s own entries are its to keep); returns the 422 causes. */
export function allocateInPlace(svc: KObject, used: ServiceAllocations): StatusCause[] {
  const r = allocateService(svc, used)
  if (r.causes.length) return r.causes
  if (r.changed) svc.spec = r.spec
  return []
}

const specOf = (s: KObject): Obj => (s.spec && typeof s.spec === 'object' ? (s.spec as Obj) : {})
const typeOf = (spec: Obj): string => (typeof spec.type === 'string' && spec.type ? spec.type : 'ClusterIP')
const needsClusterIP = (spec: Obj): boolean => typeOf(spec) !== 'ExternalName'
const needsNodePort = (spec: Obj): boolean => typeOf(spec) === 'NodePort' || (typeOf(spec) === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)
const needsHCNodePort = (spec: Obj): boolean => typeOf(spec) === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local'
const portsOf = (spec: Obj): Port[] => (Array.isArray(spec.ports) ? (spec.ports as Port[]) : [])
const clusterIPsOf = (spec: Obj): string[] =>
  Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? (spec.clusterIPs as string[]) : typeof spec.clusterIP === 'string' && spec.clusterIP ? [spec.clusterIP] : []

/**
 * An update's spec before allocation, in place: what the server allocated and the client left out
 * is kept (a client may resubmit the YAML it created the Service from: patchAllocatedValues), and
 * what the new type no longer needs is dropped when the client left it as it was
 * (dropTypeDependentFields): ClusterIP → ExternalName drops the cluster IPs and IP families,
 * NodePort → ClusterIP the node ports and external traffic policy, Local → Cluster the health-check
 * node port, LoadBalancer → another type allocateLoadBalancerNodePorts and loadBalancerClass.
 */
export function prepareServiceUpdate(next: KObject, old: KObject): void {
  const spec = specOf(next)
  const before = specOf(old)
  if (!next.spec || typeof next.spec !== 'object') return
  // patchAllocatedValues: node ports by port name, unless another port of the new spec uses the value.
  if (needsClusterIP(before) && needsClusterIP(spec)) {
    if (!spec.clusterIP && before.clusterIP) spec.clusterIP = before.clusterIP
    if (!(Array.isArray(spec.clusterIPs) && spec.clusterIPs.length) && Array.isArray(before.clusterIPs) && before.clusterIPs.length) spec.clusterIPs = [...before.clusterIPs]
  }
  if (needsNodePort(before) && needsNodePort(spec)) {
    const inNew = new Set(portsOf(spec).map((p) => p.nodePort ?? 0))
    const used = new Set(portsOf(before).map((p) => p.nodePort ?? 0).filter((n) => n && inNew.has(n)))
    const byName = new Map(portsOf(before).map((p) => [p.name ?? '', p.nodePort ?? 0]))
    for (const p of portsOf(spec)) {
      if (p.nodePort) continue
      const was = byName.get(p.name ?? '') ?? 0
      if (was && !used.has(was)) p.nodePort = was
    }
  }
  if (needsHCNodePort(before) && needsHCNodePort(spec) && !spec.healthCheckNodePort && before.healthCheckNodePort) {
    spec.healthCheckNodePort = before.healthCheckNodePort
  }
  normalizeClusterIPs(spec, before)
  // dropTypeDependentFields: only values the client sent back unchanged.
  if (needsClusterIP(before) && !needsClusterIP(spec) && sameList(clusterIPsOf(spec), clusterIPsOf(before))) {
    delete spec.clusterIP
    delete spec.clusterIPs
    if (sameList(spec.ipFamilies, before.ipFamilies)) delete spec.ipFamilies
    if (spec.ipFamilyPolicy === before.ipFamilyPolicy) delete spec.ipFamilyPolicy
  }
  if (needsNodePort(before) && !needsNodePort(spec) && sameNodePorts(portsOf(spec), portsOf(before))) {
    for (const p of portsOf(spec)) delete p.nodePort
  }
  if (needsHCNodePort(before) && !needsHCNodePort(spec) && spec.healthCheckNodePort === before.healthCheckNodePort) {
    delete spec.healthCheckNodePort
  }
  if (typeOf(before) === 'LoadBalancer' && typeOf(spec) !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts != null && spec.allocateLoadBalancerNodePorts === before.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts
    if (spec.loadBalancerClass === before.loadBalancerClass) delete spec.loadBalancerClass
  }
  if (externallyAccessible(before) && !externallyAccessible(spec) && spec.externalTrafficPolicy === before.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy
  }
}

/**
 * normalizeClusterIPs on update: what a client that knows only the singular field meant. Plural
 * left out with the singular unchanged: the old plural is kept; singular cleared with no plural:
 * both are cleared; singular changed while the plural still starts with the old one: the plural's
 * first entry follows it, so validation refuses the change ("may not change once set") instead of
 * the allocator quietly keeping the old address.
 */
function normalizeClusterIPs(spec: Obj, before: Obj): void {
  const ips = (o: Obj): string[] => (Array.isArray(o.clusterIPs) ? (o.clusterIPs as string[]) : [])
  const one = (o: Obj): string => (typeof o.clusterIP === 'string' ? o.clusterIP : '')
  if (ips(before).length && !ips(spec).length && one(before) === one(spec)) spec.clusterIPs = [...ips(before)]
  if (one(before) === one(spec)) return
  if (one(before) && !one(spec) && !ips(spec).length) {
    delete spec.clusterIPs
    return
  }
  if (one(before) && one(spec) && sameList(ips(spec), ips(before)) && ips(spec).length) spec.clusterIPs = [one(spec), ...ips(spec).slice(1)]
}

/** LoadBalancer and NodePort Services, and ClusterIP ones with external IPs (serviceutil.ExternallyAccessible). */
function externallyAccessible(spec: Obj): boolean {
  const t = typeOf(spec)
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0)
}

/** Whether an update's spec keeps every address and port the stored Service holds and adds none: nothing to allocate or check. */
export function holdsSameAddresses(next: KObject, old: KObject): boolean {
  const a = collectAllocations([next])
  const b = collectAllocations([old])
  const same = <V>(x: Map<V, string>, y: Map<V, string>): boolean => x.size === y.size && [...x.keys()].every((v) => y.has(v))
  if (!same(a.clusterIPs, b.clusterIPs) || !same(a.nodePorts, b.nodePorts)) return false
  // Nothing left to fill in: the allocator would not change the spec with nothing else in use.
  return !allocateService(next, { clusterIPs: new Map(), nodePorts: new Map(), loadBalancerIPs: new Map() }).changed
}

/** Whether two lists (of strings or anything JSON-equal by value) are the same. */
function sameList(a: unknown, b: unknown): boolean {
  const x = Array.isArray(a) ? a : []
  const y = Array.isArray(b) ? b : []
  return x.length === y.length && x.every((v, i) => v === y[i])
}

/** Whether the new ports add no node port the old ones lacked (sameNodePorts: ports may be added, removed or changed). */
function sameNodePorts(next: Port[], old: Port[]): boolean {
  const had = new Set(old.map((p) => p.nodePort ?? 0))
  return next.every((p) => !p.nodePort || had.has(p.nodePort))
}
