/** Service (ValidateService, ValidateServiceUpdate) and the node port range of the allocator. */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { goQuote, goStringSlice } from '../go-format.js'
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from '../names.js'
import { validateLabels } from '../object-meta.js'
import { PORT_PROTOCOLS, validatePortNumOrName } from './container.js'
import { arr, child, duplicate, forbidden, index, invalid, notSupported, num, obj, required, str, strMap, type Obj } from './field.js'
import { validateIP, validateNonSpecialIP } from './ip.js'

/** Service types, sorted as Kubernetes lists them. */
export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
/** The node port range of a default kube-apiserver (`--service-node-port-range`). */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 }

/** clusterIPs as the strategy syncs them: `clusterIPs`, else `[clusterIP]`, else none. */
export function clusterIPsOf(spec: Obj): string[] {
  const ips = arr(spec.clusterIPs).map(str)
  if (ips.length) return ips
  const ip = str(spec.clusterIP)
  return ip ? [ip] : []
}

function validatePort(p: Obj, requireName: boolean, names: Set<string>, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  const name = str(p.name)
  if (requireName && !name) errs.push(required(child(path, 'name')))
  else if (name) {
    for (const msg of isDNS1123Label(name)) errs.push(invalid(child(path, 'name'), name, msg))
    if (names.has(name)) errs.push(duplicate(child(path, 'name'), name))
    else names.add(name)
  }
  const port = num(p.port) ?? 0
  for (const msg of isValidPortNum(port)) errs.push(invalid(child(path, 'port'), port, msg))
  const protocol = str(p.protocol)
  if (!protocol) errs.push(required(child(path, 'protocol')))
  else if (!PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(child(path, 'protocol'), protocol, PORT_PROTOCOLS))
  errs.push(...validatePortNumOrName(p.targetPort, child(path, 'targetPort')))
  if (typeof p.appProtocol === 'string') {
    for (const msg of isQualifiedName(p.appProtocol)) errs.push(invalid(child(path, 'appProtocol'), p.appProtocol, msg))
  }
  return errs
}

/** `%#v` of the (protocol, port) key Kubernetes reports a duplicate port with. */
function goServicePortKey(protocol: string, port: number): string {
  return (
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
    `TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`
  )
}

function validateClusterIPs(spec: Obj, type: string): StatusCause[] {
  if (type === 'ExternalName') return []
  const errs: StatusCause[] = []
  const path = 'spec.clusterIPs'
  const clusterIP = str(spec.clusterIP)
  const listed = arr(spec.clusterIPs).map(str)
  if (clusterIP && listed.length && listed[0] !== clusterIP) {
    errs.push(invalid(path, listed, 'first value must match `clusterIP`'))
  }
  clusterIPsOf(spec).forEach((ip, i) => {
    if (ip === 'None') {
      if (i > 0) errs.push(invalid(index(path, i), ip, "'None' must be the first and only value"))
      return
    }
    errs.push(...validateIP(ip, index(path, i)))
  })
  return errs
}

function validatePorts(ports: Obj[]): StatusCause[] {
  const errs: StatusCause[] = []
  const names = new Set<string>()
  ports.forEach((p, i) => errs.push(...validatePort(p, ports.length > 1, names, index('spec.ports', i))))
  return errs
}

