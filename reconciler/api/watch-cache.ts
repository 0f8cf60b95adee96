/**
 * The watch cache of one kind: every object of the kind in memory, indexed by namespace, label
 * (`key=value`) and owner uid, kept current from the store's watch, with a window of recent events
 * so watches can resume from a resourceVersion without going back to the store.
 *
 * The label and owner indexes are built on the first query that needs them (a label selector
 * with `key=value` terms; `ownedBy`) and kept current from then on: a command that opens a kind's
 * cache only to get or list it whole (a one-shot command's controllers, priming their memories)
 * does not pay for them.
 *
 * A cache can also open from an index snapshot (IndexSnapshot: every key's revision, labels and
 * owner uids at one store revision, saved by an earlier command) plus the store's history since:
 * it then knows every object by its index entries only, and reads and decodes an object from the
 * store the first time a get, list or ownedBy needs it whole. A one-shot command that reads a
 * handful of Pods by label then decodes those, not all of them. Every read is async for that.
 * The snapshot's entries and its label, owner and namespace indexes are stored by pages
 * (storage/paged-map.ts): opening reads none of them, a read parses the pages of the keys and
 * terms it asks for, and the next snapshot writes the keys that changed into the one opened from,
 * so the pages nothing changed are stored again as they were.
 */
import { historySince } from '../storage/history-since.js'
import { StorageError, type KeyValue, type Storage, type Watch, type WatchEvent } from '../storage/types.js'
import { decodeObject } from './codec.js'
import { deepFreeze, isStrings, type KObject } from './object.js'
import { PagedMap, type PagedCodec } from '../storage/paged-map.js'

/**
 * Cached objects are shared with every reader, who must not change them. Tests freeze them
 * (CAPSTAN_FREEZE_CACHE=1) so a reader that does fails loudly; production skips the cost
 * (a third of a cache build).
 */
export const freeze: <T>(v: T) => T = process.env.CAPSTAN_FREEZE_CACHE === '1' ? deepFreeze : (v) => v


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

/** Lazy keys a read fetches one by one; above this, one range read of the kind (or namespace). */
const POINT_READS = 32

/** An object known by its index entries only, until a read needs it whole. */
interface LazyEntry {
  modRevision: number
  labels?: Record<string, string>
  owners?: string[]
}

/** One key in an index snapshot: its revision, labels and owner uids (0: none). */
export type IndexEntry = [modRevision: number, labels: Record<string, string> | 0, owners: string[] | 0]

/**
 * Every object of a kind by its index entries at one store revision, with the indexes a cache
 * answers from: each a PagedMap (storage/paged-map.ts) by key, so a cache opened from it reads
 * only the pages of the keys, terms, owners and namespaces its reads ask for, and the next save
 * writes back every page nothing changed as it was. As plain data (pairs, or a store's pages),
 * what PagedMap.restore takes.
 */
export interface IndexSnapshot {
  revision: number
  /** Key → its entry. */
  entries: unknown
  /** `key=value` label term → the keys that have it. */
  labels: unknown
  /** Owner uid → the keys of its dependents. */
  owners: unknown
  /** Namespace → its keys. */
  namespaces: unknown
}

/** Keys by term (label, owner or namespace): a restored term's list made into a set when first used. */
type KeyIndex = Map<string, Set<string> | readonly string[]>

/** A snapshot's entry, checked as its page is read. */
const LAZY: PagedCodec<LazyEntry> = {
  check(_key, v) {
    if (!Array.isArray(v) || v.length !== 3) return undefined
    const [modRevision, labels, owners] = v as unknown[]
    if (typeof modRevision !== 'number' || !(labels === 0 || isLabels(labels)) || !(owners === 0 || isStrings(owners))) return undefined
    const entry: LazyEntry = { modRevision }
    if (labels) entry.labels = labels
    if (owners) entry.owners = owners
    return entry
  },
}

/** A snapshot's entry as saved. */
const ENTRY: PagedCodec<IndexEntry> = { check: (key, v) => (LAZY.check(key, v) ? (v as IndexEntry) : undefined) }

/** A term's keys, as saved (a non-empty list of keys) and as a cache holds them (a set, once used). */
const KEYS: PagedCodec<Set<string> | readonly string[]> = {
  check: (_key, v) => (isStrings(v) && v.length > 0 ? v : undefined),
  encode: (_key, v) => (v instanceof Set ? [...v] : v),
}


