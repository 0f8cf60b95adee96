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
 * Each part is saved as the pairs of a Map (the quiet pods' references in both directions, the
 * addresses in both directions), so that a restore checks the outline and builds the Maps
 * natively, with no pass over the pods; each record is checked when the kubelet first reads it
 * (a malformed one is dropped and the memory reported damaged: Checkpoint.damaged). Only the pods
 * a start syncs are checked at once: the restore returns them.
 *
 * Example: { format: 2, quiet: [['shop/web-1', 'uid-1'], ['shop/web-2', 'uid-2']],
 * refs: [['shop/web-1', ['shop/configmaps/settings']]], referring: [['shop/configmaps/settings', ['shop/web-1']]],
 * startup: [['shop', 'web-3']], ips: [['uid-1', '10.244.0.7']], used: [['10.244.0.7', 'uid-1']],
 * volumeSyncs: [['uid-1', 1767225600000]] }.
 */
import type { PodStatus } from '../../api/generated/types.js'
import type { KObject } from '../../api/object.js'
import type { Request } from '../runtime/types.js'
import { referencedObjects } from './config-refs.js'
import type { IpAllocator } from './ip-allocator.js'
import type { KubeletMemory } from './memory.js'
import { RefIndex, refMaps } from './ref-index.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const CHECKPOINT_FORMAT = 2

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
  /** The other pods' uids, by key, as prime remembers them. */
  quiet = new Map<string, string>()
  /** What the quiet pods refer to, as prime remembers it. */
  readonly refs = new RefIndex()

  /** Follows one event of a pod (for DELETED, its last state; `old`, its state before, when known). */
  observe(type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined, pod: KObject, old?: KObject): void {
    const namespace = pod.metadata.namespace ?? ''
    const key = keyOf(namespace, pod.metadata.name!)
    if (type === 'DELETED') {
      this.startup.delete(key)
      this.quiet.delete(key)
      this.refs.clear(key)
      return
    }
    const starts = needsStartSync(pod)
    // The same spec (a status write shares it) and the same answer: what the view holds stands.
    if (type === 'MODIFIED' && old && old.spec === pod.spec && old.metadata.uid === pod.metadata.uid && (starts ? this.startup.has(key) : this.quiet.has(key))) return
    if (starts) {
      this.quiet.delete(key)
      this.refs.clear(key)
      if (!this.startup.has(key)) this.startup.set(key, startRequest(namespace, pod.metadata.name!))
    } else {
      this.startup.delete(key)
      this.quiet.set(key, pod.metadata.uid!)
      this.refs.set(key, referencedKeys(pod))
    }
  }
}

/** The checkpoint as saved: each part the pairs of a Map. */
export interface KubeletCheckpoint {
  format: typeof CHECKPOINT_FORMAT
  /** Pods a start does not sync: key (`namespace/name`), uid. */
  quiet: Array<[string, string]>
  /** Of those, the ones referring to ConfigMaps or Secrets: key, the objects' keys (`namespace/configmaps/name`). */
  refs: Array<[string, readonly string[]]>
  /** The same references the other way: an object's key, the keys of the quiet pods referring to it. */
  referring: Array<[string, readonly string[]]>
  /** Pods a start syncs: namespace, name. */
  startup: Array<[string, string]>
  /** Pod addresses in use: uid, IP. */
  ips: Array<[string, string]>
  /** The same addresses the other way: IP, uid. */
  used: Array<[string, string]>
  /** Pending refreshes of recorded volume contents: uid, due time (ms since the epoch). */
  volumeSyncs: Array<[string, number]>
}

/** The kubelet's memory a checkpoint covers. */
export interface CheckpointedMemory {
  view: StartView
  ips: IpAllocator
  mem: KubeletMemory
}

/** The checkpoint of `m` (a record restored and never read since is saved as it was restored). */
export function saveCheckpoint(m: CheckpointedMemory): KubeletCheckpoint {
  const refs = m.view.refs.save()
  const ips = m.ips.save()
  return {
    format: CHECKPOINT_FORMAT,
    quiet: [...m.view.quiet],
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
 * saved lists become the memory's own (the caller hands over the parsed data).
 */
export function restoreCheckpoint(m: CheckpointedMemory, data: unknown): Request[] | undefined {
  const cp = outlineOf(data)
  if (!cp) return undefined
  // Build everything first (a list that is not of pairs throws), then take it: all or nothing.
  let built
  try {
    const refs = { byPod: cp.refs, byObject: cp.referring }
    built = {
      startup: startupOf(cp.startup),
      quiet: new Map(cp.quiet),
      refs: refMaps(refs),
      mem: { known: new Map(cp.quiet), refs: refMaps(refs), volumeSyncs: new Map(cp.volumeSyncs) },
      byUid: new Map(cp.ips),
      used: new Map(cp.used),
    }
  } catch {
    return undefined
  }
  if (!built.startup) return undefined
  m.view.startup = built.startup
  m.view.quiet = built.quiet
  m.view.refs.adopt(built.refs)
  m.mem.adopt(built.mem)
  m.ips.adopt(built.byUid, built.used)
  return [...m.view.startup.values()]
}

/** Whether a part of the restored memory read since turned out malformed. */
export function isDamaged(m: CheckpointedMemory): boolean {
  return m.view.refs.damaged || m.mem.damaged || m.ips.damaged
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
 * list for each part. Only the outline: the records are checked as read.
 */
function outlineOf(data: unknown): KubeletCheckpoint | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined
  const d = data as Record<string, unknown>
  if (d.format !== CHECKPOINT_FORMAT) return undefined
  const parts = [d.quiet, d.refs, d.referring, d.startup, d.ips, d.used, d.volumeSyncs]
  return parts.every((p) => Array.isArray(p)) ? (d as unknown as KubeletCheckpoint) : undefined
}
