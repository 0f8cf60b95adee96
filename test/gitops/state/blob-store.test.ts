import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { storedBlobCache } from '../../../reconciler/gitops/state/blob-store.js'
import { BLOB_PREFIX } from '../../../reconciler/gitops/state/keys.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { StagedStorage } from '../../../reconciler/storage/staged.js'
import type { Storage } from '../../../reconciler/storage/types.js'

const test = suite('storedBlobCache: lookups of a state that holds no parse')

const parsed = { objects: [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, doc: 0, line: 1 }], errors: [] }

/** `base`, counting its point reads. */
function counting(base: Storage): { storage: Storage; gets: string[] } {
  const gets: string[] = []
  const storage = Object.create(base) as Storage
  storage.get = (k: string) => (gets.push(k), base.get(k))
  storage.range = (p, o) => base.range(p, o)
  return { storage, gets }
}

const cases: Array<{ name: string; seed: boolean; staged?: boolean; lookups: string[]; hits: number; pointReads: number }> = [
  { name: 'an empty state: misses without a point read', seed: false, lookups: ['x', 'y', 'z'], hits: 0, pointReads: 0 },
  { name: 'a state with parses: each key looked up', seed: true, lookups: ['a', 'y'], hits: 1, pointReads: 2 },
  { name: 'a staging area (no paged range): looked up key by key', seed: false, staged: true, lookups: ['x', 'y'], hits: 0, pointReads: 2 },
]

for (const c of cases) {
  test(c.name, async () => {
    const mem = createMemoryStorage()
    if (c.seed) await mem.txn({ success: [{ type: 'put', key: BLOB_PREFIX + 'a', value: JSON.stringify(parsed) }] })
    const { storage, gets } = counting(mem)
    const cache = storedBlobCache(c.staged ? new StagedStorage(storage) : storage)
    let hits = 0
    for (const k of c.lookups) if (await cache.get(k)) hits++
    assert.is(hits, c.hits)
    assert.is(gets.length, c.pointReads)
    assert.equal(cache.stats, { hits: c.hits, misses: c.lookups.length - c.hits })
    if (c.seed) assert.equal(await cache.get('a'), parsed)
  })
}

test('a parse put during the sync is found in memory and written at the end', async () => {
  const cache = storedBlobCache(createMemoryStorage())
  assert.is(await cache.get('b'), undefined)
  await cache.put('b', parsed)
  assert.equal(await cache.get('b'), parsed)
  assert.equal(cache.takeWrites(), [{ type: 'put', key: BLOB_PREFIX + 'b', value: JSON.stringify(parsed) }])
})

test.run()
