/**
 * What the simulated kubelet keeps in memory, as a real kubelet does: image pulls in progress,
 * image pull back-off per pod and image, the images present on each node, when to re-check
 * configuration, which pods refer to which ConfigMaps and Secrets, and the pod IPs in use. A new
 * process starts empty (a kubelet restart) but for what its checkpoint restores (checkpoint.ts):
 * every rule below falls back to what the pod's status says.
 */
import { fnv1a } from './format.js'

/** Kubelet's image pull back-off: 10 s, doubling, at most 300 s (flowcontrol.NewBackOff(10s, 300s)). */
export const PULL_BACKOFF_INITIAL_MS = 10_000
export const PULL_BACKOFF_MAX_MS = 300_000
/** How long ErrImagePull shows before the next sync reports ImagePullBackOff. */
export const PULL_ERROR_SHOWN_MS = 1_000
/** How often a configuration or mount error is re-checked when nothing it refers to changes. */
export const CONFIG_RECHECK_MS = 10_000

/** The back-off after `failures` failed pulls: 10 s, 20 s, 40 s, … 300 s. */
export function pullBackoffMs(failures: number): number {
  return Math.min(PULL_BACKOFF_INITIAL_MS * 2 ** Math.max(0, failures - 1), PULL_BACKOFF_MAX_MS)
}

/** A pull in progress. */
export interface PullInProgress {
  startedAt: number
  /** False when the image was present and only "already present" is reported. */
  pulled: boolean
}

/** The back-off state of one image for one pod. */
export interface PullBackoff {
  failures: number
  lastFailureAt: number
  retryAt: number
  /** The pull error (shown in the ImagePullBackOff message). */
  error: string
}

/** The kubelet's memory. */
export class KubeletMemory {
  readonly pulls = new Map<string, PullInProgress>()
  readonly backoff = new Map<string, PullBackoff>()
  readonly present = new Map<string, Set<string>>()
  readonly nextCheck = new Map<string, number>()
  /** Pod uids whose ConfigMaps or Secrets changed since their last check. */
  readonly dirty = new Set<string>()
  /** Pods (namespace/name) not yet running: a settings change may concern them. */
  readonly notRunning = new Map<string, { namespace?: string; name: string }>()
  private readonly refsByObject = new Map<string, Set<string>>()
  private readonly refsByPod = new Map<string, string[]>()
  private readonly uidByPod = new Map<string, string>()

  /** Records the ConfigMaps/Secrets a pod refers to (`configmaps/<name>`, in its namespace). */
  setRefs(namespace: string, name: string, uid: string, refs: string[]): void {
    const podKey = `${namespace}/${name}`
    this.clearRefs(podKey)
    this.uidByPod.set(podKey, uid)
    const keys = refs.map((r) => `${namespace}/${r}`)
    this.refsByPod.set(podKey, keys)
    for (const k of keys) {
      let s = this.refsByObject.get(k)
      if (!s) this.refsByObject.set(k, (s = new Set()))
      s.add(podKey)
    }
  }

  /** Forgets a pod's references. */
  clearRefs(podKey: string): void {
    for (const k of this.refsByPod.get(podKey) ?? []) {
      const s = this.refsByObject.get(k)
      s?.delete(podKey)
      if (s && !s.size) this.refsByObject.delete(k)
    }
    this.refsByPod.delete(podKey)
    this.uidByPod.delete(podKey)
  }

  /** The pods referring to `resource/name` in a namespace; marks them dirty. */
  podsReferring(namespace: string, resource: 'configmaps' | 'secrets', name: string): Array<{ namespace: string; name: string }> {
    const out: Array<{ namespace: string; name: string }> = []
    for (const podKey of this.refsByObject.get(`${namespace}/${resource}/${name}`) ?? []) {
      const uid = this.uidByPod.get(podKey)
      if (uid) this.dirty.add(uid)
      const [ns, n] = podKey.split('/')
      out.push({ namespace: ns, name: n })
    }
    return out
  }

  /** Whether a node has the image (pulled by this process). */
  hasImage(node: string, image: string): boolean {
    return this.present.get(node)?.has(image) ?? false
  }

  /** Marks an image present on a node. */
  addImage(node: string, image: string): void {
    let s = this.present.get(node)
    if (!s) this.present.set(node, (s = new Set()))
    s.add(image)
  }

  /** Forgets everything about a pod uid (its pulls, back-offs and checks). */
  forgetPod(uid: string): void {
    for (const m of [this.pulls, this.backoff, this.nextCheck] as Array<Map<string, unknown>>) {
      for (const k of m.keys()) if (k.startsWith(`${uid}/`)) m.delete(k)
    }
    this.dirty.delete(uid)
  }
}

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
  private readonly byUid = new Map<string, string>()
  private readonly used = new Map<string, string>()

  /** Remembers an address a pod already has. */
  claim(uid: string, ip: string): void {
    this.byUid.set(uid, ip)
    this.used.set(ip, uid)
  }

  /** The addresses in use, as [uid, IP] (what `claim` restores). */
  entries(): Array<[string, string]> {
    return [...this.byUid]
  }

  /** Releases a pod's address. */
  release(uid: string): void {
    const ip = this.byUid.get(uid)
    if (ip && this.used.get(ip) === uid) this.used.delete(ip)
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
      if (!this.used.has(ip)) {
        this.claim(uid, ip)
        return ip
      }
    }
    throw new Error(`no free pod IP in ${cidr}`)
  }
}
