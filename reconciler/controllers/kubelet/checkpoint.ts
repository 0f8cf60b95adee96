/**
 * The kubelet's checkpoint (see Checkpoint in runtime/types.ts): what an incremental start needs
 * instead of priming from every pod. `StartView` follows every pod's events (a watch of the
 * kubelet's own resource) and keeps what `prime` would decide for it now: the pods a start must
 * sync, and what prime remembers of the others. It follows the events rather than the syncs
 * because the kubelet does not sync every pod: `accepts` drops an unbound pod it never knew, yet
 * prime syncs it at a start. The pod addresses in use complete it (no new process lists every
 * pod to learn them), and so do the pending refreshes of recorded volume contents: nothing in a
 * pod's status says one is due, so a restart that forgot it would leave the record stale for
 * good. (Priming hid that loss by accident: replaying every unchanged ConfigMap and Secret marks
 * the primed pods' configuration changed, `dirty`, which a restore does not repeat.) Image pulls,
 * back-offs, images present and re-check times stay out, forgotten as at a kubelet restart: the
 * pods they concern are synced at the start, and every rule falls back on the pod's status.
 *
 * The big parts are PagedMaps (runtime/paged-map.ts), stored by pages: the quiet pods, their
 * references in both directions, the addresses in both directions and the volume refreshes. A
 * restore checks the outline and keeps the pages as the store hands them back, with no pass over
 * the pods; a page of records is read and checked when one of its keys is first used (a malformed
 * record is dropped and the memory reported damaged: Checkpoint.damaged), and a save writes back
 * every page nothing changed as it was. Only the pods a start syncs (a plain list) are checked at
 * once: the restore returns them.
 *
 * Example (as JSON): { format: 3, quiet: [['shop/web-1', 'uid-1'], ['shop/web-2', 'uid-2']],
 * refs: [['shop/web-1', ['shop/configmaps/settings']]], referring: [['shop/configmaps/settings', ['shop/web-1']]],
 * startup: [['shop', 'web-3']], ips: [['uid-1', '10.244.0.7']], used: [['10.244.0.7', 'uid-1']],
 * volumeSyncs: [['uid-1', 1767225600000]] }.
 */
import type { PodStatus } from '../../api/generated/types.js'
import type { KObject } from '../../api/object.js'
import { isPairsOrPages, PagedMap } from '../runtime/paged-map.js'
import type { Request } from '../runtime/types.js'
import { referencedObjects } from './config-refs.js'
import { IpAllocator } from './ip-allocator.js'
import { memoryParts, UIDS, type KubeletMemory } from './memory.js'
import { RefIndex, refMaps } from './ref-index.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const CHECKPOINT_FORMAT = 3

/**
 * Whether a start syncs the pod, as after a kubelet restart: every pod but a bound, Running and
 * Ready one not being deleted (whose sync would change nothing).
 */
export function needsStartSync(pod: KObject): boolean {
  const st = (pod.status ?? {}) as PodStatus
  const ready = st.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
  return !!pod.metadata.deletionTimestamp || st.phase !== 'Running' || !ready || !(pod.spec as { nodeName?: string } | undefined)?.nodeName
}

