/**
 * The garbage collector's memory as saved beside the resume point (runtime/types.ts, Checkpoint):
 * the owner index in both directions (each dependent's key and the keys of its owners; each
 * owner's key and its dependents' keys in the order they are checked), the uids of the observed
 * owners, and the owners noted deleted or replaced whose old dependents are still to be checked.
 * The index's two directions and the observed owners are PagedMaps
 * (runtime/paged-map.ts), stored by pages, so that a restore reads and checks only the pages of
 * the records a command touches, and a save encodes only the pages it changed (see
 * Checkpoint.damaged for a record that turns out malformed).
 *
 * Example (as JSON): { format: 3, owned: [['Pod/shop/web-1', ['ReplicaSet/shop/web']]],
 * dependents: [['ReplicaSet/shop/web', ['Pod/shop/web-1']]], solid: [['ReplicaSet/shop/web', 'uid-1']], replaced: [] }.
 */
import { isStrings } from '../../api/object.js'
import { kindByName } from '../../api/kinds.js'
import { isPairsOrPages } from '../runtime/paged-map.js'
import type { DependentEntry } from './dependents.js'

/** The format of the saved data; a restore of any other says the data is unusable. */
export const GC_CHECKPOINT_FORMAT = 3

/** The saved data. */
export interface GcCheckpoint {
  format: number
  /** Per recorded dependent: its `Kind/namespace/name` and its owner keys, in reference order (pairs, or a store's pages). */
  owned: unknown
  /** Per owner with dependents recorded: its key and its dependents' keys, in the order they are checked (pairs, or a store's pages). */
  dependents: unknown
  /** Per observed owner (exists, not being deleted): its `Kind/namespace/name` and its uid (pairs, or a store's pages). */
  solid: unknown
  /** The owner keys noted deleted or replaced and not reconciled yet. */
  replaced: string[]
}

/**
 * The data in `data` when its outline is a checkpoint of this format, else undefined (never
 * throws). Only the outline: its records are checked as the index first reads them
 * (OwnerIndex), so a restore is not a pass over every record.
 */
export function decodeMemory(data: unknown): GcCheckpoint | undefined {
  if (!isRecord(data) || data.format !== GC_CHECKPOINT_FORMAT) return undefined
  const { owned, dependents, solid, replaced } = data
  if (!isPairsOrPages(owned) || !isPairsOrPages(dependents) || !isPairsOrPages(solid) || !isStrings(replaced)) return undefined
  return { format: GC_CHECKPOINT_FORMAT, owned, dependents, solid, replaced }
}

/** Whether a restored record's list of keys is one: a non-empty list of strings. */
export function isKeyList(v: unknown): v is string[] {
  return isStrings(v) && v.length > 0
}

/** The index entry of a dependent's `Kind/namespace/name` (its resource from its kind), if the key is one. */
export function dependentEntry(key: string): DependentEntry | undefined {
  const parts = key.split('/')
  if (parts.length !== 3) return undefined
  const [kind, namespace, name] = parts
  const k = kindByName(kind)
  if (!k || !name || k.namespaced !== !!namespace) return undefined
  return { resource: k.plural, namespace: namespace || undefined, name }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

