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

/**
 * requestKey with the last answer remembered: the handlers of one change (every controller it
 * reaches) get the same string, so the queues' sets hash it once instead of a new string each.
 */
export class RequestKeys {
  private resource = ''
  private namespace: string | undefined
  private name = ''
  private key: string | undefined

  /** The key of `resource`, `namespace`, `name` (the string given last time when they are the same). */
  of(resource: string, namespace: string | undefined, name: string): string {
    if (this.key !== undefined && name === this.name && resource === this.resource && namespace === this.namespace) return this.key
    this.resource = resource
    this.namespace = namespace
    this.name = name
    this.key = namespace ? `${resource}/${namespace}/${name}` : `${resource}/${name}`
    return this.key
  }
}
