import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { LruCache } from '../../../reconciler/controllers/runtime/lru-cache.js'

const test = suite('runtime: LruCache')

/** A reference LRU: an array of keys, most recent last. */
class Reference {
  keys: string[] = []
  values = new Map<string, number>()
  constructor(readonly max: number) {}
  get(k: string): number | undefined {
    const v = this.values.get(k)
    if (v !== undefined) this.keys = [...this.keys.filter((x) => x !== k), k]
    return v
  }
  add(k: string, v: number): void {
    this.keys = [...this.keys.filter((x) => x !== k), k]
    this.values.set(k, v)
    if (this.keys.length > this.max) this.values.delete(this.keys.shift()!)
  }
}

const cases = [
  { name: 'new keys only', max: 4, ops: 40, keySpace: 1000, getShare: 0 },
  { name: 'gets refresh, adds evict the least recently used', max: 5, ops: 2000, keySpace: 12, getShare: 0.5 },
  { name: 're-adds of live keys', max: 3, ops: 2000, keySpace: 6, getShare: 0.2 },
  { name: 'one entry', max: 1, ops: 500, keySpace: 3, getShare: 0.5 },
  { name: 'no room: every add evicts itself', max: 0, ops: 200, keySpace: 3, getShare: 0.5 },
  { name: 'a large cache (rehashes)', max: 64, ops: 20000, keySpace: 200, getShare: 0.6 },
]

for (const c of cases) {
  test(c.name, () => {
    const lru = new LruCache<number>(c.max)
    const ref = new Reference(c.max)
    let seed = 7
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
    for (let i = 0; i < c.ops; i++) {
      const k = `k${Math.floor(rnd() * c.keySpace)}`
      if (rnd() < c.getShare) assert.is(lru.get(k), ref.get(k), `get ${k} at op ${i}`)
      else {
        lru.add(k, i)
        ref.add(k, i)
      }
      assert.is(lru.size, ref.values.size)
    }
    for (const k of ref.keys) assert.is(lru.get(k), ref.values.get(k))
  })
}

test.run()
