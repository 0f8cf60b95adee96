/**
 * The ApiClient over HTTP: capstan's own CLI (and anything else) talking to a running
 * `capstan serve` through the Kubernetes REST API, with Node's fetch. Errors come back as the
 * ApiError the server raised (reason, code, message, causes); warnings from `Warning` headers.
 */
import type { ApiWatch, ApplyOptions, DeleteOptions, ListOptions, ObjectList, PatchOptions, PatchType, Scale, WatchEvent, WatchOptions, WriteOptions } from './api-server.js'
import type { ApiClient } from './client.js'
import { badRequest } from './errors.js'
import { kindOfObject, kindOfResource, resourcePath, writeNamespace } from './http/paths.js'
import { listParams, queryString, watchParams, writeParams } from './http/query.js'
import { errorFromStatus, unreachable } from './http/status-error.js'
import { parseWarningHeader } from './http/warnings.js'
import { startWatchStream } from './http/watch-stream.js'
import { apiVersionOf, type KindInfo } from './kinds.js'
import { isPlainObject, type KObject } from './object.js'

/** Where the server is and how to authenticate. */
export interface HttpClientOptions {
  /** The server's base URL (`http://127.0.0.1:7070`). */
  server: string
  /** A bearer token, sent on every request. */
  token?: string
  /** The User-Agent; its first `/`-separated word is the field manager of writes that name none. */
  userAgent?: string
  /** The fetch to use (tests inject one); default: the global fetch. */
  fetch?: typeof fetch
}

/** PATCH content types by patch type. */
const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
}

interface RequestOptions {
  body?: unknown
  contentType?: string
  warnings?: string[]
}

/** An ApiClient for a capstan API server reached over HTTP. */
export class HttpClient implements ApiClient {
  readonly server: string
  private readonly headers: Record<string, string>
  private readonly fetch: typeof fetch
  private readonly watches = new Set<ApiWatch>()

  constructor(o: HttpClientOptions) {
    this.server = o.server.replace(/\/+$/, '')
    this.fetch = o.fetch ?? globalThis.fetch
    this.headers = { Accept: 'application/json', 'User-Agent': o.userAgent ?? `capstan-client/0 (${process.platform}/${process.arch})` }
    if (o.token) this.headers.Authorization = `Bearer ${o.token}`
  }

  async get(resource: string, namespace: string | undefined, name: string): Promise<KObject> {
    const k = kindOfResource(resource)
    return this.request('GET', resourcePath(k, { namespace: writeNamespace(k, namespace), name }))
  }

  async list(resource: string, opts: ListOptions = {}): Promise<ObjectList> {
    const k = kindOfResource(resource)
    return this.request('GET', resourcePath(k, { namespace: opts.namespace }) + queryString(listParams(opts)))
  }

  async create(obj: KObject, opts: WriteOptions = {}): Promise<KObject> {
    const k = kindOfObject(obj)
    const path = resourcePath(k, { namespace: writeNamespace(k, obj.metadata?.namespace) })
    return this.request('POST', path + queryString(writeParams(opts)), { body: obj, warnings: opts.warnings })
  }

  async update(obj: KObject, opts: WriteOptions = {}): Promise<KObject> {
    return this.put(obj, undefined, opts)
  }

  async updateStatus(obj: KObject, opts: WriteOptions = {}): Promise<KObject> {
    return this.put(obj, 'status', opts)
  }

  async patch(
    resource: string,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: PatchOptions & { force?: boolean } = {},
  ): Promise<KObject> {
    const k = kindOfResource(resource)
    const ns = writeNamespace(k, namespace)
    if (type === 'apply') {
      if (!isPlainObject(patch)) throw badRequest('the apply configuration must be an object')
      if (opts.subresource === 'scale') throw badRequest('apply is not supported on the scale subresource')
      const cfg = { ...patch, metadata: { ...(isPlainObject(patch.metadata) ? patch.metadata : {}), name } } as KObject
      if (k.namespaced) cfg.metadata.namespace = ns
      return this.apply(cfg, { ...opts, subresource: opts.subresource })
    }
    const path = resourcePath(k, { namespace: ns, name, subresource: opts.subresource })
    const out = await this.request<KObject>('PATCH', path + queryString(writeParams(opts)), {
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      warnings: opts.warnings,
    })
    // The scale subresource answers with a Scale; the in-process client returns the object itself.
    if (opts.subresource === 'scale') return this.get(resource, ns, name)
    return out
  }

  async apply(config: KObject, opts: ApplyOptions = {}): Promise<KObject> {
    if (!opts.fieldManager) throw badRequest('PATCH requests with apply content type must specify a fieldManager')
    const k = kindOfObject(config)
    const name = config.metadata?.name
    if (!name) {
      throw badRequest('name is required', [{ reason: 'FieldValueRequired', message: 'name is required', field: 'metadata.name' }])
    }
    const path = resourcePath(k, { namespace: writeNamespace(k, config.metadata?.namespace), name, subresource: opts.subresource })
    const query = queryString([...writeParams(opts), ['force', opts.force ? 'true' : undefined]])
    return this.request('PATCH', path + query, { body: config, contentType: PATCH_CONTENT_TYPES.apply, warnings: opts.warnings })
  }

