/**
 * The embedded API server: Kubernetes' object semantics (identity, resourceVersion, generation,
 * defaults, validation, managed fields, finalizers) over a revisioned store, with a watch cache per
 * kind. Reads of a single object go to the store; lists and watches are served from the kind's cache,
 * which is built on first use (so a one-shot command opens only what it needs).
 */
import type { Storage, TxnOp } from '../storage/types.js'
import type { ApiClient } from './client.js'
import { isStorageError } from '../storage/types.js'
import { decodeObject, encodeForWrite, encodeObject, forgetWrite } from './codec.js'
import { convertToStored } from './convert.js'
import { applyDefaults } from './defaults/index.js'
import {
  alreadyExists,
  isAlreadyExists,
  ApiError,
  badRequest,
  conflict,
  gone,
  invalid,
  notFound,
  type Status,
  type StatusCause,
} from './errors.js'
import { kindPrefix, objectStorageKey } from './keys.js'
import { apiVersionOf, KINDS, kindByName, qualifiedResource, resolveResource, type KindInfo } from './kinds.js'
import { clone, cloneNullFree, cloneSharing, isPlainObject, jsonEqual, withField, type KObject } from './object.js'
import { normalizeAsGoDecodes } from './go-decode.js'
import { int32RangeError, outOfInt32 } from './int32-range.js'
import { admitHpa } from './hpa-admit.js'
import { applyPatch, type PatchType } from './patch.js'
import { makeFilter } from './select.js'
import { formatTime, prepareForCreate, prepareForStatusUpdate, prepareForUpdate } from './strategy.js'
import { applyConfig, trackWrite } from './field-manager.js'
import { base64DecodeError, mergeStringData } from './validation/config-data.js'
import { checkObject, checkUnknownFields, type FieldValidation } from './validate.js'
import { advanceIndexHead, loadIndexSnapshot, saveIndexSnapshot } from './cache-index-store.js'
import { watchStore } from './store-watch.js'
import { WatchCache, type CacheEvent } from './watch-cache.js'
import { allocateInPlace, holdsSameAddresses, prepareServiceUpdate } from './service-admit.js'
import { AllocationRaced, SERVICE_RANGE_KEY, SERVICE_RANGE_VALUE, ServiceAddresses, type ServiceSource } from './service-addresses.js'
import { collectAllocations, type ServiceAllocations } from './service-allocate.js'
import { eventFieldsV1, recorderEventPatch, recorderShapedEvent } from './event-create.js'
import { createdFieldsV1 } from './apply/created-fields.js'
import type { Json } from './apply/path-element.js'
import { typeNodeFor } from './schema/index.js'

export type { PatchType } from './patch.js'
export type { FieldValidation } from './validate.js'

export interface ApiServerOptions {
  storage: Storage
  /** The clock for timestamps (creation, deletion, managed fields). Default: the wall clock. */
  now?: () => Date
  /** The Event create fast path (event-create.ts; default on). Off only to compare it with the general path in tests. */
  eventFastPath?: boolean
}

export interface WriteOptions {
  /** Run every step but the write (`dryRun=All`). */
  dryRun?: boolean
  /** The field manager recorded in managedFields. */
  fieldManager?: string
  /** Unknown fields: an error (Strict, the default), a warning (Warn), or dropped silently (Ignore). */
  fieldValidation?: FieldValidation
  /** Warnings for the caller are pushed here (kube-apiserver's `Warning` headers). */
  warnings?: string[]
}

export interface ApplyOptions extends WriteOptions {
  force?: boolean
  subresource?: 'status'
}

export interface PatchOptions extends WriteOptions {
  subresource?: 'status' | 'scale'
  /** The version the patch is written against (autoscaling/v1 of a stored v2 HPA): the stored object as that version shows it. */
  readAs?: (obj: KObject) => KObject
}

export interface DeleteOptions {
  dryRun?: boolean
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground'
  preconditions?: { uid?: string; resourceVersion?: string }
  /** Pods only: seconds before the pod may be removed (default its terminationGracePeriodSeconds); 0 removes it now. */
  gracePeriodSeconds?: number
}

export interface ListOptions {
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
  limit?: number
  continue?: string
}

export interface ObjectList {
  apiVersion: string
  kind: string
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number }
  items: KObject[]
}

export interface WatchOptions {
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
  /** Resume after this version; unset or "0": start with an ADDED event for every object. */
  resourceVersion?: string
  allowBookmarks?: boolean
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  object: KObject | Status
  /** In-process watches only: the previous state of a MODIFIED object, the last one of a DELETED one (never sent over HTTP). */
  prevObject?: KObject
}

export interface ApiWatch {
  stop(): void
}

export interface Scale {
  apiVersion: 'autoscaling/v1'
  kind: 'Scale'
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string | null }
  spec: { replicas: number }
  status: { replicas: number; selector?: string }
}

const EVENT_KIND = kindByName('Event')!

/** Kinds with fewer objects than this load whole: a snapshot would not pay for itself. */
const SNAPSHOT_MIN = 200
/**
 * How far (in revisions) an unchanged cache's snapshot may fall behind the store before its head
 * is moved on: opening a cache reads the history since its snapshot, a scan of the log rows
 * written since (a few µs each).
 */
const HEAD_LAG = 500

/** Attempts of a create whose generated name is taken (upstream's maxNameGenerationCreateAttempts). */
const MAX_GENERATED_NAME_ATTEMPTS = 8

/** Attempts of a Service write whose allocation another process's write overtook (each allocates again). */
const MAX_ALLOCATION_ATTEMPTS = 5

/** A Service write overtaken MAX_ALLOCATION_ATTEMPTS times: a conflict to try again, as kube-apiserver's allocators give. */
const allocationConflict = (): ApiError =>
  new ApiError('Conflict', 'Service addresses kept changing while this write allocated (other processes are writing Services); please try again')

/** createManyNow's AlreadyExists errors that name an object whose name was generated (createMany tries again). */
const generatedNameTaken = new WeakSet<object>()
const SERVICE_KIND = kindByName('Service')!

/** The namespaces every state has, as a cluster has them. */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']

/** The namespace a create checked, and its revision then: the create's transaction compares it. */
interface NamespaceGuard {
  ns: string
  key: string
  modRevision: number
}

