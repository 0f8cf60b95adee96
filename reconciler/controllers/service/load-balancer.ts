/**
 * The simulated cloud's load balancers: each LoadBalancer Service gets one address from TEST-NET-1
 * (192.0.2.0/24) in status.loadBalancer.ingress, as a cloud provider's service controller reports it
 * (with `ipMode: VIP`). A `spec.loadBalancerIP` in that range is honoured when free.
 */
import type { KObject } from '../../api/object.js'
import { ownerKey, type ServiceAllocations } from '../../api/service-allocate.js'
import { inRange, LOAD_BALANCER_CIDR, numberToIp, parseCidr, stableHash } from '../../api/service-ip-range.js'

/** One entry of status.loadBalancer.ingress. */
export interface LoadBalancerIngress {
  ip?: string
  hostname?: string
  ipMode?: string
}

/** The load-balancer address for `svc`: its current one, the one it asks for, or the first free one from its uid's hash. */
export function loadBalancerAddress(svc: KObject, used: ServiceAllocations, cidr = LOAD_BALANCER_CIDR): string | undefined {
  const self = ownerKey(svc)
  const range = parseCidr(cidr)!
  const free = (ip: string): boolean => inRange(range, ip) && (!used.loadBalancerIPs.has(ip) || used.loadBalancerIPs.get(ip) === self)
  const current = ((svc.status as { loadBalancer?: { ingress?: LoadBalancerIngress[] } } | undefined)?.loadBalancer?.ingress ?? [])[0]?.ip
  const asked = (svc.spec as { loadBalancerIP?: string } | undefined)?.loadBalancerIP
  if (asked) return free(asked) ? asked : undefined
  if (current && free(current)) return current
  const span = range.size - 2
  const start = stableHash(svc.metadata.uid ?? self) % span
  for (let i = 0; i < span; i++) {
    const ip = numberToIp(range.base + 1 + ((start + i) % span))
    if (free(ip)) return ip
  }
  return undefined
}
