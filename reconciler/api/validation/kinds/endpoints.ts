/** Endpoints (validateEndpointSubsets): each subset has addresses with IPs, and valid ports. */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from '../names.js'
import { PORT_PROTOCOLS } from './container.js'
import { arr, child, index, invalid, notSupported, num, obj, required, str, type Obj } from './field.js'
import { validateIP, validateNonSpecialIP } from './ip.js'

function validateAddress(a: Obj, path: string): StatusCause[] {
  const ip = str(a.ip)
  const errs = validateIP(ip, child(path, 'ip'))
  const hostname = str(a.hostname)
  if (hostname) for (const msg of isDNS1123Label(hostname)) errs.push(invalid(child(path, 'hostname'), hostname, msg))
  if (typeof a.nodeName === 'string') {
    for (const msg of isDNS1123Subdomain(a.nodeName)) errs.push(invalid(child(path, 'nodeName'), a.nodeName, msg))
  }
  errs.push(...validateNonSpecialIP(ip, child(path, 'ip')))
  return errs
}

function validatePort(p: Obj, requireName: boolean, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  const name = str(p.name)
  if (requireName && !name) errs.push(required(child(path, 'name')))
  else if (name) for (const msg of isDNS1123Label(name)) errs.push(invalid(child(path, 'name'), name, msg))
  const port = num(p.port) ?? 0
  for (const msg of isValidPortNum(port)) errs.push(invalid(child(path, 'port'), port, msg))
  const protocol = str(p.protocol)
  if (!protocol) errs.push(required(child(path, 'protocol')))
  else if (!PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(child(path, 'protocol'), protocol, PORT_PROTOCOLS))
  if (typeof p.appProtocol === 'string') {
    for (const msg of isQualifiedName(p.appProtocol)) errs.push(invalid(child(path, 'appProtocol'), p.appProtocol, msg))
  }
  return errs
}

/** Validates an Endpoints object. */
export function validateEndpoints(ep: KObject): StatusCause[] {
  const errs: StatusCause[] = []
  arr(ep.subsets).forEach((raw, i) => {
    const ss = obj(raw) ?? {}
    const p = index('subsets', i)
    const addresses = arr(ss.addresses)
    const notReady = arr(ss.notReadyAddresses)
    if (addresses.length === 0 && notReady.length === 0) {
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'))
    }
    addresses.forEach((a, j) => errs.push(...validateAddress(obj(a) ?? {}, index(child(p, 'addresses'), j))))
    notReady.forEach((a, j) => errs.push(...validateAddress(obj(a) ?? {}, index(child(p, 'notReadyAddresses'), j))))
    const ports = arr(ss.ports)
    ports.forEach((port, j) => errs.push(...validatePort(obj(port) ?? {}, ports.length > 1, index(child(p, 'ports'), j))))
  })
  return errs
}
