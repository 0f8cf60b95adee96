/**
 * The ReplicaSet controller's checkpoint (see Checkpoint in runtime/types.ts): every ReplicaSet's
 * selector (the pod watch maps orphan pods with them) and whether it was settled when last seen
 * (what `prime` enqueues a start for), and the pods without a controller by namespace (the pod
 * watch's orphan index). The guards here serve the Deployment controller's checkpoint too.
 *
 * Example: { format: 1, replicasets: [['shop', 'web-5d4f', { matchLabels: { app: 'web' } }, true]], orphanPods: [['shop', ['debug']]] }.
 */
import { isPlainObject } from '../../api/object.js'
import type { LabelSelectorSpec } from '../../api/selectors/index.js'
import type { OrphanEntries } from './orphan-index.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const REPLICASET_CHECKPOINT_FORMAT = 1

/** One ReplicaSet: namespace, name, selector spec (null when none), settled when last seen. */
export type SavedReplicaSet = [string, string, LabelSelectorSpec | null, boolean]

/** The saved data. */
export interface ReplicaSetCheckpoint {
  format: number
  /** In the order the pod watch walks a namespace's selectors. */
  replicasets: SavedReplicaSet[]
  orphanPods: OrphanEntries
}

/** The checkpoint in `data`, or undefined when it is not one of this format (never throws). */
export function decodeReplicaSetCheckpoint(data: unknown): ReplicaSetCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== REPLICASET_CHECKPOINT_FORMAT || !Array.isArray(data.replicasets)) return undefined
  const orphanPods = decodeOrphanEntries(data.orphanPods)
  if (!orphanPods) return undefined
  const replicasets: SavedReplicaSet[] = []
  for (const row of data.replicasets) {
    if (!Array.isArray(row) || row.length !== 4) return undefined
    const [ns, name, spec, settled] = row as unknown[]
    if (typeof ns !== 'string' || !isName(name) || !isSelectorSpec(spec) || typeof settled !== 'boolean') return undefined
    replicasets.push([ns, name, spec, settled])
  }
  return { format: REPLICASET_CHECKPOINT_FORMAT, replicasets, orphanPods }
}

/** Saved orphan entries, or undefined when `data` is not a list of [namespace, names] (never throws). */
export function decodeOrphanEntries(data: unknown): OrphanEntries | undefined {
  if (!Array.isArray(data)) return undefined
  const out: OrphanEntries = []
  for (const row of data) {
    if (!Array.isArray(row) || row.length !== 2 || typeof row[0] !== 'string' || !isStrings(row[1])) return undefined
    out.push([row[0], row[1]])
  }
  return out
}

/** Whether `v` could be a label selector spec as JSON keeps one (null: none). Its terms are checked when parsed. */
export function isSelectorSpec(v: unknown): v is LabelSelectorSpec | null {
  if (v === null) return true
  if (!isPlainObject(v)) return false
  const { matchLabels, matchExpressions } = v
  if (matchLabels != null && (!isPlainObject(matchLabels) || !Object.values(matchLabels).every((x) => typeof x === 'string'))) return false
  if (matchExpressions == null) return true
  return Array.isArray(matchExpressions) && matchExpressions.every((e) => isPlainObject(e) && typeof e.key === 'string' && typeof e.operator === 'string' && (e.values == null || isStrings(e.values)))
}

/** Whether `v` is a non-empty string (an object's name). */
export function isName(v: unknown): v is string {
  return typeof v === 'string' && v !== ''
}

/** Whether `v` is an array of strings. */
export function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string')
}
