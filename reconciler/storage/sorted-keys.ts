/** A sorted set of keys (UTF-8 byte order) that takes bulk inserts cheaply. */
import { compareKeys } from './key-order.js'

/**
 * Keys are appended to an unsorted pending list and merged into the sorted array on the next read,
 * so a transaction of 30,000 new keys costs one sort, not 30,000 array insertions. While no key
 * holds a code unit >= U+D800, UTF-16 order is UTF-8 byte order and the native sort is used.
 */
export class SortedKeys {
  private sorted: string[] = []
  private pending: string[] = []
  private compare: (a: string, b: string) => number = compareNative
  private native = true

  /** Adds a key that is not yet in the set. */
  add(key: string): void {
    if (this.native && hasHighUnit(key)) {
      this.native = false
      this.compare = compareKeys
    }
    this.pending.push(key)
  }

  /** Removes every key for which `drop` returns true. */
  removeWhere(drop: (key: string) => boolean): void {
    this.flush()
    this.sorted = this.sorted.filter((k) => !drop(k))
  }

  /** The sorted keys (do not mutate) and the index of the first key >= `start`. */
  from(start: string): { keys: readonly string[]; index: number } {
    this.flush()
    const keys = this.sorted
    let lo = 0
    let hi = keys.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareKeys(keys[mid], start) < 0) lo = mid + 1
      else hi = mid
    }
    return { keys, index: lo }
  }

  private flush(): void {
    if (this.pending.length === 0) return
    const add = this.native ? this.pending.sort() : this.pending.sort(compareKeys)
    this.pending = []
    if (this.sorted.length === 0) {
      this.sorted = add
      return
    }
    const old = this.sorted
    const merged = new Array<string>(old.length + add.length)
    let i = 0
    let j = 0
    let k = 0
    const compare = this.compare
    while (i < old.length && j < add.length) merged[k++] = compare(old[i], add[j]) <= 0 ? old[i++] : add[j++]
    while (i < old.length) merged[k++] = old[i++]
    while (j < add.length) merged[k++] = add[j++]
    this.sorted = merged
  }
}

/** True when `key` has a UTF-16 unit at which UTF-16 and UTF-8 orders can differ. */
function hasHighUnit(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) >= 0xd800) return true
  return false
}

function compareNative(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
