/**
 * The addresses and ports every Service holds, kept current from the Service watch instead of
 * collected from a full list on every reconcile (which made allocating for n Services O(n²)).
 * It gives what collectAllocations gives for the same Services: when two Services hold one value,
 * the holder is the later in list (key) order. Each Service's entry remembers the resourceVersion it
 * came from, and an older state of the same Service is ignored: the API server records its own
 * writes at once, and the watch delivering the same write (or an earlier one) later changes nothing.
 */
import type { KObject } from './object.js'
import { collectAllocations, ownerKey, type ServiceAllocations } from './service-allocate.js'

type Kind = keyof ServiceAllocations

/** What one Service holds, per kind of value. */
type Held = { [K in Kind]: Array<ServiceAllocations[K] extends Map<infer V, string> ? V : never> } & { revision: number }

function heldBy(svc: KObject): Held {
  const one = collectAllocations([svc])
  return { clusterIPs: [...one.clusterIPs.keys()], nodePorts: [...one.nodePorts.keys()], loadBalancerIPs: [...one.loadBalancerIPs.keys()], revision: revisionOf(svc) }
}

/** The object's resourceVersion as a number (0 when it has none). */
function revisionOf(svc: KObject): number {
  const rv = Number(svc.metadata.resourceVersion)
  return Number.isFinite(rv) ? rv : 0
}

/** The values held by Services, updated one Service change at a time. */
export class AllocationIndex {
  /** The allocations view (read-only for callers). */
  readonly used: ServiceAllocations = { clusterIPs: new Map(), nodePorts: new Map(), loadBalancerIPs: new Map() }
  private readonly holders = { clusterIPs: new Map<string, Set<string>>(), nodePorts: new Map<number, Set<string>>(), loadBalancerIPs: new Map<string, Set<string>>() }
  private readonly held = new Map<string, Held>()
  /**
   * The revision each deleted Service was deleted at: a state of it no newer than that (its own
   * write recorded after a deletion that raced it) is ignored instead of bringing its values back.
   */
  private readonly deletedAt = new Map<string, number>()

  /** Records a Service's current state (created or changed); a state older than the one recorded is ignored. */
  set(svc: KObject): void {
    const key = ownerKey(svc)
    const had = this.held.get(key)
    const rv = revisionOf(svc)
    if (had && had.revision > rv) return
    const gone = this.deletedAt.get(key)
    if (gone !== undefined) {
      if (rv <= gone) return
      this.deletedAt.delete(key)
    }
    this.remove(key)
    const h = heldBy(svc)
    this.held.set(key, h)
    this.add('clusterIPs', h.clusterIPs, key)
    this.add('nodePorts', h.nodePorts, key)
    this.add('loadBalancerIPs', h.loadBalancerIPs, key)
  }

  /** Forgets a Service (deleted; `svc` carries the deletion's resourceVersion, or none: forget whatever is held). */
  delete(svc: KObject): void {
    const key = ownerKey(svc)
    const had = this.held.get(key)
    const rv = revisionOf(svc)
    if (had && rv && had.revision > rv) return
    if (rv) this.deletedAt.set(key, Math.max(rv, this.deletedAt.get(key) ?? 0))
    this.remove(key)
  }

  /** The number of Services recorded. */
  get size(): number {
    return this.held.size
  }

  private remove(key: string): void {
    const h = this.held.get(key)
    if (!h) return
    this.held.delete(key)
    this.drop('clusterIPs', h.clusterIPs, key)
    this.drop('nodePorts', h.nodePorts, key)
    this.drop('loadBalancerIPs', h.loadBalancerIPs, key)
  }

  private add<V extends string | number>(kind: Kind, values: V[], key: string): void {
    const holders = this.holders[kind] as Map<V, Set<string>>
    const used = this.used[kind] as Map<V, string>
    for (const v of values) {
      let s = holders.get(v)
      if (!s) holders.set(v, (s = new Set()))
      s.add(key)
      used.set(v, lastOf(s))
    }
  }

  private drop<V extends string | number>(kind: Kind, values: V[], key: string): void {
    const holders = this.holders[kind] as Map<V, Set<string>>
    const used = this.used[kind] as Map<V, string>
    for (const v of values) {
      const s = holders.get(v)
      if (!s) continue
      s.delete(key)
      if (s.size) used.set(v, lastOf(s))
      else {
        holders.delete(v)
        used.delete(v)
      }
    }
  }
}

/** The greatest key of a (small) set: the holder a key-ordered list would name last. */
function lastOf(s: Set<string>): string {
  let best = ''
  for (const k of s) if (k > best) best = k
  return best
}
