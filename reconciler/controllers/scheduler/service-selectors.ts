/**
 * The scheduler's index of Service selectors, kept from its watch of Services: which Services of a
 * namespace select a pod (upstream's GetPodServices lists the namespace's Services and matches each
 * selector against the pod's labels). Each Service with a non-empty selector is filed under one of
 * its selector's `key=value` terms; a Service can select a pod only if the pod carries that term,
 * so looking up the pod's own labels and testing the whole selector of each Service found gives
 * exactly the Services the namespace-wide scan gives — without reading every Service per pod.
 *
 * Restored by parts (checkpoint.ts): the selectors by Service and the names filed under each term
 * are kept as saved; a term's Services are checked and made into entries when the term is first
 * looked up, a Service's selector when it is refiled or removed. A record that turns out malformed
 * is treated as absent and noted in `damaged`.
 */
import type { KObject } from '../../api/object.js'
import { isSelector, isStrings } from './checkpoint.js'

/** A Service's name and its (non-empty) selector. */
export interface SelectingService {
  name: string
  selector: Readonly<Record<string, string>>
}

const selectorOf = (svc: KObject): Record<string, string> | undefined => (svc.spec as { selector?: Record<string, string> | null } | undefined)?.selector ?? undefined

/** Services by namespace and one selector term; see the file's comment. */
export class ServiceSelectors {
  /** `namespace\0key=value` → the Services filed under that term, by name. */
  private readonly byTerm = new Map<string, Map<string, SelectingService>>()
  /** Restored terms not looked up since: the names filed under each, unchecked. */
  private unreadTerms = new Map<string, readonly string[]>()
  /** `namespace/name` → a filed Service's selector (which says its term); restored ones unchecked. */
  private selectors = new Map<string, Readonly<Record<string, string>>>()
  /** Whether a restored record turned out malformed (it was dropped). */
  damaged = false

  /** Files (or refiles) a Service as it is now. */
  set(svc: KObject): void {
    this.file(svc.metadata.namespace ?? '', svc.metadata.name ?? '', selectorOf(svc))
  }

  /** Files (or refiles) the Service `namespace/name` with `selector` (none: it selects no pod). */
  file(ns: string, name: string, selector: Readonly<Record<string, string>> | undefined): void {
    this.remove(ns, name)
    if (!selector) return
    const keys = Object.keys(selector)
    // An empty selector selects no pod here (the scan skipped it too).
    if (!keys.length) return
    const term = termOf(ns, selector)
    let bucket = this.bucket(term)
    if (!bucket) this.byTerm.set(term, (bucket = new Map()))
    bucket.set(name, { name, selector })
    this.selectors.set(`${ns}/${name}`, selector)
  }

  /** Forgets a Service. */
  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`
    const selector = this.selectors.get(key)
    if (selector === undefined) return
    if (!isSelector(selector)) {
      this.selectors.delete(key)
      this.damaged = true
      return
    }
    const term = termOf(namespace, selector)
    // The term's bucket before the selector goes: a restored term is read by its Services' selectors.
    const bucket = this.bucket(term)
    this.selectors.delete(key)
    bucket?.delete(name)
    if (bucket && !bucket.size) this.byTerm.delete(term)
  }

  /** Every Service filed, as saved: its key and selector, and the names filed under each term (the records never read as restored). */
  save(): { services: Array<[string, Readonly<Record<string, string>>]>; servicesByTerm: Array<[string, readonly string[]]> } {
    const servicesByTerm: Array<[string, readonly string[]]> = [...this.unreadTerms]
    for (const [t, bucket] of this.byTerm) servicesByTerm.push([t, [...bucket.keys()]])
    return { services: [...this.selectors], servicesByTerm }
  }

  /** Holds what `save` gave, as Maps made from it, in place of every Service (each record is checked when first read). */
  restore(services: Map<string, Readonly<Record<string, string>>>, servicesByTerm: Map<string, readonly string[]>): void {
    this.byTerm.clear()
    this.unreadTerms = servicesByTerm
    this.selectors = services
    this.damaged = false
  }

  /** Forgets every Service (the watch closed). */
  clear(): void {
    this.byTerm.clear()
    this.unreadTerms.clear()
    this.selectors.clear()
  }

  /** The Services of `namespace` whose selectors match `labels`, in name order (as a list returns them). */
  selecting(namespace: string, labels: Readonly<Record<string, string>>): SelectingService[] {
    const out: SelectingService[] = []
    for (const k of Object.keys(labels)) {
      const bucket = this.bucket(`${namespace}\u0000${k}=${labels[k]}`)
      if (!bucket) continue
      for (const s of bucket.values()) {
        if (Object.keys(s.selector).every((sk) => Object.hasOwn(labels, sk) && labels[sk] === s.selector[sk])) out.push(s)
      }
    }
    if (out.length > 1) out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    return out
  }

  /** The Services filed under `term` (a restored term's checked and made into entries on first use). */
  private bucket(term: string): Map<string, SelectingService> | undefined {
    return this.byTerm.get(term) ?? (this.unreadTerms.size === 0 ? undefined : this.readTerm(term))
  }

  /** A restored term's Services: each name's selector checked, and filed under this very term. */
  private readTerm(term: string): Map<string, SelectingService> | undefined {
    if (!this.unreadTerms.has(term)) return undefined
    const names = this.unreadTerms.get(term)
    this.unreadTerms.delete(term)
    const ns = term.slice(0, term.indexOf('\u0000'))
    const bucket = new Map<string, SelectingService>()
    for (const name of isStrings(names) ? names : []) {
      const selector = this.selectors.get(`${ns}/${name}`)
      if (isSelector(selector) && termOf(ns, selector) === term) bucket.set(name, { name, selector })
      else this.damaged = true
    }
    if (!isStrings(names) || !bucket.size) this.damaged = true
    if (!bucket.size) return undefined
    this.byTerm.set(term, bucket)
    return bucket
  }
}

/** The term a selector is filed under: its first `key=value`, in its namespace. */
function termOf(namespace: string, selector: Readonly<Record<string, string>>): string {
  const k = Object.keys(selector)[0]
  return `${namespace}\u0000${k}=${selector[k]}`
}
