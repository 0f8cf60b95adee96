/**
 * Pod addresses: each pod's IP from its node's pod CIDR, and the addresses in use (both ways: a
 * pod's address, an address's pod). A new process knows them from the pods' events or from the
 * kubelet's checkpoint, which saves both directions as PagedMaps (runtime/paged-map.ts): a restore
 * keeps the saved pages, and a page of records is read and checked when one of its keys is first
 * used (a malformed record is dropped and the allocator reported damaged, see Checkpoint.damaged
 * in runtime/types.ts).
 */
import { PagedMap, type PagedCodec } from '../runtime/paged-map.js'
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
  private byUid = new PagedMap<string>(STRINGS)
  /** Address → the pod using it: exactly the addresses in `byUid`, which `allocate` probes. */
  private used = new PagedMap<string>(STRINGS)

  /** Whether a restored record turned out malformed (it was dropped). */
  get damaged(): boolean {
    return this.byUid.damaged || this.used.damaged
  }

  /** The maps of saved data (what `save` gave: pairs, or a store's pages), for `adopt`; throws when a part is neither. */
  static parts(ips: unknown, used: unknown): { byUid: PagedMap<string>; used: PagedMap<string> } {
    return { byUid: PagedMap.restore(ips, STRINGS), used: PagedMap.restore(used, STRINGS) }
  }

  /** Remembers an address a pod has (an address it had before is free again). */
  claim(uid: string, ip: string): void {
    const before = this.byUid.get(uid)
    // Every event of a pod with an address claims it again: its pages stay as restored.
    if (before === ip && this.used.get(ip) === uid) return
    if (before !== undefined && before !== ip && this.used.get(before) === uid) this.used.delete(before)
    if (before !== ip) this.byUid.set(uid, ip)
    if (this.used.get(ip) !== uid) this.used.set(ip, uid)
  }

  /** Both directions, [uid → IP] and [IP → uid] (PagedMaps: as JSON, pairs; what `parts` takes back). */
  save(): { ips: PagedMap<string>; used: PagedMap<string> } {
    return { ips: this.byUid, used: this.used }
  }

  /** Takes restored maps as its own (built by `parts`; their pages are checked as read). */
  adopt(parts: { byUid: PagedMap<string>; used: PagedMap<string> }): void {
    this.byUid = parts.byUid
    this.used = parts.used
  }

  /** Releases a pod's address. */
  release(uid: string): void {
    const ip = this.byUid.get(uid)
    if (ip === undefined) return
    if (this.used.get(ip) === uid) this.used.delete(ip)
    this.byUid.delete(uid)
  }

  /** The address for a pod (its existing one, or a new one in `cidr`). */
  allocate(uid: string, cidr: string): string {
    const have = this.byUid.get(uid)
    if (have) return have
    const net = parseCidrMemo(cidr) ?? parseCidrMemo('10.244.0.0/16')!
    const usable = net.size - 3
    const start = fnv1a(uid) % usable
    for (let i = 0; i < usable; i++) {
      const ip = ipString(net.base + 2 + ((start + i) % usable))
      if (this.used.has(ip)) continue
      this.claim(uid, ip)
      return ip
    }
    throw new Error(`no free pod IP in ${cidr}`)
  }
}

/** A uid or an address: a string. */
const STRINGS: PagedCodec<string> = { check: (_key, v) => (typeof v === 'string' ? v : undefined) }