/** kube-apiserver's NamespaceLifecycle refusal for a namespace being deleted. */
function terminating(ns: string): ApiError {
  return new ApiError('Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`)
}

export class ApiServer implements ApiClient {
  readonly storage: Storage
  private readonly now: () => Date
  private readonly caches = new Map<string, Promise<WatchCache>>()
  /** Kinds whose index snapshot turned out damaged: their caches load every object. */
  private readonly wholeKinds = new Set<string>()
  private bootstrapped: Promise<void> | undefined
  private readonly eventFastPath: boolean
  /** Namespaces requireNamespace read from the store: their revision, bytes and whether they were being deleted. */
  private readonly namespacesRead = new Map<string, { modRevision: number; value: string; terminating: boolean }>()
  /** The addresses and ports Services hold, for allocating on Service writes (service-addresses.ts). */
  private readonly serviceAddresses = new ServiceAddresses()
  /** Uids of the objects this server created, Events aside (bornHere). */
  private readonly born = new Set<string>()
  /** The Service write in its allocation turn: its storage key and the range key revision its commit compares. */
  private serviceFence: { obj: KObject; objectKey: string; modRevision: number } | undefined

  constructor(opts: ApiServerOptions) {
    this.storage = opts.storage
    this.now = opts.now ?? (() => new Date())
    this.eventFastPath = opts.eventFastPath ?? true
  }

  /** The kind a resource word names, or a NotFound error as kubectl words it. */
  kind(resource: string | KindInfo): KindInfo {
    if (typeof resource !== 'string') return resource
    const k = resolveResource(resource)
    if (!k) throw new ApiError('NotFound', `the server doesn't have a resource type "${resource}"`)
    return k
  }

  /**
   * Creates the system namespaces in a new state (once per process; cheap when they exist). Each
   * is looked for, so a state whose first bootstrap was killed part-way gets the rest: one that had
   * `default` only never got `kube-system`, where the simulation's settings live.
   */
  bootstrap(): Promise<void> {
    return (this.bootstrapped ??= (async () => {
      const ns = kindByName('Namespace')!
      for (const name of SYSTEM_NAMESPACES) {
        if (await this.storage.get(objectStorageKey(ns, undefined, name))) continue
        try {
          await this.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager: 'capstan-bootstrap' })
        } catch (err) {
          // Another process bootstrapping the same state at once.
          if (!isAlreadyExists(err)) throw err
        }
      }
    })())
  }

  // ---- reads ----

  /**
   * Whether this server created the object with `uid` (Events aside): such an object has no Events
   * from before this process, so an event recorder need not look for them (see eventsNamedFor).
   * Bounded: past 2^18 uids it forgets them all and answers false, and the recorder looks.
   */
  bornHere(uid: string): boolean {
    return this.born.has(uid)
  }

  /**
   * Takes `other`'s created uids as this server's own (bornHere): a server over staged writes of
   * the same state (a sync's plan) whose creates were then committed to it.
   */
  adoptBorn(other: ApiServer): void {
    for (const uid of other.born) this.noteBornUid(uid)
  }

  /** Notes a created object's uid for bornHere (Events aside: nothing records Events about Events). */
  private noteBorn(k: KindInfo, obj: KObject): void {
    const uid = obj.metadata.uid
    if (uid && k !== EVENT_KIND) this.noteBornUid(uid)
  }

  private noteBornUid(uid: string): void {
    if (this.born.size >= 262_144) this.born.clear()
    this.born.add(uid)
  }

  /**
   * The Events stored under the names client-go's recorder gives the Events about an object named
   * `involvedName` (`<involvedName>.<suffix>`) in `namespace`: a range of keys, read from the store.
   * Others may match too (an object named `<involvedName>.x`): the caller checks the involved object.
   */
  async eventsNamedFor(namespace: string, involvedName: string): Promise<KObject[]> {
    const { items } = await this.storage.range(objectStorageKey(EVENT_KIND, namespace, `${involvedName}.`))
    return items.map((kv) => decodeObject(kv))
  }

  /** One object, or NotFound. */
  async get(resource: string | KindInfo, namespace: string | undefined, name: string): Promise<KObject> {
    const k = this.kind(resource)
    const found = await this.find(k, namespace, name)
    if (!found) throw notFound(k, name)
    return found
  }

  /**
   * One object, or undefined when there is none: get() for callers that only ask whether it
   * exists (a controller's reconcile of a deleted object), without building a NotFound error
   * (an Error's stack trace costs more than the lookup).
   */
  async find(resource: string | KindInfo, namespace: string | undefined, name: string): Promise<KObject | undefined> {
    const k = this.kind(resource)
    const ns = this.scopeNamespace(k, namespace)
    const cache = await this.cacheIfOpen(k)
    if (cache) return await cache.get(objectStorageKey(k, ns, name))
    const kv = await this.storage.get(objectStorageKey(k, ns, name))
    return kv ? decodeObject(kv) : undefined
  }

  /** Objects of a kind, filtered and optionally paged, as a `<Kind>List`. */
  async list(resource: string | KindInfo, opts: ListOptions = {}): Promise<ObjectList> {
    const k = this.kind(resource)
    const ns = k.namespaced ? opts.namespace || undefined : undefined
    const filter = makeFilter(k, { namespace: ns, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector })
    const base = { apiVersion: apiVersionOf(k), kind: k.listKind }
    if (opts.limit && opts.limit > 0) {
      // The store prefix already narrows to the namespace; only selectors filter the pages.
      const { matches } = makeFilter(k, { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector })
      return { ...base, ...(await this.listPage(k, ns, matches, opts)) }
    }
    const cache = await this.cache(k)
    const items = await cache.list(filter)
    return { ...base, metadata: { resourceVersion: String(cache.revision) }, items }
  }

  /** The store revision the kind's watch cache reflects (a safe resourceVersion for a bookmark). */
  async revision(resource: string | KindInfo): Promise<string> {
    return String((await this.cache(this.kind(resource))).revision)
  }

  /** The objects (of any kind served here) whose owner references name `uid`. */
  async dependents(uid: string, kinds: readonly KindInfo[] = KINDS): Promise<KObject[]> {
    const out: KObject[] = []
    for (const k of kinds) out.push(...(await (await this.cache(k)).ownedBy(uid)))
    return out
  }

  private async listPage(
    k: KindInfo,
    ns: string | undefined,
    matches: ((o: KObject) => boolean) | undefined,
    opts: ListOptions,
  ): Promise<Pick<ObjectList, 'metadata' | 'items'>> {
    const limit = opts.limit!
    const prefix = kindPrefix(k, ns)
    const items: KObject[] = []
    let token = opts.continue
    let revision = 0
    let remaining = 0
    try {
      // Read pages of the store at one revision until `limit` objects match (as kube-apiserver does).
      for (;;) {
        const page = await this.storage.range(prefix, { limit: limit - items.length, continue: token })
        revision = page.revision
        for (const kv of page.items) {
          const obj = decodeObject(kv)
          if (!matches || matches(obj)) items.push(obj)
        }
        token = page.continue
        remaining = page.remaining
        if (!token || items.length >= limit) break
      }
    } catch (err) {
      if (isStorageError(err, 'InvalidContinue')) throw badRequest(`continue key is not valid: ${(err as Error).message}`)
      if (isStorageError(err, 'Compacted'))
        throw gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.')
      throw err
    }
    const metadata: ObjectList['metadata'] = { resourceVersion: String(revision) }
    if (token) {
      metadata.continue = token
      if (!matches) metadata.remainingItemCount = remaining
    }
    return { metadata, items }
  }

  // ---- writes ----

  /**
   * Creates an object (POST). A name generated from `generateName` that is taken is generated
   * again, up to MAX_GENERATED_NAME_ATTEMPTS attempts in all (kube-apiserver's
   * createWithGenerateNameRetry, RetryGenerateName: GA in 1.32); then the AlreadyExists stands.
   */
  async create(input: KObject, opts: WriteOptions = {}): Promise<KObject> {
    const meta = isPlainObject(input) && isPlainObject(input.metadata) ? input.metadata : undefined
    if (!meta || meta.name || !meta.generateName) return this.createOnce(input, opts)
    for (let attempt = 1; ; attempt++) {
      try {
        // Upstream decodes the request once: a retry's warnings are the first attempt's again.
        return await this.createOnce(input, attempt === 1 ? opts : { ...opts, warnings: undefined })
      } catch (err) {
        if (attempt >= MAX_GENERATED_NAME_ATTEMPTS || !(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err
      }
    }
  }

  private async createOnce(input: KObject, opts: WriteOptions): Promise<KObject> {
    const event = this.eventFastPath ? recorderShapedEvent(input) : undefined
    if (event) return this.createEvent(event.obj, event.shape, opts)
    const { k, obj, nullFree } = this.admit(input, opts)
    const ns = this.scopeNamespace(k, obj.metadata.namespace)
    if (k.namespaced) obj.metadata.namespace = ns
    if (!obj.metadata.name && !obj.metadata.generateName) {
      throw invalid(k.kind, '', [{ reason: 'FieldValueRequired', message: 'name or generateName is required', field: 'metadata.name' }], k.group)
    }
    const guard = k.namespaced ? await this.requireNamespace(ns!) : undefined
    const now = this.now()
    applyDefaults(obj)
    prepareForCreate(k, obj, now)
    this.noteBorn(k, obj)
    obj.metadata.managedFields = trackWrite({ k, old: undefined, obj, manager: opts.fieldManager, now })
    const rest = (): Promise<KObject> => {
      // Defaults, identity and the created managed fields add no null: a copy without any has none.
      this.check(k, obj, undefined, { nullFree })
      return this.commit(k, obj, 0, opts.dryRun, () => alreadyExists(k, obj.metadata.name!), guard)
    }
    return k === SERVICE_KIND ? this.writeService(obj, undefined, opts.dryRun, rest) : rest()
  }

  /**
   * create() of an Event of the recorder's shape (event-create.ts), already copied: the same steps
   * and the same stored bytes, with the schema pass and the created-fields walk known in advance
   * (an Event has no defaults, and the shape has no unknown fields and nothing to convert).
   */
  private async createEvent(obj: KObject, shape: string, opts: WriteOptions): Promise<KObject> {
    const k = EVENT_KIND
    const ns = this.scopeNamespace(k, obj.metadata.namespace)!
    obj.metadata.namespace = ns
    const guard = await this.requireNamespace(ns)
    const now = this.now()
    prepareForCreate(k, obj, now)
    const fieldsV1 = eventFieldsV1(shape, obj, (o) => createdFieldsV1(o as unknown as Json, typeNodeFor(k.kind)))
    // trackWrite's entry for a create by this manager (track-update.ts), field for field.
    obj.metadata.managedFields = fieldsV1
      ? [{ manager: opts.fieldManager || 'unknown', operation: 'Update', apiVersion: apiVersionOf(k), time: formatTime(now), fieldsType: 'FieldsV1', fieldsV1 }]
      : []
    this.check(k, obj, undefined, { schemaChecked: true })
    return this.commit(k, obj, 0, opts.dryRun, () => alreadyExists(k, obj.metadata.name!), guard)
  }

  /**
   * Creates many objects in one store transaction: all or none. A name generated from
   * `generateName` that is taken fails the transaction; it is tried again with new names, up to
   * MAX_GENERATED_NAME_ATTEMPTS attempts in all, as create() does.
   */
  async createMany(inputs: KObject[], opts: WriteOptions = {}): Promise<KObject[]> {
    for (let attempt = 1; ; attempt++) {
      const o = attempt === 1 ? opts : { ...opts, warnings: undefined }
      try {
        // A batch with Services allocates and commits in one Service-write turn (see writeService).
        if (inputs.some((i) => isPlainObject(i) && i.kind === 'Service')) return await this.serviceAddresses.exclusive(() => this.createManyNow(inputs, o))
        return await this.createManyNow(inputs, o)
      } catch (err) {
        if (err instanceof AllocationRaced) {
          if (attempt < MAX_ALLOCATION_ATTEMPTS) continue
          throw allocationConflict()
        }
        if (attempt >= MAX_GENERATED_NAME_ATTEMPTS || !generatedNameTaken.has(err as object)) throw err
      }
    }
  }

  /** createMany's work. */
  private async createManyNow(inputs: KObject[], opts: WriteOptions): Promise<KObject[]> {
    const now = this.now()
    const ops: TxnOp[] = []
    const out: KObject[] = []
    const guards = new Map<string, NamespaceGuard>()
    // Services allocate against what is held plus what the batch's earlier Services took.
    let used: ServiceAllocations | undefined
    let fence: number | undefined
    for (const input of inputs) {
      const { k, obj, nullFree } = this.admit(input, opts)
      const ns = this.scopeNamespace(k, obj.metadata.namespace)
      if (k.namespaced) {
        obj.metadata.namespace = ns
        if (!guards.has(ns!)) guards.set(ns!, await this.requireNamespace(ns!))
      }
      applyDefaults(obj)
      prepareForCreate(k, obj, now)
      this.noteBorn(k, obj)
      obj.metadata.managedFields = trackWrite({ k, old: undefined, obj, manager: opts.fieldManager, now })
      if (k === SERVICE_KIND) {
        if (!used) {
          const a = await this.serviceAddresses.forWrite(this.storage, await this.serviceSource(), kindPrefix(SERVICE_KIND))
          used = copyAllocations(a.used)
          fence = a.fence
        }
        const causes = allocateInPlace(obj, used)
        if (causes.length) throw invalid(k.kind, obj.metadata.name ?? '', causes, k.group)
        addAllocations(used, obj)
      }
      this.check(k, obj, undefined, { nullFree })
      ops.push({ type: 'put', key: objectStorageKey(k, ns, obj.metadata.name!), value: encodeObject(obj) })
      out.push(obj)
    }
    if (opts.dryRun) return out
    const compare = ops.map((op) => ({ key: op.key, modRevision: 0 }))
    for (const g of guards.values()) compare.push({ key: g.key, modRevision: g.modRevision })
    const success = fence === undefined ? ops : [...ops, { type: 'put' as const, key: SERVICE_RANGE_KEY, value: SERVICE_RANGE_VALUE }]
    if (fence !== undefined) compare.push({ key: SERVICE_RANGE_KEY, modRevision: fence })
    const res = await this.storage.txn({ compare, success })
    if (!res.succeeded) {
      if (fence !== undefined && res.failed?.length === 1 && res.failed[0].key === SERVICE_RANGE_KEY) throw new AllocationRaced()
      // A namespace deleted (or being deleted) since it was checked: that error, as for one create.
      for (const g of guards.values()) if (await this.guardFailed(g)) throw conflict(kindByName('Namespace')!, g.ns, 'the namespace changed while the objects were created; try again')
      const key = res.failed?.[0]?.key ?? ''
      const i = ops.findIndex((op) => op.key === key)
      const o = out[i]
      const err = alreadyExists(this.kind(o.kind), o.metadata.name!)
      const meta = isPlainObject(inputs[i]) && isPlainObject(inputs[i].metadata) ? inputs[i].metadata : undefined
      if (meta && !meta.name && meta.generateName) generatedNameTaken.add(err)
      throw err
    }
    return out.map((o, i) => {
      o.metadata.resourceVersion = String(res.results?.[i]?.modRevision ?? res.revision)
      if (o.kind === 'Service') this.serviceAddresses.written(o)
      return o
    })
  }

  /** Replaces an object (PUT). A resourceVersion in the input must match the stored one. */
  async update(input: KObject, opts: WriteOptions & { subresource?: 'status' } = {}): Promise<KObject> {
    const reduced = opts.subresource === 'status' ? statusWriteInput(input, opts) : input
    if (reduced !== input) return this.updateStatusSharing(reduced, opts)
    const { k, obj } = this.admit(input, opts)
    const ns = this.scopeNamespace(k, obj.metadata.namespace)
    const name = obj.metadata.name
    if (!name) throw invalid(k.kind, '', [{ reason: 'FieldValueRequired', message: 'name is required', field: 'metadata.name' }], k.group)
    const old = await this.get(k, ns, name)
    const rv = obj.metadata.resourceVersion
    if (rv && rv !== old.metadata.resourceVersion) {
      throw conflict(k, name, 'the object has been modified; please apply your changes to the latest version and try again')
    }
    if (k.namespaced) obj.metadata.namespace = ns
    return this.replace(k, old, obj, opts)
  }

  /**
   * update() of a status write statusWriteInput reduced to type meta, metadata and status (so
   * admission has nothing to refuse, convert or drop in it): the same steps in the same order, but
   * the stored object is read before the input is copied, and the copy shares the parts of the
   * input that are the stored object's own (a kubelet sends back the metadata it read, whose
   * managedFields are most of a pod) instead of copying them. The stored object is never changed
   * in place, and neither is what the write shares with it.
   */
  private async updateStatusSharing(input: KObject, opts: WriteOptions & { subresource?: 'status' }): Promise<KObject> {
    const k = kindByName(input.kind)!
    const meta = isPlainObject(input.metadata) ? input.metadata : undefined
    const name = meta?.name
    if (!name) throw invalid(k.kind, '', [{ reason: 'FieldValueRequired', message: 'name is required', field: 'metadata.name' }], k.group)
    const ns = this.scopeNamespace(k, meta.namespace)
    const old = await this.get(k, ns, name)
    const obj = cloneSharing(input, old)
    const rv = obj.metadata.resourceVersion
    if (rv && rv !== old.metadata.resourceVersion) {
      throw conflict(k, name, 'the object has been modified; please apply your changes to the latest version and try again')
    }
    if (k.namespaced) obj.metadata.namespace = ns
    return this.replace(k, old, obj, opts)
  }

  /** Replaces only the status of an object (PUT …/status). */
  updateStatus(input: KObject, opts: WriteOptions = {}): Promise<KObject> {
    // withField: `{ ...opts, subresource: 'status' }` without the slow spread (see object.ts).
    return this.update(input, withField(opts, 'subresource', 'status' as const))
  }

  /** Patches an object: JSON patch, JSON merge patch, or server-side apply (`apply`). */
  async patch(
    resource: string | KindInfo,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: ApplyOptions | PatchOptions = {},
  ): Promise<KObject> {
    const k = this.kind(resource)
    if (type === 'apply') {
      if (!isPlainObject(patch)) throw badRequest('the apply configuration must be an object')
      const cfg = clone(patch) as KObject
      cfg.metadata = { ...(isPlainObject(cfg.metadata) ? cfg.metadata : {}), name }
      if (k.namespaced) cfg.metadata.namespace = this.scopeNamespace(k, namespace)
      return this.apply(cfg, opts as ApplyOptions)
    }
    const sub = opts.subresource
    // Optimistic concurrency: retry when another write lands between our read and our write.
    for (let attempt = 0; ; attempt++) {
      const old = await this.get(k, namespace, name)
      if (sub === 'scale') {
        const scale = applyPatch(this.scaleOf(k, old), type, patch) as unknown as Scale
        try {
          return await this.setReplicas(k, old, scale, opts)
        } catch (err) {
          if (attempt < 4 && err instanceof ApiError && err.reason === 'Conflict' && !scale.metadata?.resourceVersion) continue
          throw err
        }
      }
      // The event recorder's repeat patch (count, lastTimestamp, message) of fields it alone owns:
      // the object the steps below would build, without building it through them (event-create.ts).
      const recorded = type === 'merge' && k === EVENT_KIND && !sub && this.eventFastPath ? recorderEventPatch({ old, patch, fieldManager: opts.fieldManager, now: this.now() }) : undefined
      if (recorded) {
        try {
          return await this.finishReplace(k, old, recorded, opts)
        } catch (err) {
          if (attempt < 4 && err instanceof ApiError && err.reason === 'Conflict') continue
          throw err
        }
      }
      const readAs = (opts as PatchOptions).readAs
      const patched = applyPatch(clone(readAs ? readAs(old) : old), type, patch) as KObject
      const preconditionRv = (isPlainObject(patch) && isPlainObject(patch.metadata) && patch.metadata.resourceVersion) || undefined
      if (preconditionRv && preconditionRv !== old.metadata.resourceVersion) {
        throw conflict(k, name, 'the object has been modified; please apply your changes to the latest version and try again')
      }
      patched.metadata.resourceVersion = old.metadata.resourceVersion
      try {
        const { obj } = this.admit(patched, opts)
        if (obj.metadata.name !== name) {
          throw invalid(k.kind, name, [{ reason: 'FieldValueInvalid', message: `Invalid value: "${obj.metadata.name}": field is immutable`, field: 'metadata.name' }], k.group)
        }
        return await this.replace(k, old, obj, { ...opts, subresource: sub })
      } catch (err) {
        if (attempt < 4 && err instanceof ApiError && err.reason === 'Conflict' && !preconditionRv) continue
        throw err
      }
    }
  }

  /** Server-side apply of a configuration (PATCH application/apply-patch+yaml): creates or merges. */
  async apply(config: KObject, opts: ApplyOptions = {}): Promise<KObject> {
    const manager = opts.fieldManager
    if (!manager) throw badRequest('PATCH requests with apply content type must specify a fieldManager')
    for (let attempt = 0; ; attempt++) {
      // An apply configuration is no typed object: server-side apply reads its nulls and empty maps itself.
      const { k, obj: cfg } = this.admit(clone(config), opts, false)
      const ns = this.scopeNamespace(k, cfg.metadata.namespace)
      const name = cfg.metadata.name
      if (!name) throw invalid(k.kind, '', [{ reason: 'FieldValueRequired', message: 'name is required', field: 'metadata.name' }], k.group)
      if (k.namespaced) cfg.metadata.namespace = ns
      const liveKv = await this.storage.get(objectStorageKey(k, ns, name))
      const live = liveKv ? decodeObject(liveKv) : undefined
      const now = this.now()
      const merged = applyConfig({ k, live, config: cfg, manager, force: !!opts.force, now, subresource: opts.subresource })
      // The merged object is stored as the Go type would hold it: no nulls, no empty optional lists or maps
      // (`env: []` in a template must not differ from its ReplicaSet's, which is created without it).
      normalizeAsGoDecodes(merged, typeNodeFor(k.kind))
      try {
        if (!live) {
          const guard = k.namespaced ? await this.requireNamespace(ns!) : undefined
          const managedFields = merged.metadata.managedFields
          applyDefaults(merged)
          prepareForCreate(k, merged, now)
          this.noteBorn(k, merged)
          merged.metadata.managedFields = managedFields
          const rest = (): Promise<KObject> => {
            this.check(k, merged, undefined)
            return this.commit(k, merged, 0, opts.dryRun, () => conflict(k, name, 'the object was created by another writer'), guard)
          }
          return await (k === SERVICE_KIND ? this.writeService(merged, undefined, opts.dryRun, rest) : rest())
        }
        merged.metadata.resourceVersion = live.metadata.resourceVersion
        return await this.replace(k, live, merged, { ...opts, subresource: opts.subresource, managedFieldsDone: true })
      } catch (err) {
        if (attempt < 4 && err instanceof ApiError && err.reason === 'Conflict' && !err.statusDetails.causes?.length) continue
        throw err
      }
    }
  }

  /** Deletes an object, or marks it for deletion while finalizers remain. Returns its last state. */
  async delete(resource: string | KindInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KObject> {
    const k = this.kind(resource)
    const ns = this.scopeNamespace(k, namespace)
    const old = await this.get(k, ns, name)
    const pre = opts.preconditions ?? {}
    if (pre.uid && pre.uid !== old.metadata.uid) {
      throw conflict(k, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`)
    }
    if (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(k, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`)
    }
    if (k.kind === 'Namespace') return this.deleteNamespace(old, opts)
    const grace = podGracePeriod(old, opts.gracePeriodSeconds)
    const finalizers = [...(old.metadata.finalizers ?? [])]
    const policy = opts.propagationPolicy
    if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan')
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion')
    if (finalizers.length === 0 && grace === 0) {
      if (opts.dryRun) return old
      const key = objectStorageKey(k, ns, name)
      const res = await this.storage.txn({
        compare: [{ key, modRevision: Number(old.metadata.resourceVersion) }],
        success: [{ type: 'delete', key }],
      })
      if (!res.succeeded) return this.delete(k, ns, name, opts)
      const gone = { ...old, metadata: { ...old.metadata, resourceVersion: String(res.revision) } }
      if (k === SERVICE_KIND) this.serviceAddresses.written(gone, true)
      return gone
    }
    // Graceful: mark the object; it goes when the last finalizer is removed (and, for a pod on a
    // node, when the kubelet confirms with a delete of grace period 0).
    const now = this.now()
    const shorter = grace < (old.metadata.deletionGracePeriodSeconds ?? Infinity)
    if (old.metadata.deletionTimestamp && jsonEqual(finalizers, old.metadata.finalizers ?? []) && !shorter) return old
    // Only metadata changes: a new metadata over the stored object's other (never changed) parts.
    const next: KObject = { ...old, metadata: { ...old.metadata } }
    if (finalizers.length) next.metadata.finalizers = finalizers
    if (!old.metadata.deletionTimestamp || shorter) {
      next.metadata.deletionTimestamp = formatTime(new Date(now.getTime() + grace * 1000))
      next.metadata.deletionGracePeriodSeconds = grace
    }
    return this.commit(k, next, Number(old.metadata.resourceVersion), opts.dryRun, () =>
      conflict(k, name, 'the object has been modified; please apply your changes to the latest version and try again'),
    )
  }

  // ---- binding subresource ----

  /**
   * Binds a pod to a node (POST pods/NAME/binding). One binding of bindMany: throws its error.
   * `opts.uid` is the Binding's metadata.uid, a precondition on the pod's (kube-scheduler sends it);
   * `opts.annotations` are the Binding's, merged into the pod's.
   */
  async bind(namespace: string | undefined, name: string, nodeName: string, opts: WriteOptions & { uid?: string; annotations?: Record<string, string> } = {}): Promise<KObject> {
    const [result] = await this.bindMany([{ namespace, name, nodeName, uid: opts.uid, annotations: opts.annotations }], opts)
    if (result instanceof ApiError) throw result
    return result
  }

  /**
   * Binds many pods, in order, each binding its own atomic store write (its own resourceVersion and
   * watch event), all in one group commit where the store has one. Returns, per binding, the bound
   * pod or its ApiError (one binding failing does not stop the others).
   *
   * As kube-apiserver's BindingREST (pkg/registry/core/pod/storage, v1.32): the binding is a
   * read-modify-write straight on the store (GuaranteedUpdate, retried when the pod moved on
   * meanwhile), outside the update pipeline — no defaulting, no validation of the pod, no admission,
   * and the pod's managedFields are left as they are (the field manager sees only the Binding
   * object, which is not stored: a scheduled pod has no manager for spec.nodeName or for the
   * PodScheduled condition, kubernetes/kubernetes#127508). It sets spec.nodeName and the
   * PodScheduled=True condition (podutil.UpdatePodCondition: replaced in place, its transition
   * time kept when the status was already True), and merges the Binding's annotations into the
   * pod's (setPodHostAndAnnotations). A pod being deleted, already assigned, or with
   * scheduling gates is a Conflict on pods/binding; a uid that is not the pod's is a Conflict on pods.
   */
  async bindMany(
    bindings: ReadonlyArray<{ namespace?: string; name: string; nodeName: string; uid?: string; annotations?: Record<string, string> }>,
    opts: WriteOptions = {},
  ): Promise<Array<KObject | ApiError>> {
    const k = kindByName('Pod')!
    const now = formatTime(this.now())
    const run = async (): Promise<Array<KObject | ApiError>> => {
      const out: Array<KObject | ApiError> = []
      for (const b of bindings) {
        try {
          out.push(await this.bindOne(k, b, now, opts.dryRun))
        } catch (err) {
          if (!(err instanceof ApiError)) throw err
          out.push(err)
        }
      }
      return out
    }
    return this.storage.batch && !opts.dryRun ? this.storage.batch(run) : run()
  }

  private async bindOne(k: KindInfo, b: { namespace?: string; name: string; nodeName: string; uid?: string; annotations?: Record<string, string> }, now: string, dryRun: boolean | undefined): Promise<KObject> {
    const { name, nodeName } = b
    const bindingRef = { group: '', plural: 'pods/binding' }
    // ValidatePodBinding: the target must name a node (an aggregate error upstream: 500, reason Unknown).
    if (!nodeName) {
      throw new ApiError('InternalError', 'target.name: Required value', { causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }] })
    }
    const key = objectStorageKey(k, this.scopeNamespace(k, b.namespace), name)
    for (let attempt = 0; ; attempt++) {
      // The first read may come from the watch cache; a retry reads the store itself, which a write
      // that just beat ours has reached (the cache of a store shared with another process may lag).
      let old: KObject
      if (attempt === 0) old = await this.get(k, b.namespace, name)
      else {
        const kv = await this.storage.get(key)
        if (!kv) throw notFound(k, name)
        old = decodeObject(kv)
      }
      if (b.uid && b.uid !== old.metadata.uid) {
        throw conflict(k, name, `Precondition failed: UID in precondition: ${b.uid}, UID in object meta: ${old.metadata.uid}`)
      }
      const spec = (old.spec ?? {}) as { nodeName?: string; schedulingGates?: unknown[] }
      if (old.metadata.deletionTimestamp) throw conflict(bindingRef, name, `pod ${name} is being deleted, cannot be assigned to a host`)
      if (spec.nodeName) throw conflict(bindingRef, name, `pod ${name} is already assigned to node "${spec.nodeName}"`)
      if (spec.schedulingGates?.length) throw conflict(bindingRef, name, `pod ${name} has non-empty .spec.schedulingGates`)
      // A new top level sharing the unchanged parts of the (possibly shared, frozen) stored object.
      const status = (old.status ?? {}) as { conditions?: Array<{ type?: string; status?: string; lastTransitionTime?: string }> }
      const conditions = [...(status.conditions ?? [])]
      const i = conditions.findIndex((c) => c.type === 'PodScheduled')
      const prev = i >= 0 ? conditions[i] : undefined
      const cond = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: prev?.status === 'True' && prev.lastTransitionTime ? prev.lastTransitionTime : now }
      if (i >= 0) conditions[i] = cond
      else conditions.push(cond)
      const next: KObject = { ...old, metadata: { ...old.metadata }, spec: withField(spec, 'nodeName', nodeName), status: withField(status, 'conditions', conditions) }
      if (b.annotations && Object.keys(b.annotations).length) next.metadata.annotations = { ...old.metadata.annotations, ...b.annotations }
      if (dryRun) return next
      let res
      try {
        res = await this.storage.txn({ compare: [{ key, modRevision: Number(old.metadata.resourceVersion) }], success: [{ type: 'put', key, value: encodeForWrite(key, next) }] })
      } finally {
        forgetWrite(key)
      }
      // GuaranteedUpdate: the pod moved on between the read and the write; read it again and retry.
      if (!res.succeeded) continue
      next.metadata.resourceVersion = String(res.results?.[0]?.modRevision ?? res.revision)
      return next
    }
  }

  // ---- scale subresource ----

  /** The autoscaling/v1 Scale of a Deployment or ReplicaSet. */
  async getScale(resource: string | KindInfo, namespace: string | undefined, name: string): Promise<Scale> {
    const k = this.kind(resource)
    if (!k.hasScale) throw new ApiError('NotFound', `the server could not find the requested resource`)
    return this.scaleOf(k, await this.get(k, namespace, name))
  }

  /** Sets spec.replicas through the scale subresource. */
  async updateScale(
    resource: string | KindInfo,
    namespace: string | undefined,
    name: string,
    replicas: number,
    opts: WriteOptions & { resourceVersion?: string } = {},
  ): Promise<Scale> {
    const k = this.kind(resource)
    const old = await this.get(k, namespace, name)
    const scale = this.scaleOf(k, old)
    scale.spec.replicas = replicas
    if (opts.resourceVersion) scale.metadata.resourceVersion = opts.resourceVersion
    const updated = await this.setReplicas(k, old, scale, opts)
    return this.scaleOf(k, updated)
  }

  private scaleOf(k: KindInfo, obj: KObject): Scale {
    if (!k.hasScale) throw new ApiError('NotFound', `the server could not find the requested resource`)
    const spec = (obj.spec ?? {}) as { replicas?: number; selector?: unknown }
    const status = (obj.status ?? {}) as { replicas?: number }
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: {
        name: obj.metadata.name!,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        creationTimestamp: obj.metadata.creationTimestamp,
      },
      spec: { replicas: spec.replicas ?? 0 },
      status: { replicas: status.replicas ?? 0, selector: selectorString(spec.selector) },
    }
  }

  private async setReplicas(k: KindInfo, old: KObject, scale: Scale, opts: WriteOptions): Promise<KObject> {
    const replicas = scale.spec?.replicas
    // Scale.spec.replicas is an int32: a bigger number does not decode (kube-apiserver's 400).
    if (typeof replicas === 'number' && outOfInt32(replicas)) {
      throw badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal number ${replicas} into Go struct field ScaleSpec.spec.replicas of type int32`)
    }
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid('Scale', old.metadata.name!, [
        { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' },
      ], 'autoscaling')
    }
    const rv = scale.metadata?.resourceVersion
    if (rv && rv !== old.metadata.resourceVersion) {
      throw conflict(k, old.metadata.name!, 'the object has been modified; please apply your changes to the latest version and try again')
    }
    const next = clone(old)
    ;(next.spec as { replicas: number }).replicas = replicas
    return this.replace(k, old, next, { ...opts, subresource: 'scale' })
  }

  // ---- watch ----

  /**
   * Watches a kind. Events arrive in order through `onEvent`; an ERROR event (410 Expired) ends the
   * watch when `resourceVersion` is older than the cache's window.
   */
  async watch(resource: string | KindInfo, opts: WatchOptions, onEvent: (ev: WatchEvent) => void): Promise<ApiWatch> {
    const k = this.kind(resource)
    const ns = k.namespaced ? opts.namespace || undefined : undefined
    const filter = makeFilter(k, { namespace: ns, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector })
    const selected = (o: KObject | undefined): boolean =>
      !!o && (!ns || o.metadata.namespace === ns) && (!filter.matches || filter.matches(o))
    const deliver = (events: CacheEvent[]): void => {
      for (const ev of events) {
        const now = selected(ev.type === 'DELETED' ? ev.prevObject : ev.object)
        const before = ev.type !== 'ADDED' && selected(ev.prevObject)
        if (ev.type === 'DELETED') {
          if (now) onEvent({ type: 'DELETED', object: ev.object, prevObject: ev.prevObject })
        } else if (now && before) onEvent({ type: 'MODIFIED', object: ev.object, prevObject: ev.prevObject })
        else if (now) onEvent({ type: 'ADDED', object: ev.object })
        else if (before) onEvent({ type: 'DELETED', object: ev.object, prevObject: ev.prevObject })
      }
    }
    const rv = opts.resourceVersion
    // From a revision, with the kind's cache not open: follow the store itself (its history first)
    // rather than read and decode every object to open the cache (see store-watch.ts).
    if (rv && rv !== '0' && !this.caches.has(k.kind) && this.storage.kind !== 'staged' && (await this.followsFromStore(rv))) {
      const w = watchStore(this.storage, kindPrefix(k), Number(rv), deliver, (err) => {
        onEvent({ type: 'ERROR', object: gone(`the watch of ${k.plural} ended: ${err.message}`).status })
      })
      return { stop: () => w.cancel() }
    }
    const cache = await this.cache(k)
    // A cache that fails (its store watch ended, its snapshot turned out damaged) delivers nothing
    // more: the watch ends with 410 Gone, so the watcher lists again (from a cache opened anew).
    const failed = (err: Error): void => onEvent({ type: 'ERROR', object: gone(`the watch of ${k.plural} ended: ${err.message}`).status })
    if (!rv || rv === '0') {
      // Events applied after the listing wait until its ADDED events are out, and until this call
      // has returned: the watcher tells the listing from what happened after it by that.
      let waiting: CacheEvent[] | undefined = []
      let stopped = false
      const { items, unsubscribe } = await cache.listAndSubscribe(filter, (events) => (waiting ? waiting.push(...events) : deliver(events)))
      for (const obj of items) onEvent({ type: 'ADDED', object: obj })
      let unfail = (): void => {}
      queueMicrotask(() => {
        const held = waiting ?? []
        waiting = undefined
        if (stopped) return
        deliver(held)
        unfail = cache.onFailure(failed)
      })
      return {
        stop: () => {
          stopped = true
          unsubscribe()
          unfail()
        },
      }
    } else {
      const from = Number(rv)
      if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: "${rv}"`)
      const backlog = cache.eventsSince(from)
      if (!backlog) {
        onEvent({ type: 'ERROR', object: gone(`too old resource version: ${rv} (${cache.oldestResumable})`).status })
        return { stop() {} }
      }
      deliver(backlog)
    }
    const unsubscribe = cache.subscribe(deliver)
    const unfail = cache.onFailure(failed)
    return {
      stop: () => {
        unsubscribe()
        unfail()
      },
    }
  }

  /** Whether a watch from `rv` can follow the store: a revision not ahead of it and not compacted. */
  private async followsFromStore(rv: string): Promise<boolean> {
    const from = Number(rv)
    if (!Number.isInteger(from) || from < 0) return false
    return from <= (await this.storage.revision()) && from >= (await this.storage.compactedRevision())
  }

  /** Stops following the store; the storage stays open (its owner closes it). */
  async close(): Promise<void> {
    this.serviceAddresses.close()
    for (const p of this.caches.values()) void p.then((c) => c.close()).catch(() => {})
    this.caches.clear()
  }

  // ---- internals ----

  /**
   * Stores the index snapshot of every open watch cache of at least SNAPSHOT_MIN objects whose
   * objects changed since the snapshot it opened from (or that loaded every object), so that the
   * next command opens it from the snapshot (see cache-index-store.ts). For one-shot commands,
   * when they finish; a store that cannot take them keeps the older ones.
   */
  async saveCacheIndexes(): Promise<void> {
    if (this.storage.kind === 'staged') return
    for (const [kind, p] of [...this.caches]) {
      const c = await p.catch(() => undefined)
      if (!c || c.error || c.size < SNAPSHOT_MIN) continue
      if (!c.snapshotStale) {
        // Unchanged since its snapshot: when that is far behind, the snapshot is moved on to where
        // the cache has followed the store, so the next open reads a short history.
        const through = c.syncedThrough
        const from = c.snapshotRevision
        if (through !== undefined && from !== undefined && through - from >= HEAD_LAG && (await advanceIndexHead(this.storage, kind, from, through))) c.snapshotRevision = through
        continue
      }
      const snapshot = c.snapshot()
      if (snapshot && (await saveIndexSnapshot(this.storage, kind, snapshot))) c.saved(snapshot)
    }
  }

  /** The kind's watch cache, opened on first use (from its index snapshot when one is stored). */
  private cache(k: KindInfo): Promise<WatchCache> {
    let p = this.caches.get(k.kind)
    if (!p) {
      p = this.openCache(k)
      this.caches.set(k.kind, p)
      p.catch(() => this.caches.delete(k.kind))
    }
    return p.then((c) => {
      if (c.error) {
        this.caches.delete(k.kind)
        c.close()
        // A damaged snapshot is not opened from again in this process: the kind is read whole.
        if (c.snapshotDamaged) this.wholeKinds.add(k.kind)
        return this.cache(k)
      }
      return c
    })
  }

  private async openCache(k: KindInfo): Promise<WatchCache> {
    const usable = this.storage.kind !== 'staged' && !this.wholeKinds.has(k.kind)
    const snapshot = usable ? await loadIndexSnapshot(this.storage, k.kind).catch(() => undefined) : undefined
    return WatchCache.open(this.storage, kindPrefix(k), snapshot)
  }

  private async cacheIfOpen(k: KindInfo): Promise<WatchCache | undefined> {
    const p = this.caches.get(k.kind)
    return p ? this.cache(k) : undefined
  }

  /** The namespace an operation addresses: the request's, `default` when none, none for cluster-scoped kinds. */
  private scopeNamespace(k: KindInfo, namespace: string | undefined): string | undefined {
    if (!k.namespaced) return undefined
    return namespace || 'default'
  }

  private async requireNamespace(ns: string): Promise<NamespaceGuard> {
    const k = kindByName('Namespace')!
    // Every create checks its namespace: from the namespaces' watch cache (opened on first need:
    // namespaces are few, and reading and parsing the namespace from the store on every create was
    // a tenth of an Event create), and from the store when the cache has not seen it yet (another
    // process may have just created it). A staged dry run's store cannot be watched: there only an
    // already open cache is used. The cache may be behind another process's deletion, so the
    // create's transaction also compares the namespace's revision (see guardFailed).
    const key = objectStorageKey(k, undefined, ns)
    const obj = await (this.storage.kind === 'staged' ? await this.cacheIfOpen(k) : await this.cache(k))?.get(key)
    if (obj) {
      if (obj.metadata.deletionTimestamp) throw terminating(ns)
      return { ns, key, modRevision: Number(obj.metadata.resourceVersion) }
    }
    const kv = await this.storage.get(key)
    if (!kv) throw notFound(k, ns)
    // A staged dry run reads its namespace here on every create: what the stored bytes say is kept
    // per key, and used again only for the very same revision and bytes (the staged store's own
    // writes may create, change or delete the namespace).
    let seen = this.namespacesRead.get(key)
    if (!seen || seen.modRevision !== kv.modRevision || seen.value !== kv.value) {
      seen = { modRevision: kv.modRevision, value: kv.value, terminating: !!decodeObject(kv).metadata.deletionTimestamp }
      if (this.namespacesRead.size >= 1000) this.namespacesRead.clear()
      this.namespacesRead.set(key, seen)
    }
    if (seen.terminating) throw terminating(ns)
    return { ns, key, modRevision: kv.modRevision }
  }

  /**
   * A create's transaction failed and it compared its namespace: why. The namespace gone or being
   * deleted is the error kube-apiserver gives; a namespace merely changed since (labels) gives the
   * revision to try again with; otherwise the object's own compare failed (undefined).
   */
  private async guardFailed(guard: NamespaceGuard): Promise<NamespaceGuard | undefined> {
    const kv = await this.storage.get(guard.key)
    if (!kv) throw notFound(kindByName('Namespace')!, guard.ns)
    if (kv.modRevision === guard.modRevision) return undefined
    if (decodeObject(kv).metadata.deletionTimestamp) throw terminating(guard.ns)
    return { ...guard, modRevision: kv.modRevision }
  }

  /** Resolves the kind of an incoming object and brings it to the stored version. */
  private admit(input: KObject, opts: WriteOptions, goDecode = true): { k: KindInfo; obj: KObject; nullFree: boolean } {
    if (!isPlainObject(input)) throw badRequest('the object must be a JSON object')
    if (typeof input.kind !== 'string' || !input.kind) throw badRequest("Object 'Kind' is missing in the request")
    if (typeof input.apiVersion !== 'string' || !input.apiVersion) throw badRequest("Object 'apiVersion' is missing in the request")
    const k = kindByName(input.kind)
    if (!k) throw badRequest(`no kind "${input.kind}" is registered for version "${input.apiVersion}"`)
    const { copy: obj, nullFree, emptyFree, bigFree } = cloneNullFree(input)
    if (!isPlainObject(obj.metadata)) obj.metadata = {}
    if (k.kind === 'HorizontalPodAutoscaler') admitHpa(k, obj, opts)
    const { warning } = convertToStored(obj, apiVersionOf(k))
    if (warning) opts.warnings?.push(warning)
    // A number an int32 field cannot hold fails decoding, before anything else (int32-range.ts).
    if (!bigFree) {
      const err = int32RangeError(k, obj)
      if (err) throw err
    }
    // Nulls and empty optional maps and lists are absent, as Go's decoding leaves them (see go-decode.ts).
    if (goDecode && (!nullFree || !emptyFree)) normalizeAsGoDecodes(obj, typeNodeFor(k.kind))
    // Under Strict (the default) unknown fields are refused by check(); otherwise drop them now, before they are tracked.
    if (opts.fieldValidation && opts.fieldValidation !== 'Strict') checkUnknownFields(k, obj, opts.fieldValidation, opts.warnings)
    if (k.kind === 'Secret' || k.kind === 'ConfigMap') {
      // Secret data and ConfigMap binaryData are base64 on the wire; bad base64 fails decoding (400).
      const decodeError = base64DecodeError(obj)
      if (decodeError) throw decodeError
      if (k.kind === 'Secret') return { k, obj: mergeStringData(obj), nullFree: false }
    }
    return { k, obj, nullFree }
  }

  /** Validation; Invalid (422) with every cause, warnings for unknown fields under Warn. */
  private check(k: KindInfo, obj: KObject, old: KObject | undefined, o: { statusOnly?: boolean; schemaChecked?: boolean; nullFree?: boolean } = {}): void {
    const causes: StatusCause[] = checkObject(k, obj, old, o)
    if (causes.length) throw invalid(k.kind, obj.metadata.name ?? '', causes, k.group)
  }

  /** The update pipeline shared by PUT, patches, apply and scale. */
  private async replace(
    k: KindInfo,
    old: KObject,
    obj: KObject,
    opts: WriteOptions & { subresource?: 'status' | 'scale'; managedFieldsDone?: boolean },
  ): Promise<KObject> {
    const now = this.now()
    let next = obj
    if (opts.subresource === 'status') {
      if (!k.hasStatus) throw new ApiError('NotFound', 'the server could not find the requested resource')
      next = prepareForStatusUpdate(obj, old)
    } else {
      applyDefaults(next)
      prepareForUpdate(k, next, old)
    }
    if (!opts.managedFieldsDone) {
      next.metadata.managedFields = trackWrite({ k, old, obj: next, manager: opts.fieldManager, now, subresource: opts.subresource })
    }
    if (k === SERVICE_KIND && !opts.subresource) return this.writeService(next, old, opts.dryRun, () => this.finishReplace(k, old, next, opts))
    return this.finishReplace(k, old, next, opts)
  }

  /** The end of the update pipeline: validation, then the write (a removal, nothing, or a put). */
  private async finishReplace(k: KindInfo, old: KObject, next: KObject, opts: WriteOptions & { subresource?: 'status' | 'scale' }): Promise<KObject> {
    this.check(k, next, old, { statusOnly: opts.subresource === 'status' })
    // A deleted object whose last finalizer this write removes is removed (a pod waiting out its
    // grace period has no finalizers to remove: its status writes keep it until the kubelet deletes it).
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers ?? []).length && (old.metadata.finalizers ?? []).length) {
      if (opts.dryRun) return next
      const key = objectStorageKey(k, next.metadata.namespace, next.metadata.name!)
      const res = await this.storage.txn({
        compare: [{ key, modRevision: Number(old.metadata.resourceVersion) }],
        success: [{ type: 'delete', key }],
      })
      if (!res.succeeded) throw conflict(k, next.metadata.name!, 'the object has been modified; please apply your changes to the latest version and try again')
      next.metadata.resourceVersion = String(res.revision)
      return next
    }
    // A write that changes nothing is not written (kube-apiserver keeps the resourceVersion).
    const { resourceVersion: _a, managedFields: mfNext, ...restNext } = next.metadata
    const { resourceVersion: _b, managedFields: mfOld, ...restOld } = old.metadata
    if (sameSections(next, old) && jsonEqual({ ...next, metadata: restNext }, { ...old, metadata: restOld }) && sameOwnership(mfNext, mfOld)) return old
    return this.commit(k, next, Number(old.metadata.resourceVersion), opts.dryRun, () =>
      conflict(k, next.metadata.name!, 'the object has been modified; please apply your changes to the latest version and try again'),
    )
  }

  /**
   * A Service write (create, or update of the spec): what the client left out of an update is kept
   * or dropped as kube-apiserver's Service storage does, addresses and ports are allocated (a taken or
   * out-of-range chosen one is Invalid), then `rest` validates and writes; the result is recorded.
   * One Service write at a time, from allocation to commit; a dry run allocates and keeps nothing.
   */
  private writeService(obj: KObject, old: KObject | undefined, dryRun: boolean | undefined, rest: () => Promise<KObject>): Promise<KObject> {
    return this.serviceAddresses.exclusive(async () => {
      if (old) prepareServiceUpdate(obj, old)
      const allocates = !old || !holdsSameAddresses(obj, old)
      // What the client asked for: another attempt allocates from it again, not from the last attempt's picks.
      const asked = allocates ? structuredClone(obj.spec) : undefined
      for (let attempt = 1; ; attempt++) {
        let fence: number | undefined
        if (allocates) {
          if (attempt > 1) obj.spec = structuredClone(asked)
          const a = await this.serviceAddresses.forWrite(this.storage, await this.serviceSource(), kindPrefix(SERVICE_KIND))
          const causes = allocateInPlace(obj, a.used)
          if (causes.length) throw invalid(SERVICE_KIND.kind, obj.metadata.name ?? '', causes, SERVICE_KIND.group)
          fence = dryRun ? undefined : a.fence
        }
        this.serviceFence =
          fence === undefined ? undefined : { obj, objectKey: objectStorageKey(SERVICE_KIND, this.scopeNamespace(SERVICE_KIND, obj.metadata.namespace), obj.metadata.name ?? ''), modRevision: fence }
        let out: KObject
        try {
          out = await rest()
        } catch (err) {
          if (!(err instanceof AllocationRaced)) throw err
          if (attempt < MAX_ALLOCATION_ATTEMPTS) continue
          throw allocationConflict()
        } finally {
          this.serviceFence = undefined
        }
        if (!dryRun && out !== old) {
          // A deleted object whose last finalizer this write removed is gone.
          this.serviceAddresses.written(out, !!out.metadata.deletionTimestamp && !(out.metadata.finalizers ?? []).length)
        }
        return out
      }
    })
  }

  /** Where Service addresses are read: the Services' watch cache, or a staged store's Services (read once). */
  private async serviceSource(): Promise<ServiceSource> {
    if (this.storage.kind !== 'staged') return { cache: await this.cache(SERVICE_KIND) }
    return { list: async () => (await this.storage.range(kindPrefix(SERVICE_KIND))).items.map((kv) => decodeObject(kv)) }
  }

  /** Writes `obj` if its key is still at `expectRevision` (0: absent). */
  private async commit(k: KindInfo, obj: KObject, expectRevision: number, dryRun: boolean | undefined, onConflict: () => ApiError, guard?: NamespaceGuard): Promise<KObject> {
    if (dryRun) return obj
    const key = objectStorageKey(k, obj.metadata.namespace, obj.metadata.name!)
    for (let attempt = 0; ; attempt++) {
      let res
      try {
        const compare = [{ key, modRevision: expectRevision }]
        if (guard) compare.push({ key: guard.key, modRevision: guard.modRevision })
        const success: TxnOp[] = [{ type: 'put', key, value: encodeForWrite(key, obj) }]
        // A Service write that allocated: its transaction also compares and rewrites the range key.
        // Only the write that allocated (this very object): another commit of the key meanwhile (a status write) is not fenced.
        const fence = this.serviceFence?.obj === obj && this.serviceFence.objectKey === key ? this.serviceFence : undefined
        if (fence) {
          compare.push({ key: SERVICE_RANGE_KEY, modRevision: fence.modRevision })
          success.push({ type: 'put', key: SERVICE_RANGE_KEY, value: SERVICE_RANGE_VALUE })
        }
        res = await this.storage.txn({ compare, success })
      } catch (err) {
        if (isStorageError(err, 'TooLarge')) {
          throw new ApiError('RequestEntityTooLarge', `${qualifiedResource(k)} "${obj.metadata.name}" is too large to store: ${(err as Error).message}`)
        }
        throw err
      } finally {
        forgetWrite(key)
      }
      if (!res.succeeded) {
        if (res.failed?.length === 1 && res.failed[0].key === SERVICE_RANGE_KEY) throw new AllocationRaced()
        const fresh = guard && attempt < 3 ? await this.guardFailed(guard) : undefined
        if (fresh) {
          guard = fresh
          continue
        }
        throw onConflict()
      }
      obj.metadata.resourceVersion = String(res.results?.[0]?.modRevision ?? res.revision)
      return obj
    }
  }

  /**
   * Deleting a namespace deletes everything in it, then the namespace (the namespace controller's
   * work, done here in one transaction so no content outlives its namespace).
   */
  private async deleteNamespace(ns: KObject, opts: DeleteOptions): Promise<KObject> {
    const name = ns.metadata.name!
    if (SYSTEM_NAMESPACES.includes(name)) {
      throw new ApiError('Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`)
    }
    if (opts.dryRun) return ns
    const ops: TxnOp[] = []
    for (const k of KINDS) {
      if (!k.namespaced) continue
      const { items } = await this.storage.range(kindPrefix(k, name))
      for (const kv of items) ops.push({ type: 'delete', key: kv.key })
    }
    const key = objectStorageKey(kindByName('Namespace')!, undefined, name)
    ops.push({ type: 'delete', key })
    const res = await this.storage.txn({ compare: [{ key, modRevision: Number(ns.metadata.resourceVersion) }], success: ops })
    if (!res.succeeded) throw conflict(kindByName('Namespace')!, name, 'the object has been modified; please apply your changes to the latest version and try again')
    return { ...ns, metadata: { ...ns.metadata, resourceVersion: String(res.revision) }, status: { phase: 'Terminating' } }
  }
}

