/** Container `resources` (ValidateContainerResourceRequirements): names, quantities, requests ≤ limits. */
import type { StatusCause } from '../../errors.js'
import { isQualifiedName } from '../names.js'
import { child, invalid, key, obj, required } from './field.js'
import { compareQuantities, parseQuantity, QUANTITY_FORMAT_ERROR } from './quantity.js'

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage'])
const standardResources = new Set([
  ...standardContainerResources,
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
])

const isHugePages = (name: string): boolean => name.startsWith('hugepages-')
/** A resource Kubernetes itself defines: no domain, or a `kubernetes.io/` one. */
const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/')
const isExtended = (name: string): boolean =>
  !isNative(name) && !name.startsWith('requests.') && isQualifiedName('requests.' + name).length === 0
/** Requests may be below limits only for native resources other than huge pages. */
const overcommitAllowed = (name: string): boolean => isNative(name) && !isHugePages(name)

/** `validateContainerResourceName`: a standard container resource, or a valid extended one. */
export function validateResourceName(name: string, path: string): StatusCause[] {
  const errs = isQualifiedName(name).map((msg) => invalid(path, name, msg))
  if (errs.length) return errs
  if (!name.includes('/')) {
    if (!standardResources.has(name) && !isHugePages(name) && !name.startsWith('requests.hugepages-')) {
      errs.push(invalid(path, name, 'must be a standard resource type or fully qualified'))
    }
    if (!standardContainerResources.has(name) && !isHugePages(name)) {
      errs.push(invalid(path, name, 'must be a standard resource for containers'))
    }
  } else if (!isNative(name) && !isExtended(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"))
  }
  return errs
}

type Parsed = Map<string, { text: string; value: number | undefined }>

function readList(list: unknown, path: string, errs: StatusCause[]): Parsed {
  const out: Parsed = new Map()
  const o = obj(list) ?? {}
  for (const name of Object.keys(o).sort()) {
    const p = key(path, name)
    const raw = o[name]
    const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : ''
    const value = typeof raw === 'number' || typeof raw === 'string' ? parseQuantity(raw) : undefined
    errs.push(...validateResourceName(name, p))
    if (value === undefined) errs.push(invalid(p, text, QUANTITY_FORMAT_ERROR))
    else if (value < 0) errs.push(invalid(p, text, 'must be greater than or equal to 0'))
    else if (isExtended(name) && !Number.isInteger(value)) errs.push(invalid(p, text, 'must be an integer'))
    out.set(name, { text, value })
  }
  return out
}

/** Validates `resources.limits` and `resources.requests` of one container. */
export function validateResources(resources: unknown, path: string): StatusCause[] {
  const r = obj(resources) ?? {}
  const errs: StatusCause[] = []
  const limPath = child(path, 'limits')
  const reqPath = child(path, 'requests')
  const limits = readList(r.limits, limPath, errs)
  const requests = readList(r.requests, reqPath, errs)
  for (const [name, req] of requests) {
    const lim = limits.get(name)
    if (lim) {
      if (req.value === undefined || lim.value === undefined) continue
      const cmp = compareQuantities(req.value, lim.value)
      if (cmp !== 0 && !overcommitAllowed(name)) {
        errs.push(invalid(reqPath, req.text, `must be equal to ${name} limit of ${lim.text}`))
      } else if (cmp > 0) {
        errs.push(invalid(reqPath, req.text, `must be less than or equal to ${name} limit of ${lim.text}`))
      }
    } else if (!overcommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'))
    }
  }
  return errs
}
