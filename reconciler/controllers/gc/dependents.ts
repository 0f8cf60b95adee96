/**
 * Finding an object's dependents (the objects whose ownerReferences name its uid), and the
 * garbage collector's memory of who owns whom, so that when an owner disappears its dependents can
 * be found by the owner's kind, namespace and name (the uid of a vanished object is not in the request).
 */
import type { ApiClient } from '../../api/client.js'
import { KINDS, kindByName, type KindInfo } from '../../api/kinds.js'
import type { KObject, OwnerReference } from '../../api/object.js'
import { PagedMap, type PagedCodec } from '../runtime/paged-map.js'
import { dependentEntry, isKeyList } from './checkpoint.js'

/** The kinds the garbage collector follows: every kind served except Events and Namespaces (the API empties a namespace itself). */
export const GC_KINDS: readonly KindInfo[] = KINDS.filter((k) => k.kind !== 'Event' && k.kind !== 'Namespace')

/** The resources of GC_KINDS (`pods`, `replicasets`, …). */
export const GC_RESOURCES: readonly string[] = GC_KINDS.map((k) => k.plural)

/** The resource of a kind name, if capstan serves it. */
export function resourceOfKind(kind: string): string | undefined {
  return kindByName(kind)?.plural
}

/** An ApiServer's owner-uid index, when the client is one (the HTTP client lists instead). */
interface WithDependents {
  dependents(uid: string, kinds?: readonly KindInfo[]): Promise<KObject[]>
}

function hasDependentsIndex(api: ApiClient): api is ApiClient & WithDependents {
  return typeof (api as Partial<WithDependents>).dependents === 'function'
}

/** The objects with an owner reference to `owner`'s uid (in its namespace; anywhere for a cluster-scoped owner). */
export async function findDependents(api: ApiClient, owner: KObject): Promise<KObject[]> {
  const uid = owner.metadata.uid!
  const ns = owner.metadata.namespace
  let found: KObject[]
  if (hasDependentsIndex(api)) found = await api.dependents(uid, GC_KINDS)
  else {
    found = []
    for (const k of GC_KINDS) {
      if (ns && !k.namespaced) continue
      const { items } = await api.list(k.plural, ns ? { namespace: ns } : {})
      for (const o of items) if (o.metadata.ownerReferences?.some((r) => r.uid === uid)) found.push(o)
    }
  }
  return ns ? found.filter((o) => o.metadata.namespace === ns) : found
}

/** `Kind/namespace/name` of an owner a reference names, resolved against the dependent's namespace. */
export function ownerKey(ref: Pick<OwnerReference, 'kind' | 'name'>, dependentNamespace: string | undefined): string {
  const namespaced = kindByName(ref.kind)?.namespaced ?? true
  return `${ref.kind}/${namespaced ? (dependentNamespace ?? '') : ''}/${ref.name}`
}

