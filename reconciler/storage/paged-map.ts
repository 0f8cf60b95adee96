/**
 * A Map a checkpoint saves and restores by pages: its records are spread over pages by a hash of
 * their keys, each page stored as one line of JSON. A restore keeps the lines as text and parses
 * a page only when one of its keys is first read or written; a save writes back the text of every
 * page nothing changed (no JSON work) and encodes only the others. A one-shot command that touches
 * a few records of a memory of thousands parses and encodes a few pages, not the whole memory.
 *
 * It is a Map in every other respect (iteration, size, …): whatever would need every record
 * (iterating, `clear` aside) reads every page first. Records are checked as their page is read:
 * one the `check` refuses is left out and the map reported damaged (Checkpoint.damaged). Order:
 * a restored map iterates page by page, then the records added since; only the checkpoint's own
 * tests compare orders, after sorting.
 *
 * As plain JSON (`toJSON`) it is the list of `[key, saved value]` pairs a Map saved as pairs would
 * be, so tests and stores without pages see the same data.
 */
import { stableHash as fnv1a } from './stable-hash.js'

/** Records per page a save aims at: small enough that a command touching a few records parses little. */
const PAGE_RECORDS = 48

/** How a PagedMap reads and writes its records' saved form. */
export interface PagedCodec<V> {
  /** The value of a saved record, or undefined when it is malformed (the record is left out). */
  check(key: string, saved: unknown): V | undefined
  /** The saved form of a value (default: the value itself). */
  encode?(key: string, value: V): unknown
}

/** A paged map as a store keeps it: its pages' lines, and how many records each holds. */
export interface PagedText {
  /** One JSON array of `[key, saved value]` pairs per page, joined by newlines. */
  lines: string
  counts: number[]
}

/** The placeholder a paged map leaves in its checkpoint's main document (its pages are a document of their own). */
export interface PagedPlaceholder {
  $paged: number[]
}

/** Whether `v` is a PagedPlaceholder. */
export function isPagedPlaceholder(v: unknown): v is PagedPlaceholder {
  return typeof v === 'object' && v !== null && Array.isArray((v as Partial<PagedPlaceholder>).$paged) && (v as PagedPlaceholder).$paged.every((n) => Number.isInteger(n) && n >= 0)
}

export class PagedMap<V> extends Map<string, V> {
  private readonly codec: PagedCodec<V>
  /** The restored pages' text, kept until the page changes (a save writes it back as it was). */
  private texts: Array<string | undefined> = []
  /** Pages not read yet, and how many records they hold. */
  private unread: Uint8Array = new Uint8Array(0)
  private unreadPages = 0
  private unreadRecords = 0
  private counts: number[] = []
  /** Whether a restored record turned out malformed (it was left out). */
  damaged = false

  constructor(codec: PagedCodec<V>) {
    super()
    this.codec = codec
  }

