/**
 * The endpoints controller's memory of the Services with a selector, to map a pod change to the
 * Services it concerns without looking at every Service: each Service's selector and when it was
 * first seen (a sequence number: a pod change wakes its Services in that order, as a walk over
 * every selector would), and an index by namespace and one term of each selector (a pod the
 * selector matches has every one of its terms: indexing under the first is enough).
 *
 * Both are kept in the shape the checkpoint saves, so that a restore is two Map constructions:
 * each Service record and each term's list is checked when first read, and one that turns out
 * malformed is treated as absent and the memory reported damaged (Checkpoint.damaged).
 */
import { isObjectKey, isObjectKeys } from '../replicaset/checkpoint.js'
import { isServiceRecord, type EndpointsCheckpoint, type ServiceRecord } from './checkpoint.js'
import { selectorMatches } from './subsets.js'

const NONE: readonly string[] = []

/** The index key of one selector term in a namespace. */
const termKey = (ns: string, k: string, v: string): string => `${ns}\u0000${k}=${v}`

/** The term a Service's selector is indexed under: its first. */
function termOf(ns: string, selector: Record<string, string>): string {
  const k = Object.keys(selector)[0]
  return termKey(ns, k, selector[k])
}

/** The namespace part of a `namespace/name` key. */
const namespaceOf = (key: string): string => key.slice(0, key.indexOf('/'))

/** Services with a selector, by `namespace/name`, and the index from a selector term to them. */
export class ServiceIndex {
  /** Per Service with a selector, in the order first seen: its record. */
  private services = new Map<string, ServiceRecord>()
  /** Per selector term: the Services indexed under it (any order). */
  private byTerm = new Map<string, readonly string[]>()
  /** Restored Services and terms not checked yet (tested by `size` first: nothing once all are read). */
  private uncheckedServices = new Set<string>()
  private uncheckedTerms = new Set<string>()
  /** The term lists made here since the last save: changed in place (any other, restored or saved, is copied first). */
  private own = new WeakSet<readonly string[]>()
  /** The next sequence number; a restored record's is below `restoredNext`. */
  private seq = 0
  private restoredNext = 0
  /** Whether a restored record turned out malformed (it was dropped). */
  damaged = false

  /** Whether no Service has a selector (a cluster of Deployments alone: no pod change concerns one). */
  get empty(): boolean {
    return this.byTerm.size === 0
  }

  /**
   * The Services in namespace `ns` whose selector matches one of the label sets (a pod's labels and
   * its old ones), in the order they were first seen.
   */
  matching(ns: string, labelSets: ReadonlyArray<Record<string, string> | undefined>): string[] {
    const found = new Set<string>()
    for (const labels of labelSets) {
      for (const [k, v] of Object.entries(labels ?? {})) for (const key of this.withTerm(termKey(ns, k, v))) found.add(key)
    }
    const hits: Array<[string, number]> = []
    for (const key of found) {
      const s = this.get(key)
      if (!s) {
        this.damaged = true // a Service indexed but not recorded: only a damaged checkpoint has one
        continue
      }
      if (labelSets.some((labels) => selectorMatches(s[0], labels))) hits.push([key, s[1]])
    }
    return hits.sort((a, b) => a[1] - b[1]).map(([key]) => key)
  }

  /** Remembers the (non-empty) selector of the Service `key` in namespace `ns`; first seen now unless known. */
  remember(key: string, ns: string, selector: Record<string, string>): void {
    const term = termOf(ns, selector)
    const prev = this.get(key)
    const prevTerm = prev && termOf(ns, prev[0])
    if (prevTerm !== term) {
      if (prevTerm !== undefined) this.unindex(prevTerm, key)
      this.index(term, key)
    }
    this.services.set(key, [selector, prev ? prev[1] : this.seq++])
  }

  /** Forgets a Service. */
  forget(key: string): void {
    const s = this.get(key)
    if (!s) return
    this.services.delete(key)
    this.unindex(termOf(namespaceOf(key), s[0]), key)
  }

  /** The record of the Service `key` (a restored one checked on first read: well formed, and indexed under its term). */
  private get(key: string): ServiceRecord | undefined {
    const v = this.services.get(key)
    if (this.uncheckedServices.size === 0 || !this.uncheckedServices.delete(key)) return v
    if (isObjectKey(key) && isServiceRecord(v, this.restoredNext) && this.withTerm(termOf(namespaceOf(key), v[0])).includes(key)) return v
    this.damaged = true
    this.services.delete(key)
    return undefined
  }

  /** The Services indexed under a term (a restored list checked on first read: a non-empty list of keys). */
  private withTerm(term: string): readonly string[] {
    const v = this.byTerm.get(term)
    if (this.uncheckedTerms.size === 0 || !this.uncheckedTerms.delete(term) || isObjectKeys(v)) return v ?? NONE
    this.damaged = true
    this.byTerm.delete(term)
    return NONE
  }

  private index(term: string, key: string): void {
    const list = this.withTerm(term)
    if (this.own.has(list)) return void (list as string[]).push(key)
    const copy = [...list, key]
    this.own.add(copy)
    this.byTerm.set(term, copy)
  }

  private unindex(term: string, key: string): void {
    const list = this.withTerm(term)
    const i = list.indexOf(key)
    if (i < 0) return
    if (list.length === 1) this.byTerm.delete(term)
    else if (this.own.has(list)) (list as string[]).splice(i, 1)
    else {
      const copy = list.filter((k) => k !== key)
      this.own.add(copy)
      this.byTerm.set(term, copy)
    }
  }

  /** Both parts as saved (records never read since the restore as they were restored). The lists handed out are not changed after. */
  save(): Omit<EndpointsCheckpoint, 'format'> {
    this.own = new WeakSet()
    return { services: [...this.services], terms: [...this.byTerm] }
  }

  /**
   * Replaces the memory with what `save` gave: two Maps, the records checked when first read.
   * False, changing nothing, when a part is not a list of pairs or the last Service (the latest
   * first seen, whose sequence number the next one follows) is not a record.
   */
  restore(saved: Omit<EndpointsCheckpoint, 'format'>): boolean {
    let services: Map<string, ServiceRecord>, byTerm: Map<string, readonly string[]>
    try {
      services = new Map(saved.services)
      byTerm = new Map(saved.terms)
    } catch {
      return false
    }
    const n = saved.services.length
    const last: unknown = n ? (saved.services[n - 1] as unknown[] | undefined)?.[1] : undefined
    if (n && !isServiceRecord(last, Number.MAX_SAFE_INTEGER)) return false
    this.services = services
    this.byTerm = byTerm
    this.uncheckedServices = new Set(services.keys())
    this.uncheckedTerms = new Set(byTerm.keys())
    this.own = new WeakSet()
    this.seq = this.restoredNext = n ? (last as ServiceRecord)[1] + 1 : 0
    this.damaged = false
    return true
  }
}