/**
 * A pod that is bound to a node and still running is deleted gracefully (pods' CheckGracefulDelete):
 * the requested grace period, else the pod's terminationGracePeriodSeconds, else 30 s. Other objects,
 * unbound pods and finished pods go at once (0).
 */
function podGracePeriod(obj: KObject, requested: number | undefined): number {
  if (obj.kind !== 'Pod') return 0
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number }
  const phase = (obj.status as { phase?: string } | undefined)?.phase
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0
  const grace = requested ?? spec.terminationGracePeriodSeconds ?? 30
  return Math.max(0, grace)
}

/**
 * What a status write reads of its input: type meta, metadata and status (the status strategy takes
 * spec and everything else from the stored object). Copying only those saves copying the spec on
 * every status write. The whole input when anything else could matter: a legacy apiVersion to
 * convert, unknown fields to warn about or drop, a kind without a status subresource (refused later,
 * after admission's own checks).
 */
function statusWriteInput(input: KObject, opts: WriteOptions): KObject {
  if (!isPlainObject(input) || (opts.fieldValidation && opts.fieldValidation !== 'Strict')) return input
  const k = typeof input.kind === 'string' ? kindByName(input.kind) : undefined
  if (!k || !k.hasStatus || k.kind === 'Secret' || k.kind === 'ConfigMap' || input.apiVersion !== apiVersionOf(k)) return input
  const out: KObject = { apiVersion: input.apiVersion, kind: input.kind, metadata: input.metadata }
  if (input.status !== undefined) out.status = input.status
  return out
}

