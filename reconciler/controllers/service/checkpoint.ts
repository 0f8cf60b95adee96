/**
 * The Service controller's checkpoint (see Checkpoint in runtime/types.ts): what its Service watch
 * records of every Service (the addresses and ports it holds, at its revision, for the repair
 * report and load-balancer addresses), which Services are LoadBalancers without an address (what
 * a start enqueues, saved apart so that a restore need not read every Service), and the
 * allocation problems last reported (so a restart does not warn again). A restore checks the
 * outline; the Services are checked as they are given to the allocation index, when the
 * controller first needs it (see RecordedServices), and a report when first read.
 *
 * Example: { format: 2, services: [['shop', 'web', 812, ['10.96.0.10'], [30080], [], false]], pendingLoadBalancers: [], reported: [] }.
 */
import { isPlainObject, type KObject } from '../../api/object.js'
import { collectAllocations, ownerKey } from '../../api/service-allocate.js'
import type { AllocationIndex } from '../../api/service-allocation-index.js'
import { isObjectKeys, requestOfKey } from '../replicaset/checkpoint.js'
import type { Request } from '../runtime/types.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const SERVICE_CHECKPOINT_FORMAT = 2

/** One Service: namespace, name, revision, cluster IPs, node ports, load-balancer IPs, LoadBalancer without an address. */
export type SavedService = [string, string, number, string[], number[], string[], boolean]

/** The saved data. */
export interface ServiceCheckpoint {
  format: number
  /** Per recorded Service, in the order recorded. */
  services: SavedService[]
  /** `namespace/name` of the recorded LoadBalancer Services without an address. */
  pendingLoadBalancers: string[]
  /** Per Service with problems reported: `namespace/name` and the report's text. */
  reported: Array<[string, string]>
}

/** Whether a start reconciles the Service: a LoadBalancer without an address in its status. */
export function isPendingLoadBalancer(svc: KObject): boolean {
  const spec = (svc.spec ?? {}) as { type?: string }
  const lb = (svc.status as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress ?? []
  return spec.type === 'LoadBalancer' && !lb.length
}

/** The object's resourceVersion as a number (0 when it has none), as the AllocationIndex reads it. */
function revisionOf(svc: KObject): number {
  const rv = Number(svc.metadata.resourceVersion)
  return Number.isFinite(rv) ? rv : 0
}

/**
 * The Services the watch gave the AllocationIndex, each as saved from the state it recorded (the
 * same revision rules: an older state of a Service, or one no newer than its deletion, is
 * ignored), so that what the index holds can be saved and given back to it.
 */
export class RecordedServices {
  /** Per recorded Service, by `namespace/name`: what the index holds of it, as saved. */
  private readonly services = new Map<string, SavedService>()
  private readonly deletedAt = new Map<string, number>()
  /** The recorded LoadBalancer Services without an address (what a start enqueues). */
  private pendingLBs = new Set<string>()
  /**
   * Restored Services not yet given to the index: that waits for the first change or read (a
   * start that touches no Service never pays for it), and each is checked then. The index answers
   * for every Service at once (a reconcile's repair report reads every held value), so they are
   * given to it together.
   */
  private pending: SavedService[] | undefined
  /** Whether a restored Service turned out malformed (it was left out). */
  damaged = false

  constructor(private readonly allocations: AllocationIndex) {}

  /** The index, with every restored Service in it. */
  index(): AllocationIndex {
    this.ensure()
    return this.allocations
  }

  private ensure(): void {
    const rows = this.pending
    if (!rows) return
    this.pending = undefined
    const saved = this.pendingLBs
    this.pendingLBs = new Set()
    this.replay(rows)
    // The saved list of pending LoadBalancers is the one these Services make.
    if (saved.size !== this.pendingLBs.size || [...saved].some((k) => !this.pendingLBs.has(k))) this.damaged = true
  }

  /** Records saved Services (as stand-ins holding what they held), leaving out and noting malformed ones. */
  private replay(rows: readonly unknown[]): void {
    for (const row of rows) {
      if (isSavedService(row)) this.record(standIn(row), row)
      else this.damaged = true
    }
  }

  /** Records a Service's current state, in the index and here. */
  set(svc: KObject): void {
    this.ensure()
    this.record(svc)
  }

  /** Records a Service's state (`row`: as saved, when known). */
  private record(svc: KObject, row?: SavedService): void {
    this.allocations.set(svc)
    const key = ownerKey(svc)
    const rv = revisionOf(svc)
    const had = this.services.get(key)
    if (had && had[2] > rv) return
    const gone = this.deletedAt.get(key)
    if (gone !== undefined) {
      if (rv <= gone) return
      this.deletedAt.delete(key)
    }
    row ??= savedService(svc)
    this.services.set(key, row)
    if (row[6]) this.pendingLBs.add(key)
    else this.pendingLBs.delete(key)
  }

  /** Forgets a deleted Service, in the index and here. */
  delete(svc: KObject): void {
    this.ensure()
    this.allocations.delete(svc)
    const key = ownerKey(svc)
    const had = this.services.get(key)
    const rv = revisionOf(svc)
    if (had && rv && had[2] > rv) return
    if (rv) this.deletedAt.set(key, Math.max(rv, this.deletedAt.get(key) ?? 0))
    this.services.delete(key)
    this.pendingLBs.delete(key)
  }

  /** The LoadBalancer Services recorded without an address (what a restore of the saved Services asks for). */
  pendingLoadBalancers(): Request[] {
    return [...this.pendingLBs].map((k) => requestOfKey('services', k))
  }

  /** Every recorded Service as saved (as restored while none is read), and the pending LoadBalancers. */
  save(): Pick<ServiceCheckpoint, 'services' | 'pendingLoadBalancers'> {
    return { services: this.pending ?? [...this.services.values()], pendingLoadBalancers: [...this.pendingLBs] }
  }

  /** Records saved Services (their outline checked); returns the pending LoadBalancers' requests. */
  restore(saved: Pick<ServiceCheckpoint, 'services' | 'pendingLoadBalancers'>): Request[] {
    this.ensure()
    if (this.services.size) this.replay(saved.services)
    else {
      this.pending = saved.services
      this.pendingLBs = new Set(saved.pendingLoadBalancers)
    }
    return saved.pendingLoadBalancers.map((k) => requestOfKey('services', k))
  }
}

/** What the index holds of a Service, as saved. */
function savedService(svc: KObject): SavedService {
  const held = collectAllocations([svc])
  return [svc.metadata.namespace ?? '', svc.metadata.name ?? '', revisionOf(svc), [...held.clusterIPs.keys()], [...held.nodePorts.keys()], [...held.loadBalancerIPs.keys()], isPendingLoadBalancer(svc)]
}

/**
 * A Service reduced to what the controller remembers of it: collectAllocations finds in it the
 * values it held, in the same order, and isPendingLoadBalancer says of it what it said of the Service.
 */
function standIn([namespace, name, revision, clusterIPs, nodePorts, loadBalancerIPs, pending]: SavedService): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name, resourceVersion: String(revision) },
    spec: { ...(pending ? { type: 'LoadBalancer' } : {}), clusterIPs, ports: nodePorts.map((nodePort) => ({ nodePort })) },
    status: { loadBalancer: { ingress: loadBalancerIPs.map((ip) => ({ ip })) } },
  }
}