function isLabels(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
}

/** The namespace of a stored key under `prefix` (`<prefix><namespace>/<name>`; none for a cluster-scoped `<prefix><name>`). */
function namespaceOfKey(prefix: string, key: string): string | undefined {
  const slash = key.indexOf('/', prefix.length)
  return slash < 0 ? undefined : key.slice(prefix.length, slash)
}

/** A term's keys as a set (a restored list made into one, in its place, on first use). */
function setOf(index: KeyIndex, term: string): Set<string> | undefined {
  const v = index.get(term)
  if (v === undefined || v instanceof Set) return v
  const s = new Set(v)
  index.set(term, s)
  return s
}

function addTo(index: KeyIndex, term: string, key: string): void {
  let s = setOf(index, term)
  if (!s) index.set(term, (s = new Set()))
  s.add(key)
}

function removeFrom(index: KeyIndex, term: string, key: string): void {
  const s = setOf(index, term)
  if (!s) return
  s.delete(key)
  if (s.size === 0) index.delete(term)
}

function addLabels(index: KeyIndex, key: string, labels: Record<string, string> | undefined): void {
  if (labels) for (const k in labels) addTo(index, `${k}=${labels[k]}`, key)
}

function addOwners(index: KeyIndex, key: string, owners: readonly string[]): void {
  for (const uid of owners) addTo(index, uid, key)
}

function removeLabels(index: KeyIndex, key: string, labels: Record<string, string> | undefined): void {
  if (labels) for (const k in labels) removeFrom(index, `${k}=${labels[k]}`, key)
}

function removeOwners(index: KeyIndex, key: string, owners: readonly string[]): void {
  for (const uid of owners) removeFrom(index, uid, key)
}

/** The owner uids an object's references name. */
const ownerUids = (obj: KObject): string[] => (obj.metadata.ownerReferences ?? []).map((r) => r.uid)

