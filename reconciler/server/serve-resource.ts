/** The REST verbs on a resource path: get, list, watch, create, update, patch, delete, deletecollection. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiServer, PatchType, Scale } from '../api/api-server.js'
import { ApiError, badRequest, invalid, type Status } from '../api/errors.js'
import { apiVersionOf, type KindInfo } from '../api/kinds.js'
import { isPlainObject, type KObject } from '../api/object.js'
import { extraVersion } from '../api/served-versions.js'
import { labelSelectorString } from '../api/table/labels.js'
import { negotiateRepresentation, type Representation } from './negotiate.js'
import { presentList, presentObject } from './present.js'
import { decodeBody, mediaType, readRaw } from './read-body.js'
import type { ResourceRequest } from './request-info.js'
import { objectJson, listJson } from './json-cache.js'
import { failure, notFoundPath, sendJson, sendJsonText } from './respond.js'
import { serveWatch, type WatchTiming } from './serve-watch.js'
import { deleteOptionsOf, limitOf, writeOptionsOf } from './write-options.js'

/** What serving a resource request needs. */
export interface ResourceContext {
  api: ApiServer
  now: () => Date
  timing: WatchTiming
}

/** PATCH media types and the patch types they carry. */
const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
}

function methodNotAllowed(): ApiError {
  return new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource')
}

function notAcceptable(): Status {
  return failure(406, 'NotAcceptable' as Status['reason'], 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf')
}

/** The Scale of an object, from the object itself (after a patch of its scale subresource). */
function scaleOf(obj: KObject): Scale {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: unknown }
  const status = (obj.status ?? {}) as { replicas?: number }
  const m = obj.metadata
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: m.name!, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: labelSelectorString(spec.selector) },
  }
}

/** The body of a create or update, with kind and apiVersion filled from the path and the namespace checked. */
function objectBody(body: unknown, rr: ResourceRequest): KObject {
  if (!isPlainObject(body)) throw badRequest('the body of the request must be a JSON object')
  const obj = body as KObject
  if (obj.kind === undefined) obj.kind = rr.kind.kind
  // The URL's version (autoscaling/v1 at /apis/autoscaling/v1), as kube-apiserver decodes a body without one.
  if (obj.apiVersion === undefined) obj.apiVersion = apiVersionOf({ group: rr.group, version: rr.version })
  // The URL names the resource: a body of another kind is not stored under it (a Secret POSTed to configmaps).
  if (obj.kind !== rr.kind.kind) throw badRequest(`the object provided is unrecognized (must be of type ${rr.kind.kind}): kind ${JSON.stringify(obj.kind)} in the body`)
  if (!isPlainObject(obj.metadata)) obj.metadata = {}
  if (rr.kind.namespaced && rr.namespace !== undefined) {
    if (obj.metadata.namespace && obj.metadata.namespace !== rr.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    }
    obj.metadata.namespace = rr.namespace
  }
  return obj
}

function checkName(obj: KObject, rr: ResourceRequest): void {
  if (rr.name !== undefined && obj.metadata.name !== undefined && obj.metadata.name !== rr.name) {
    throw badRequest('the name of the object (' + String(obj.metadata.name) + ') does not match the name on the URL (' + rr.name + ')')
  }
  if (rr.name !== undefined) obj.metadata.name = rr.name
}

/** A deletion's answer: the object while it is still being deleted, else a Success Status. */
function deleteResult(k: KindInfo, obj: KObject): { code: number; body: unknown } {
  if (obj.metadata.deletionTimestamp || k.kind === 'Namespace') return { code: 200, body: obj }
  return {
    code: 200,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: obj.metadata.name, group: k.group, kind: k.plural, uid: obj.metadata.uid },
    },
  }
}

/**
 * POST pods/NAME/binding, as kube-apiserver's BindingREST: the body is a v1 Binding naming the
 * node in `target`; the pod gets spec.nodeName and PodScheduled=True (ApiServer.bind); the answer
 * is 201 with a Success Status. The Binding's metadata.uid, when set, must be the pod's; its
 * annotations are merged into the pod's.
 */
