/** A small least-recently-used map (groupcache/lru's behaviour: a get refreshes, an add past the size evicts the oldest). */
export class LruCache<V> {
  private readonly entries = new Map<string, V>()

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
      const oldest = this.entries.keys().next().value as string
      this.entries.delete(oldest)
    }
  }

  get size(): number {
    return this.entries.size
  }
}