/**
 * The data in `data` when its outline is a checkpoint of this format, else undefined (never
 * throws). The outline, and the pending LoadBalancers (a restore asks for them at once): the
 * Services and reports are checked when first read.
 */
export function decodeServiceCheckpoint(data: unknown): ServiceCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== SERVICE_CHECKPOINT_FORMAT) return undefined
  const { services, pendingLoadBalancers, reported } = data
  if (!Array.isArray(services) || !Array.isArray(reported) || !isObjectKeys(pendingLoadBalancers)) return undefined
  return { format: SERVICE_CHECKPOINT_FORMAT, services: services as SavedService[], pendingLoadBalancers, reported: reported as ServiceCheckpoint['reported'] }
}

/** Whether `v` is a saved Service. */
function isSavedService(v: unknown): v is SavedService {
  if (!Array.isArray(v) || v.length !== 7) return false
  const [ns, name, revision, clusterIPs, nodePorts, lbIPs, pending] = v as unknown[]
  if (typeof ns !== 'string' || !ns || typeof name !== 'string' || !name || !Number.isSafeInteger(revision) || (revision as number) < 0) return false
  return isAddresses(clusterIPs) && isPorts(nodePorts) && isAddresses(lbIPs) && typeof pending === 'boolean' && !(pending && lbIPs.length)
}

/** Whether `v` is a report as saved: a non-empty text. */
export function isReport(v: unknown): v is string {
  return typeof v === 'string' && v !== ''
}

/** Whether `v` is a list of distinct addresses (never `None`, which holds nothing). */
function isAddresses(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '' && s !== 'None') && new Set(v).size === v.length
}

/** Whether `v` is a list of distinct port numbers. */
function isPorts(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((p) => Number.isSafeInteger(p) && p > 0) && new Set(v).size === v.length
}
