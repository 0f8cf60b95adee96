/**
 * The garbage collector's memory as saved beside the resume point (runtime/types.ts, Checkpoint):
 * the owner index (each dependent's key and the keys of its owners), the uids of the observed
 * owners that have dependents (see the controller's save), and the owners noted deleted or replaced whose old dependents are still to be checked. The index
 * is saved least recently changed first, so that restoring it keeps each owner's dependents in
 * the order they are checked in.
 *
 * Example: { format: 1, owned: [['Pod/shop/web-1', 'ReplicaSet/shop/web']], solid: [['ReplicaSet/shop/web', 'uid-1']], replaced: [] }.
 */
import { kindByName } from '../../api/kinds.js'
import type { DependentEntry } from './dependents.js'

/** The format of the saved data; a restore of any other says the data is unusable. */
export const GC_CHECKPOINT_FORMAT = 1

/** The saved data. */
export interface GcCheckpoint {
  format: number
  /** Per recorded dependent: its `Kind/namespace/name`, then its owner keys, in reference order. */
  owned: string[][]
  /** Per observed owner (exists, not being deleted) with dependents recorded: its `Kind/namespace/name` and its uid. */
  solid: Array<[string, string]>
  /** The owner keys noted deleted or replaced and not reconciled yet. */
  replaced: string[]
}

/** The memory a checkpoint restores, decoded. */
export interface GcMemory {
  owned: Array<{ key: string; entry: DependentEntry; owners: string[] }>
  solid: Array<[string, string]>
  replaced: string[]
}

/** Saves the memory (its parts as the controller holds them). */
export function encodeMemory(owned: Iterable<[string, string[]]>, solid: Iterable<[string, string]>, replaced: Iterable<string>): GcCheckpoint {
  const out: GcCheckpoint = { format: GC_CHECKPOINT_FORMAT, owned: [], solid: [...solid], replaced: [...replaced] }
  for (const [key, owners] of owned) out.owned.push([key, ...owners])
  return out
}

/** The memory in `data`, or undefined when it is not a checkpoint of this format (never throws on bad shapes). */
export function decodeMemory(data: unknown): GcMemory | undefined {
  if (!isRecord(data) || data.format !== GC_CHECKPOINT_FORMAT) return undefined
  const { owned, solid, replaced } = data
  if (!Array.isArray(owned) || !Array.isArray(solid) || !isStrings(replaced)) return undefined
  const out: GcMemory = { owned: [], solid: [], replaced }
  for (const row of owned) {
    if (!isStrings(row) || row.length < 2) return undefined
    const entry = dependentEntry(row[0])
    if (!entry) return undefined
    out.owned.push({ key: row[0], entry, owners: row.slice(1) })
  }
  for (const pair of solid) {
    if (!isStrings(pair) || pair.length !== 2) return undefined
    out.solid.push([pair[0], pair[1]])
  }
  return out
}

/** The index entry of a dependent's `Kind/namespace/name` (its resource from its kind), if the key is one. */
function dependentEntry(key: string): DependentEntry | undefined {
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

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string')
}
