/**
 * The Service controller: what kube-apiserver's Service registry allocates on create (cluster IP,
 * node ports, IP families), written right after the Service appears, and what a cloud provider's
 * service controller reports for LoadBalancer Services (an address in status.loadBalancer). It also
 * keeps the `default/kubernetes` Service, as kube-apiserver does. Values are released when a Service
 * goes: the Services themselves are the record of what is in use.
 */
import { isAlreadyExists, isNotFound } from '../../api/errors.js'
import { jsonEqual, type KObject } from '../../api/object.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { writableCopy } from '../runtime/writable-copy.js'
import { allocateService } from './allocate.js'
import { AllocationIndex } from './allocation-index.js'
import { kubernetesService } from './kubernetes-service.js'
import { loadBalancerAddress, type LoadBalancerIngress } from './load-balancer.js'

/** The field manager of allocation writes (kube-apiserver allocates on create). */
export const ALLOCATOR_FIELD_MANAGER = 'kube-apiserver'
/** The field manager of load-balancer status writes (the cloud controller manager's service controller). */
export const SERVICE_CONTROLLER_FIELD_MANAGER = 'service-controller'

/** Warning reasons of the allocation repair loops (ipallocator and portallocator repair controllers). */
const CAUSE_REASONS: Array<[RegExp, string]> = [
  [/^spec\.clusterIPs.*not in the valid range/, 'ClusterIPOutOfRange'],
  [/^spec\.clusterIPs/, 'ClusterIPAlreadyAllocated'],
  [/nodePort|healthCheckNodePort/, 'PortAlreadyAllocated'],
]

/** Creates the Service controller (events as `service-controller`). */
export function createServiceController(ctx: ControllerContext): Controller {
  // namespace/name → the allocation problems last reported (each is warned about once).
  const reported = new Map<string, string>()
  // What every Service holds, from the watch (a DELETED event shares its spec with `old`: the same state).
  const allocations = new AllocationIndex()
  /** The allocation writes being made now: `namespace/name` → the spec sent (see `accepts`). */
  const writing = new Map<string, unknown>()
  return {
    name: 'service',
    resource: 'services',
    // Unchanged Services were allocated; one whose start-up reconcile would warn again is enqueued.
    incremental: true,
    prime: (svc) => {
      const spec = (svc.spec ?? {}) as { clusterIP?: string; type?: string }
      const lb = (svc.status as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress ?? []
      return !spec.clusterIP || (spec.type === 'LoadBalancer' && !lb.length)
    },
    // Not the change its own allocation write just made (the watch delivers it inside the write;
    // the same pass goes on to the load balancer): kube-apiserver allocates inside the create, so
    // upstream has neither that write nor a sync of it.
    accepts: (type, svc, old) => {
      if (type !== 'MODIFIED' || !old) return true
      const sent = writing.get(`${svc.metadata.namespace ?? ''}/${svc.metadata.name}`)
      return sent === undefined || !isOwnAllocation(svc, old, sent)
    },
    watches: [
      {
        resource: 'services',
        map: (svc, old) => {
          if (old && svc.spec === old.spec) allocations.delete(svc)
          else allocations.set(svc)
          return []
        },
      },
      {
        resource: 'namespaces',
        map: (ns) => (ns.metadata.name === 'default' && !ns.metadata.deletionTimestamp ? [{ resource: 'services', namespace: 'default', name: 'kubernetes' }] : []),
      },
    ],
    async reconcile(req: Request): Promise<Result> {
      let svc: KObject
      try {
        svc = await ctx.api.get('services', req.namespace, req.name)
      } catch (err) {
        if (!isNotFound(err)) throw err
        reported.delete(`${req.namespace}/${req.name}`)
        if (req.namespace === 'default' && req.name === 'kubernetes') await ensureKubernetesService(ctx)
        return {}
      }
      if (svc.metadata.deletionTimestamp) return {}

      // Allocate: cluster IP, node ports, IP families.
      const r = allocateService(svc, allocations.used)
      const causesText = r.causes.map((c) => `${c.field}: ${c.message}`).join('\n')
      const seen = reported.get(`${req.namespace}/${req.name}`) === causesText
      if (causesText) reported.set(`${req.namespace}/${req.name}`, causesText)
      else reported.delete(`${req.namespace}/${req.name}`)
      for (const c of seen ? [] : r.causes) {
        const reason = CAUSE_REASONS.find(([re]) => re.test(`${c.field ?? ''}: ${c.message}`))?.[1] ?? 'AllocationFailed'
        await ctx.events.event(svc, 'Warning', reason, `${c.field}: ${c.message}`)
      }
      if (r.changed) {
        const next = writableCopy(svc)
        next.spec = r.spec
        writing.set(`${req.namespace}/${req.name}`, r.spec)
        try {
          svc = await ctx.api.update(next, { fieldManager: ALLOCATOR_FIELD_MANAGER })
        } finally {
          writing.delete(`${req.namespace}/${req.name}`)
        }
      }

      // Load balancer: an address while the type is LoadBalancer, none otherwise.
      const spec = (svc.spec ?? {}) as { type?: string }
      const current = ((svc.status as { loadBalancer?: { ingress?: LoadBalancerIngress[] } } | undefined)?.loadBalancer?.ingress ?? [])
      let want: LoadBalancerIngress[] = []
      if (spec.type === 'LoadBalancer') {
        const ip = loadBalancerAddress(svc, allocations.used)
        if (ip) want = [{ ip, ipMode: 'VIP' }]
        else if (!current.length) {
          await ctx.events.event(svc, 'Warning', 'SyncLoadBalancerFailed', 'Error syncing load balancer: failed to ensure load balancer: no free address')
          return {}
        }
      }
      if (jsonEqual(want, current)) return {}
      const creating = want.length > 0
      await ctx.events.event(svc, 'Normal', creating ? 'EnsuringLoadBalancer' : 'DeletingLoadBalancer', creating ? 'Ensuring load balancer' : 'Deleting load balancer')
      const next = writableCopy(svc)
      next.status = { ...((next.status ?? {}) as object), loadBalancer: want.length ? { ingress: want } : {} }
      await ctx.api.updateStatus(next, { fieldManager: SERVICE_CONTROLLER_FIELD_MANAGER })
      await ctx.events.event(svc, 'Normal', creating ? 'EnsuredLoadBalancer' : 'DeletedLoadBalancer', creating ? 'Ensured load balancer' : 'Deleted load balancer')
      return {}
    },
  }
}

/** Whether `svc` (previously `old`) is what an update of `old` with the allocated `spec` stores: nothing else changed. */
function isOwnAllocation(svc: KObject, old: KObject, spec: unknown): boolean {
  const m = svc.metadata
  const o = old.metadata
  return (
    m.uid === o.uid &&
    m.deletionTimestamp === o.deletionTimestamp &&
    jsonEqual(m.labels, o.labels) &&
    jsonEqual(m.annotations, o.annotations) &&
    jsonEqual(m.finalizers, o.finalizers) &&
    jsonEqual(svc.status, old.status) &&
    jsonEqual(svc.spec, spec)
  )
}

/** Creates `default/kubernetes` when the default namespace exists and the Service does not. */
async function ensureKubernetesService(ctx: ControllerContext): Promise<void> {
  try {
    const ns = await ctx.api.get('namespaces', undefined, 'default')
    if (ns.metadata.deletionTimestamp) return
    await ctx.api.create(kubernetesService(), { fieldManager: ALLOCATOR_FIELD_MANAGER })
  } catch (err) {
    if (!isNotFound(err) && !isAlreadyExists(err)) throw err
  }
}
