/**
 * What the Deployment controller remembers between reconciles, and saves in its checkpoint in the
 * same shape: the known Deployments (prime's record) and which of them were not complete, and what
 * the ReplicaSet watch records of every ReplicaSet (its controlling Deployment, the orphans). A
 * restore builds these Maps and Sets from the saved pairs; a Deployment's record and a ReplicaSet's
 * owner are checked when first read, and one that turns out malformed is treated as absent and
 * the memory reported damaged (Checkpoint.damaged).
 */
import { isObjectKey, isSelectorSpec } from '../replicaset/checkpoint.js'
import { OrphanIndex, type OrphanMap } from '../replicaset/orphan-index.js'
import { rememberSelector } from '../replicaset/selector-index.js'
import { labelSelectorOf } from '../runtime/selector-memo.js'
import type { DeploymentCheckpoint, Known } from './checkpoint.js'

/** The memory as a checkpoint saves it. */
type SavedMemory = Omit<DeploymentCheckpoint, 'format'>

/** The Deployment controller's memory. */
export class DeploymentMemory {
  /** Known Deployments by `namespace/name`, in the order first known (the order the ReplicaSet watch wakes them in); selectors parsed by selectorOfSpec. */
  private known = new Map<string, Known>()
  /** Restored Deployments whose record has not been checked yet. */
  private unchecked = new Set<string>()
  /**
   * `namespace/name` of the known Deployments not complete when last seen: a start enqueues them.
   * Completeness reads only the Deployment, and every change to one enqueues it, so the state its
   * last reconcile read is its state now.
   */
  incomplete = new Set<string>()
  /** ReplicaSet uid → the `namespace/name` of the Deployment that controls it (from ReplicaSet events). */
  private rsOwner = new Map<string, string>()
  /** ReplicaSets without a controller (from ReplicaSet events): only those can be adopted. */
  readonly orphanRSs = new OrphanIndex()
  /** Whether a restored record turned out malformed (it was dropped). */
  damaged = false

  /** What is known of the Deployment `namespace/name`. */
  get(key: string): Known | undefined {
    const v = this.known.get(key)
    if (this.unchecked.size === 0 || !this.unchecked.delete(key)) return v
    return this.checked(key, v)
  }

  /** Records what is known of a Deployment, and whether it is complete. */
  put(key: string, known: Known, complete: boolean): void {
    if (this.unchecked.size) this.unchecked.delete(key)
    this.known.set(key, known)
    if (complete) this.incomplete.delete(key)
    else this.incomplete.add(key)
  }

  /** Forgets a Deployment. */
  delete(key: string): void {
    if (this.unchecked.size) this.unchecked.delete(key)
    this.known.delete(key)
    this.incomplete.delete(key)
  }

  /** The known Deployments of a namespace, with their `namespace/name`, in the order first known. */
  *inNamespace(ns: string): Generator<[string, Known]> {
    const prefix = `${ns}/`
    for (const [key, v] of this.known) {
      // A restored key that is not a string is never looked up; it is left as restored.
      if (typeof key !== 'string' || !key.startsWith(prefix)) continue
      const known = this.unchecked.size && this.unchecked.delete(key) ? this.checked(key, v) : v
      if (known) yield [key, known]
    }
  }

  /** A restored record, when well formed; else it is dropped (iterating `known` meanwhile is safe). */
  private checked(key: string, v: unknown): Known | undefined {
    if (isObjectKey(key) && isKnown(v)) return v
    this.damaged = true
    this.known.delete(key)
    this.incomplete.delete(key)
    return undefined
  }

  /** Records the Deployment controlling a ReplicaSet (none: forgets it). */
  setOwner(uid: string, owner: string | undefined): void {
    if (owner) this.rsOwner.set(uid, owner)
    else this.rsOwner.delete(uid)
  }

  /** The `namespace/name` of the Deployment controlling a ReplicaSet (a restored one checked here). */
  ownerOf(uid: string): string | undefined {
    const v: unknown = this.rsOwner.get(uid)
    if (isObjectKey(v) || (v === undefined && !this.rsOwner.has(uid))) return v
    this.damaged = true
    this.rsOwner.delete(uid)
    return undefined
  }

  /** Every part as saved (records never read since the restore as they were restored). */
  save(): SavedMemory {
    return { deployments: [...this.known], incomplete: [...this.incomplete], replicaSetOwners: [...this.rsOwner], orphanReplicaSets: this.orphanRSs.entries() }
  }

  /**
   * Replaces the memory with what `save` gave (its outline checked by the caller): a few Map and Set
   * constructions. False, changing nothing, when a part is not a list of pairs.
   */
  restore(saved: SavedMemory): boolean {
    let known: Map<string, Known>, rsOwner: Map<string, string>, orphans: OrphanMap
    try {
      known = new Map(saved.deployments)
      rsOwner = new Map(saved.replicaSetOwners)
      orphans = new Map(saved.orphanReplicaSets)
    } catch {
      return false
    }
    this.known = known
    this.unchecked = new Set(known.keys())
    this.incomplete = new Set(saved.incomplete)
    this.rsOwner = rsOwner
    this.orphanRSs.restore(orphans)
    this.damaged = false
    return true
  }
}

/** Whether a restored record is one: a selector spec that parses (expressions included) and a Recreate flag. */
function isKnown(v: unknown): v is Known {
  if (!Array.isArray(v) || v.length !== 2 || !isSelectorSpec(v[0]) || typeof v[1] !== 'boolean') return false
  const spec = v[0]
  if (!spec?.matchExpressions?.length) return true
  try {
    rememberSelector(spec, labelSelectorOf(spec))
    return true
  } catch {
    return false
  }
}
