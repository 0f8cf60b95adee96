/**
 * The watch cache of one kind: every object of the kind in memory, indexed by namespace, label
 * (`key=value`) and owner uid, kept current from the store's watch, with a window of recent events
 * so watches can resume from a resourceVersion without going back to the store.
 *
 * The label and owner indexes are built on the first query that needs them (a label selector
 * with `key=value` terms; `ownedBy`) and kept current from then on: a command that opens a kind's
 * cache only to get or list it whole (a one-shot command's controllers, priming their memories)
 * does not pay for them.
 */
import type { Storage, Watch, WatchEvent } from '../storage/types.js'
import { decodeObject } from './codec.js'
import { deepFreeze, type KObject } from './object.js'

/**
 * Cached objects are shared with every reader, who must not change them. Tests freeze them
 * (CAPSTAN_FREEZE_CACHE=1) so a reader that does fails loudly; production skips the cost
 * (a third of a cache build).
 */
const freeze: <T>(v: T) => T = process.env.CAPSTAN_FREEZE_CACHE === '1' ? deepFreeze : (v) => v


/** A change to one object, at the store revision that made it. */
export interface CacheEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  object: KObject
  prevObject?: KObject
  revision: number
}

/** What a list or watch selects, prepared by the caller from label and field selectors. */
export interface CacheFilter {
  namespace?: string
  /** `key=value` terms every match must have (narrow the candidates through the label index). */
  labelTerms?: Array<[string, string]>
  /** The full test an object must pass (labels, fields). */
  matches?: (obj: KObject) => boolean
}

const WINDOW = 10_000

function addTo(index: Map<string, Set<string>>, term: string, key: string): void {
  let s = index.get(term)
  if (!s) index.set(term, (s = new Set()))
  s.add(key)
}

function removeFrom(index: Map<string, Set<string>>, term: string, key: string): void {
  const s = index.get(term)
  if (!s) return
  s.delete(key)
  if (s.size === 0) index.delete(term)
}

function addLabels(index: Map<string, Set<string>>, key: string, obj: KObject): void {
  const labels = obj.metadata.labels
  if (labels) for (const k in labels) addTo(index, `${k}=${labels[k]}`, key)
}

function addOwners(index: Map<string, Set<string>>, key: string, obj: KObject): void {
  for (const ref of obj.metadata.ownerReferences ?? []) addTo(index, ref.uid, key)
}

function removeLabels(index: Map<string, Set<string>>, key: string, obj: KObject): void {
  const labels = obj.metadata.labels
  if (labels) for (const k in labels) removeFrom(index, `${k}=${labels[k]}`, key)
}

function removeOwners(index: Map<string, Set<string>>, key: string, obj: KObject): void {
  for (const ref of obj.metadata.ownerReferences ?? []) removeFrom(index, ref.uid, key)
}

/** Whether two label maps index the same `key=value` terms. */
function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true
  let n = 0
  for (const k in a) {
    if (!b || !Object.hasOwn(b, k) || String(b[k]) !== String(a[k])) return false
    n++
  }
  for (const _ in b) n--
  return n === 0
}

/** Whether two owner reference lists index the same uids. */
function sameOwners(a: KObject['metadata']['ownerReferences'], b: KObject['metadata']['ownerReferences']): boolean {
  if (a === b) return true
  const x = a ?? []
  const y = b ?? []
  if (x.length !== y.length) return false
  for (let i = 0; i < x.length; i++) if (x[i]?.uid !== y[i]?.uid) return false
  return true
}

export class WatchCache {
  /** The store revision the cache reflects (every event up to it is applied). */
  revision = 0
  private readonly objects = new Map<string, KObject>()
  private readonly byNamespace = new Map<string, Set<string>>()
  /** `key=value` → keys; undefined until the first label query (see the file's comment). */
  private byLabel: Map<string, Set<string>> | undefined
  /** Owner uid → keys; undefined until the first `ownedBy`. */
  private byOwner: Map<string, Set<string>> | undefined
  private sortedKeys: string[] | undefined
  /** The last WINDOW events, oldest first from `windowHead`, in a ring (no array shifting per event). */
  private readonly window: CacheEvent[] = []
  private windowHead = 0
  private readonly listeners = new Set<(events: CacheEvent[]) => void>()
  private watch: Watch | undefined
  private failure: Error | undefined

  private constructor() {}

  /** Loads every object under `prefix` and follows the store from there. */
  static async open(storage: Storage, prefix: string): Promise<WatchCache> {
    const cache = new WatchCache()
    const { items, revision } = await storage.range(prefix)
    for (const kv of items) cache.index(kv.key, freeze(decodeObject(kv)))
    cache.revision = revision
    cache.watch = storage.watch(
      prefix,
      {
        onEvents: (events) => cache.apply(events),
        onError: (err) => {
          cache.failure = err
        },
      },
      { fromRevision: revision + 1 },
    )
    return cache
  }

  /** The oldest revision a watch can resume after (events after it are in the window). */
  get oldestResumable(): number {
    return this.window.length ? this.window[this.windowHead].revision - 1 : this.revision
  }

  /** Set when the store's watch failed: the cache is no longer current. */
  get error(): Error | undefined {
    return this.failure
  }

  get size(): number {
    return this.objects.size
  }

  get(key: string): KObject | undefined {
    return this.objects.get(key)
  }

  /** The objects that pass `filter`, in key order (as etcd lists them). */
  list(filter: CacheFilter = {}): KObject[] {
    const candidates = this.candidates(filter)
    const out: KObject[] = []
    for (const key of candidates) {
      const obj = this.objects.get(key)
      if (obj && (!filter.matches || filter.matches(obj))) out.push(obj)
    }
    return out
  }

