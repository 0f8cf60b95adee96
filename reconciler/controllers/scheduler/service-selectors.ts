/**
 * The scheduler's index of Service selectors, kept from its watch of Services: which Services of a
 * namespace select a pod (upstream's GetPodServices lists the namespace's Services and matches each
 * selector against the pod's labels). Each Service with a non-empty selector is filed under one of
 * its selector's `key=value` terms; a Service can select a pod only if the pod carries that term,
 * so looking up the pod's own labels and testing the whole selector of each Service found gives
 * exactly the Services the namespace-wide scan gives — without reading every Service per pod.
 *
 * The selectors by Service and the names filed under each term are PagedMaps (runtime/paged-map.ts;
 * checkpoint.ts has their codecs): a restore reads and checks a page of records only when one of
 * its keys is first used, a selector then; a term's names stay the saved list until the term is
 * first looked up, when each name's selector is checked to file it under this very term and the
 * names are made into entries. A record that turns out malformed is treated as absent and noted
 * in `damaged`. Nothing here iterates them.
 */
import type { KObject } from '../../api/object.js'
import { PagedMap } from '../runtime/paged-map.js'
import { SERVICE_SELECTORS, SERVICE_TERMS } from './checkpoint.js'

/** A Service's name and its (non-empty) selector. */
export interface SelectingService {
  name: string
  selector: Readonly<Record<string, string>>
}

const selectorOf = (svc: KObject): Record<string, string> | undefined => (svc.spec as { selector?: Record<string, string> | null } | undefined)?.selector ?? undefined

/** Services by namespace and one selector term; see the file's comment. */
export class ServiceSelectors {
  /** `namespace\0key=value` → the Services filed under that term, by name (a restored term: their names, until first looked up). */
  private byTerm = new PagedMap<Map<string, SelectingService> | readonly string[]>(SERVICE_TERMS)
  /** `namespace/name` → a filed Service's selector (which says its term). */
  private selectors = new PagedMap<Readonly<Record<string, string>>>(SERVICE_SELECTORS)
  /** Whether a restored term named a Service not filed under it (it was left out). */
  private misfiled = false

  /** Whether a restored record turned out malformed (it was dropped). */
  get damaged(): boolean {
    return this.misfiled || this.byTerm.damaged || this.selectors.damaged
  }

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
    const bucket = this.bucket(term)
    // A bucket held here was put by `set`: its page is written anew at save, so changing it in place is saved.
    if (bucket) bucket.set(name, { name, selector })
    else this.byTerm.set(term, new Map([[name, { name, selector }]]))
    this.selectors.set(`${ns}/${name}`, selector)
  }

  /** Forgets a Service. */
  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`
    const selector = this.selectors.get(key)
    if (selector === undefined) return
    const term = termOf(namespace, selector)
    // The term's bucket before the selector goes: a restored term is read by its Services' selectors.
    const bucket = this.bucket(term)
    this.selectors.delete(key)
    if (bucket?.delete(name) && !bucket.size) this.byTerm.delete(term)
  }

  /** Every Service filed, as saved: its key and selector, and the names filed under each term (PagedMaps: the store writes back the pages nothing changed). */
  save(): { services: PagedMap<Readonly<Record<string, string>>>; servicesByTerm: PagedMap<Map<string, SelectingService> | readonly string[]> } {
    return { services: this.selectors, servicesByTerm: this.byTerm }
  }

  /** Holds restored PagedMaps (checkpoint.ts, savedServices) in place of every Service. */
  restore(services: PagedMap<Readonly<Record<string, string>>>, servicesByTerm: PagedMap<Map<string, SelectingService> | readonly string[]>): void {
    this.byTerm = servicesByTerm
    this.selectors = services
    this.misfiled = false
  }

  /** Forgets every Service (the watch closed). */
  clear(): void {
    this.byTerm = new PagedMap(SERVICE_TERMS)
    this.selectors = new PagedMap(SERVICE_SELECTORS)
    this.misfiled = false
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

  /** The Services filed under `term` (a restored term's names checked and made into entries on first use). */
  private bucket(term: string): Map<string, SelectingService> | undefined {
    const v = this.byTerm.get(term)
    return v === undefined || v instanceof Map ? v : this.readTerm(term, v)
  }

  /** A restored term's Services: each name's selector checked to file it under this very term (put back as entries: its page now changed). */
  private readTerm(term: string, names: readonly string[]): Map<string, SelectingService> | undefined {
    const ns = term.slice(0, term.indexOf('\u0000'))
    const bucket = new Map<string, SelectingService>()
    for (const name of names) {
      const selector = this.selectors.get(`${ns}/${name}`)
      if (selector !== undefined && termOf(ns, selector) === term) bucket.set(name, { name, selector })
      else this.misfiled = true
    }
    if (!bucket.size) {
      this.byTerm.delete(term)
      return undefined
    }
    this.byTerm.set(term, bucket)
    return bucket
  }
}

/** The term a selector is filed under: its first `key=value`, in its namespace. */
function termOf(namespace: string, selector: Readonly<Record<string, string>>): string {
  const k = Object.keys(selector)[0]
  return `${namespace}\u0000${k}=${selector[k]}`
}