  async delete(resource: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KObject> {
    const k = kindOfResource(resource)
    const ns = writeNamespace(k, namespace)
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' }
    if (opts.dryRun) body.dryRun = ['All']
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds
    if (opts.preconditions) body.preconditions = opts.preconditions
    const out = await this.request<KObject | { kind: 'Status'; details?: { name?: string; uid?: string } }>('DELETE', resourcePath(k, { namespace: ns, name }), { body })
    if (out.kind !== 'Status') return out as KObject
    // Gone at once: kube-apiserver answers with a Success Status naming the object, not the object.
    const details = (out as { details?: { name?: string; uid?: string } }).details ?? {}
    return deletedStub(k, ns, details.name ?? name, details.uid)
  }

  async watch(resource: string, opts: WatchOptions, onEvent: (ev: WatchEvent) => void): Promise<ApiWatch> {
    const k = kindOfResource(resource)
    const path = resourcePath(k, { namespace: opts.namespace })
    const w = await startWatchStream({
      resourceVersion: opts.resourceVersion,
      forwardBookmarks: !!opts.allowBookmarks,
      onEvent,
      open: (rv, signal) => this.send('GET', path + queryString(watchParams(opts, rv)), { signal }),
    })
    const tracked: ApiWatch = {
      stop: () => {
        this.watches.delete(tracked)
        w.stop()
      },
    }
    this.watches.add(tracked)
    return tracked
  }

  async getScale(resource: string, namespace: string | undefined, name: string): Promise<Scale> {
    const k = kindOfResource(resource)
    return this.request('GET', resourcePath(k, { namespace: writeNamespace(k, namespace), name, subresource: 'scale' }))
  }

  async updateScale(
    resource: string,
    namespace: string | undefined,
    name: string,
    replicas: number,
    opts: WriteOptions & { resourceVersion?: string } = {},
  ): Promise<Scale> {
    const k = kindOfResource(resource)
    const ns = writeNamespace(k, namespace)
    const scale = {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name, namespace: ns, resourceVersion: opts.resourceVersion },
      spec: { replicas },
    }
    const path = resourcePath(k, { namespace: ns, name, subresource: 'scale' })
    return this.request('PUT', path + queryString(writeParams(opts)), { body: scale, warnings: opts.warnings })
  }

  /** Binds a pod to a node (POST pods/NAME/binding, as kube-scheduler does), then returns the bound pod. */
  async bind(namespace: string | undefined, name: string, nodeName: string, opts: WriteOptions & { uid?: string; annotations?: Record<string, string> } = {}): Promise<KObject> {
    const k = kindOfResource('pods')
    const ns = writeNamespace(k, namespace)
    const meta = { name, namespace: ns, ...(opts.uid ? { uid: opts.uid } : {}), ...(opts.annotations ? { annotations: opts.annotations } : {}) }
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: meta, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } }
    await this.request('POST', resourcePath(k, { namespace: ns, name, subresource: 'binding' }) + queryString(writeParams(opts)), { body: binding, warnings: opts.warnings })
    return this.get('pods', ns, name)
  }

  /** Stops the watches this client opened (connections are pooled by fetch and close when idle). */
  async close(): Promise<void> {
    for (const w of [...this.watches]) w.stop()
  }

  private async put(obj: KObject, subresource: 'status' | undefined, opts: WriteOptions): Promise<KObject> {
    const k = kindOfObject(obj)
    const name = obj.metadata?.name
    if (!name) throw badRequest('name is required', [{ reason: 'FieldValueRequired', message: 'name is required', field: 'metadata.name' }])
    const path = resourcePath(k, { namespace: writeNamespace(k, obj.metadata?.namespace), name, subresource })
    return this.request('PUT', path + queryString(writeParams(opts)), { body: obj, warnings: opts.warnings })
  }

  /** Sends a request; a connection failure is an ApiError (InternalError) naming the server. */
  private async send(method: string, pathAndQuery: string, o: RequestOptions & { signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...this.headers }
    let body: string | undefined
    if (o.body !== undefined) {
      body = JSON.stringify(o.body)
      headers['Content-Type'] = o.contentType ?? 'application/json'
    }
    try {
      return await this.fetch(this.server + pathAndQuery, { method, headers, body, signal: o.signal })
    } catch (err) {
      throw unreachable(this.server, err)
    }
  }

  /** Sends a request and reads its JSON answer; a failure is thrown as the ApiError its Status describes. */
  private async request<T>(method: string, pathAndQuery: string, o: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, pathAndQuery, o)
    if (o.warnings) o.warnings.push(...parseWarningHeader(res.headers.get('warning')))
    const text = await res.text()
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    if (!res.ok) throw errorFromStatus(res.status, parsed, text)
    if (parsed === undefined) throw errorFromStatus(500, undefined, `the server sent an unreadable answer to ${method} ${pathAndQuery}`)
    return parsed as T
  }
}

/** What a client knows of an object deleted at once: its identity (the server sent a Status, not the object). */
function deletedStub(k: KindInfo, namespace: string | undefined, name: string, uid: string | undefined): KObject {
  const metadata: KObject['metadata'] = { name }
  if (namespace) metadata.namespace = namespace
  if (uid) metadata.uid = uid
  return { apiVersion: apiVersionOf(k), kind: k.kind, metadata }
}
