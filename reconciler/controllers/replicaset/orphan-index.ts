/**
 * Which objects of one watched kind have no controller, by namespace, kept from a controller's
 * watch (every ADDED, MODIFIED and DELETED passes through it, an incremental start's unchanged
 * objects included). Claiming can adopt only such orphans, so a namespace without any lets a sync
 * take its candidates from the owner index alone instead of listing by label (see
 * indexedCandidates). The watch and the API's cache are updated by the same write, before it
 * returns; an orphan seen late would only be adopted on the pass its own event enqueues, as with
 * upstream's informer caches.
 */
import type { KObject } from '../../api/object.js'
import { isNames } from './checkpoint.js'
import { controllerRefOf } from './pod-util.js'

/** The index as a checkpoint saves it: per namespace with orphans, their names. */
export type OrphanEntries = Array<[string, readonly string[]]>

/** The index's own form: per namespace, its orphans (a restored list until first read). */
export type OrphanMap = Map<string, Set<string> | readonly string[]>

/** Names of the objects without a controller reference, by namespace. */
export class OrphanIndex {
  /** A restored namespace's names stay the saved list until first read (then checked and made a Set). */
  private byNamespace: OrphanMap = new Map()
  /**
   * Whether the watch has delivered anything: an informer starts with every existing object, so
   * from its first event on the index is complete. Until then (no object of the kind yet, or a
   * reconcile called without the watch, as some tests do) nothing is known.
   */
  private watching = false
  /** Whether a restored namespace's list turned out malformed (it was dropped: see Checkpoint.damaged). */
  damaged = false

  /** Records one change seen by the watch. */
  observe(type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined, obj: KObject): void {
    this.watching = true
    const ns = obj.metadata.namespace ?? ''
    const name = obj.metadata.name ?? ''
    let set = this.namesIn(ns)
    if (type !== 'DELETED' && !controllerRefOf(obj)) {
      if (!set) this.byNamespace.set(ns, (set = new Set()))
      set.add(name)
      return
    }
    if (!set?.delete(name)) return
    if (set.size === 0) this.byNamespace.delete(ns)
  }

  /** Whether the watch is delivering and has seen no orphan in the namespace. */
  noneIn(namespace: string | undefined): boolean {
    return this.watching && !this.namesIn(namespace ?? '')
  }

  /** The orphans of a namespace (a restored list checked and made a Set on first read; a malformed one is dropped). */
  private namesIn(ns: string): Set<string> | undefined {
    const v = this.byNamespace.get(ns)
    if (v instanceof Set || (v === undefined && !this.byNamespace.has(ns))) return v
    if (!isNames(v)) {
      this.damaged = true
      this.byNamespace.delete(ns)
      return undefined
    }
    const set = new Set(v)
    this.byNamespace.set(ns, set)
    return set
  }

  /** The orphans by namespace, for a checkpoint (a list never read since the restore as it was restored). */
  entries(): OrphanEntries {
    return Array.from(this.byNamespace, ([ns, names]): [string, readonly string[]] => [ns, names instanceof Set ? [...names] : names])
  }

  /**
   * Replaces the index with saved entries made a Map (`new Map(entries)`, which throws when they
   * are not a list of pairs; each namespace's list is checked when first read). A checkpoint is
   * saved from a complete index, and the changes since arrive as events, so the index is complete
   * from here on (as after a watch's first event).
   */
  restore(byNamespace: OrphanMap): void {
    this.byNamespace = byNamespace
    this.watching = true
    this.damaged = false
  }
}
