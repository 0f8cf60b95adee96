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
import { controllerRefOf } from './pod-util.js'

/** The index as a checkpoint saves it: per namespace with orphans, their names. */
export type OrphanEntries = Array<[string, string[]]>

/** Names of the objects without a controller reference, by namespace. */
export class OrphanIndex {
  private readonly byNamespace = new Map<string, Set<string>>()
  /**
   * Whether the watch has delivered anything: an informer starts with every existing object, so
   * from its first event on the index is complete. Until then (no object of the kind yet, or a
   * reconcile called without the watch, as some tests do) nothing is known.
   */
  private watching = false

  /** Records one change seen by the watch. */
  observe(type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined, obj: KObject): void {
    this.watching = true
    const ns = obj.metadata.namespace ?? ''
    const name = obj.metadata.name ?? ''
    if (type !== 'DELETED' && !controllerRefOf(obj)) {
      let set = this.byNamespace.get(ns)
      if (!set) this.byNamespace.set(ns, (set = new Set()))
      set.add(name)
      return
    }
    const set = this.byNamespace.get(ns)
    if (!set?.delete(name)) return
    if (set.size === 0) this.byNamespace.delete(ns)
  }

  /** Whether the watch is delivering and has seen no orphan in the namespace. */
  noneIn(namespace: string | undefined): boolean {
    return this.watching && !this.byNamespace.has(namespace ?? '')
  }

  /** The orphans by namespace, for a checkpoint. */
  entries(): OrphanEntries {
    return [...this.byNamespace].map(([ns, names]) => [ns, [...names]])
  }

  /**
   * Replaces the index with saved entries. A checkpoint is saved from a complete index, and the
   * changes since arrive as events, so the index is complete from here on (as after a watch's first event).
   */
  restore(entries: OrphanEntries): void {
    this.byNamespace.clear()
    for (const [ns, names] of entries) if (names.length) this.byNamespace.set(ns, new Set(names))
    this.watching = true
  }
}
