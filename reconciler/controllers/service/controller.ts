/**
 * The Service controller: what a cloud provider's service controller reports for LoadBalancer
 * Services (an address in status.loadBalancer), and the report of kube-apiserver's allocation repair
 * loops (a cluster IP or node port held by two Services: a Warning event; two processes may create
 * at once, and the API server allocates from its own process's view). The API server allocates the
 * addresses inside the create and update (api/service-admit.ts), as kube-apiserver does: this
 * controller no longer writes them. It also keeps the `default/kubernetes` Service, as
 * kube-apiserver does. Values are released when a Service goes: the Services themselves are the
 * record of what is in use.
 */
import { isAlreadyExists, isNotFound } from '../../api/errors.js'
import { jsonEqual, type KObject } from '../../api/object.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { writableCopy } from '../runtime/writable-copy.js'
import { allocateService, collectAllocations, ownerKey, type ServiceAllocations } from '../../api/service-allocate.js'
import { inRange, parseCidr, SERVICE_CIDR } from '../../api/service-ip-range.js'
import { AllocationIndex } from '../../api/service-allocation-index.js'
import { decodeServiceCheckpoint, isPendingLoadBalancer, isReport, RecordedServices, SERVICE_CHECKPOINT_FORMAT, type ServiceCheckpoint } from './checkpoint.js'
import { kubernetesService } from './kubernetes-service.js'
import { loadBalancerAddress, type LoadBalancerIngress } from './load-balancer.js'

/** The field manager of the `default/kubernetes` Service's create (kube-apiserver's own). */
export const ALLOCATOR_FIELD_MANAGER = 'kube-apiserver'
/** The field manager of load-balancer status writes (the cloud controller manager's service controller). */
export const SERVICE_CONTROLLER_FIELD_MANAGER = 'service-controller'

const SERVICE_RANGE = parseCidr(SERVICE_CIDR)!

/** Warning reasons of the allocation repair loops (ipallocator and portallocator repair controllers). */
const CAUSE_REASONS: Array<[RegExp, string]> = [
  [/^spec\.clusterIPs.*not in the valid range/, 'ClusterIPOutOfRange'],
  [/^spec\.clusterIPs/, 'ClusterIPAlreadyAllocated'],
  [/nodePort|healthCheckNodePort/, 'PortAlreadyAllocated'],
]

/** Creates the Service controller (events as `service-controller`). */
export function createServiceController(ctx: ControllerContext): Controller {
  // namespace/name → the allocation problems last reported (each is warned about once). A
  // restored report is checked when read.
  let reported = new Map<string, string>()
  let damagedReport = false
  const reportOf = (key: string): string | undefined => {
    const v: unknown = reported.get(key)
    if (isReport(v) || (v === undefined && !reported.has(key))) return v
    damagedReport = true
    reported.delete(key)
    return undefined
  }
  // What every Service holds, from the watch (recorded too, for the checkpoint).
  const allocations = new AllocationIndex()
  const recorded = new RecordedServices(allocations)
  return {
    name: 'service',
    resource: 'services',
    // Unchanged Services were reconciled; a LoadBalancer without its address is enqueued at start-up.
    incremental: true,
    prime: isPendingLoadBalancer,
    // What the Service watch recorded, and the problems reported (which a running controller keeps:
    // prime cannot rebuild them, and without them a start would warn again about an unchanged clash).
    checkpoint: {
      save: (): ServiceCheckpoint => ({ format: SERVICE_CHECKPOINT_FORMAT, ...recorded.save(), reported: [...reported] }),
      format: SERVICE_CHECKPOINT_FORMAT,
      startRequests: () => recorded.pendingLoadBalancers(),
      damaged: () => recorded.damaged || damagedReport,
      restore(data: unknown): Request[] | undefined {
        const saved = decodeServiceCheckpoint(data)
        if (!saved) return undefined
        try {
          reported = new Map(saved.reported)
        } catch {
          return undefined // not a list of pairs: nothing changed
        }
        damagedReport = false
        return recorded.restore(saved)
      },
    },
    watches: [
      {
        resource: 'services',
        // A status-only change shares its spec with `old` (decodeObject lends unchanged parts), so a
        // deletion is told by the event type; a caller without one (a test harness) delivers a
        // deletion as the last state again, spec and all.
        map: (svc, old, type) => {
          if (type === 'DELETED' || (type === undefined && old !== undefined && svc.spec === old.spec)) recorded.delete(svc)
          else recorded.set(svc)
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

      // Repair report: a value another Service holds too (the API allocated it; nothing is written here).
      const r = holdsOnlyOwn(svc, recorded.index().used) ? { causes: [] } : allocateService(svc, recorded.index().used)
      const causesText = r.causes.map((c) => `${c.field}: ${c.message}`).join('\n')
      const seen = reportOf(`${req.namespace}/${req.name}`) === causesText
      if (causesText) reported.set(`${req.namespace}/${req.name}`, causesText)
      else reported.delete(`${req.namespace}/${req.name}`)
      for (const c of seen ? [] : r.causes) {
        const reason = CAUSE_REASONS.find(([re]) => re.test(`${c.field ?? ''}: ${c.message}`))?.[1] ?? 'AllocationFailed'
        await ctx.events.event(svc, 'Warning', reason, `${c.field}: ${c.message}`)
      }

      // Load balancer: an address while the type is LoadBalancer, none otherwise.
      const spec = (svc.spec ?? {}) as { type?: string }
      const current = ((svc.status as { loadBalancer?: { ingress?: LoadBalancerIngress[] } } | undefined)?.loadBalancer?.ingress ?? [])
      let want: LoadBalancerIngress[] = []
      if (spec.type === 'LoadBalancer') {
        const ip = loadBalancerAddress(svc, recorded.index().used)
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

/**
 * Whether every address and port `svc` holds is recorded as its own and its cluster IP is in the
 * service CIDR: nothing for the repair report (the common case, decided without allocateService's copy).
 */
function holdsOnlyOwn(svc: KObject, used: ServiceAllocations): boolean {
  const self = ownerKey(svc)
  const own = collectAllocations([svc])
  for (const ip of own.clusterIPs.keys()) if (used.clusterIPs.get(ip) !== self || !inRange(SERVICE_RANGE, ip)) return false
  for (const p of own.nodePorts.keys()) if (used.nodePorts.get(p) !== self) return false
  return true
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
