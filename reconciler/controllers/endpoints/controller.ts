/**
 * The endpoints controller: for every Service with a selector, an Endpoints object of the same name
 * listing the pods that serve it (see subsets.ts), kept current as pods come, go, get addresses and
 * change readiness. Services without a selector are left alone (their Endpoints are the user's);
 * when a Service goes, its Endpoints go too.
 */
import { isAlreadyExists, isNotFound } from '../../api/errors.js'
import { jsonEqual, type KObject } from '../../api/object.js'
import { findObject } from '../runtime/find-object.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { writableCopy } from '../runtime/writable-copy.js'
import { decodeEndpointsCheckpoint, ENDPOINTS_CHECKPOINT_FORMAT, type EndpointsCheckpoint } from './checkpoint.js'
import { endpointSubsets, selectorMatches } from './subsets.js'

/** The field manager of Endpoints writes. */
export const ENDPOINTS_FIELD_MANAGER = 'kube-controller-manager'
/** The label the controller puts on the Endpoints of headless Services. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless'

/** Creates the endpoints controller (events as `endpoint-controller`). */
export function createEndpointsController(ctx: ControllerContext): Controller {
  // namespace/name → selector of the Services seen with one (to map pod changes to Services), in
  // the order first seen; and an index by namespace and one term of each selector, so a pod's
  // change looks only at the Services one of its labels could satisfy (not every Service).
  const selectors = new Map<string, { namespace: string; name: string; selector: Record<string, string>; seq: number; term: string }>()
  const byTerm = new Map<string, Set<string>>()
  let seq = 0
  /** Whether a reconcile has run: the watch events before the first are the start-up listing's. */
  let started = false
  const termKey = (ns: string, k: string, v: string): string => `${ns}\u0000${k}=${v}`

  const servicesFor = (pod: KObject, old: KObject | undefined): Request[] => {
    // No Service with a selector at all (a cluster of Deployments alone): no pod change concerns one.
    if (byTerm.size === 0) return []
    const ns = pod.metadata.namespace ?? ''
    const found = new Set<string>()
    for (const labels of old ? [pod.metadata.labels, old.metadata.labels] : [pod.metadata.labels]) {
      for (const [k, v] of Object.entries(labels ?? {})) for (const key of byTerm.get(termKey(ns, k, v)) ?? []) found.add(key)
    }
    const hits: Array<{ namespace: string; name: string; seq: number }> = []
    for (const key of found) {
      const s = selectors.get(key)!
      if (selectorMatches(s.selector, pod.metadata.labels) || (old && selectorMatches(s.selector, old.metadata.labels))) hits.push(s)
    }
    // In the order the Services were first seen, as a walk over every selector would give them.
    hits.sort((a, b) => a.seq - b.seq)
    return hits.map((s) => ({ resource: 'services', namespace: s.namespace, name: s.name }))
  }

  const forget = (key: string): void => {
    const s = selectors.get(key)
    if (!s) return
    selectors.delete(key)
    const set = byTerm.get(s.term)
    set?.delete(key)
    if (set && !set.size) byTerm.delete(s.term)
  }

  /** Remembers a Service's selector (forgets a Service without one); false when it has none. */
  const rememberSelector = (svc: KObject): boolean => {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`
    const spec = (svc.spec ?? {}) as { selector?: Record<string, string>; type?: string }
    if (!spec.selector || !Object.keys(spec.selector).length || spec.type === 'ExternalName') {
      forget(key)
      return false
    }
    remember(key, svc.metadata.namespace ?? '', svc.metadata.name!, spec.selector)
    return true
  }

  /** Remembers the (non-empty) selector of the Service `key` (`namespace/name`); first seen now unless known. */
  const remember = (key: string, ns: string, name: string, selector: Record<string, string>): void => {
    const namespace = ns || 'default'
    // A pod the selector matches has every one of its terms: indexing under the first is enough.
    const [k, v] = Object.entries(selector)[0]
    const term = termKey(ns, k, v)
    const prev = selectors.get(key)
    if (prev && prev.term !== term) {
      byTerm.get(prev.term)?.delete(key)
      if (!byTerm.get(prev.term)?.size) byTerm.delete(prev.term)
    }
    let set = byTerm.get(term)
    if (!set) byTerm.set(term, (set = new Set()))
    set.add(key)
    selectors.set(key, { namespace, name, selector, seq: prev?.seq ?? seq++, term })
  }

  return {
    name: 'endpoints',
    resource: 'services',
    // Endpoints of unchanged Services are current (pod changes and Endpoints deletions enqueue their Services).
    incremental: true,
    prime: (svc) => {
      rememberSelector(svc)
    },
    // The selectors, in the order first seen. `started` is not saved: a start checks the Endpoints
    // changed since (their Services), restored or primed alike.
    checkpoint: {
      save: (): EndpointsCheckpoint => ({ format: ENDPOINTS_CHECKPOINT_FORMAT, services: [...selectors.values()].map((s) => [s.namespace, s.name, s.selector]) }),
      format: ENDPOINTS_CHECKPOINT_FORMAT,
      startRequests: () => [],
      restore(data: unknown): Request[] | undefined {
        const saved = decodeEndpointsCheckpoint(data)
        if (!saved) return undefined
        for (const [ns, name, selector] of saved.services) remember(`${ns}/${name}`, ns, name, selector)
        return []
      },
    },
    watches: [
      { resource: 'pods', map: servicesFor },
      // At start-up, every Endpoints object's Service is checked once, so Endpoints left by a
      // Service deleted meanwhile go (upstream's checkLeftoverEndpoints); after that only a
      // deletion wakes it, and the Endpoints are made again (upstream's Endpoints informer has a
      // DeleteFunc alone: neither its own writes nor another writer's changes wake it).
      {
        resource: 'endpoints',
        map: (ep, _old, type) => (type === 'DELETED' || !started ? [{ resource: 'services', namespace: ep.metadata.namespace, name: ep.metadata.name! }] : []),
      },
    ],
    workers: 4,
    async reconcile(req: Request): Promise<Result> {
      started = true
      const key = `${req.namespace}/${req.name}`
      const svc = await findObject(ctx.api, 'services', req.namespace, req.name)
      if (!svc) {
        forget(key)
        await deleteEndpoints(ctx, req)
        return {}
      }
      const spec = (svc.spec ?? {}) as { selector?: Record<string, string>; type?: string; clusterIP?: string }
      if (!rememberSelector(svc) || svc.metadata.deletionTimestamp) return {}

      // Only the pods the selector matches (all equality terms: answered from the label index).
      const labelSelector = Object.entries(spec.selector!).map(([k, v]) => `${k}=${v}`).join(',')
      const { items: pods } = await ctx.api.list('pods', { namespace: req.namespace, labelSelector })
      const subsets = endpointSubsets(svc, pods)
      const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) }
      if (spec.clusterIP === 'None') labels[HEADLESS_LABEL] = ''

      const current = await findObject(ctx.api, 'endpoints', req.namespace, req.name)
      if (!current) {
        const ep: KObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: req.name, namespace: req.namespace, labels } }
        if (subsets.length) ep.subsets = subsets
        try {
          await ctx.api.create(ep, { fieldManager: ENDPOINTS_FIELD_MANAGER })
        } catch (err) {
          if (!isAlreadyExists(err)) throw err
          return { requeueAfterMs: 1 }
        }
        return {}
      }
      const haveSubsets = (current.subsets as unknown[] | undefined) ?? []
      if (jsonEqual(haveSubsets, subsets) && jsonEqual(current.metadata.labels ?? {}, labels)) return {}
      const next = writableCopy(current)
      next.metadata.labels = labels
      if (subsets.length) next.subsets = subsets
      else delete next.subsets
      await ctx.api.update(next, { fieldManager: ENDPOINTS_FIELD_MANAGER })
      return {}
    },
  }
}

/**
 * Deletes the Endpoints of a Service that is gone, when this controller wrote them (kube's controller
 * deletes any leftover Endpoints; capstan restarts its controllers on every command, so it leaves
 * alone the ones another writer manages fields of, for a selector-less Service that may come later).
 */
async function deleteEndpoints(ctx: ControllerContext, req: Request): Promise<void> {
  try {
    const ep = await ctx.api.get('endpoints', req.namespace, req.name)
    // Ours: this controller manages a field of it, or nobody does (the Endpoints of a Service without
    // ready pods has no field to own: an empty subsets list is absent, as Go stores it).
    const managers = ep.metadata.managedFields ?? []
    if (managers.length && !managers.some((f) => f.manager === ENDPOINTS_FIELD_MANAGER)) return
    await ctx.api.delete('endpoints', req.namespace, req.name)
  } catch (err) {
    if (!isNotFound(err)) throw err
  }
}