/** The kubelet's key of a pod: `namespace/name` (pods always have a namespace). */
const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`

/** A pod's start request. */
const startRequest = (namespace: string, name: string): Request => ({ resource: 'pods', namespace: namespace || undefined, name })

/** The keys of the ConfigMaps and Secrets a pod refers to, in its namespace (`namespace/configmaps/name`), as KubeletMemory records them. */
export function referencedKeys(pod: KObject): string[] {
  const namespace = pod.metadata.namespace || 'default'
  return referencedObjects(pod).map((r) => `${namespace}/${r}`)
}

/** Every pod as a start would see it now, kept current from the pods' events. */
export class StartView {
  /** The pods a start syncs, by key. */
  startup = new Map<string, Request>()
  /** The other pods' uids, by key, as prime remembers them (a PagedMap: saved and restored by pages). */
  quiet = new PagedMap<string>(UIDS)
  /** What the quiet pods refer to, as prime remembers it. */
  readonly refs = new RefIndex()

  /** Follows one event of a pod (for DELETED, its last state; `old`, its state before, when known). */
  observe(type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined, pod: KObject, old?: KObject): void {
    const namespace = pod.metadata.namespace ?? ''
    const key = keyOf(namespace, pod.metadata.name!)
    if (type === 'DELETED') {
      this.startup.delete(key)
      if (this.quiet.has(key)) this.quiet.delete(key)
      this.refs.clear(key)
      return
    }
    const starts = needsStartSync(pod)
    // The same spec (a status write shares it) and the same answer: what the view holds stands.
    if (type === 'MODIFIED' && old && old.spec === pod.spec && old.metadata.uid === pod.metadata.uid && (starts ? this.startup.has(key) : this.quiet.has(key))) return
    // A quiet pod's record set only when it changes: its pages stay as restored.
    if (starts) {
      if (this.quiet.has(key)) this.quiet.delete(key)
      this.refs.clear(key)
      if (!this.startup.has(key)) this.startup.set(key, startRequest(namespace, pod.metadata.name!))
    } else {
      this.startup.delete(key)
      if (this.quiet.get(key) !== pod.metadata.uid) this.quiet.set(key, pod.metadata.uid!)
      this.refs.set(key, referencedKeys(pod))
    }
  }
}

/**
 * The checkpoint as saved: the pods a start syncs as a list, every other part a PagedMap (saved:
 * the PagedMap; as JSON, its pairs; restored from pairs, or a store's pages).
 */
export interface KubeletCheckpoint {
  format: typeof CHECKPOINT_FORMAT
  /** Pods a start does not sync: key (`namespace/name`) → uid. */
  quiet: unknown
  /** Of those, the ones referring to ConfigMaps or Secrets: key → the objects' keys (`namespace/configmaps/name`). */
  refs: unknown
  /** The same references the other way: an object's key → the keys of the quiet pods referring to it. */
  referring: unknown
  /** Pods a start syncs: namespace, name. */
  startup: Array<[string, string]>
  /** Pod addresses in use: uid → IP. */
  ips: unknown
  /** The same addresses the other way: IP → uid. */
  used: unknown
  /** Pending refreshes of recorded volume contents: uid → due time (ms since the epoch). */
  volumeSyncs: unknown
}

/** The kubelet's memory a checkpoint covers. */
export interface CheckpointedMemory {
  view: StartView
  ips: IpAllocator
  mem: KubeletMemory
}

/** The checkpoint of `m` (its PagedMaps themselves: a page nothing changed since the restore is saved as it was). */
export function saveCheckpoint(m: CheckpointedMemory): KubeletCheckpoint {
  const refs = m.view.refs.save()
  const ips = m.ips.save()
  return {
    format: CHECKPOINT_FORMAT,
    quiet: m.view.quiet,
    refs: refs.byPod,
    referring: refs.byObject,
    startup: Array.from(m.view.startup.values(), (r): [string, string] => [r.namespace ?? '', r.name]),
    ips: ips.ips,
    used: ips.used,
    volumeSyncs: m.mem.savedVolumeSyncs(),
  }
}

/**
 * Restores a checkpoint into a new kubelet's memory, as prime over every pod and the watch
 * mappings over every object would have left it; returns the pods a start syncs, or undefined
 * (memory untouched) when `data` does not have the outline of a checkpoint of this format. The
 * saved data becomes the memory's own (the caller hands over the parsed data); the quiet pods'
 * pages serve both the start view and the kubelet's known pods, each reading its own.
 */
export function restoreCheckpoint(m: CheckpointedMemory, data: unknown): Request[] | undefined {
  const cp = outlineOf(data)
  if (!cp) return undefined
  // Build everything first (a part neither pairs nor pages throws), then take it: all or nothing.
  let built
  try {
    built = {
      startup: startupOf(cp.startup),
      quiet: PagedMap.restore(cp.quiet, UIDS),
      refs: refMaps({ byPod: cp.refs, byObject: cp.referring }),
      mem: memoryParts(cp),
      ips: IpAllocator.parts(cp.ips, cp.used),
    }
  } catch {
    return undefined
  }
  if (!built.startup) return undefined
  m.view.startup = built.startup
  m.view.quiet = built.quiet
  m.view.refs.adopt(built.refs)
  m.mem.adopt(built.mem)
  m.ips.adopt(built.ips)
  return [...m.view.startup.values()]
}

/** Whether a part of the restored memory read since turned out malformed. */
export function isDamaged(m: CheckpointedMemory): boolean {
  return m.view.quiet.damaged || m.view.refs.damaged || m.mem.damaged || m.ips.damaged
}

/** The start view's pods a start syncs, each checked now (the restore returns them), or undefined when one is malformed. */
function startupOf(saved: unknown[]): Map<string, Request> | undefined {
  const out = new Map<string, Request>()
  for (const e of saved) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || typeof e[1] !== 'string') return undefined
    out.set(keyOf(e[0], e[1]), startRequest(e[0], e[1]))
  }
  return out
}

/**
 * `data` as a checkpoint when its outline is one of this format: an object of the format with a
 * list of the pods a start syncs, and pairs or pages for each other part. Only the outline: the
 * records are checked as read.
 */
function outlineOf(data: unknown): KubeletCheckpoint | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined
  const d = data as Record<string, unknown>
  if (d.format !== CHECKPOINT_FORMAT || !Array.isArray(d.startup)) return undefined
  const parts = [d.quiet, d.refs, d.referring, d.ips, d.used, d.volumeSyncs]
  return parts.every(isPairsOrPages) ? (d as unknown as KubeletCheckpoint) : undefined
}