/**
 * Whether every top-level member of `next` but metadata equals `old`'s: a necessary condition of a
 * no-op write, checked first because a write nearly always changes one of them (its spec or its
 * status), which this finds without comparing the metadata.
 */
function sameSections(next: KObject, old: KObject): boolean {
  for (const key in next) {
    if (key === 'metadata') continue
    const v = next[key]
    if (v !== undefined && !jsonEqual(v, old[key])) return false
  }
  return true
}

/** A copy of what Services hold (to add a batch's own allocations to). */
function copyAllocations(used: ServiceAllocations): ServiceAllocations {
  return { clusterIPs: new Map(used.clusterIPs), nodePorts: new Map(used.nodePorts), loadBalancerIPs: new Map(used.loadBalancerIPs) }
}

/** Adds what `svc` holds to `used`. */
function addAllocations(used: ServiceAllocations, svc: KObject): void {
  const own = collectAllocations([svc])
  for (const [ip, key] of own.clusterIPs) used.clusterIPs.set(ip, key)
  for (const [port, key] of own.nodePorts) used.nodePorts.set(port, key)
}

/** Managed fields compared without timestamps: a no-op write does not refresh them. */
function sameOwnership(a: unknown, b: unknown): boolean {
  const strip = (m: unknown): unknown =>
    Array.isArray(m) ? m.map((e) => (isPlainObject(e) ? { ...e, time: undefined } : e)) : m
  return jsonEqual(strip(a), strip(b))
}

/** A metav1.LabelSelector as the string form Scale.status.selector carries. */
function selectorString(sel: unknown): string | undefined {
  if (!isPlainObject(sel)) return undefined
  const parts: string[] = []
  const labels = isPlainObject(sel.matchLabels) ? sel.matchLabels : {}
  for (const key of Object.keys(labels).sort()) parts.push(`${key}=${labels[key]}`)
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []
  for (const e of exprs) {
    if (!isPlainObject(e)) continue
    const values = Array.isArray(e.values) ? [...(e.values as string[])].sort().join(',') : ''
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`)
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`)
    else if (e.operator === 'Exists') parts.push(String(e.key))
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`)
  }
  return parts.join(',')
}

export { formatTime }
