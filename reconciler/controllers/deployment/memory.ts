/**
 * What the Deployment controller remembers between reconciles, and saves in its checkpoint in the
 * same shape: the known Deployments (prime's record) and which of them were not complete, and what
 * the ReplicaSet watch records of every ReplicaSet (its controlling Deployment, the orphans). The
 * known Deployments and the ReplicaSets' owners are PagedMaps (runtime/paged-map.ts): a restore
 * keeps their saved pages, a page of records is read and checked when one of its keys is first
 * used, and a record that turns out malformed is left out and the memory reported damaged
 * (Checkpoint.damaged).
 */
import { jsonEqual } from '../../api/object.js'
import { isObjectKey, isSelectorSpec } from '../replicaset/checkpoint.js'
import { OrphanIndex, type OrphanMap } from '../replicaset/orphan-index.js'
import { rememberSelector } from '../replicaset/selector-index.js'
import { PagedMap, type PagedCodec } from '../runtime/paged-map.js'
import { labelSelectorOf } from '../runtime/selector-memo.js'
import type { DeploymentCheckpoint, Known } from './checkpoint.js'

/** The memory as a checkpoint saves it (its PagedMaps themselves: as JSON, pairs). */
type SavedMemory = Omit<DeploymentCheckpoint, 'format'>

/** The Deployment controller's memory. */
export class DeploymentMemory {
  /** Known Deployments by `namespace/name`; selectors parsed by selectorOfSpec. */
  private known = new PagedMap<Known>(KNOWN)
  /**
   * `namespace/name` of the known Deployments not complete when last seen: a start enqueues them.
   * Completeness reads only the Deployment, and every change to one enqueues it, so the state its
   * last reconcile read is its state now.
   */
  incomplete = new Set<string>()
  /** ReplicaSet uid → the `namespace/name` of the Deployment that controls it (from ReplicaSet events). */
  private rsOwner = new PagedMap<string>(OWNERS)
  /** ReplicaSets without a controller (from ReplicaSet events): only those can be adopted. */
  readonly orphanRSs = new OrphanIndex()

  /** Whether a restored record turned out malformed (it was dropped). */
  get damaged(): boolean {
    return this.known.damaged || this.rsOwner.damaged
  }

  /** What is known of the Deployment `namespace/name`. */
  get(key: string): Known | undefined {
    return this.known.get(key)
  }

  /** Records what is known of a Deployment, and whether it is complete. */
  put(key: string, known: Known, complete: boolean): void {
    // Every reconcile records it: set only when it changed, so its page stays as restored.
    const had = this.known.get(key)
    if (!had || had[1] !== known[1] || !jsonEqual(had[0], known[0])) this.known.set(key, known)
    if (complete) this.incomplete.delete(key)
    else this.incomplete.add(key)
  }

  /** Forgets a Deployment. */
  delete(key: string): void {
    if (this.known.has(key)) this.known.delete(key)
    this.incomplete.delete(key)
  }

  /**
   * The known Deployments of a namespace, with their `namespace/name`, in no particular order (a
   * restored memory's follows its pages). Reads every page: only an orphan ReplicaSet asks.
   */
  *inNamespace(ns: string): Generator<[string, Known]> {
    const prefix = `${ns}/`
    for (const [key, known] of this.known) if (key.startsWith(prefix)) yield [key, known]
  }

  /** Records the Deployment controlling a ReplicaSet (none: forgets it). */
  setOwner(uid: string, owner: string | undefined): void {
    if (owner) {
      if (this.rsOwner.get(uid) !== owner) this.rsOwner.set(uid, owner)
    } else if (this.rsOwner.has(uid)) this.rsOwner.delete(uid)
  }

  /** The `namespace/name` of the Deployment controlling a ReplicaSet. */
  ownerOf(uid: string): string | undefined {
    return this.rsOwner.get(uid)
  }

  /** Every part as saved (the PagedMaps themselves: a page nothing changed since the restore is saved as it was). */
  save(): SavedMemory {
    return { deployments: this.known, incomplete: [...this.incomplete], replicaSetOwners: this.rsOwner, orphanReplicaSets: this.orphanRSs.entries() }
  }

  /**
   * Replaces the memory with what `save` gave (its outline checked by the caller): two PagedMaps
   * kept as pages, a Map and a Set. False, changing nothing, when a part is neither pairs nor pages.
   */
  restore(saved: SavedMemory): boolean {
    let known: PagedMap<Known>, rsOwner: PagedMap<string>, orphans: OrphanMap
    try {
      known = PagedMap.restore(saved.deployments, KNOWN)
      rsOwner = PagedMap.restore(saved.replicaSetOwners, OWNERS)
      orphans = new Map(saved.orphanReplicaSets)
    } catch {
      return false
    }
    this.known = known
    this.incomplete = new Set(saved.incomplete)
    this.rsOwner = rsOwner
    this.orphanRSs.restore(orphans)
    return true
  }
}

/** A known Deployment's record, under its `namespace/name`. */
const KNOWN: PagedCodec<Known> = { check: (key, v) => (isObjectKey(key) && isKnown(v) ? v : undefined) }

/** The `namespace/name` of a ReplicaSet's controlling Deployment. */
const OWNERS: PagedCodec<string> = { check: (_key, v) => (isObjectKey(v) ? v : undefined) }

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
