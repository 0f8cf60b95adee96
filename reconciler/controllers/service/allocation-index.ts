/**
 * The addresses and ports every Service holds, kept current from the Service watch instead of
 * collected from a full list on every reconcile (which made allocating for n Services O(n²)).
 * It gives what collectAllocations gives for the same Services: when two Services hold one value,
 * the holder is the later in list (key) order.
 */
import type { KObject } from '../../api/object.js'
import { collectAllocations, ownerKey, type ServiceAllocations } from './allocate.js'

type Kind = keyof ServiceAllocations

/** What one Service holds, per kind of value. */
type Held = { [K in Kind]: Array<ServiceAllocations[K] extends Map<infer V, string> ? V : never> }

function heldBy(svc: KObject): Held {
  const one = collectAllocations([svc])
  return { clusterIPs: [...one.clusterIPs.keys()], nodePorts: [...one.nodePorts.keys()], loadBalancerIPs: [...one.loadBalancerIPs.keys()] }
}

/** The values held by Services, updated one Service change at a time. */
export class AllocationIndex {
  /** The allocations view (read-only for callers). */
  readonly used: ServiceAllocations = { clusterIPs: new Map(), nodePorts: new Map(), loadBalancerIPs: new Map() }
  private readonly holders = { clusterIPs: new Map<string, Set<string>>(), nodePorts: new Map<number, Set<string>>(), loadBalancerIPs: new Map<string, Set<string>>() }
  private readonly held = new Map<string, Held>()

  /** Records a Service's current state (created or changed). */
  set(svc: KObject): void {
    const key = ownerKey(svc)
    this.remove(key)
    const h = heldBy(svc)
    this.held.set(key, h)
    this.add('clusterIPs', h.clusterIPs, key)
    this.add('nodePorts', h.nodePorts, key)
    this.add('loadBalancerIPs', h.loadBalancerIPs, key)
  }

  /** Forgets a Service (deleted). */
  delete(svc: KObject): void {
    this.remove(ownerKey(svc))
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