  /** The objects with an owner reference to `uid`. */
  ownedBy(uid: string): KObject[] {
    const keys = this.owners().get(uid)
    if (!keys) return []
    return [...keys].sort().map((k) => this.objects.get(k)!)
  }

  /** Events after `revision` still in the window, or undefined when `revision` is older than the window. */
  eventsSince(revision: number): CacheEvent[] | undefined {
    if (revision < this.oldestResumable) return undefined
    const n = this.window.length
    let i = 0
    while (i < n && this.window[(this.windowHead + i) % n].revision <= revision) i++
    const out: CacheEvent[] = []
    for (; i < n; i++) out.push(this.window[(this.windowHead + i) % n])
    return out
  }

  /** Calls `fn` with every batch of events applied from now on. */
  subscribe(fn: (events: CacheEvent[]) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  close(): void {
    this.watch?.cancel()
    this.listeners.clear()
  }

  private candidates(filter: CacheFilter): Iterable<string> {
    let best: Set<string> | undefined
    for (const [k, v] of filter.labelTerms ?? []) {
      const s = this.labels().get(`${k}=${v}`) ?? new Set<string>()
      if (!best || s.size < best.size) best = s
    }
    if (filter.namespace) {
      const s = this.byNamespace.get(filter.namespace) ?? new Set<string>()
      if (!best || s.size < best.size) best = s
    }
    if (best) return [...best].sort()
    return (this.sortedKeys ??= [...this.objects.keys()].sort())
  }

  /** The label index, built from every object on first use. */
  private labels(): Map<string, Set<string>> {
    if (!this.byLabel) {
      const index = new Map<string, Set<string>>()
      for (const [key, obj] of this.objects) addLabels(index, key, obj)
      this.byLabel = index
    }
    return this.byLabel
  }

  /** The owner index, built from every object on first use. */
  private owners(): Map<string, Set<string>> {
    if (!this.byOwner) {
      const index = new Map<string, Set<string>>()
      for (const [key, obj] of this.objects) addOwners(index, key, obj)
      this.byOwner = index
    }
    return this.byOwner
  }

  private index(key: string, obj: KObject): void {
    const prev = this.objects.get(key)
    this.objects.set(key, obj)
    // A new version of an object nearly always keeps its namespace, labels and owners (a status
    // write): its index entries stay as they are (the indexes are sets of keys, read sorted).
    if (prev) {
      const meta = obj.metadata
      const before = prev.metadata
      if (meta.namespace !== before.namespace) {
        if (before.namespace) removeFrom(this.byNamespace, before.namespace, key)
        if (meta.namespace) addTo(this.byNamespace, meta.namespace, key)
      }
      if (this.byLabel && !sameLabels(meta.labels, before.labels)) {
        removeLabels(this.byLabel, key, prev)
        addLabels(this.byLabel, key, obj)
      }
      if (this.byOwner && !sameOwners(meta.ownerReferences, before.ownerReferences)) {
        removeOwners(this.byOwner, key, prev)
        addOwners(this.byOwner, key, obj)
      }
      return
    }
    this.sortedKeys = undefined
    const ns = obj.metadata.namespace
    if (ns) addTo(this.byNamespace, ns, key)
    if (this.byLabel) addLabels(this.byLabel, key, obj)
    if (this.byOwner) addOwners(this.byOwner, key, obj)
  }

  private unindex(key: string, obj: KObject): void {
    const ns = obj.metadata.namespace
    if (ns) removeFrom(this.byNamespace, ns, key)
    if (this.byLabel) removeLabels(this.byLabel, key, obj)
    if (this.byOwner) removeOwners(this.byOwner, key, obj)
  }

  private apply(events: WatchEvent[]): void {
    const out: CacheEvent[] = []
    // Every op of one txn shares one revision, and a big txn may arrive in several batches: an event
    // is old only when its revision is below the cache's, or equal and already applied to its key.
    for (const ev of events) {
      if (ev.type === 'put') {
        if (ev.kv.modRevision < this.revision || (ev.kv.modRevision === this.revision && this.objects.get(ev.kv.key)?.metadata.resourceVersion === String(ev.kv.modRevision))) continue
        const prev = this.objects.get(ev.kv.key)
        const obj = freeze(decodeObject(ev.kv, prev))
        this.index(ev.kv.key, obj)
        this.revision = ev.kv.modRevision
        out.push({ type: prev ? 'MODIFIED' : 'ADDED', object: obj, prevObject: prev, revision: ev.kv.modRevision })
      } else {
        if (ev.revision < this.revision || (ev.revision === this.revision && !this.objects.has(ev.key))) continue
        const prev = this.objects.get(ev.key)
        this.revision = ev.revision
        if (!prev) continue
        this.unindex(ev.key, prev)
        this.objects.delete(ev.key)
        this.sortedKeys = undefined
        const gone = freeze({ ...prev, metadata: { ...prev.metadata, resourceVersion: String(ev.revision) } })
        out.push({ type: 'DELETED', object: gone, prevObject: prev, revision: ev.revision })
      }
    }
    if (!out.length) return
    for (const ev of out) {
      if (this.window.length < WINDOW) this.window.push(ev)
      else {
        this.window[this.windowHead] = ev
        this.windowHead = (this.windowHead + 1) % WINDOW
      }
    }
    for (const fn of this.listeners) {
      try {
        fn(out)
      } catch {
        // A listener's failure is its own; the cache and other listeners go on.
      }
    }
  }
}
