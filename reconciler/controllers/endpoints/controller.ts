/**
 * The endpoints controller: for every Service with a selector, an Endpoints object of the same name
 * listing the pods that serve it (see subsets.ts), kept current as pods come, go, get addresses and
 * change readiness. Services without a selector are left alone (their Endpoints are the user's);
 * when a Service goes, its Endpoints go too.
 */
import { isAlreadyExists, isNotFound } from '../../api/errors.js'
import { clone, jsonEqual, type KObject } from '../../api/object.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { endpointSubsets, selectorMatches } from './subsets.js'

/** The field manager of Endpoints writes. */
export const ENDPOINTS_FIELD_MANAGER = 'kube-controller-manager'
/** The label the controller puts on the Endpoints of headless Services. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless'

/** Creates the endpoints controller (events as `endpoint-controller`). */
export function createEndpointsController(ctx: ControllerContext): Controller {
  // namespace/name → selector of the Services seen with one (to map pod changes to Services).
  const selectors = new Map<string, { namespace: string; name: string; selector: Record<string, string> }>()

  const servicesFor = (pod: KObject, old: KObject | undefined): Request[] => {
    const out: Request[] = []
    for (const s of selectors.values()) {
      if (s.namespace !== pod.metadata.namespace) continue
      if (selectorMatches(s.selector, pod.metadata.labels) || (old && selectorMatches(s.selector, old.metadata.labels))) {
        out.push({ resource: 'services', namespace: s.namespace, name: s.name })
      }
    }
    return out
  }

  /** Remembers a Service's selector (forgets a Service without one); false when it has none. */
  const rememberSelector = (svc: KObject): boolean => {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`
    const spec = (svc.spec ?? {}) as { selector?: Record<string, string>; type?: string }
    if (!spec.selector || !Object.keys(spec.selector).length || spec.type === 'ExternalName') {
      selectors.delete(key)
      return false
    }
    selectors.set(key, { namespace: svc.metadata.namespace ?? 'default', name: svc.metadata.name!, selector: spec.selector })
    return true
  }

  return {
    name: 'endpoints',
    resource: 'services',
    // Endpoints of unchanged Services are current (pod and Endpoints changes enqueue their Services).
    incremental: true,
    prime: (svc) => {
      rememberSelector(svc)
    },
    watches: [
      { resource: 'pods', map: servicesFor },
      // An Endpoints object changed by someone else is put back (for Services with a selector).
      { resource: 'endpoints', map: (ep) => [{ resource: 'services', namespace: ep.metadata.namespace, name: ep.metadata.name! }] },
    ],
    workers: 4,
    async reconcile(req: Request): Promise<Result> {
      const key = `${req.namespace}/${req.name}`
      let svc: KObject
      try {
        svc = await ctx.api.get('services', req.namespace, req.name)
      } catch (err) {
        if (!isNotFound(err)) throw err
        selectors.delete(key)
        await deleteEndpoints(ctx, req)
        return {}
      }
      const spec = (svc.spec ?? {}) as { selector?: Record<string, string>; type?: string; clusterIP?: string }
      if (!rememberSelector(svc) || svc.metadata.deletionTimestamp) return {}

      const { items: pods } = await ctx.api.list('pods', { namespace: req.namespace })
      const subsets = endpointSubsets(svc, pods)
      const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) }
      if (spec.clusterIP === 'None') labels[HEADLESS_LABEL] = ''

      let current: KObject | undefined
      try {
        current = await ctx.api.get('endpoints', req.namespace, req.name)
      } catch (err) {
        if (!isNotFound(err)) throw err
      }
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
      const next = clone(current)
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
 * alone the ones a user wrote, for a selector-less Service that may come later).
 */
async function deleteEndpoints(ctx: ControllerContext, req: Request): Promise<void> {
  try {
    const ep = await ctx.api.get('endpoints', req.namespace, req.name)
    if (!(ep.metadata.managedFields ?? []).some((f) => f.manager === ENDPOINTS_FIELD_MANAGER)) return
    await ctx.api.delete('endpoints', req.namespace, req.name)
  } catch (err) {
    if (!isNotFound(err)) throw err
  }
}
