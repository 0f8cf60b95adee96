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
import { ServiceIndex } from './service-index.js'
import { endpointSubsets } from './subsets.js'

/** The field manager of Endpoints writes. */
export const ENDPOINTS_FIELD_MANAGER = 'kube-controller-manager'
/** The label the controller puts on the Endpoints of headless Services. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless'

/** Creates the endpoints controller (events as `endpoint-controller`). */
export function createEndpointsController(ctx: ControllerContext): Controller {
  // The Services with a selector (to map pod changes to Services), indexed by a term of each.
  const services = new ServiceIndex()
  /** Whether a reconcile has run: the watch events before the first are the start-up listing's. */
  let started = false

  const servicesFor = (pod: KObject, old: KObject | undefined): Request[] => {
    // No Service with a selector at all (a cluster of Deployments alone): no pod change concerns one.
    if (services.empty) return []
    const ns = pod.metadata.namespace ?? ''
    const keys = services.matching(ns, old ? [pod.metadata.labels, old.metadata.labels] : [pod.metadata.labels])
    return keys.map((key) => ({ resource: 'services', namespace: ns || 'default', name: key.slice(key.indexOf('/') + 1) }))
  }

  /** Remembers a Service's selector (forgets a Service without one); false when it has none. */
  const rememberSelector = (svc: KObject): boolean => {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`
    const spec = (svc.spec ?? {}) as { selector?: Record<string, string>; type?: string }
    if (!spec.selector || !Object.keys(spec.selector).length || spec.type === 'ExternalName') {
      services.forget(key)
      return false
    }
    services.remember(key, svc.metadata.namespace ?? '', spec.selector)
    return true
  }

  return {
    name: 'endpoints',
    resource: 'services',
    // Endpoints of unchanged Services are current (pod changes and Endpoints deletions enqueue their Services).
    incremental: true,
    prime: (svc) => {
      rememberSelector(svc)
    },
    // The selectors, in the order first seen, and their index. `started` is not saved: a start
    // checks the Endpoints changed since (their Services), restored or primed alike.
    checkpoint: {
      save: (): EndpointsCheckpoint => ({ format: ENDPOINTS_CHECKPOINT_FORMAT, ...services.save() }),
      format: ENDPOINTS_CHECKPOINT_FORMAT,
      startRequests: () => [],
      damaged: () => services.damaged,
      restore(data: unknown): Request[] | undefined {
        const saved = decodeEndpointsCheckpoint(data)
        // The saved lists are the memory's own from here (restore's caller hands over the parsed data).
        return saved && services.restore(saved) ? [] : undefined
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
        services.forget(key)
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
