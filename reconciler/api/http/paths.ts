/** URLs of the Kubernetes REST API: the path of a kind, a namespace, an object and a subresource. */
import { badRequest, ApiError } from '../errors.js'
import { kindByName, resolveResource, type KindInfo } from '../kinds.js'
import { isPlainObject, type KObject } from '../object.js'

/** The kind a resource word names (as ApiServer.kind resolves it), or the same NotFound error. */
export function kindOfResource(resource: string): KindInfo {
  const k = resolveResource(resource)
  if (!k) throw new ApiError('NotFound', `the server doesn't have a resource type "${resource}"`)
  return k
}

/**
 * The kind of an object being written, checked as ApiServer checks it before the request is sent
 * (so a missing kind fails the same way in process and over HTTP). Legacy apiVersions are sent to
 * the current group version's path; the server converts the body.
 */
export function kindOfObject(obj: KObject): KindInfo {
  if (!isPlainObject(obj)) throw badRequest('the object must be a JSON object')
  if (typeof obj.kind !== 'string' || !obj.kind) throw badRequest("Object 'Kind' is missing in the request")
  if (typeof obj.apiVersion !== 'string' || !obj.apiVersion) throw badRequest("Object 'apiVersion' is missing in the request")
  const k = kindByName(obj.kind)
  if (!k) throw badRequest(`no kind "${obj.kind}" is registered for version "${obj.apiVersion}"`)
  return k
}

/**
 * `/api/v1/namespaces/NS/pods/NAME/status`, `/apis/apps/v1/deployments`, …: a namespaced kind
 * without a namespace addresses every namespace (lists and watches) — writes always pass one.
 */
export function resourcePath(k: KindInfo, o: { namespace?: string; name?: string; subresource?: string } = {}): string {
  let p = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`
  if (k.namespaced && o.namespace) p += `/namespaces/${encodeURIComponent(o.namespace)}`
  p += `/${k.plural}`
  if (o.name !== undefined) p += `/${encodeURIComponent(o.name)}`
  if (o.subresource) p += `/${o.subresource}`
  return p
}

/** The namespace a write addresses: the object's, else `default` (as the in-process server scopes it). */
export function writeNamespace(k: KindInfo, namespace: string | undefined): string | undefined {
  return k.namespaced ? namespace || 'default' : undefined
}