/** Whether two owner uid lists are the same. */
function sameUids(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((u, i) => u === b[i])
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


export class WatchCache {
  /** The store revision the cache reflects (every event up to it is applied). */
  revision = 0
  /**
   * Whether the objects differ from the index snapshot last opened from or saved (true when every
   * object was loaded from the store: there is no snapshot to match).
   */
  snapshotStale = true
  /** The revision of the index snapshot last opened from or saved (undefined: none). */
  snapshotRevision: number | undefined
  /** Set when a page of the snapshot it was opened from turned out damaged (the cache failed with it). */
  snapshotDamaged = false
  private readonly objects = new Map<string, KObject>()
  /** Objects known by their index entries only (a cache opened from a snapshot); never also in `objects`. */
  private lazy: Map<string, LazyEntry> = new Map()
  private byNamespace: KeyIndex = new Map()
  /** `key=value` → keys; undefined until the first label query (see the file's comment), or restored with a snapshot. */
  private byLabel: KeyIndex | undefined
  /** Owner uid → keys; undefined until the first `ownedBy`, or restored with a snapshot. */
  private byOwner: KeyIndex | undefined
  /** The snapshot the cache was opened from or last saved, and the keys whose entries changed since (see snapshot()). */
  private base: IndexSnapshot | undefined
  /** Keys changed since the base, each with the sequence number of its latest change. */
  private readonly changedKeys = new Map<string, number>()
  private changeSeq = 0
  private sortedKeys: string[] | undefined
  /** The last WINDOW events, oldest first from `windowHead`, in a ring (no array shifting per event). */
  private readonly window: CacheEvent[] = []
  private windowHead = 0
  private readonly listeners = new Set<(events: CacheEvent[]) => void>()
  /** Told once when the cache fails (its subscribers' events stop: they should list again). */
  private readonly failureListeners = new Set<(err: Error) => void>()
  /** Batches of events applied so far (a snapshot notes how many it covers: see saved()). */
  private applied = 0
  /** What the last snapshot() covered: the changed keys it wrote in, and the batches applied by then. */
  private taken: { keys: Map<string, number>; applied: number } | undefined
  private watch: Watch | undefined
  private failure: Error | undefined

  private constructor(
    private readonly storage: Storage,
    private readonly prefix: string,
  ) {}

  /**
   * Loads every object under `prefix` and follows the store from there. With `snapshot`, knows
   * them by the snapshot and the history since instead (see the file's comment); a snapshot whose
   * history is gone (compacted) or ahead of the store is ignored.
   */
  static async open(storage: Storage, prefix: string, snapshot?: IndexSnapshot): Promise<WatchCache> {
    if (snapshot) {
      const cache = await WatchCache.openFrom(storage, prefix, snapshot)
      if (cache) return cache
    }
    const cache = new WatchCache(storage, prefix)
    const { items, revision } = await storage.range(prefix)
    for (const kv of items) cache.index(kv.key, freeze(decodeObject(kv)))
    cache.revision = revision
    cache.follow(revision)
    return cache
  }

  private static async openFrom(storage: Storage, prefix: string, snapshot: IndexSnapshot): Promise<WatchCache | undefined> {
    const history = await historySince(storage, prefix, snapshot.revision)
    if (!history) return undefined
    const cache = new WatchCache(storage, prefix)
    try {
      // Pages read as the reads ask (a damaged one fails the cache: see damage()).
      cache.lazy = PagedMap.restore(snapshot.entries, LAZY)
      cache.byNamespace = PagedMap.restore(snapshot.namespaces, KEYS)
      cache.byLabel = PagedMap.restore(snapshot.labels, KEYS)
      cache.byOwner = PagedMap.restore(snapshot.owners, KEYS)
    } catch {
      return undefined
    }
    cache.base = snapshot
    cache.revision = snapshot.revision
    cache.snapshotRevision = snapshot.revision
    cache.snapshotStale = false
    // What the history since the snapshot changes makes it stale (apply says so).
    cache.apply(history.events)
    cache.revision = Math.max(cache.revision, history.revision)
    cache.follow(history.revision)
    return cache
  }

  /** Follows the store's events under the prefix after `revision`. */
  private follow(revision: number): void {
    this.watch = this.storage.watch(
      this.prefix,
      {
        onEvents: (events) => this.apply(events),
        onError: (err) => this.failWith(err),
      },
      { fromRevision: revision + 1 },
    )
  }

  /**
   * The revision through which the cache has seen every change under its prefix, when its store
   * says (in-process backends): with `snapshotStale` false, the snapshot still describes the
   * objects at this revision.
   */
  get syncedThrough(): number | undefined {
    return this.watch?.progress?.()
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
    return this.objects.size + this.lazy.size
  }

  /** Whether the cache still knows some objects by their index entries only. */
  get partial(): boolean {
    return this.lazy.size > 0
  }

  async get(key: string): Promise<KObject | undefined> {
    const lazy = this.lazy.has(key)
    this.damage()
    if (!lazy) return this.objects.get(key)
    const read = await this.whole([key])
    // An event may have made it whole (or removed it) while it was being read.
    return this.objects.get(key) ?? read.get(key)
  }

  /** The objects that pass `filter`, in key order (as etcd lists them). */
  async list(filter: CacheFilter = {}): Promise<KObject[]> {
    const read = await this.whole(this.candidates(filter))
    this.damage()
    return this.collect(filter, read)
  }

  /**
   * The objects that pass `filter`, and `fn` subscribed to every batch of events applied after
   * that listing (none is missed or seen twice: the listing and the subscription happen at once).
   */
  async listAndSubscribe(filter: CacheFilter, fn: (events: CacheEvent[]) => void): Promise<{ items: KObject[]; unsubscribe: () => void }> {
    const read = await this.whole(this.candidates(filter))
    this.damage()
    // From here on synchronous: no event is applied between the listing and the subscription.
    const items = this.collect(filter, read)
    return { items, unsubscribe: this.subscribe(fn) }
  }

  /** The objects among the candidates of `filter` that pass it, whole ones from the cache, the others as `read`. */
  private collect(filter: CacheFilter, read: Map<string, KObject>): KObject[] {
    const out: KObject[] = []
    for (const key of this.candidates(filter)) {
      const obj = this.objects.get(key) ?? read.get(key)
      if (obj && (!filter.matches || filter.matches(obj))) out.push(obj)
    }
    return out
  }

  /** The objects with an owner reference to `uid`. */
  async ownedBy(uid: string): Promise<KObject[]> {
    const keys = setOf(this.owners(), uid)
    this.damage()
    if (!keys) return []
    const sorted = [...keys].sort()
    const read = await this.whole(sorted)
    const out: KObject[] = []
    for (const k of sorted) {
      const obj = this.objects.get(k) ?? read.get(k)
      if (obj) out.push(obj)
    }
    return out
  }

  /**
   * The index snapshot of the cache now (to open a later cache from), as of the last revision it
   * has followed; undefined when the snapshot it would start from turned out damaged. From the snapshot it was opened from (or last saved, see saved()), only the keys
   * whose entries changed since are written into it: its other pages stay as they were stored.
   */
  snapshot(): IndexSnapshot | undefined {
    if (this.snapshotDamaged || this.isDamaged()) return undefined
    const revision = Math.max(this.revision, this.syncedThrough ?? 0)
    const b = this.base
    const entries = b ? PagedMap.restore(b.entries, ENTRY) : new PagedMap(ENTRY)
    const labels = b ? PagedMap.restore(b.labels, KEYS) : new PagedMap(KEYS)
    const owners = b ? PagedMap.restore(b.owners, KEYS) : new PagedMap(KEYS)
    const namespaces = b ? PagedMap.restore(b.namespaces, KEYS) : new PagedMap(KEYS)
    const put = (index: KeyIndex, term: string, key: string, add: boolean): void => (add ? addTo(index, term, key) : removeFrom(index, term, key))
    const file = (key: string, e: IndexEntry, add: boolean): void => {
      if (e[1]) for (const k in e[1]) put(labels, `${k}=${e[1][k]}`, key, add)
      if (e[2]) for (const uid of e[2]) put(owners, uid, key, add)
      const ns = namespaceOfKey(this.prefix, key)
      if (ns) put(namespaces, ns, key, add)
    }
    for (const key of b ? [...this.changedKeys.keys()] : [...this.objects.keys(), ...this.lazy.keys()]) {
      const old = b ? entries.get(key) : undefined
      if (old) file(key, old, false)
      const now = this.entryOf(key)
      if (now) {
        entries.set(key, now)
        file(key, now, true)
      } else entries.delete(key)
    }
    // What the snapshot read of the one it started from must be whole, or nothing is saved.
    if ([entries, labels, owners, namespaces].some((m) => m.damaged)) return undefined
    // Reading every key (a snapshot built afresh) may have found a damaged page of the cache's own.
    if (this.isDamaged()) {
      this.fail()
      return undefined
    }
    this.taken = { keys: new Map(this.changedKeys), applied: this.applied }
    return { revision, entries, labels, owners, namespaces }
  }

  /**
   * Notes a key whose entry changed since the base snapshot. Past as many as the cache holds (a
   * long-running process that never saves), the base goes: the next snapshot is built from every key.
   */
  private changed(key: string): void {
    this.changedKeys.set(key, ++this.changeSeq)
    if (this.changedKeys.size > Math.max(1024, this.size)) {
      this.base = undefined
      this.changedKeys.clear()
    }
  }

  /** The key's index entry now (undefined: not held). */
  private entryOf(key: string): IndexEntry | undefined {
    const obj = this.objects.get(key)
    if (obj) {
      const m = obj.metadata
      return [Number(m.resourceVersion), m.labels && Object.keys(m.labels).length ? m.labels : 0, m.ownerReferences?.length ? ownerUids(obj) : 0]
    }
    const e = this.lazy.get(key)
    return e && [e.modRevision, e.labels ?? 0, e.owners ?? 0]
  }

  /** `snapshot` was stored: the next one starts from it (its revision is the cache's snapshotRevision). */
  saved(snapshot: IndexSnapshot): void {
    this.base = snapshot
    // Changes applied while the snapshot was being stored are still to be written into the next one.
    const taken = this.taken
    for (const [k, seq] of taken?.keys ?? []) if (this.changedKeys.get(k) === seq) this.changedKeys.delete(k)
    if (!taken || taken.applied === this.applied) this.snapshotStale = false
    this.taken = undefined
    this.snapshotRevision = snapshot.revision
  }

  /** Whether a page of the snapshot the cache opened from turned out malformed. */
  private isDamaged(): boolean {
    return [this.lazy, this.byNamespace, this.byLabel, this.byOwner].some((m) => m instanceof PagedMap && m.damaged)
  }

  /** Marks the cache failed by its damaged snapshot: the API server opens the kind again without it, and saves nothing of it. */
  private fail(): Error {
    this.snapshotDamaged = true
    return this.failWith(new StorageError('Io', `the index snapshot of ${this.prefix} is damaged; the kind is read again whole`))
  }

  /** Marks the cache failed (the first error stays) and tells who asked, once. */
  private failWith(err: Error): Error {
    if (this.failure) return this.failure
    this.failure = err
    for (const fn of this.failureListeners) {
      try {
        fn(err)
      } catch {
        // A listener's failure is its own.
      }
    }
    this.failureListeners.clear()
    return err
  }

  /** Calls `fn` once if the cache fails (at once when it has); returns the unsubscribe. */
  onFailure(fn: (err: Error) => void): () => void {
    if (this.failure) {
      fn(this.failure)
      return () => {}
    }
    this.failureListeners.add(fn)
    return () => this.failureListeners.delete(fn)
  }

  /** Fails the cache, and the read that found it, when a page of its snapshot turned out damaged. */
  private damage(): void {
    if (this.isDamaged()) throw this.fail()
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

  /**
   * Reads from the store the lazily known objects among `keys` and keeps them whole. An object the
   * store holds at another revision than the cache knows (another process's write whose event has
   * not arrived yet) is returned for this read only; one the store no longer holds is left out.
   */
  private async whole(keys: readonly string[]): Promise<Map<string, KObject>> {
    const out = new Map<string, KObject>()
    const wanted = keys.filter((k) => this.lazy.has(k))
    if (!wanted.length) return out
    const found = new Map<string, KeyValue>()
    if (wanted.length <= POINT_READS) {
      for (const k of wanted) {
        const kv = await this.storage.get(k)
        if (kv) found.set(k, kv)
      }
    } else {
      // One range: the namespace's when every key is in one, else the kind's.
      const ns = namespaceOfKey(this.prefix, wanted[0])
      const one = ns !== undefined && wanted.every((k) => namespaceOfKey(this.prefix, k) === ns)
      const want = new Set(wanted)
      for (const kv of (await this.storage.range(one ? `${this.prefix}${ns}/` : this.prefix)).items) if (want.has(kv.key)) found.set(kv.key, kv)
    }
    for (const [key, kv] of found) {
      const entry = this.lazy.get(key)
      const obj = freeze(decodeObject(kv))
      // Still lazy and at the revision the cache knows (no event came meanwhile): keep it whole.
      if (entry && entry.modRevision === kv.modRevision) {
        this.lazy.delete(key)
        this.objects.set(key, obj)
      } else if (!this.objects.has(key)) out.set(key, obj)
    }
    return out
  }

  private candidates(filter: CacheFilter): string[] {
    let best: Set<string> | undefined
    for (const [k, v] of filter.labelTerms ?? []) {
      const s = setOf(this.labels(), `${k}=${v}`) ?? new Set<string>()
      if (!best || s.size < best.size) best = s
    }
    if (filter.namespace) {
      const s = setOf(this.byNamespace, filter.namespace) ?? new Set<string>()
      if (!best || s.size < best.size) best = s
    }
    if (best) return [...best].sort()
    return (this.sortedKeys ??= [...this.objects.keys(), ...this.lazy.keys()].sort())
  }

  /** The label index, built from every object on first use. */
  private labels(): KeyIndex {
    if (!this.byLabel) {
      const index: KeyIndex = new Map()
      for (const [key, obj] of this.objects) addLabels(index, key, obj.metadata.labels)
      for (const [key, e] of this.lazy) addLabels(index, key, e.labels)
      this.byLabel = index
    }
    return this.byLabel
  }

  /** The owner index, built from every object on first use. */
  private owners(): KeyIndex {
    if (!this.byOwner) {
      const index: KeyIndex = new Map()
      for (const [key, obj] of this.objects) if (obj.metadata.ownerReferences?.length) addOwners(index, key, ownerUids(obj))
      for (const [key, e] of this.lazy) if (e.owners) addOwners(index, key, e.owners)
      this.byOwner = index
    }
    return this.byOwner
  }

  /** The labels and owner uids the indexes hold for `key` now (undefined: not known). */
  private termsOf(key: string): { namespace?: string; labels?: Record<string, string>; owners: string[] } | undefined {
    const obj = this.objects.get(key)
    if (obj) return { namespace: obj.metadata.namespace, labels: obj.metadata.labels, owners: ownerUids(obj) }
    const e = this.lazy.get(key)
    if (e) return { namespace: namespaceOfKey(this.prefix, key), labels: e.labels, owners: e.owners ?? [] }
    return undefined
  }

  private index(key: string, obj: KObject): void {
    if (this.base) this.changed(key)
    const before = this.termsOf(key)
    this.lazy.delete(key)
    this.objects.set(key, obj)
    // A new version of an object nearly always keeps its namespace, labels and owners (a status
    // write): its index entries stay as they are (the indexes are sets of keys, read sorted).
    if (before) {
      const meta = obj.metadata
      if (meta.namespace !== before.namespace) {
        if (before.namespace) removeFrom(this.byNamespace, before.namespace, key)
        if (meta.namespace) addTo(this.byNamespace, meta.namespace, key)
      }
      if (this.byLabel && !sameLabels(meta.labels, before.labels)) {
        removeLabels(this.byLabel, key, before.labels)
        addLabels(this.byLabel, key, meta.labels)
      }
      if (this.byOwner) {
        const now = ownerUids(obj)
        if (!sameUids(now, before.owners)) {
          removeOwners(this.byOwner, key, before.owners)
          addOwners(this.byOwner, key, now)
        }
      }
      return
    }
    this.sortedKeys = undefined
    const ns = obj.metadata.namespace
    if (ns) addTo(this.byNamespace, ns, key)
    if (this.byLabel) addLabels(this.byLabel, key, obj.metadata.labels)
    if (this.byOwner) addOwners(this.byOwner, key, ownerUids(obj))
  }

  private unindex(key: string): void {
    if (this.base) this.changed(key)
    const terms = this.termsOf(key)
    if (!terms) return
    if (terms.namespace) removeFrom(this.byNamespace, terms.namespace, key)
    if (this.byLabel) removeLabels(this.byLabel, key, terms.labels)
    if (this.byOwner) removeOwners(this.byOwner, key, terms.owners)
  }

  private apply(events: WatchEvent[]): void {
    const out: CacheEvent[] = []
    // Every op of one txn shares one revision, and a big txn may arrive in several batches: an event
    // is old only when its revision is below the cache's, or equal and already applied to its key.
    for (const ev of events) {
      if (ev.type === 'put') {
        const known = this.objects.get(ev.kv.key)
        const lazy = this.lazy.get(ev.kv.key)
        if (ev.kv.modRevision < this.revision || (ev.kv.modRevision === this.revision && known?.metadata.resourceVersion === String(ev.kv.modRevision))) continue
        if (lazy && lazy.modRevision >= ev.kv.modRevision) continue
        // A lazily known object's previous state comes with the event.
        const prev = known ?? (lazy && ev.prevKv ? freeze(decodeObject(ev.prevKv)) : undefined)
        const obj = freeze(decodeObject(ev.kv, known))
        this.index(ev.kv.key, obj)
        this.revision = ev.kv.modRevision
        out.push({ type: prev || lazy ? 'MODIFIED' : 'ADDED', object: obj, prevObject: prev, revision: ev.kv.modRevision })
      } else {
        if (ev.revision < this.revision || (ev.revision === this.revision && !this.objects.has(ev.key) && !this.lazy.has(ev.key))) continue
        const known = this.objects.get(ev.key)
        const lazy = this.lazy.get(ev.key)
        this.revision = ev.revision
        if (!known && !lazy) continue
        const prev = known ?? (ev.prevKv ? freeze(decodeObject(ev.prevKv)) : undefined)
        this.unindex(ev.key)
        this.objects.delete(ev.key)
        this.lazy.delete(ev.key)
        this.sortedKeys = undefined
        if (!prev) continue
        const gone = freeze({ ...prev, metadata: { ...prev.metadata, resourceVersion: String(ev.revision) } })
        out.push({ type: 'DELETED', object: gone, prevObject: prev, revision: ev.revision })
      }
    }
    // A page of the snapshot found malformed by an event: the cache fails (no throw out of a watch).
    if (this.snapshotDamaged || this.isDamaged()) this.fail()
    if (!out.length) return
    this.applied++
    this.snapshotStale = true
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
