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
 */
import type { PodStatus } from '../../api/generated/types.js'
import type { KObject } from '../../api/object.js'
import type { Request } from '../runtime/types.js'
import { referencedObjects } from './config-refs.js'
import type { IpAllocator, KubeletMemory } from './memory.js'
import { volumeSyncKey, volumeSyncUid } from './record-config.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const CHECKPOINT_FORMAT = 1

/**
 * Whether a start syncs the pod, as after a kubelet restart: every pod but a bound, Running and
 * Ready one not being deleted (whose sync would change nothing).
 */
export function needsStartSync(pod: KObject): boolean {
  const st = (pod.status ?? {}) as PodStatus
  const ready = st.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
  return !!pod.metadata.deletionTimestamp || st.phase !== 'Running' || !ready || !(pod.spec as { nodeName?: string } | undefined)?.nodeName
}

/** A pod a start does not sync, as prime remembers it: its uid and the ConfigMaps/Secrets it refers to. */
export interface QuietPod {
  /** The pod's namespace ('' when it has none). */
  namespace: string
  name: string
  uid: string
  /** As referencedObjects gives them (`configmaps/<name>`, `secrets/<name>`). */
  refs: string[]
}

/** The kubelet's key of a pod: `namespace/name`. */
const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`

/** A pod's start request. */
const startRequest = (namespace: string, name: string): Request => ({ resource: 'pods', namespace: namespace || undefined, name })

/** What prime remembers of a quiet pod. */
export function quietPod(pod: KObject): QuietPod {
  return { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name!, uid: pod.metadata.uid!, refs: referencedObjects(pod) }
}

/** Every pod as a start would see it now, kept current from the pods' events. */
export class StartView {
  /** The pods a start syncs, by key. */
  readonly startup = new Map<string, Request>()
  /** The other pods, by key. */
  readonly quiet = new Map<string, QuietPod>()

  /** Follows one event of a pod (for DELETED, its last state; `old`, its state before, when known). */
  observe(type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined, pod: KObject, old?: KObject): void {
    const namespace = pod.metadata.namespace ?? ''
    const key = keyOf(namespace, pod.metadata.name!)
    if (type === 'DELETED') {
      this.startup.delete(key)
      this.quiet.delete(key)
      return
    }
    const starts = needsStartSync(pod)
    // The same spec (a status write shares it) and the same answer: what the view holds stands.
    if (type === 'MODIFIED' && old && old.spec === pod.spec && old.metadata.uid === pod.metadata.uid && (starts ? this.startup.has(key) : this.quiet.has(key))) return
    if (starts) {
      this.quiet.delete(key)
      if (!this.startup.has(key)) this.startup.set(key, startRequest(namespace, pod.metadata.name!))
    } else {
      this.startup.delete(key)
      this.quiet.set(key, quietPod(pod))
    }
  }
}

/** The checkpoint as saved (tuples keep it small: one entry per pod). */
export interface KubeletCheckpoint {
  format: typeof CHECKPOINT_FORMAT
  /** Pods a start does not sync: namespace, name, uid, referenced objects. */
  quiet: Array<[string, string, string, string[]]>
  /** Pods a start syncs: namespace, name. */
  startup: Array<[string, string]>
  /** Pod addresses in use: uid, IP. */
  ips: Array<[string, string]>
  /** Pending refreshes of recorded volume contents: uid, due time (ms since the epoch). */
  volumeSyncs: Array<[string, number]>
}

/** The kubelet's memory a checkpoint covers. */
export interface CheckpointedMemory {
  view: StartView
  ips: IpAllocator
  mem: KubeletMemory
  /** Remembers a quiet pod as prime does. */
  remember(pod: QuietPod): void
}

/** The checkpoint of `m`. */
export function saveCheckpoint(m: CheckpointedMemory): KubeletCheckpoint {
  const volumeSyncs: Array<[string, number]> = []
  for (const [key, at] of m.mem.nextCheck) {
    const uid = volumeSyncUid(key)
    if (uid !== undefined) volumeSyncs.push([uid, at])
  }
  return {
    format: CHECKPOINT_FORMAT,
    quiet: [...m.view.quiet.values()].map((q) => [q.namespace, q.name, q.uid, q.refs]),
    startup: [...m.view.startup.values()].map((r) => [r.namespace ?? '', r.name]),
    ips: m.ips.entries(),
    volumeSyncs,
  }
}

/**
 * Restores a checkpoint into a new kubelet's memory, as prime over every pod and the watch
 * mappings over every object would have left it; returns the pods a start syncs, or undefined
 * (memory untouched) when `data` is not a checkpoint of this format.
 */
export function restoreCheckpoint(m: CheckpointedMemory, data: unknown): Request[] | undefined {
  const cp = parseCheckpoint(data)
  if (!cp) return undefined
  for (const [namespace, name, uid, refs] of cp.quiet) {
    const q: QuietPod = { namespace, name, uid, refs }
    m.view.quiet.set(keyOf(namespace, name), q)
    m.remember(q)
  }
  for (const [namespace, name] of cp.startup) m.view.startup.set(keyOf(namespace, name), startRequest(namespace, name))
  for (const [uid, ip] of cp.ips) m.ips.claim(uid, ip)
  for (const [uid, at] of cp.volumeSyncs) m.mem.nextCheck.set(volumeSyncKey(uid), at)
  return [...m.view.startup.values()]
}

/** `data` as a checkpoint, when it has exactly the saved shape. */
function parseCheckpoint(data: unknown): KubeletCheckpoint | undefined {
  if (!data || typeof data !== 'object') return undefined
  const d = data as Record<string, unknown>
  if (d.format !== CHECKPOINT_FORMAT) return undefined
  const ok =
    isList(d.quiet, (e) => isTuple(e, 4) && isString(e[0]) && isString(e[1]) && isString(e[2]) && isList(e[3], isString)) &&
    isList(d.startup, (e) => isTuple(e, 2) && isString(e[0]) && isString(e[1])) &&
    isList(d.ips, (e) => isTuple(e, 2) && isString(e[0]) && isString(e[1])) &&
    isList(d.volumeSyncs, (e) => isTuple(e, 2) && isString(e[0]) && Number.isFinite(e[1]))
  return ok ? (d as unknown as KubeletCheckpoint) : undefined
}

const isString = (v: unknown): v is string => typeof v === 'string'

function isList(v: unknown, each: (e: unknown) => boolean): boolean {
  return Array.isArray(v) && v.every(each)
}

function isTuple(v: unknown, n: number): v is unknown[] {
  return Array.isArray(v) && v.length === n
}
