/**
 * Which pods refer to which ConfigMaps and Secrets, both ways: what lets a change to one of them
 * wake the pods that use it. The kubelet keeps one for the pods it knows (KubeletMemory), and its
 * start view one for the pods a start does not sync (checkpoint.ts), which the checkpoint saves in
 * both directions. Both directions are PagedMaps (runtime/paged-map.ts): a restore keeps the
 * saved pages as they are, a page of records is read and checked when one of its keys is first
 * used, and an object's pods are made into a Set only when changed; a record that turns out
 * malformed is left out and the index reported damaged (see Checkpoint.damaged in runtime/types.ts).
 */
import { isStrings } from '../../api/object.js'
import { PagedMap, type PagedCodec } from '../runtime/paged-map.js'

/** The index's maps, as a restore builds them from the saved data. */
export interface RefMaps {
  /** Pod key (`namespace/name`) → the keys of the objects it refers to (`namespace/configmaps/name`); pods referring to none are left out. */
  byPod: PagedMap<readonly string[]>
  /** Object key → the keys of the pods referring to it, in the order they came to (a restored list until changed). */
  byObject: PagedMap<Set<string> | readonly string[]>
}

/** What `save` gives (both maps; as JSON, pairs) and a restore reads back (pairs, or a store's pages). */
export interface SavedRefs {
  byPod: unknown
  byObject: unknown
}

/** A pod's object keys: a list of strings. */
const OBJECT_KEYS: PagedCodec<readonly string[]> = { check: (_key, v) => (isStrings(v) ? v : undefined) }

/** An object's pods: saved as the non-empty list of their keys (an object no pod refers to is not recorded). */
const POD_KEYS: PagedCodec<Set<string> | readonly string[]> = {
  check: (_key, v) => (Array.isArray(v) && v.length > 0 && v.every(isPodKey) ? (v as string[]) : undefined),
  encode: (_key, v) => (v instanceof Set ? [...v] : v),
}

/** The maps of saved data (throws, having built nothing anyone holds, when a part is neither pairs nor pages). */
export function refMaps(saved: SavedRefs): RefMaps {
  return { byPod: PagedMap.restore(saved.byPod, OBJECT_KEYS), byObject: PagedMap.restore(saved.byObject, POD_KEYS) }
}

/** Pod key → object keys, and object key → pod keys (each object's pods in the order they came to refer to it). */
export class RefIndex {
  private byPod = new PagedMap<readonly string[]>(OBJECT_KEYS)
  private byObject = new PagedMap<Set<string> | readonly string[]>(POD_KEYS)

  /** Whether a restored record turned out malformed (it was dropped). */
  get damaged(): boolean {
    return this.byPod.damaged || this.byObject.damaged
  }

  /** Records what a pod refers to (replacing what was known): object keys, in its namespace. */
  set(podKey: string, objectKeys: readonly string[]): void {
    // The same keys again (every sync, a status write): nothing changes, not even the order.
    const known = this.byPod.get(podKey)
    if (known ? sameKeys(known, objectKeys) : !objectKeys.length) return
    this.clear(podKey)
    if (!objectKeys.length) return
    this.byPod.set(podKey, objectKeys)
    for (const k of objectKeys) {
      const s = this.podsToChange(k)
      if (s) s.add(podKey)
      else this.byObject.set(k, new Set([podKey]))
    }
  }

  /** Forgets a pod. */
  clear(podKey: string): void {
    const keys = this.byPod.get(podKey)
    if (!keys) return
    for (const k of keys) {
      const s = this.podsToChange(k)
      s?.delete(podKey)
      if (s && !s.size) this.byObject.delete(k)
    }
    this.byPod.delete(podKey)
  }

  /** The keys of the pods referring to an object key, in the order they came to. */
  referring(objectKey: string): Iterable<string> {
    return this.byObject.get(objectKey) ?? []
  }

  /** Both maps (PagedMaps: a page nothing changed since the restore is saved as it was). */
  save(): RefMaps {
    return { byPod: this.byPod, byObject: this.byObject }
  }

  /** Takes the restored maps as its own (refMaps built them; their pages are checked as read). */
  adopt(maps: RefMaps): void {
    this.byPod = maps.byPod
    this.byObject = maps.byObject
  }

  /** An object's pods as a Set, to change (a restored list made into one: its page is written anew anyway). */
  private podsToChange(objectKey: string): Set<string> | undefined {
    const v = this.byObject.get(objectKey)
    if (v === undefined || v instanceof Set) return v
    const s = new Set(v)
    this.byObject.set(objectKey, s)
    return s
  }
}

/** Whether two lists of keys are the same, in the same order. */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i])
}

/** Whether `v` is a pod key, `namespace/name` (what podsReferring splits into a request). */
function isPodKey(v: unknown): v is string {
  return typeof v === 'string' && /^[^/]*\/[^/]+$/.test(v)
}

