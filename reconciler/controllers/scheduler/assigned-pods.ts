/**
 * The scheduler cache's assigned pods by key, and their term index: per `namespace\0key=value`
 * label, the keys of the pods carrying it, so that a counter built late reads only the pods that
 * can match its selector.
 *
 * Restored by parts (checkpoint.ts): the saved pods and term lists are kept in Maps beside the live
 * ones, as restored, and each is checked and moved over when first read — a pod made into its
 * PodInfo, a term's keys into a Set. A key is in one map or the other, never both; a lookup pays a
 * `size` test only, and only when the live map misses. A record that turns out malformed is
 * treated as absent and noted in `damaged`.
 */
import { isStrings, podInfoFrom, savedPodOf, type SavedPod } from './checkpoint.js'
import type { PodInfo } from './node-info.js'

/** The term of one label of a pod in `namespace`. */
export const termOf = (namespace: string, key: string, value: string): string => `${namespace}\u0000${key}=${value}`

/** Assigned pods and their term index; see the file's comment. */
export class AssignedPods {
  private readonly pods = new Map<string, PodInfo>()
  private readonly byTerm = new Map<string, Set<string>>()
  /** Restored pods not read since: their saved records, unchecked. */
  private unreadPods = new Map<string, SavedPod>()
  /** Restored terms not used since: their saved lists of keys, unchecked. */
  private unreadTerms = new Map<string, readonly string[]>()
  /** Whether a restored record turned out malformed (it was dropped). */
  damaged = false

  /** The pod `key`, if held. */
  get(key: string): PodInfo | undefined {
    return this.pods.get(key) ?? (this.unreadPods.size === 0 ? undefined : this.read(key))
  }

  /** The keys of every pod held. */
  keys(): string[] {
    return [...this.pods.keys(), ...this.unreadPods.keys()]
  }

  /** Every pod held (every restored one read now: the caller reads them all). */
  all(): IterableIterator<PodInfo> {
    for (const key of this.unreadPods.keys()) this.read(key)
    return this.pods.values()
  }

  /** The pods held on node `name`: of the restored ones, only those saved on it are read. */
  onNode(name: string): PodInfo[] {
    const out: PodInfo[] = []
    for (const p of this.pods.values()) if (p.nodeName === name) out.push(p)
    for (const [key, v] of this.unreadPods) {
      // A saved record names its node first; one that is not a list is read, to be found malformed.
      if (Array.isArray(v) && v[0] !== name) continue
      const p = this.read(key)
      if (p?.nodeName === name) out.push(p)
    }
    return out
  }

  /** The keys of the pods carrying `term`. */
  withTerm(term: string): Set<string> | undefined {
    return this.byTerm.get(term) ?? (this.unreadTerms.size === 0 ? undefined : this.readTerm(term))
  }

  /** Holds a pod whose key is not held (the cache removes any record of it first). */
  add(p: PodInfo): void {
    this.pods.set(p.key, p)
    for (const k in p.labels) {
      const t = termOf(p.namespace, k, p.labels[k])
      let set = this.withTerm(t)
      if (!set) this.byTerm.set(t, (set = new Set()))
      set.add(p.key)
    }
  }

  /** Forgets a pod; returns what was held. */
  remove(key: string): PodInfo | undefined {
    const p = this.get(key)
    if (!p) return undefined
    this.pods.delete(key)
    for (const k in p.labels) {
      const t = termOf(p.namespace, k, p.labels[k])
      const set = this.withTerm(t)
      if (set && set.delete(key) && !set.size) this.byTerm.delete(t)
    }
    return p
  }

  /** The pods and the term index as saved: the records never read as they were restored. */
  save(): { pods: Array<[string, SavedPod]>; podsByTerm: Array<[string, readonly string[]]> } {
    const pods: Array<[string, SavedPod]> = [...this.unreadPods]
    for (const [key, p] of this.pods) pods.push([key, savedPodOf(p)])
    const podsByTerm: Array<[string, readonly string[]]> = [...this.unreadTerms]
    for (const [t, set] of this.byTerm) podsByTerm.push([t, [...set]])
    return { pods, podsByTerm }
  }

  /** Holds what `save` gave, as Maps made from it (the records are checked when first read). */
  restore(pods: Map<string, SavedPod>, podsByTerm: Map<string, readonly string[]>): void {
    this.pods.clear()
    this.byTerm.clear()
    this.unreadPods = pods
    this.unreadTerms = podsByTerm
    this.damaged = false
  }

  /** A restored pod, checked and moved to the live map (dropped when malformed). */
  private read(key: string): PodInfo | undefined {
    if (!this.unreadPods.has(key)) return undefined
    const v = this.unreadPods.get(key)
    this.unreadPods.delete(key)
    const p = podInfoFrom(key, v)
    if (p) this.pods.set(key, p)
    else this.damaged = true
    return p
  }

  /** A restored term's keys, checked and made into a Set (dropped when malformed). */
  private readTerm(term: string): Set<string> | undefined {
    if (!this.unreadTerms.has(term)) return undefined
    const v = this.unreadTerms.get(term)
    this.unreadTerms.delete(term)
    if (!isStrings(v) || !v.length) {
      this.damaged = true
      return undefined
    }
    const set = new Set(v)
    this.byTerm.set(term, set)
    return set
  }
}