  /**
   * A map of `saved`: pairs as a Map saves them (each checked now), or the pages a store kept
   * (`PagedText`, or a PagedMap: each read when first needed). Throws, having built nothing anyone holds, when
   * `saved` is neither.
   */
  static restore<V>(saved: unknown, codec: PagedCodec<V>): PagedMap<V> {
    const m = new PagedMap<V>(codec)
    // Another PagedMap (a save handed over in one process): as the store would hand it back.
    if (saved instanceof PagedMap) saved = (saved as PagedMap<unknown>).toPages()
    if (isPagedText(saved)) {
      const lines = saved.lines === '' ? [] : saved.lines.split('\n')
      if (lines.length !== saved.counts.length || !saved.counts.every((n) => Number.isInteger(n) && n >= 0)) throw new TypeError('pages and counts differ')
      m.texts = lines
      m.unread = new Uint8Array(lines.length).fill(1)
      m.unreadPages = lines.length
      m.counts = [...saved.counts]
      m.unreadRecords = m.counts.reduce((a, b) => a + b, 0)
      return m
    }
    if (!Array.isArray(saved)) throw new TypeError('not a list of pairs')
    for (const pair of saved as unknown[]) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') throw new TypeError('not a list of pairs')
    }
    for (const [k, s] of saved as Array<[string, unknown]>) m.put(k, s)
    return m
  }

  /** The page of `key` among the restored pages. */
  private pageOf(key: string): number {
    return fnv1a(key) % this.texts.length
  }

  /** Reads the page `key` belongs to, when it is unread; returns its page. */
  private touch(key: string): number {
    const p = this.pageOf(key)
    if (this.unread[p]) this.read(p)
    return p
  }

  private read(p: number): void {
    this.unread[p] = 0
    this.unreadPages--
    this.unreadRecords -= this.counts[p]
    let pairs: unknown
    try {
      pairs = JSON.parse(this.texts[p]!)
    } catch {
      pairs = undefined
    }
    // A page that is not a list, or does not hold the records its count says (its size was told from the counts).
    if (!Array.isArray(pairs) || pairs.length !== this.counts[p]) this.damaged = true
    if (!Array.isArray(pairs)) {
      this.texts[p] = undefined
      return
    }
    for (const pair of pairs as unknown[]) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || this.pageOf(pair[0]) !== p) this.damaged = true
      else this.put(pair[0], pair[1])
    }
  }

  /** Adds a saved record, checked. */
  private put(key: string, saved: unknown): void {
    const v = this.codec.check(key, saved)
    if (v === undefined) this.damaged = true
    else super.set(key, v)
  }

  private readAll(): void {
    if (!this.unreadPages) return
    for (let p = 0; p < this.texts.length; p++) if (this.unread[p]) this.read(p)
  }

  override get(key: string): V | undefined {
    if (this.unreadPages) this.touch(key)
    return super.get(key)
  }

  override has(key: string): boolean {
    if (this.unreadPages) this.touch(key)
    return super.has(key)
  }

  override set(key: string, value: V): this {
    // `super()` may call set before the fields exist (it does not with no entries; guarded anyway).
    if (this.texts?.length) {
      const p = this.touch(key)
      // The same value again leaves the page as stored.
      if (super.get(key) !== value || !super.has(key)) this.texts[p] = undefined
    }
    return super.set(key, value)
  }

  override delete(key: string): boolean {
    if (this.texts.length) {
      const p = this.touch(key)
      if (super.has(key)) this.texts[p] = undefined
    }
    return super.delete(key)
  }

  override clear(): void {
    this.texts = []
    this.unread = new Uint8Array(0)
    this.unreadPages = 0
    this.unreadRecords = 0
    this.counts = []
    super.clear()
  }

  override get size(): number {
    return super.size + this.unreadRecords
  }

  override keys(): MapIterator<string> {
    this.readAll()
    return super.keys()
  }

  override values(): MapIterator<V> {
    this.readAll()
    return super.values()
  }

  override entries(): MapIterator<[string, V]> {
    this.readAll()
    return super.entries()
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries()
  }

  override forEach(fn: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    this.readAll()
    super.forEach(fn, thisArg)
  }

  private encoded(key: string, value: V): unknown {
    return this.codec.encode ? this.codec.encode(key, value) : value
  }

  /** The records as `[key, saved value]` pairs (every page read). */
  toJSON(): Array<[string, unknown]> {
    return Array.from(this.entries(), ([k, v]): [string, unknown] => [k, this.encoded(k, v)])
  }

  /** Whether a save pages the map afresh (it has grown or shrunk far from its pages), reading every page. */
  private repages(): boolean {
    const want = Math.max(1, Math.ceil(this.size / PAGE_RECORDS))
    const n = this.texts.length
    return !n || want > n * 2 || want * 4 < n
  }

  /**
   * Reads what a save will read (every page, when it pages afresh): call before asking whether the
   * map is damaged, so a page found malformed by the save itself is not written over.
   */
  readForSave(): void {
    if (this.unreadPages && this.repages()) this.readAll()
  }

  /**
   * The pages to store: each page nothing changed as its restored text, the others encoded.
   * Paged afresh (every page read) when the map has grown or shrunk far from its pages.
   */
  toPages(): PagedText {
    const size = this.size
    const want = Math.max(1, Math.ceil(size / PAGE_RECORDS))
    const n = this.texts.length
    if (this.repages()) {
      this.readAll()
      const pages: Array<Array<[string, unknown]>> = Array.from({ length: size ? want : 0 }, () => [])
      for (const [k, v] of super.entries()) pages[fnv1a(k) % want].push([k, this.encoded(k, v)])
      return { lines: pages.map((p) => JSON.stringify(p)).join('\n'), counts: pages.map((p) => p.length) }
    }
    const fresh: Array<Array<[string, unknown]> | undefined> = new Array(n)
    for (let p = 0; p < n; p++) if (this.texts[p] === undefined) fresh[p] = []
    for (const [k, v] of super.entries()) fresh[this.pageOf(k)]?.push([k, this.encoded(k, v)])
    const lines: string[] = []
    const counts: number[] = []
    for (let p = 0; p < n; p++) {
      const f = fresh[p]
      lines.push(f ? JSON.stringify(f) : this.texts[p]!)
      counts.push(f ? f.length : this.counts[p])
    }
    return { lines: lines.join('\n'), counts }
  }
}

function isPagedText(v: unknown): v is PagedText {
  return typeof v === 'object' && v !== null && typeof (v as Partial<PagedText>).lines === 'string' && Array.isArray((v as Partial<PagedText>).counts)
}

/**
 * A checkpoint's data split for storing: each top-level PagedMap's pages as a document of its own
 * (by field name: newline-separated JSON lines, written as text), the rest with a placeholder
 * holding its page counts in the PagedMap's place.
 */
export function splitPaged(data: unknown): { main: unknown; pages: Map<string, string> } {
  const pages = new Map<string, string>()
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { main: data, pages }
  const main: Record<string, unknown> = {}
  for (const [field, v] of Object.entries(data)) {
    if (v instanceof PagedMap) {
      const p = (v as PagedMap<unknown>).toPages()
      pages.set(field, p.lines)
      main[field] = { $paged: p.counts } satisfies PagedPlaceholder
    } else main[field] = v
  }
  return { main, pages }
}

/** Reads, in every top-level PagedMap of `data`, what its save will read (PagedMap.readForSave). */
export function readPagesForSave(data: unknown): void {
  if (typeof data !== 'object' || data === null) return
  for (const v of Object.values(data)) if (v instanceof PagedMap) (v as PagedMap<unknown>).readForSave()
}

/**
 * A stored checkpoint's data put back together: each placeholder replaced by its pages
 * (`pagesOf(field)`, as PagedText for PagedMap.restore); a placeholder whose pages are missing is
 * left as it is (the controller finds the outline wrong, and primes).
 */
export function joinPaged(main: unknown, pagesOf: (field: string) => string | undefined): unknown {
  if (typeof main !== 'object' || main === null || Array.isArray(main)) return main
  const out: Record<string, unknown> = { ...(main as Record<string, unknown>) }
  for (const [field, v] of Object.entries(out)) {
    if (!isPagedPlaceholder(v)) continue
    const lines = pagesOf(field)
    if (lines !== undefined) out[field] = { lines, counts: v.$paged } satisfies PagedText
  }
  return out
}

/** Whether `v` is a PagedMap's saved form: pairs, or a store's pages (what PagedMap.restore takes). */
export function isPairsOrPages(v: unknown): boolean {
  return Array.isArray(v) || isPagedText(v)
}