/** `Kind/namespace/name` of an object. */
export function objectKeyOf(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`
}

/** A dependent as the index remembers it. */
export interface DependentEntry {
  resource: string
  namespace?: string
  name: string
}

/**
 * Who owns whom, as last seen: owner key → dependents, dependent key → owner keys. Every object is
 * recorded when it appears or changes (and when primed or restored at start), so the index knows
 * every live reference; entries of deleted objects are dropped when their deletion is reconciled.
 * Both directions are PagedMaps (runtime/paged-map.ts): a restore reads and checks a page of
 * records only when one of them is first used, and a restored owner's dependents stay the saved
 * list of keys until first read or changed.
 */
export class OwnerIndex {
  private dependentsOf = new PagedMap<Map<string, DependentEntry> | readonly string[]>(DEPENDENTS)
  private ownersOf = new PagedMap<string[]>(OWNERS)
  /** Whether a restored dependent key turned out malformed (it was dropped). */
  private badKey = false

  /** Whether a restored record turned out malformed (it was dropped). */
  get damaged(): boolean {
    return this.badKey || this.ownersOf.damaged || this.dependentsOf.damaged
  }

  /** Records the owners of a dependent (replacing what was known). */
  record(dep: KObject, resource: string): void {
    const key = objectKeyOf(dep.kind, dep.metadata.namespace, dep.metadata.name!)
    const owners = (dep.metadata.ownerReferences ?? []).map((r) => ownerKey(r, dep.metadata.namespace))
    this.put(key, { resource, namespace: dep.metadata.namespace, name: dep.metadata.name! }, owners)
  }

  /** Records the owner keys of the dependent `key` (replacing what was known; none: forgets it). */
  put(key: string, entry: DependentEntry, owners: string[]): void {
    // The same owners again (a status write): nothing to change, not even the order.
    const known = this.ownersOf.get(key)
    if (known && known.length === owners.length && known.every((o, i) => o === owners[i])) return
    this.forget(key)
    if (!owners.length) return
    this.ownersOf.set(key, owners)
    for (const o of owners) {
      let m = this.dependentsMap(o)
      if (!m) this.dependentsOf.set(o, (m = new Map()))
      m.set(key, entry)
    }
  }

  /** An owner's dependents as a map (a restored list made into one on first use). */
  private dependentsMap(owner: string): Map<string, DependentEntry> | undefined {
    const v = this.dependentsOf.get(owner)
    if (v === undefined || v instanceof Map) return v
    const m = new Map<string, DependentEntry>()
    for (const key of v) {
      const entry = dependentEntry(key)
      if (entry) m.set(key, entry)
      else this.badKey = true
    }
    this.dependentsOf.set(owner, m)
    return m
  }

  /** Both directions as saved (PagedMaps: as JSON, `[key, keys]` pairs). */
  save(): { owned: PagedMap<string[]>; dependents: PagedMap<Map<string, DependentEntry> | readonly string[]> } {
    return { owned: this.ownersOf, dependents: this.dependentsOf }
  }

  /**
   * Puts back what `save` gave (decodeMemory checked its outline; each page of records is checked
   * when first read). Throws, changing nothing, when a part is neither pairs nor pages.
   */
  restore(owned: unknown, dependents: unknown): void {
    const ownersOf = PagedMap.restore(owned, OWNERS)
    this.dependentsOf = PagedMap.restore(dependents, DEPENDENTS)
    this.ownersOf = ownersOf
    this.badKey = false
  }

  /** Forgets every dependent. */
  clear(): void {
    this.ownersOf = new PagedMap(OWNERS)
    this.dependentsOf = new PagedMap(DEPENDENTS)
    this.badKey = false
  }

  /** Forgets a dependent; returns the owner keys it had. */
  forget(key: string): string[] {
    const owners = this.ownersOf.get(key) ?? []
    this.ownersOf.delete(key)
    for (const o of owners) {
      const m = this.dependentsMap(o)
      m?.delete(key)
      if (m && !m.size) this.dependentsOf.delete(o)
    }
    return owners
  }

  /** Whether some dependent was last seen referring to an owner key. */
  hasDependents(ownerKey: string): boolean {
    return this.dependentsOf.has(ownerKey)
  }

  /** The dependents last seen referring to an owner key. */
  dependents(ownerKey: string): DependentEntry[] {
    return [...(this.dependentsMap(ownerKey)?.values() ?? [])]
  }
}

/** A dependent's owner keys: a non-empty list of strings. */
const OWNERS: PagedCodec<string[]> = { check: (_key, v) => (isKeyList(v) ? v : undefined) }

/** An owner's dependents: saved as the list of their keys, in the order they are checked. */
const DEPENDENTS: PagedCodec<Map<string, DependentEntry> | readonly string[]> = {
  check: (_key, v) => (isKeyList(v) ? v : undefined),
  encode: (_key, v) => (v instanceof Map ? [...v.keys()] : v),
}
