/**
 * The scheduler cache's assigned pods by key, and their term index: per `namespace\0key=value`
 * label, the keys of the pods carrying it, so that a counter built late reads only the pods that
 * can match its selector.
 *
 * Both are PagedMaps (runtime/paged-map.ts; checkpoint.ts has their codecs): a restore reads and
 * checks a page of records only when one of its keys is first used — a pod made into its PodInfo
 * then, a term's keys kept as the saved list until the term changes (made into a Set then). A
 * record that turns out malformed is treated as absent and noted in `damaged`. Nothing here
 * iterates them but `keys` and `all`, which need every pod.
 */
import { PagedMap } from '../runtime/paged-map.js'
import { POD_RECORDS, POD_TERMS } from './checkpoint.js'
import type { PodInfo } from './node-info.js'

/** The term of one label of a pod in `namespace`. */
export const termOf = (namespace: string, key: string, value: string): string => `${namespace}\u0000${key}=${value}`

/** Assigned pods and their term index; see the file's comment. */
export class AssignedPods {
  private pods = new PagedMap<PodInfo>(POD_RECORDS)
  /** A term's pod keys: a Set, or the list restored (until the term changes). */
  private byTerm = new PagedMap<Set<string> | readonly string[]>(POD_TERMS)

  /** Whether a restored record turned out malformed (it was dropped). */
  get damaged(): boolean {
    return this.pods.damaged || this.byTerm.damaged
  }

  /** The pod `key`, if held. */
  get(key: string): PodInfo | undefined {
    return this.pods.get(key)
  }

  /** The keys of every pod held (every page read). */
  keys(): string[] {
    return [...this.pods.keys()]
  }

  /** Every pod held (every page read: the caller reads them all). */
  all(): IterableIterator<PodInfo> {
    return this.pods.values()
  }

  /** The keys of the pods carrying `term`. */
  withTerm(term: string): Iterable<string> | undefined {
    return this.byTerm.get(term)
  }

  /** Holds a pod whose key is not held (the cache removes any record of it first). */
  add(p: PodInfo): void {
    this.pods.set(p.key, p)
    for (const k in p.labels) {
      const t = termOf(p.namespace, k, p.labels[k])
      const set = this.termSet(t)
      if (set) set.add(p.key)
      else this.byTerm.set(t, new Set([p.key]))
    }
  }

  /** Forgets a pod; returns what was held. */
  remove(key: string): PodInfo | undefined {
    const p = this.pods.get(key)
    if (!p) return undefined
    this.pods.delete(key)
    for (const k in p.labels) {
      const t = termOf(p.namespace, k, p.labels[k])
      const set = this.termSet(t)
      if (set && set.delete(key) && !set.size) this.byTerm.delete(t)
    }
    return p
  }

  /** The pods and the term index as saved (PagedMaps: the store writes back the pages nothing changed). */
  save(): { pods: PagedMap<PodInfo>; podsByTerm: PagedMap<Set<string> | readonly string[]> } {
    return { pods: this.pods, podsByTerm: this.byTerm }
  }

  /** Holds restored PagedMaps (checkpoint.ts, savedPods) in place of everything. */
  restore(pods: PagedMap<PodInfo>, podsByTerm: PagedMap<Set<string> | readonly string[]>): void {
    this.pods = pods
    this.byTerm = podsByTerm
  }

  /**
   * The keys of the pods carrying `term` as a Set to change: a restored list made into one (and
   * put back, its page now changed). A Set held here was put by `set`: its page is written anew
   * at save, so changing it in place is saved.
   */
  private termSet(term: string): Set<string> | undefined {
    const v = this.byTerm.get(term)
    if (v === undefined || v instanceof Set) return v
    const set = new Set(v)
    this.byTerm.set(term, set)
    return set
  }
}
