/** The `paths` of a group version's OpenAPI v3 document: each kind's REST operations. */
import type { KindInfo } from '../../api/kinds.js'
import type { OpenApiSchema } from './convert-schema.js'
import { componentRef } from './names.js'

const query = (name: string, description: string, type = 'string'): OpenApiSchema => ({ description, in: 'query', name, schema: { type, uniqueItems: true } })
const path = (name: string, description: string): OpenApiSchema => ({ description, in: 'path', name, required: true, schema: { type: 'string', uniqueItems: true } })

const DRY_RUN = query('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed')
const FIELD_MANAGER = query('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.')
const FIELD_VALIDATION = query('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict')
const FORCE = query('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.', 'boolean')
const PRETTY = query('pretty', "If 'true', then the output is pretty printed.")
const LIST_PARAMS = [
  query('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', 'boolean'),
  query('continue', 'The continue option should be set when retrieving more results from the server.'),
  query('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  query('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  query('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  query('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  query('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  query('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', 'boolean'),
]
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']

function content(ref: string): OpenApiSchema {
  return { 'application/json': { schema: { $ref: ref } }, 'application/yaml': { schema: { $ref: ref } } }
}

function operationId(verb: string, k: KindInfo, o: { namespaced: boolean; suffix?: string; list?: boolean }): string {
  const g = k.group ? k.group.split('.')[0].replace(/^./, (c) => c.toUpperCase()) : 'Core'
  const v = k.version.replace(/^./, (c) => c.toUpperCase())
  return `${verb}${g}${v}${o.namespaced ? 'Namespaced' : ''}${k.kind}${o.suffix ?? ''}`
}

/** Every path of one kind, with get/put/patch/delete/post operations as kube-apiserver publishes them. */
export function kindPaths(prefix: string, k: KindInfo, refs?: { object: string; list: string }): Record<string, OpenApiSchema> {
  const gvk = { group: k.group, version: k.version, kind: k.kind }
  const ns = k.namespaced
  const base = ns ? `${prefix}/namespaces/{namespace}/${k.plural}` : `${prefix}/${k.plural}`
  const scope = ns ? [path('namespace', 'object name and auth scope, such as for teams and projects')] : []
  const nameParam = path('name', `name of the ${k.kind}`)
  const objRef = refs?.object ?? componentRef(k.kind)
  const listRef = refs?.list ?? componentRef(k.listKind)
  const op = (action: string, id: string, description: string, parameters: OpenApiSchema[], response: string, body?: { types: string[]; ref: string }, kind = gvk): OpenApiSchema => {
    const o: OpenApiSchema = {
      description,
      operationId: id,
      parameters,
      responses: { '200': { description: 'OK', content: content(response) }, '401': { description: 'Unauthorized' } },
      tags: [k.group ? `${k.group.split('.')[0]}_${k.version}` : `core_${k.version}`],
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': kind,
    }
    if (body) o.requestBody = { content: Object.fromEntries(body.types.map((t) => [t, { schema: { $ref: body.ref } }])), required: true }
    return o
  }
  const out: Record<string, OpenApiSchema> = {}
  out[base] = {
    get: op('list', operationId('list', k, { namespaced: ns }), `list or watch objects of kind ${k.kind}`, LIST_PARAMS, listRef),
    post: op('post', operationId('create', k, { namespaced: ns }), `create a ${k.kind}`, [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], objRef, { types: ['*/*'], ref: objRef }),
    delete: op('deletecollection', operationId('deleteCollection', k, { namespaced: ns }), `delete collection of ${k.kind}`, [DRY_RUN, ...LIST_PARAMS], componentRef('Status'), { types: ['*/*'], ref: componentRef('DeleteOptions') }),
    parameters: [...scope, PRETTY],
  }
  const item = (suffix: string, ref: string, kind = gvk, withDelete = false): OpenApiSchema => {
    const what = suffix ? `${suffix} of the specified ${k.kind}` : `the specified ${k.kind}`
    const entry: OpenApiSchema = {
      get: op('get', operationId('read', k, { namespaced: ns, suffix: suffix.replace(/^./, (c) => c.toUpperCase()) }), `read ${what}`, [], ref, undefined, kind),
      put: op('put', operationId('replace', k, { namespaced: ns, suffix: suffix.replace(/^./, (c) => c.toUpperCase()) }), `replace ${what}`, [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], ref, { types: ['*/*'], ref }, kind),
      patch: op('patch', operationId('patch', k, { namespaced: ns, suffix: suffix.replace(/^./, (c) => c.toUpperCase()) }), `partially update ${what}`, [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE], ref, { types: PATCH_TYPES, ref: componentRef('Patch') }, kind),
      parameters: [nameParam, ...scope, PRETTY],
    }
    if (withDelete) {
      entry.delete = op('delete', operationId('delete', k, { namespaced: ns }), `delete ${what}`, [DRY_RUN, query('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'), query('propagationPolicy', "Whether and how garbage collection will be performed.")], componentRef('Status'), { types: ['*/*'], ref: componentRef('DeleteOptions') })
    }
    return entry
  }
  out[`${base}/{name}`] = item('', objRef, gvk, true)
  if (k.hasStatus) out[`${base}/{name}/status`] = item('status', objRef)
  if (k.hasScale) out[`${base}/{name}/scale`] = item('scale', componentRef('Scale'), { group: 'autoscaling', version: 'v1', kind: 'Scale' })
  if (ns) {
    out[`${prefix}/${k.plural}`] = {
      get: op('list', `list${operationId('', k, { namespaced: false }).replace(/^/, '')}ForAllNamespaces`, `list or watch objects of kind ${k.kind}`, LIST_PARAMS, listRef),
      parameters: [PRETTY],
    }
  }
  return out
}
