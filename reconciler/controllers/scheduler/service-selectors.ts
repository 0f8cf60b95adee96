/**
 * The scheduler's index of Service selectors, kept from its watch of Services: which Services of a
 * namespace select a pod (upstream's GetPodServices lists the namespace's Services and matches each
 * selector against the pod's labels). Each Service with a non-empty selector is filed under one of
 * its selector's `key=value` terms; a Service can select a pod only if the pod carries that term,
 * so looking up the pod's own labels and testing the whole selector of each Service found gives
 * exactly the Services the namespace-wide scan gives — without reading every Service per pod.
 */
import type { KObject } from '../../api/object.js'

/** A Service's name and its (non-empty) selector. */
export interface SelectingService {
  name: string
  selector: Readonly<Record<string, string>>
}

interface Filed {
  term: string
  entry: SelectingService
}

const selectorOf = (svc: KObject): Record<string, string> | undefined => (svc.spec as { selector?: Record<string, string> | null } | undefined)?.selector ?? undefined

/** Services by namespace and one selector term; see the file's comment. */
export class ServiceSelectors {
  /** `namespace\0key=value` → the Services filed under that term, by name. */
  private readonly byTerm = new Map<string, Map<string, SelectingService>>()
  /** `namespace/name` → where a Service is filed. */
  private readonly filed = new Map<string, Filed>()

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
    const term = `${ns}\u0000${keys[0]}=${selector[keys[0]]}`
    const entry: SelectingService = { name, selector }
    let bucket = this.byTerm.get(term)
    if (!bucket) this.byTerm.set(term, (bucket = new Map()))
    bucket.set(name, entry)
    this.filed.set(`${ns}/${name}`, { term, entry })
  }

  /** Forgets a Service. */
  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`
    const f = this.filed.get(key)
    if (!f) return
    this.filed.delete(key)
    const bucket = this.byTerm.get(f.term)
    bucket?.delete(name)
    if (bucket && !bucket.size) this.byTerm.delete(f.term)
  }

  /** Every Service filed, as `[namespace, name, selector]` in namespace and name order (what a checkpoint saves). */
  entries(): Array<[string, string, Readonly<Record<string, string>>]> {
    const out: Array<[string, string, Readonly<Record<string, string>>]> = []
    for (const [key, f] of this.filed) out.push([key.slice(0, key.indexOf('/')), f.entry.name, f.entry.selector])
    return out.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]))
  }

  /** Forgets every Service (the watch closed). */
  clear(): void {
    this.byTerm.clear()
    this.filed.clear()
  }

  /** The Services of `namespace` whose selectors match `labels`, in name order (as a list returns them). */
  selecting(namespace: string, labels: Readonly<Record<string, string>>): SelectingService[] {
    const out: SelectingService[] = []
    for (const k of Object.keys(labels)) {
      const bucket = this.byTerm.get(`${namespace}\u0000${k}=${labels[k]}`)
      if (!bucket) continue
      for (const s of bucket.values()) {
        if (Object.keys(s.selector).every((sk) => Object.hasOwn(labels, sk) && labels[sk] === s.selector[sk])) out.push(s)
      }
    }
    if (out.length > 1) out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    return out
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
