/**
 * What the simulated kubelet keeps in memory, as a real kubelet does: image pulls in progress,
 * image pull back-off per pod and image, the images present on each node, when to re-check
 * configuration and volume refreshes, and which pods refer to which ConfigMaps and Secrets (the pod
 * IPs in use: ip-allocator.ts). A new process starts empty (a kubelet restart) but for what its
 * checkpoint restores (checkpoint.ts): every rule below falls back to what the pod's status says.
 */
import { PagedMap, type PagedCodec } from '../runtime/paged-map.js'
import { RefIndex, refMaps, type RefMaps } from './ref-index.js'

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
  /**
   * The uid of each pod the kubelet knows (synced, or remembered at a start), by `namespace/name`.
   * A PagedMap (runtime/paged-map.ts), restored from the checkpoint's quiet pods: a page of records
   * is read and checked when one of its keys is first used.
   */
  private known = new PagedMap<string>(UIDS)
  /**
   * Pending refreshes of recorded volume contents: pod uid → due time (ms since the epoch).
   * Nothing in a pod's status says one is due, so the checkpoint keeps them (see checkpoint.ts).
   */
  private volumeSyncs = new PagedMap<number>(DUE_TIMES)

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

  /** The uid of a pod the kubelet knows. */
  knownUid(podKey: string): string | undefined {
    return this.known.get(podKey)
  }

  /** Records the uid of a pod the kubelet knows (every sync: set only when it changes, so its page stays as restored). */
  setKnown(podKey: string, uid: string): void {
    if (this.known.get(podKey) !== uid) this.known.set(podKey, uid)
  }

  /** Forgets a known pod's uid. */
  forgetKnown(podKey: string): void {
    if (this.known.has(podKey)) this.known.delete(podKey)
  }

  /** When the pod's next volume refresh is due, if one is. */
  volumeSyncAt(uid: string): number | undefined {
    return this.volumeSyncs.get(uid)
  }

  /** Sets when the pod's next volume refresh is due. */
  setVolumeSync(uid: string, at: number): void {
    if (this.volumeSyncs.get(uid) !== at) this.volumeSyncs.set(uid, at)
  }

  /** Drops the pod's pending volume refresh. */
  clearVolumeSync(uid: string): void {
    if (this.volumeSyncs.has(uid)) this.volumeSyncs.delete(uid)
  }

  /** The pending volume refreshes, uid → due time (a PagedMap: as JSON, pairs; a page nothing changed is saved as it was). */
  savedVolumeSyncs(): PagedMap<number> {
    return this.volumeSyncs
  }

  /** Takes restored maps as its own (memoryParts built them; their pages are checked as read). */
  adopt(m: MemoryParts): void {
    this.known = m.known
    this.refs.adopt(m.refs)
    this.volumeSyncs = m.volumeSyncs
  }

  /** Whether a restored record read since turned out malformed. */
  get damaged(): boolean {
    return this.known.damaged || this.volumeSyncs.damaged || this.refs.damaged
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
    this.clearVolumeSync(uid)
    this.dirty.delete(uid)
  }
}

/** The restored parts of a KubeletMemory. */
export interface MemoryParts {
  known: PagedMap<string>
  refs: RefMaps
  volumeSyncs: PagedMap<number>
}

/**
 * The parts of a memory restored from a checkpoint's saved data (pairs, or a store's pages): the
 * quiet pods' uids, their references both ways, and the pending volume refreshes. Throws, having
 * built nothing anyone holds, when a part is neither.
 */
export function memoryParts(saved: { quiet: unknown; refs: unknown; referring: unknown; volumeSyncs: unknown }): MemoryParts {
  return {
    known: PagedMap.restore(saved.quiet, UIDS),
    refs: refMaps({ byPod: saved.refs, byObject: saved.referring }),
    volumeSyncs: PagedMap.restore(saved.volumeSyncs, DUE_TIMES),
  }
}

/** A pod's uid (or any string record). */
export const UIDS: PagedCodec<string> = { check: (_key, v) => (typeof v === 'string' ? v : undefined) }

/** A due time, ms since the epoch. */
const DUE_TIMES: PagedCodec<number> = { check: (_key, v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined) }
