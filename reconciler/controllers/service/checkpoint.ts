/**
 * The Service controller's checkpoint (see Checkpoint in runtime/types.ts): what its Service watch
 * records of every Service (the addresses and ports it holds, at its revision, for the repair
 * report and load-balancer addresses), which Services are LoadBalancers without an address (what
 * a start enqueues), and the allocation problems last reported (so a restart does not warn again).
 *
 * Example: { format: 1, services: [['shop', 'web', 812, ['10.96.0.10'], [30080], [], false]], reported: [] }.
 */
import { isPlainObject, type KObject } from '../../api/object.js'
import { collectAllocations, ownerKey } from '../../api/service-allocate.js'
import type { AllocationIndex } from '../../api/service-allocation-index.js'
import type { Request } from '../runtime/types.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const SERVICE_CHECKPOINT_FORMAT = 1

/** One Service: namespace, name, revision, cluster IPs, node ports, load-balancer IPs, LoadBalancer without an address. */
export type SavedService = [string, string, number, string[], number[], string[], boolean]

/** The saved data. */
export interface ServiceCheckpoint {
  format: number
  services: SavedService[]
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
 * The Services the watch gave the AllocationIndex, each in the state it recorded (the same
 * revision rules: an older state of a Service, or one no newer than its deletion, is ignored), so
 * that what the index holds can be saved and given back to it.
 */
export class RecordedServices {
  private readonly services = new Map<string, KObject>()
  private readonly deletedAt = new Map<string, number>()
  /** Restored Services not yet given to the index: that waits for the first change or read (a start that touches no Service never pays for it). */
  private pending: SavedService[] | undefined

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
    for (const row of rows) this.set(standIn(row))
  }

  /** Records a Service's current state, in the index and here. */
  set(svc: KObject): void {
    this.ensure()
    this.allocations.set(svc)
    const key = ownerKey(svc)
    const rv = revisionOf(svc)
    const had = this.services.get(key)
    if (had && revisionOf(had) > rv) return
    const gone = this.deletedAt.get(key)
    if (gone !== undefined) {
      if (rv <= gone) return
      this.deletedAt.delete(key)
    }
    this.services.set(key, svc)
  }

  /** Forgets a deleted Service, in the index and here. */
  delete(svc: KObject): void {
    this.ensure()
    this.allocations.delete(svc)
    const key = ownerKey(svc)
    const had = this.services.get(key)
    const rv = revisionOf(svc)
    if (had && rv && revisionOf(had) > rv) return
    if (rv) this.deletedAt.set(key, Math.max(rv, this.deletedAt.get(key) ?? 0))
    this.services.delete(key)
  }

  /** The LoadBalancer Services recorded without an address (what a restore of the saved Services asks for). */
  pendingLoadBalancers(): Request[] {
    if (this.pending) return this.pending.filter((row) => row[6]).map((row) => ({ resource: 'services', namespace: row[0] || undefined, name: row[1] }))
    return [...this.services.values()].filter(isPendingLoadBalancer).map((svc) => ({ resource: 'services', namespace: svc.metadata.namespace || undefined, name: svc.metadata.name ?? '' }))
  }

  /** Every recorded Service as saved. */
  save(): SavedService[] {
    if (this.pending) return this.pending
    return [...this.services.values()].map((svc) => {
      const held = collectAllocations([svc])
      return [svc.metadata.namespace ?? '', svc.metadata.name ?? '', revisionOf(svc), [...held.clusterIPs.keys()], [...held.nodePorts.keys()], [...held.loadBalancerIPs.keys()], isPendingLoadBalancer(svc)]
    })
  }

  /** Records saved Services (as stand-ins holding what they held); returns the pending LoadBalancers' requests. */
  restore(saved: SavedService[]): Request[] {
    this.ensure()
    this.pending = this.services.size ? undefined : saved
    if (this.services.size) for (const row of saved) this.set(standIn(row))
    const wanted: Request[] = []
    for (const row of saved) if (row[6]) wanted.push({ resource: 'services', namespace: row[0] || undefined, name: row[1] })
    return wanted
  }
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

/** The checkpoint in `data`, or undefined when it is not one of this format (never throws). */
export function decodeServiceCheckpoint(data: unknown): ServiceCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== SERVICE_CHECKPOINT_FORMAT || !Array.isArray(data.services) || !Array.isArray(data.reported)) return undefined
  const services: SavedService[] = []
  for (const row of data.services) {
    if (!Array.isArray(row) || row.length !== 7) return undefined
    const [ns, name, revision, clusterIPs, nodePorts, lbIPs, pending] = row as unknown[]
    if (typeof ns !== 'string' || !ns || typeof name !== 'string' || !name || !Number.isSafeInteger(revision) || (revision as number) < 0) return undefined
    if (!isAddresses(clusterIPs) || !isPorts(nodePorts) || !isAddresses(lbIPs) || typeof pending !== 'boolean' || (pending && lbIPs.length)) return undefined
    services.push([ns, name, revision as number, clusterIPs, nodePorts, lbIPs, pending])
  }
  const reported: Array<[string, string]> = []
  for (const row of data.reported) {
    if (!Array.isArray(row) || row.length !== 2 || typeof row[0] !== 'string' || !row[0].includes('/') || typeof row[1] !== 'string' || !row[1]) return undefined
    reported.push([row[0], row[1]])
  }
  return { format: SERVICE_CHECKPOINT_FORMAT, services, reported }
}

/** Whether `v` is a list of distinct addresses (never `None`, which holds nothing). */
function isAddresses(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '' && s !== 'None') && new Set(v).size === v.length
}

/** Whether `v` is a list of distinct port numbers. */
function isPorts(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((p) => Number.isSafeInteger(p) && p > 0) && new Set(v).size === v.length
}
