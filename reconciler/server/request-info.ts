/** Parses a resource path as kube-apiserver's RequestInfoFactory does. */
import { KINDS, type KindInfo } from '../api/kinds.js'
import { extraKindFor } from '../api/served-versions.js'

/** What a resource request addresses. */
export interface ResourceRequest {
  group: string
  version: string
  /** `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`. */
  verb: string
  kind: KindInfo
  namespace?: string
  name?: string
  subresource?: string
}

/** Subresources of a namespace that come after its name (`/api/v1/namespaces/x/status`). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize'])

/** The group and version a path prefix serves, and the rest of the path. */
export function splitApiPath(pathname: string): { group: string; version: string; parts: string[] } | undefined {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent)
  if (parts[0] === 'api' && parts.length >= 2) return { group: '', version: parts[1], parts: parts.slice(2) }
  if (parts[0] === 'apis' && parts.length >= 3) return { group: parts[1], version: parts[2], parts: parts.slice(3) }
  return undefined
}

/** The served kind for a group, version and plural resource name. */
export function kindFor(group: string, version: string, plural: string): KindInfo | undefined {
  return KINDS.find((k) => k.group === group && k.version === version && k.plural === plural) ?? extraKindFor(group, version, plural)
}

/**
 * A resource request, or undefined when the path names no resource served here. `watch` comes from
 * the `/watch/` prefix or `?watch=true`.
 */
export function parseResourceRequest(method: string, pathname: string, query: URLSearchParams): ResourceRequest | undefined {
  const api = splitApiPath(pathname)
  if (!api || api.parts.length === 0) return undefined
  let parts = api.parts
  let watchPath = false
  if (parts[0] === 'watch') {
    watchPath = true
    parts = parts.slice(1)
  }
  let namespace: string | undefined
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1]
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2)
  }
  if (parts.length === 0 || parts.length > 3) return undefined
  const kind = kindFor(api.group, api.version, parts[0])
  if (!kind) return undefined
  const name = parts[1]
  const subresource = parts[2]
  if (kind.kind === 'Namespace') namespace = undefined
  else if (namespace !== undefined && !kind.namespaced) return undefined
  const watchParam = query.get('watch')
  const watch = watchPath || watchParam === 'true' || watchParam === '1'
  let verb: string
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = watch ? 'watch' : name ? 'get' : 'list'
      break
    case 'POST':
      verb = 'create'
      break
    case 'PUT':
      verb = 'update'
      break
    case 'PATCH':
      verb = 'patch'
      break
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection'
      break
    default:
      verb = method.toLowerCase()
  }
  return { group: api.group, version: api.version, verb, kind, namespace, name, subresource }
}
