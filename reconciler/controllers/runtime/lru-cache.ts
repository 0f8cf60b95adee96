/** A small least-recently-used map (groupcache/lru's behaviour: a get refreshes, an add past the size evicts the oldest). */

/** One entry, linked oldest → newest. */
interface Entry<V> {
  key: string
  value: V
  older: Entry<V> | undefined
  newer: Entry<V> | undefined
}

/**
 * The entries in a Map by key and in a doubly linked list by recency, as groupcache's list.List:
 * a refresh relinks one entry instead of deleting and re-inserting the key (two more hash lookups,
 * and the Map's deleted slots to compact now and then).
 */
export class LruCache<V> {
  private readonly entries = new Map<string, Entry<V>>()
  private oldest: Entry<V> | undefined
  private newest: Entry<V> | undefined

  constructor(private readonly maxEntries: number) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key)
    if (e === undefined) return undefined
    this.touch(e)
    return e.value
  }

  add(key: string, value: V): void {
    const e = this.entries.get(key)
    if (e !== undefined) {
      e.value = value
      this.touch(e)
      return
    }
    const added: Entry<V> = { key, value, older: this.newest, newer: undefined }
    if (this.newest) this.newest.newer = added
    else this.oldest = added
    this.newest = added
    this.entries.set(key, added)
    if (this.entries.size > this.maxEntries) {
      const gone = this.oldest!
      this.oldest = gone.newer
      if (this.oldest) this.oldest.older = undefined
      else this.newest = undefined
      this.entries.delete(gone.key)
    }
  }

  get size(): number {
    return this.entries.size
  }

  /** Makes `e` the newest entry. */
  private touch(e: Entry<V>): void {
    if (e === this.newest) return
    // Unlink (e is not the newest, so it has a newer neighbour).
    const newer = e.newer!
    newer.older = e.older
    if (e.older) e.older.newer = newer
    else this.oldest = newer
    // Append.
    e.older = this.newest
    e.newer = undefined
    this.newest!.newer = e
    this.newest = e
  }
}
