/**
 * Which pods refer to which ConfigMaps and Secrets, both ways: what lets a change to one of them
 * wake the pods that use it. The kubelet keeps one for the pods it knows (KubeletMemory), and its
 * start view one for the pods a start does not sync (checkpoint.ts), which the checkpoint saves in
 * both directions. A restore puts the saved pairs back as they are (two Map constructions, no
 * pass over the pods): a pod's keys are checked, and an object's pods made into a Set, when first
 * read; a record that turns out malformed is dropped and the index reported damaged (see
 * Checkpoint.damaged in runtime/types.ts).
 */

/** The index's maps, as a restore builds them from the saved pairs. */
export interface RefMaps {
  /** Pod key (`namespace/name`) → the keys of the objects it refers to (`namespace/configmaps/name`); pods referring to none are left out. */
  byPod: Map<string, readonly string[]>
  /** Object key → the keys of the pods referring to it, in the order they came to (a restored list until first used). */
  byObject: Map<string, Set<string> | readonly string[]>
}

/** What `save` gives (both maps as pairs) and a restore reads back. */
export interface SavedRefs {
  byPod: Array<[string, readonly string[]]>
  byObject: Array<[string, readonly string[]]>
}

/** The maps of saved pairs (throws, having built nothing anyone holds, when a list is not of pairs). */
export function refMaps(saved: SavedRefs): RefMaps {
  return { byPod: new Map(saved.byPod), byObject: new Map(saved.byObject) }
}

/** Pod key → object keys, and object key → pod keys (each object's pods in the order they came to refer to it). */
export class RefIndex {
  private byPod = new Map<string, readonly string[]>()
  private byObject = new Map<string, Set<string> | readonly string[]>()
  /** Restored pods whose object keys have not been checked yet. */
  private unchecked = new Set<string>()
  /** Whether a restored record turned out malformed (it was dropped). */
  damaged = false

  /** Records what a pod refers to (replacing what was known): object keys, in its namespace. */
  set(podKey: string, objectKeys: readonly string[]): void {
    this.clear(podKey)
    if (!objectKeys.length) return
    this.byPod.set(podKey, objectKeys)
    for (const k of objectKeys) {
      const s = this.podsOf(k)
      if (s) s.add(podKey)
      else this.byObject.set(k, new Set([podKey]))
    }
  }

  /** Forgets a pod. */
  clear(podKey: string): void {
    for (const k of this.keysOf(podKey) ?? []) {
      const s = this.podsOf(k)
      s?.delete(podKey)
      if (s && !s.size) this.byObject.delete(k)
    }
    this.byPod.delete(podKey)
  }

  /** The keys of the pods referring to an object key, in the order they came to. */
  referring(objectKey: string): Iterable<string> {
    return this.podsOf(objectKey) ?? []
  }

  /** Both maps as pairs: a list restored and never read since is given back as it was. */
  save(): SavedRefs {
    const byObject = Array.from(this.byObject, ([k, v]): [string, readonly string[]] => [k, v instanceof Set ? [...v] : v])
    return { byPod: [...this.byPod], byObject }
  }

  /** Takes the restored maps as its own (refMaps built them; their records are checked as read). */
  adopt(maps: RefMaps): void {
    this.byPod = maps.byPod
    this.byObject = maps.byObject
    this.unchecked = new Set(maps.byPod.keys())
    this.damaged = false
  }

  /** A pod's object keys (a restored list checked on first read: the cheap size test first). */
  private keysOf(podKey: string): readonly string[] | undefined {
    const keys = this.byPod.get(podKey)
    if (this.unchecked.size === 0 || !this.unchecked.delete(podKey) || isStrings(keys)) return keys
    this.damaged = true
    this.byPod.delete(podKey)
    return undefined
  }

  /** An object's pods as a Set (a restored list checked and made into one on first use). */
  private podsOf(objectKey: string): Set<string> | undefined {
    const v = this.byObject.get(objectKey)
    if (v === undefined || v instanceof Set) return v
    const s = new Set<string>()
    for (const p of Array.isArray(v) ? (v as unknown[]) : []) {
      if (isPodKey(p)) s.add(p)
      else this.damaged = true
    }
    // A saved list is never empty: an object no pod refers to is not recorded.
    if (!Array.isArray(v) || !v.length) this.damaged = true
    if (!s.size) {
      this.byObject.delete(objectKey)
      return undefined
    }
    this.byObject.set(objectKey, s)
    return s
  }
}

/** Whether `v` is a pod key, `namespace/name` (what podsReferring splits into a request). */
function isPodKey(v: unknown): v is string {
  return typeof v === 'string' && /^[^/]*\/[^/]+$/.test(v)
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((e) => typeof e === 'string')
}
