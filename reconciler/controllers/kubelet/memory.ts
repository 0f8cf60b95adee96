/**
 * What the simulated kubelet keeps in memory, as a real kubelet does: image pulls in progress,
 * image pull back-off per pod and image, the images present on each node, when to re-check
 * configuration and volume refreshes, and which pods refer to which ConfigMaps and Secrets (the pod
 * IPs in use: ip-allocator.ts). A new process starts empty (a kubelet restart) but for what its
 * checkpoint restores (checkpoint.ts): every rule below falls back to what the pod's status says.
 */
import { RefIndex, type RefMaps } from './ref-index.js'

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
  /** Which pods (synced, or remembered at a start) refer to which ConfigMaps and Secrets. */
  private readonly refs = new RefIndex()
  /** The uid of each pod the kubelet knows (synced, or remembered at a start), by `namespace/name`. */
  private known = new Map<string, string>()
  /**
   * Pending refreshes of recorded volume contents: pod uid → due time (ms since the epoch).
   * Nothing in a pod's status says one is due, so the checkpoint keeps them (see checkpoint.ts).
   */
  private volumeSyncs = new Map<string, number>()
  /** Whether a restored record (a known uid, a volume refresh) turned out malformed (it was dropped). */
  private damagedRecord = false

  /** Records the ConfigMaps/Secrets a pod refers to (`configmaps/<name>`, in its namespace). */
  setRefs(namespace: string, name: string, refs: string[]): void {
    this.refs.set(`${namespace}/${name}`, refs.map((r) => `${namespace}/${r}`))
  }

  /** Forgets a pod's references. */
  clearRefs(podKey: string): void {
    this.refs.clear(podKey)
  }

  /**
   * The pods referring to `resource/name` in a namespace; marks them dirty. (A pod's references
   * are recorded only while it is known, and forgotten with it: its known uid is the one they were
   * recorded for.)
   */
  podsReferring(namespace: string, resource: 'configmaps' | 'secrets', name: string): Array<{ namespace: string; name: string }> {
    const out: Array<{ namespace: string; name: string }> = []
    for (const podKey of this.refs.referring(`${namespace}/${resource}/${name}`)) {
      const uid = this.knownUid(podKey)
      if (uid) this.dirty.add(uid)
      const [ns, n] = podKey.split('/')
      out.push({ namespace: ns, name: n })
    }
    return out
  }

  /** The uid of a pod the kubelet knows (a restored one checked as read). */
  knownUid(podKey: string): string | undefined {
    const uid: unknown = this.known.get(podKey)
    if (uid === undefined || typeof uid === 'string') return uid
    this.damagedRecord = true
    this.known.delete(podKey)
    return undefined
  }

  /** Records the uid of a pod the kubelet knows. */
  setKnown(podKey: string, uid: string): void {
    this.known.set(podKey, uid)
  }

  /** Forgets a known pod's uid. */
  forgetKnown(podKey: string): void {
    this.known.delete(podKey)
  }

  /** When the pod's next volume refresh is due, if one is (a restored one checked as read). */
  volumeSyncAt(uid: string): number | undefined {
    const at: unknown = this.volumeSyncs.get(uid)
    if (at === undefined || Number.isFinite(at)) return at as number | undefined
    this.damagedRecord = true
    this.volumeSyncs.delete(uid)
    return undefined
  }

  /** Sets when the pod's next volume refresh is due. */
  setVolumeSync(uid: string, at: number): void {
    this.volumeSyncs.set(uid, at)
  }

  /** Drops the pod's pending volume refresh. */
  clearVolumeSync(uid: string): void {
    this.volumeSyncs.delete(uid)
  }

  /** The pending volume refreshes as [uid, due time] (a record restored and never read since as it was). */
  savedVolumeSyncs(): Array<[string, number]> {
    return [...this.volumeSyncs]
  }

  /** Takes restored maps as its own (built from the checkpoint's pairs; their records are checked as read). */
  adopt(m: { known: Map<string, string>; refs: RefMaps; volumeSyncs: Map<string, number> }): void {
    this.known = m.known
    this.refs.adopt(m.refs)
    this.volumeSyncs = m.volumeSyncs
    this.damagedRecord = false
  }

  /** Whether a restored record read since turned out malformed. */
  get damaged(): boolean {
    return this.damagedRecord || this.refs.damaged
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

  /** Forgets everything about a pod uid (its pulls, back-offs, checks and volume refresh). */
  forgetPod(uid: string): void {
    for (const m of [this.pulls, this.backoff, this.nextCheck] as Array<Map<string, unknown>>) {
      for (const k of m.keys()) if (k.startsWith(`${uid}/`)) m.delete(k)
    }
    this.volumeSyncs.delete(uid)
    this.dirty.delete(uid)
  }
}
