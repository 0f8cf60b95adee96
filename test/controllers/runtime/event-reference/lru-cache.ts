/** A small least-recently-used map (groupcache/lru's behaviour: a get refreshes, an add past the size evicts the oldest). */
export class LruCache<V> {
  private readonly entries = new Map<string, V>()
  /**
   * Walks the keys oldest first, kept between evictions: everything before it was evicted or moved
   * to the end, so its next key is the oldest. (A new iterator per eviction walks over every
   * deleted slot at the front of the Map again: microseconds per add on a full cache.)
   */
  private oldest: Iterator<string> | undefined

  constructor(private readonly maxEntries: number) {}

  get(key: string): V | undefined {
    const v = this.entries.get(key)
    if (v !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, v)
    }
    return v
  }

  add(key: string, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.maxEntries) {
      let next = (this.oldest ??= this.entries.keys()).next()
      if (next.done) next = (this.oldest = this.entries.keys()).next()
      this.entries.delete(next.value as string)
    }
  }

  get size(): number {
    return this.entries.size
  }
}
