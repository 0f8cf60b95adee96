/** A small least-recently-used map: the oldest entry goes once the map is full. */

/** A Map bounded to `max` entries; `get` refreshes an entry, `set` evicts the least recently used. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>()
  constructor(readonly max: number) {}

  /** The value for `key`, marked as just used. */
  get(key: K): V | undefined {
    const value = this.map.get(key)
    if (value !== undefined) {
      this.map.delete(key)
      this.map.set(key, value)
    }
    return value
  }

  /** Store `value` for `key`, evicting the least recently used entry when over `max`. */
  set(key: K, value: V): void {
    this.map.delete(key)
    this.map.set(key, value)
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K)
  }

  /** Forget `key`. */
  delete(key: K): void {
    this.map.delete(key)
  }

  /** How many entries are held. */
  get size(): number {
    return this.map.size
  }
}