function validateNodePorts(ports: Obj[], type: string): StatusCause[] {
  const errs: StatusCause[] = []
  const seen = new Set<string>()
  ports.forEach((p, i) => {
    const nodePort = num(p.nodePort) ?? 0
    if (nodePort === 0) return
    const path = child(index('spec.ports', i), 'nodePort')
    if (type === 'ClusterIP') errs.push(forbidden(path, "may not be used when `type` is 'ClusterIP'"))
    const k = `${str(p.protocol)}/${nodePort}`
    if (seen.has(k)) errs.push(duplicate(path, nodePort))
    seen.add(k)
    if ((type === 'NodePort' || type === 'LoadBalancer') && (nodePort < NODE_PORT_RANGE.min || nodePort > NODE_PORT_RANGE.max)) {
      // The node port allocator's error, reported on the port by the Service REST storage.
      errs.push(
        invalid(path, nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`),
      )
    }
  })
  return errs
}

function validateDuplicatePorts(ports: Obj[]): StatusCause[] {
  const errs: StatusCause[] = []
  const seen = new Set<string>()
  ports.forEach((p, i) => {
    const protocol = str(p.protocol)
    const port = num(p.port) ?? 0
    const k = `${protocol}/${port}`
    if (seen.has(k)) errs.push(duplicate(index('spec.ports', i), { raw: goServicePortKey(protocol, port) }))
    seen.add(k)
  })
  return errs
}

function validateTrafficPolicies(spec: Obj, type: string): StatusCause[] {
  const errs: StatusCause[] = []
  const etp = str(spec.externalTrafficPolicy)
  const externallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && arr(spec.externalIPs).length > 0)
  if (!externallyAccessible) {
    if (etp) errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'))
  } else if (!etp) {
    if (type !== 'ClusterIP') errs.push(required('spec.externalTrafficPolicy'))
  } else if (etp !== 'Cluster' && etp !== 'Local') {
    errs.push(notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']))
  }
  const itp = spec.internalTrafficPolicy
  if (itp === undefined || itp === null) {
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') errs.push(required('spec.internalTrafficPolicy'))
  } else if (str(itp) !== 'Cluster' && str(itp) !== 'Local') {
    errs.push(notSupported('spec.internalTrafficPolicy', str(itp), ['Cluster', 'Local']))
  }
  return errs
}

/** On update the allocated cluster IPs may not change (an omitted clusterIP keeps the allocated one). */
function validateClusterIPUpdate(spec: Obj, oldSpec: Obj): StatusCause[] {
  const type = str(spec.type)
  const oldType = str(oldSpec.type)
  if (type === 'ExternalName' || oldType === 'ExternalName') return []
  const now = clusterIPsOf(spec)
  const before = clusterIPsOf(oldSpec)
  if (now.length === 0 || before.length === 0) return []
  if (now[0] === 'None' && before[0] === 'None') return []
  const errs: StatusCause[] = []
  for (let i = 0; i < Math.min(now.length, before.length); i++) {
    if (now[i] !== before[i]) errs.push(invalid(index('spec.clusterIPs', i), { raw: goStringSlice(now) }, 'may not change once set'))
  }
  return errs
}

/** Validates a Service; `old` is the stored object on update. */
export function validateService(svc: KObject, old?: KObject): StatusCause[] {
  const spec = obj(svc.spec) ?? {}
  const type = str(spec.type)
  const ips = clusterIPsOf(spec)
  const headless = ips[0] === 'None'
  const errs: StatusCause[] = old ? validateClusterIPUpdate(spec, obj(old.spec) ?? {}) : []
  if (arr(spec.ports).length === 0 && !headless && type !== 'ExternalName') errs.push(required('spec.ports'))
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless) {
    errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`))
  }
  if (type === 'ExternalName') {
    if (ips.length) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'))
    if (arr(spec.ipFamilies).length) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'))
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) {
      errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'))
    }
    // The name (a CNAME) may end with a dot to mark it fully qualified.
    const cname = str(spec.externalName).replace(/\.$/, '')
    if (cname) for (const msg of isDNS1123Subdomain(cname)) errs.push(invalid('spec.externalName', cname, msg))
    else errs.push(required('spec.externalName'))
  }
  const ports = arr(spec.ports).map((p) => obj(p) ?? {})
  errs.push(...validatePorts(ports))
  if (spec.selector !== undefined && spec.selector !== null) errs.push(...validateLabels(strMap(spec.selector), 'spec.selector'))
  const affinity = str(spec.sessionAffinity)
  if (!affinity) errs.push(required('spec.sessionAffinity'))
  else if (affinity !== 'ClientIP' && affinity !== 'None') errs.push(notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']))
  if (affinity === 'None' && spec.sessionAffinityConfig !== undefined && spec.sessionAffinityConfig !== null) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'))
  }
  errs.push(...validateClusterIPs(spec, type))
  arr(spec.externalIPs).forEach((raw, i) => {
    const ip = str(raw)
    const p = index('spec.externalIPs', i)
    const bad = validateIP(ip, p)
    errs.push(...(bad.length ? bad : validateNonSpecialIP(ip, p)))
  })
  if (!type) errs.push(required('spec.type'))
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES))
  errs.push(...validateNodePorts(ports, type))
  errs.push(...validateDuplicatePorts(ports))
  errs.push(...validateTrafficPolicies(spec, type))
  return errs
}