async function serveBinding(api: ApiServer, req: IncomingMessage, res: ServerResponse, rr: ResourceRequest, query: URLSearchParams): Promise<void> {
  const body = decodeBody(await readRaw(req), { contentType: req.headers['content-type'] })
  if (!isPlainObject(body)) throw badRequest('the body of the request must be a Binding object')
  const binding = body as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; uid?: unknown; annotations?: unknown }; target?: { kind?: unknown; name?: unknown } }
  if (binding.kind !== undefined && binding.kind !== 'Binding') throw badRequest(`the body of the request must be a Binding, not ${String(binding.kind)}`)
  const meta = isPlainObject(binding.metadata) ? binding.metadata : {}
  if (meta.name !== undefined && meta.name !== rr.name) throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${rr.name})`)
  if (meta.namespace !== undefined && meta.namespace !== rr.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
  const target = isPlainObject(binding.target) ? binding.target : {}
  // ValidatePodBinding: a target of another kind than Node is not supported.
  if (typeof target.kind === 'string' && target.kind !== '' && target.kind !== 'Node') {
    throw invalid('Binding', rr.name!, [{ reason: 'FieldValueNotSupported', message: `Unsupported value: "${target.kind}": supported values: "Node"`, field: 'target.kind' }])
  }
  const nodeName = typeof target.name === 'string' ? target.name : ''
  // The Binding's annotations go onto the pod (setPodHostAndAnnotations); they decode as a string map.
  const annotations = meta.annotations ?? undefined
  if (annotations !== undefined && (!isPlainObject(annotations) || Object.values(annotations).some((v) => typeof v !== 'string'))) {
    throw badRequest('Binding in version "v1" cannot be handled as a Binding: metadata.annotations must be a map of strings')
  }
  const warnings: string[] = []
  const opts = writeOptionsOf(query, req, warnings)
  await api.bind(rr.namespace, rr.name!, nodeName, { ...opts, uid: typeof meta.uid === 'string' ? meta.uid : undefined, annotations: annotations as Record<string, string> | undefined })
  sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' }, { warnings })
}

/** Serves one resource request. */
export async function serveResource(ctx: ResourceContext, req: IncomingMessage, res: ServerResponse, rr: ResourceRequest, query: URLSearchParams): Promise<void> {
  const { api } = ctx
  const k = rr.kind
  const sub = rr.subresource
  if (sub !== undefined && !((sub === 'status' && k.hasStatus) || (sub === 'scale' && k.hasScale) || (sub === 'binding' && k.kind === 'Pod'))) {
    return sendJson(res, 404, notFoundPath())
  }
  if (sub === 'binding') {
    if (rr.verb !== 'create' || rr.name === undefined) throw methodNotAllowed()
    return serveBinding(api, req, res, rr, query)
  }
  const head = req.method === 'HEAD'
  const warnings: string[] = []
  const reply = (code: number, body: unknown): void => sendJson(res, code, body, { warnings, head })
  const present = { now: ctx.now(), includeObject: query.get('includeObject') }
  // A request at a version the kind is not stored at (autoscaling/v1): objects go out converted.
  const view = rr.version !== k.version ? extraVersion(rr.group, rr.version, k.kind)?.fromStored : undefined
  const out = (o: KObject): KObject => (view ? view(o) : o)
  const rep: Representation | undefined = rr.verb === 'get' || rr.verb === 'list' || rr.verb === 'watch' ? negotiateRepresentation(req.headers.accept) : { as: 'object' }
  if (!rep) return sendJson(res, 406, notAcceptable())

  switch (rr.verb) {
    case 'get': {
      if (sub === 'scale') return reply(200, await api.getScale(k, rr.namespace, rr.name!))
      const obj = await api.get(k, rr.namespace, rr.name!)
      if (view && rep.as === 'object') return reply(200, view(obj))
      if (rep.as === 'object') return sendJsonText(res, 200, objectJson(obj), { warnings, head })
      return reply(200, presentObject(k, obj, rep, present))
    }
    case 'list': {
      if (sub) throw methodNotAllowed()
      const list = await api.list(k, {
        namespace: rr.namespace,
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: query.get('fieldSelector') ?? undefined,
        limit: limitOf(query),
        continue: query.get('continue') ?? undefined,
      })
      if (view && rep.as === 'object') return reply(200, { ...list, apiVersion: `${rr.group}/${rr.version}`, items: list.items.map(view) })
      if (rep.as === 'object') return sendJsonText(res, 200, listJson(list), { warnings, head })
      return reply(200, presentList(k, list, rep, present))
    }
    case 'watch':
      if (rr.name !== undefined) {
        // `/watch/…/NAME`: a watch of one object is a field selector on its name.
        query.set('fieldSelector', [query.get('fieldSelector'), `metadata.name=${rr.name}`].filter(Boolean).join(','))
      }
      return serveWatch({ api, req, res, rr, query, rep, now: ctx.now, timing: ctx.timing, view })
    case 'create': {
      if (rr.name !== undefined || sub) throw methodNotAllowed()
      const obj = objectBody(decodeBody(await readRaw(req), { contentType: req.headers['content-type'] }), rr)
      const created = await api.create(obj, writeOptionsOf(query, req, warnings))
      return reply(201, out(created))
    }
    case 'update': {
      if (rr.name === undefined) throw methodNotAllowed()
      const opts = writeOptionsOf(query, req, warnings)
      const body = decodeBody(await readRaw(req), { contentType: req.headers['content-type'] })
      if (sub === 'scale') {
        if (!isPlainObject(body)) throw badRequest('the body of the request must be a Scale object')
        const scale = body as unknown as Scale
        const replicas = scale.spec?.replicas as number
        return reply(200, await api.updateScale(k, rr.namespace, rr.name, replicas, { ...opts, resourceVersion: scale.metadata?.resourceVersion }))
      }
      const obj = objectBody(body, rr)
      checkName(obj, rr)
      return reply(200, out(sub === 'status' ? await api.updateStatus(obj, opts) : await api.update(obj, opts)))
    }
    case 'patch': {
      if (rr.name === undefined) throw methodNotAllowed()
      const type = PATCH_TYPES[mediaType(req.headers['content-type'])]
      if (!type) {
        throw new ApiError(
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json, application/apply-patch+cbor`,
        )
      }
      const opts = writeOptionsOf(query, req, warnings)
      const force = query.get('force')
      if (force !== null && type !== 'apply') throw badRequest('force: Invalid value: true: may not be specified for non-apply patch')
      const patch = decodeBody(await readRaw(req), { yaml: type === 'apply' })
      if (patch === undefined) throw badRequest('the body of the request was empty')
      if (type === 'apply') {
        if (sub === 'scale') throw new ApiError('UnsupportedMediaType', 'apply is not supported on the scale subresource')
        const cfg = objectBody(patch, rr)
        checkName(cfg, rr)
        const applied = await api.apply(cfg, { ...opts, force: force === 'true', subresource: sub === 'status' ? 'status' : undefined })
        return reply(200, out(applied))
      }
      const patched = await api.patch(k, rr.namespace, rr.name, type, patch, { ...opts, subresource: sub as 'status' | 'scale' | undefined, ...(view && sub !== 'scale' ? { readAs: view } : {}) })
      return reply(200, sub === 'scale' ? scaleOf(patched) : out(patched))
    }
    case 'delete': {
      if (sub) throw methodNotAllowed()
      const body = decodeBody(await readRaw(req), { contentType: req.headers['content-type'] })
      const deleted = await api.delete(k, rr.namespace, rr.name!, deleteOptionsOf(body, query))
      const result = deleteResult(k, deleted)
      return reply(result.code, result.code === 200 && isPlainObject(result.body) && (result.body as KObject).kind === k.kind ? out(result.body as KObject) : result.body)
    }
    case 'deletecollection': {
      if (sub) throw methodNotAllowed()
      const opts = deleteOptionsOf(decodeBody(await readRaw(req), { contentType: req.headers['content-type'] }), query)
      const list = await api.list(k, { namespace: rr.namespace, labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined })
      const items: KObject[] = []
      for (const o of list.items) {
        try {
          items.push(await api.delete(k, o.metadata.namespace, o.metadata.name!, opts))
        } catch (err) {
          if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err
        }
      }
      return reply(200, { apiVersion: list.apiVersion, kind: list.kind, metadata: list.metadata, items })
    }
    default:
      throw methodNotAllowed()
  }
}

