/**
 * IPv4 ranges as kube-apiserver's allocators see them: the service CIDR (`--service-cluster-ip-range`,
 * 10.96.0.0/12 by default), the node port range (`--service-node-port-range`, 30000–32767), and the
 * addresses capstan's simulated cloud hands to LoadBalancer Services (TEST-NET-1, RFC 5737).
 */

/** An IPv4 range: its first address (as a number) and its size. */
export interface Ipv4Range {
  cidr: string
  base: number
  size: number
}

/** The default service CIDR of kube-apiserver. */
export const SERVICE_CIDR = '10.96.0.0/12'
/** The first usable address, which kube-apiserver gives the `default/kubernetes` Service. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1'
/** The simulated cloud's load-balancer addresses (TEST-NET-1, never routed on the internet). */
export const LOAD_BALANCER_CIDR = '192.0.2.0/24'

/** `a.b.c.d` as a number, or undefined when it is not a dotted IPv4 address. */
export function ipToNumber(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip)
  if (!m) return undefined
  const parts = m.slice(1).map(Number)
  if (parts.some((p) => p > 255)) return undefined
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0
}

/** A number as `a.b.c.d`. */
export function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** Parses `a.b.c.d/n` (the base is masked). */
export function parseCidr(cidr: string): Ipv4Range | undefined {
  const [ip, bits] = cidr.split('/')
  const n = ipToNumber(ip ?? '')
  const b = Number(bits)
  if (n === undefined || !Number.isInteger(b) || b < 0 || b > 32) return undefined
  const size = 2 ** (32 - b)
  return { cidr, base: n - (n % size), size }
}

/** Whether `ip` lies in the range. */
export function inRange(range: Ipv4Range, ip: string): boolean {
  const n = ipToNumber(ip)
  return n !== undefined && n >= range.base && n < range.base + range.size
}

/**
 * The offsets the allocator hands out (network and broadcast addresses excluded), and the start of
 * the dynamic band. kube-apiserver reserves the low band for addresses users choose
 * (ServiceIPStaticSubrange): min(max(16, size/16), 256) addresses; dynamic allocation starts above it.
 * 10.96.0.0/12 → offsets 1 … 1048574, dynamic from offset 256 (10.96.1.0).
 */
export function allocatableOffsets(range: Ipv4Range): { first: number; last: number; dynamicFirst: number } {
  const first = 1
  const last = range.size - 2
  const band = Math.min(Math.max(16, Math.floor(range.size / 16)), 256)
  return { first, last, dynamicFirst: Math.min(last, Math.max(first, band)) }
}

/** FNV-1a over a string: a stable starting point for probing, so replays allocate the same values. */
export { stableHash } from '../storage/stable-hash.js'
