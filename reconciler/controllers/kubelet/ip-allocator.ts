/**
 * Pod addresses: each pod's IP from its node's pod CIDR, and the addresses in use (both ways: a
 * pod's address, an address's pod). A new process knows them from the pods' events or from the
 * kubelet's checkpoint, which saves both directions so that a restore is two Map constructions;
 * a restored record is checked when read (a malformed one is dropped and the allocator reported
 * damaged, see Checkpoint.damaged in runtime/types.ts).
 */
import { fnv1a } from './format.js'

/** An IPv4 CIDR as its first address and size. */
function parseCidr(cidr: string): { base: number; size: number } | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr)
  if (!m) return undefined
  const bits = Number(m[5])
  if (bits < 8 || bits > 30) return undefined
  const ip = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0
  const size = 2 ** (32 - bits)
  return { base: ip - (ip % size), size }
}

/** parseCidr's answers by CIDR (one per node: bounded in practice, cleared if it ever grows large). */
const parsedCidrs = new Map<string, { base: number; size: number } | undefined>()

function parseCidrMemo(cidr: string): { base: number; size: number } | undefined {
  if (parsedCidrs.has(cidr)) return parsedCidrs.get(cidr)
  if (parsedCidrs.size >= 4096) parsedCidrs.clear()
  const net = parseCidr(cidr)
  parsedCidrs.set(cidr, net)
  return net
}

function ipString(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
}

/**
 * Pod IPs from a node's pod CIDR: the address is derived from the pod's uid (so it is the same
 * whichever process allocates it), probing forward past addresses live pods use. The network
 * address, the gateway (.1) and the broadcast address are never handed out.
 */
export class IpAllocator {
  /** Pod uid → its address. */
  private byUid = new Map<string, string>()
  /** Address → the pod using it: exactly the addresses in `byUid`, which `allocate` probes. */
  private used = new Map<string, string>()
  /** Whether a restored record turned out malformed (it was dropped). */
  damaged = false

  /** Remembers an address a pod has (an address it had before is free again). */
  claim(uid: string, ip: string): void {
    const before = this.addressOf(uid)
    if (before !== undefined && before !== ip && this.used.get(before) === uid) this.used.delete(before)
    this.byUid.set(uid, ip)
    this.used.set(ip, uid)
  }

  /** Both directions as pairs: [uid, IP] and [IP, uid] (what `adopt` takes back as Maps). */
  save(): { ips: Array<[string, string]>; used: Array<[string, string]> } {
    return { ips: [...this.byUid], used: [...this.used] }
  }

  /** Takes restored maps as its own (built from what `save` gave; their records are checked as read). */
  adopt(byUid: Map<string, string>, used: Map<string, string>): void {
    this.byUid = byUid
    this.used = used
    this.damaged = false
  }

  /** Releases a pod's address. */
  release(uid: string): void {
    const ip = this.addressOf(uid)
    if (ip && this.used.get(ip) === uid) this.used.delete(ip)
    this.byUid.delete(uid)
  }

  /** The address for a pod (its existing one, or a new one in `cidr`). */
  allocate(uid: string, cidr: string): string {
    const have = this.addressOf(uid)
    if (have) return have
    const net = parseCidrMemo(cidr) ?? parseCidrMemo('10.244.0.0/16')!
    const usable = net.size - 3
    const start = fnv1a(uid) % usable
    for (let i = 0; i < usable; i++) {
      const ip = ipString(net.base + 2 + ((start + i) % usable))
      const owner: unknown = this.used.get(ip)
      if (owner !== undefined && typeof owner !== 'string') this.damaged = true // a restored record not a uid: as absent
      else if (owner !== undefined) continue
      this.claim(uid, ip)
      return ip
    }
    throw new Error(`no free pod IP in ${cidr}`)
  }

  /** A pod's address (a restored one checked as read). */
  private addressOf(uid: string): string | undefined {
    const ip: unknown = this.byUid.get(uid)
    if (ip === undefined || typeof ip === 'string') return ip
    this.damaged = true
    this.byUid.delete(uid)
    return undefined
  }
}
