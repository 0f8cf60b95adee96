/**
 * Requests as work-queue keys: `resource/namespace/name`, or `resource/name` for a cluster-scoped
 * object. None of the three parts can contain a slash (resources are plural words, namespaces DNS
 * labels, names DNS subdomains or path segments), so the key splits back unambiguously.
 */
import type { KObject } from '../../api/object.js'
import type { Request } from './types.js'

/** The queue key of a request: `deployments/default/web`, `nodes/node-1`. */
export function requestKey(req: Request): string {
  return req.namespace ? `${req.resource}/${req.namespace}/${req.name}` : `${req.resource}/${req.name}`
}

/** The request a queue key names (the inverse of requestKey). */
export function parseRequestKey(key: string): Request {
  const parts = key.split('/')
  if (parts.length === 3) return { resource: parts[0], namespace: parts[1], name: parts[2] }
  if (parts.length === 2) return { resource: parts[0], name: parts[1] }
  throw new Error(`invalid request key "${key}"`)
}

/** The request naming `obj` itself, as one of `resource`. */
export function requestFor(resource: string, obj: KObject): Request {
  const ns = obj.metadata.namespace
  return ns ? { resource, namespace: ns, name: obj.metadata.name ?? '' } : { resource, name: obj.metadata.name ?? '' }
}
