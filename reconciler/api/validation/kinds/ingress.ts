/** Ingress (networking.k8s.io/v1): ValidateIngressSpec with its rules, paths, backends and TLS hosts. */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { isDNS1035Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, maxLenError, regexError } from '../names.js'
import { arr, child, index, invalid, notSupported, num, obj, required, str, type Obj } from './field.js'
import { ipVersion } from './ip.js'

/** Path types, sorted as Kubernetes lists them. */
export const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix']
const invalidPathSequences = ['//', '/./', '/../', '%2f', '%2F']
const invalidPathSuffixes = ['/..', '/.']

const wildcardFmt = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'
const wildcardRe = new RegExp(`^${wildcardFmt}$`)

/** `IsWildcardDNS1123Subdomain`: `*.` followed by a DNS subdomain. */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = []
  if (Buffer.byteLength(value) > 253) errs.push(maxLenError(253))
  if (!wildcardRe.test(value)) {
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        wildcardFmt,
        '*.example.com',
      ),
    )
  }
  return errs
}

function validateHost(host: string, path: string): StatusCause[] {
  const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host)
  return msgs.map((msg) => invalid(path, host, msg))
}

/** `validateIngressBackend`: exactly one of service / resource; a service port by number or name. */
function validateBackend(b: Obj, path: string): StatusCause[] {
  const service = obj(b.service)
  const resource = obj(b.resource)
  if (service && resource) return [invalid(path, '', 'cannot set both resource and service backends')]
  const errs: StatusCause[] = []
  if (resource) {
    const group = resource.apiGroup
    if (typeof group === 'string') for (const msg of isDNS1123Subdomain(group)) errs.push(invalid(child(path, 'resource', 'apiGroup'), group, msg))
    for (const f of ['kind', 'name']) {
      const v = str(resource[f])
      const p = child(path, 'resource', f)
      if (!v) errs.push(required(p))
      else if (v === '.' || v === '..') errs.push(invalid(p, v, `may not be '${v}'`))
      else for (const bad of ['/', '%']) if (v.includes(bad)) errs.push(invalid(p, v, `may not contain '${bad}'`))
    }
    return errs
  }
  if (!service) return [invalid(path, '', 'resource or service backend is required')]
  const name = str(service.name)
  if (!name) errs.push(required(child(path, 'service', 'name')))
  else for (const msg of isDNS1035Label(name)) errs.push(invalid(child(path, 'service', 'name'), name, msg))
  const port = obj(service.port) ?? {}
  const portName = str(port.name)
  const portNumber = num(port.number) ?? 0
  if (portName && portNumber) errs.push(invalid(path, '', 'cannot set both port name & port number'))
  else if (portName) for (const msg of isValidPortName(portName)) errs.push(invalid(child(path, 'service', 'port', 'name'), portName, msg))
  else if (portNumber) for (const msg of isValidPortNum(portNumber)) errs.push(invalid(child(path, 'service', 'port', 'number'), portNumber, msg))
  else errs.push(required(path, 'port name or number is required'))
  return errs
}

function validatePath(p: Obj, path: string): StatusCause[] {
  const pathType = p.pathType
  if (typeof pathType !== 'string') return [required(child(path, 'pathType'), 'pathType must be specified')]
  const errs: StatusCause[] = []
  const value = str(p.path)
  const pp = child(path, 'path')
  switch (pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(invalid(pp, value, 'must be an absolute path'))
      if (value) {
        for (const seq of invalidPathSequences) if (value.includes(seq)) errs.push(invalid(pp, value, `must not contain '${seq}'`))
        for (const suf of invalidPathSuffixes) if (value.endsWith(suf)) errs.push(invalid(pp, value, `cannot end with '${suf}'`))
      }
      break
    case 'ImplementationSpecific':
      if (value && !value.startsWith('/')) errs.push(invalid(pp, value, 'must be an absolute path'))
      break
    default:
      errs.push(notSupported(child(path, 'pathType'), pathType, PATH_TYPES))
  }
  errs.push(...validateBackend(obj(p.backend) ?? {}, child(path, 'backend')))
  return errs
}

function validateRules(rules: unknown[]): StatusCause[] {
  const errs: StatusCause[] = []
  rules.forEach((raw, i) => {
    const rule = obj(raw) ?? {}
    const p = index('spec.rules', i)
    const host = str(rule.host)
    if (host) {
      if (ipVersion(host)) errs.push(invalid(child(p, 'host'), host, 'must be a DNS name, not an IP address'))
      errs.push(...validateHost(host, child(p, 'host')))
    }
    const http = obj(rule.http)
    if (http) {
      const paths = arr(http.paths)
      if (paths.length === 0) errs.push(required(child(p, 'http', 'paths')))
      paths.forEach((path, j) => errs.push(...validatePath(obj(path) ?? {}, index(child(p, 'http', 'paths'), j))))
    }
  })
  return errs
}

/** Validates an Ingress; `old` is the stored object on update. */
export function validateIngress(ing: KObject, old?: KObject): StatusCause[] {
  const spec = obj(ing.spec) ?? {}
  const errs: StatusCause[] = []
  const rules = arr(spec.rules)
  const defaultBackend = obj(spec.defaultBackend)
  if (rules.length === 0 && !defaultBackend) {
    const shown = Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)'
    errs.push(invalid('spec', { raw: shown }, 'either `defaultBackend` or `rules` must be specified'))
  }
  if (defaultBackend) errs.push(...validateBackend(defaultBackend, 'spec.defaultBackend'))
  errs.push(...validateRules(rules))
  arr(spec.tls).forEach((raw, i) => {
    const tls = obj(raw) ?? {}
    const p = index('spec.tls', i)
    arr(tls.hosts).forEach((h, j) => errs.push(...validateHost(str(h), index(child(p, 'hosts'), j))))
    const secretName = str(tls.secretName)
    if (secretName) for (const msg of isDNS1123Subdomain(secretName)) errs.push(invalid(child(p, 'secretName'), secretName, msg))
  })
  if (typeof spec.ingressClassName === 'string') {
    for (const msg of isDNS1123Subdomain(spec.ingressClassName)) errs.push(invalid('spec.ingressClassName', spec.ingressClassName, msg))
  }
  const annotation = ing.metadata.annotations?.['kubernetes.io/ingress.class']
  // Checked on create only (ValidateIngressCreate); Kubernetes names the path without `metadata`.
  if (!old && annotation !== undefined && typeof spec.ingressClassName === 'string' && annotation !== spec.ingressClassName) {
    errs.push(invalid('annotations.kubernetes.io/ingress.class', annotation, 'must match `ingressClassName` when both are specified'))
  }
  return errs
}
