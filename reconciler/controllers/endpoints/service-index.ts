/**
 * The endpoints controller's memory of the Services with a selector, to map a pod change to the
 * Services it concerns without looking at every Service: each Service's selector and when it was
 * first seen (a sequence number: a pod change wakes its Services in that order, as a walk over
 * every selector would), and an index by namespace and one term of each selector (a pod the
 * selector matches has every one of its terms: indexing under the first is enough).
 *
 * Both are PagedMaps (runtime/paged-map.ts) in the shape the checkpoint saves: a restore keeps the
 * saved pages, a page of records is read and checked when one of its keys is first used, and a
 * restored Service is checked against the term index when first read; a record that turns out
 * malformed is treated as absent and the memory reported damaged (Checkpoint.damaged).
 */
import { isObjectKey, isObjectKeys } from '../replicaset/checkpoint.js'
import { PagedMap, type PagedCodec } from '../runtime/paged-map.js'
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

/** A Service's record, under its `namespace/name`, first seen before `next`. */
const recordsBelow = (next: number): PagedCodec<ServiceRecord> => ({ check: (key, v) => (isObjectKey(key) && isServiceRecord(v, next) ? v : undefined) })

/** A term's Services: a non-empty list of keys. */
const TERM_LISTS: PagedCodec<readonly string[]> = { check: (_key, v) => (isObjectKeys(v) && v.length > 0 ? v : undefined) }

/** Services with a selector, by `namespace/name`, and the index from a selector term to them. */
export class ServiceIndex {
  /** Per Service with a selector: its record. */
  private services = new PagedMap<ServiceRecord>(recordsBelow(0))
  /** Per selector term: the Services indexed under it (any order). */
  private byTerm = new PagedMap<readonly string[]>(TERM_LISTS)
  /**
   * Of a restored memory, the Services found indexed under their term since (each checked when
   * first read); undefined when nothing was restored.
   */
  private indexed: Set<string> | undefined
  /** Whether a restored Service turned out not indexed under its term (it was dropped), or a term to index a Service not recorded. */
  private inconsistent = false
  /** The term lists made here since the last save: changed in place (any other, restored or saved, is copied first). */
  private own = new WeakSet<readonly string[]>()
  /** The next sequence number. */
  private seq = 0

  /** Whether a restored record turned out malformed (it was dropped). */
  get damaged(): boolean {
    return this.inconsistent || this.services.damaged || this.byTerm.damaged
  }

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
        this.inconsistent = true // a Service indexed but not recorded: only a damaged checkpoint has one
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
    // Every reconcile remembers it: set only when the selector changed (as saved, keys in order), so its page stays as restored.
    if (!prev || !sameSelector(prev[0], selector)) this.services.set(key, [selector, prev ? prev[1] : this.seq++])
    this.indexed?.add(key)
  }

  /** Forgets a Service. */
  forget(key: string): void {
    const s = this.get(key)
    if (!s) return
    this.services.delete(key)
    this.indexed?.delete(key)
    this.unindex(termOf(namespaceOf(key), s[0]), key)
  }

  /** The record of the Service `key` (a restored one checked against the term index on first read). */
  private get(key: string): ServiceRecord | undefined {
    const v = this.services.get(key)
    if (v === undefined || !this.indexed || this.indexed.has(key)) return v
    if (this.withTerm(termOf(namespaceOf(key), v[0])).includes(key)) {
      this.indexed.add(key)
      return v
    }
    this.inconsistent = true
    this.services.delete(key)
    return undefined
  }

  /** The Services indexed under a term. */
  private withTerm(term: string): readonly string[] {
    return this.byTerm.get(term) ?? NONE
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

  /** Both maps as saved (PagedMaps: a page nothing changed since the restore is saved as it was), and the next sequence number. The lists handed out are not changed after. */
  save(): Omit<EndpointsCheckpoint, 'format'> {
    this.own = new WeakSet()
    return { next: this.seq, services: this.services, terms: this.byTerm }
  }

  /**
   * Replaces the memory with what `save` gave (its outline checked by the caller): two PagedMaps
   * kept as pages, their records checked when first read. False, changing nothing, when a part is
   * neither pairs nor pages.
   */
  restore(saved: Omit<EndpointsCheckpoint, 'format'>): boolean {
    let services: PagedMap<ServiceRecord>, byTerm: PagedMap<readonly string[]>
    try {
      services = PagedMap.restore(saved.services, recordsBelow(saved.next))
      byTerm = PagedMap.restore(saved.terms, TERM_LISTS)
    } catch {
      return false
    }
    this.services = services
    this.byTerm = byTerm
    this.indexed = new Set()
    this.inconsistent = false
    this.own = new WeakSet()
    this.seq = saved.next
    return true
  }
}

/** Whether two selectors are the same as saved: the same keys in the same order, the same values. */
function sameSelector(a: Record<string, string>, b: Record<string, string>): boolean {
  const ak = Object.keys(a)
  const bk = Object.keys(b)
  return ak.length === bk.length && ak.every((k, i) => k === bk[i] && a[k] === b[k])
}
