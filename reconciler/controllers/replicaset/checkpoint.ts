/**
 * The ReplicaSet controller's checkpoint (see Checkpoint in runtime/types.ts): every ReplicaSet's
 * selector by namespace (the pod watch maps orphan pods with them), the ReplicaSets not settled
 * when last seen (what `prime` enqueues a start for), and the pods without a controller by
 * namespace (the pod watch's orphan index). Each part is saved in the shape the controller holds
 * it, so that a restore checks the outline and builds a few Maps and Sets: a namespace's
 * selectors and orphans are checked when the controller first reads them (see Checkpoint.damaged
 * for one that turns out malformed). The guards here serve the Deployment controller's
 * checkpoint too.
 *
 * Example: { format: 2, selectors: [['shop', [['web-5d4f', { matchLabels: { app: 'web' } }]]]],
 * unsettled: ['shop/api-7c9b'], orphanPods: [['shop', ['debug']]] }.
 */
import { isPlainObject, isStrings } from '../../api/object.js'
import type { LabelSelectorSpec } from '../../api/selectors/index.js'
import type { Request } from '../runtime/types.js'
import type { OrphanEntries } from './orphan-index.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const REPLICASET_CHECKPOINT_FORMAT = 2

/** One namespace's ReplicaSets: each name and selector spec (null when none), in the order the pod watch walks them. */
export type SavedSelectors = ReadonlyArray<[string, LabelSelectorSpec | null]>

/** The saved data. */
export interface ReplicaSetCheckpoint {
  format: number
  /** Per namespace with ReplicaSets: their selectors. */
  selectors: Array<[string, SavedSelectors]>
  /** `namespace/name` of each ReplicaSet not settled when last seen. */
  unsettled: string[]
  orphanPods: OrphanEntries
}

/**
 * The data in `data` when its outline is a checkpoint of this format, else undefined (never
 * throws). The outline only, and the unsettled keys (a restore turns them into requests at once):
 * the selectors and orphans are checked as the controller first reads them.
 */
export function decodeReplicaSetCheckpoint(data: unknown): ReplicaSetCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== REPLICASET_CHECKPOINT_FORMAT) return undefined
  const { selectors, unsettled, orphanPods } = data
  if (!Array.isArray(selectors) || !Array.isArray(orphanPods) || !isObjectKeys(unsettled)) return undefined
  return { format: REPLICASET_CHECKPOINT_FORMAT, selectors: selectors as ReplicaSetCheckpoint['selectors'], unsettled, orphanPods: orphanPods as OrphanEntries }
}

/** The request for the object `namespace/name` of `resource` (an empty namespace: none). */
export function requestOfKey(resource: string, key: string): Request {
  const slash = key.indexOf('/')
  return { resource, namespace: key.slice(0, slash) || undefined, name: key.slice(slash + 1) }
}

/** Whether `v` is an object's `namespace/name` (the namespace may be empty, the name not). */
export function isObjectKey(v: unknown): v is string {
  if (typeof v !== 'string') return false
  const slash = v.indexOf('/')
  return slash >= 0 && slash < v.length - 1
}

/** Whether `v` is a list of object keys. */
export function isObjectKeys(v: unknown): v is string[] {
  return Array.isArray(v) && v.every(isObjectKey)
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

/** Whether `v` is a non-empty list of names. */
export function isNames(v: unknown): v is string[] {
  return Array.isArray(v) && v.length > 0 && v.every(isName)
}

