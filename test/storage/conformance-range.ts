/** Conformance: range by prefix, key order, limit/continue, remaining, countOnly, historical reads. */
import type { Test } from 'uvu'
import * as assert from 'uvu/assert'
import type { RangeResult, Storage } from '../../reconciler/storage/types.js'
import type { Use } from './conformance.js'
import { del, keysOf, put, rejects } from './conformance-helpers.js'

/** Adds the range tests. */
export function addRangeTests(test: Test, use: Use): void {
  test('range returns the keys under a prefix in byte order', use(async ({ storage }) => {
    for (const k of ['/a/2', '/a/10', '/a/1', '/ab', '/b/1', '/a/\uffff', '/a/😀', '/a/é']) await put(storage, k, k)
    const cases = [
      { name: 'prefix /a/', prefix: '/a/', keys: ['/a/1', '/a/10', '/a/2', '/a/é', '/a/\uffff', '/a/😀'] },
      { name: 'prefix /a (includes /ab)', prefix: '/a', keys: ['/a/1', '/a/10', '/a/2', '/a/é', '/a/\uffff', '/a/😀', '/ab'] },
      { name: 'exact key as prefix', prefix: '/b/1', keys: ['/b/1'] },
      { name: 'no match', prefix: '/c/', keys: [] },
      { name: 'everything', prefix: '', keys: ['/a/1', '/a/10', '/a/2', '/a/é', '/a/\uffff', '/a/😀', '/ab', '/b/1'] },
    ]
    for (const c of cases) {
      const res = await storage.range(c.prefix)
      assert.equal(keysOf(res.items), c.keys, c.name)
      assert.is(res.remaining, 0, c.name)
      assert.is(res.continue, undefined, c.name)
      assert.is(res.revision, 8, c.name)
    }
  }))

  test('range skips deleted keys', use(async ({ storage }) => {
    await put(storage, '/d/1', 'a')
    await put(storage, '/d/2', 'b')
    await del(storage, '/d/1')
    assert.equal(keysOf((await storage.range('/d/')).items), ['/d/2'])
    assert.is((await storage.range('/d/', { countOnly: true })).remaining, 1)
  }))

  test('limit and continue page through one revision', use(async ({ storage }) => {
    for (let i = 1; i <= 5; i++) await put(storage, `/p/${i}`, `v${i}`)
    await put(storage, '/q/1', 'other prefix')
    const p1 = await storage.range('/p/', { limit: 2 })
    assert.equal(keysOf(p1.items), ['/p/1', '/p/2'])
    assert.is(p1.remaining, 3)
    assert.is(p1.revision, 6)
    assert.type(p1.continue, 'string')
    // Writes between pages do not show: every page reads at the first page's revision.
    await put(storage, '/p/0', 'new')
    await put(storage, '/p/3', 'changed')
    await del(storage, '/p/4')
    await put(storage, '/p/6', 'new')
    const p2 = await storage.range('/p/', { limit: 2, continue: p1.continue })
    assert.equal(p2.items.map((kv) => [kv.key, kv.value]), [['/p/3', 'v3'], ['/p/4', 'v4']])
    assert.is(p2.remaining, 1)
    assert.is(p2.revision, 6)
    const p3 = await storage.range('/p/', { limit: 2, continue: p2.continue })
    assert.equal(keysOf(p3.items), ['/p/5'])
    assert.is(p3.remaining, 0)
    assert.is(p3.continue, undefined)
    const fresh = await storage.range('/p/', { limit: 10 })
    assert.equal(keysOf(fresh.items), ['/p/0', '/p/1', '/p/2', '/p/3', '/p/5', '/p/6'])
    assert.is(fresh.continue, undefined)
  }))

  test('paging collects every key exactly once', use(async ({ storage }) => {
    const keys = Array.from({ length: 23 }, (_, i) => `/many/${String(i).padStart(2, '0')}`)
    await storage.txn({ success: keys.map((key) => ({ type: 'put' as const, key, value: key })) })
    for (const limit of [1, 4, 22, 23, 24]) {
      const seen: string[] = []
      let page: RangeResult | undefined
      let pages = 0
      do {
        page = await storage.range('/many/', { limit, continue: page?.continue })
        seen.push(...keysOf(page.items))
        assert.is(page.remaining, keys.length - seen.length, `limit ${limit}`)
        pages++
      } while (page.continue !== undefined)
      assert.equal(seen, keys, `limit ${limit}`)
      assert.is(pages, Math.max(1, Math.ceil(keys.length / limit)), `limit ${limit}`)
    }
  }))

  test('countOnly counts without items', use(async ({ storage }) => {
    for (let i = 0; i < 4; i++) await put(storage, `/n/${i}`, 'v')
    await put(storage, '/m/0', 'v')
    const cases = [
      { name: 'current', prefix: '/n/', opts: {}, count: 4 },
      { name: 'historical', prefix: '/n/', opts: { revision: 2 }, count: 2 },
      { name: 'everything', prefix: '', opts: {}, count: 5 },
      { name: 'with a limit', prefix: '/n/', opts: { limit: 1 }, count: 4 },
    ]
    for (const c of cases) {
      const res = await storage.range(c.prefix, { ...c.opts, countOnly: true })
      assert.equal(res.items, [], c.name)
      assert.is(res.remaining, c.count, c.name)
    }
  }))

  test('range at an older revision reads history', use(async ({ storage }) => {
    await put(storage, '/h/a', '1') // 1
    await put(storage, '/h/b', '1') // 2
    await put(storage, '/h/a', '2') // 3
    await del(storage, '/h/b') // 4
    await put(storage, '/h/c', '1') // 5
    const cases = [
      { revision: 1, items: [['/h/a', '1', 1, 1]] },
      { revision: 2, items: [['/h/a', '1', 1, 1], ['/h/b', '1', 2, 1]] },
      { revision: 3, items: [['/h/a', '2', 3, 2], ['/h/b', '1', 2, 1]] },
      { revision: 4, items: [['/h/a', '2', 3, 2]] },
      { revision: 5, items: [['/h/a', '2', 3, 2], ['/h/c', '1', 5, 1]] },
    ]
    for (const c of cases) {
      const res = await storage.range('/h/', { revision: c.revision })
      assert.is(res.revision, c.revision, `revision ${c.revision}`)
      assert.equal(res.items.map((kv) => [kv.key, kv.value, kv.modRevision, kv.version]), c.items, `revision ${c.revision}`)
    }
    const paged = await storage.range('/h/', { revision: 2, limit: 1 })
    assert.equal(keysOf(paged.items), ['/h/a'])
    assert.is(paged.remaining, 1)
    const rest = await storage.range('/h/', { continue: paged.continue })
    assert.equal(keysOf(rest.items), ['/h/b'])
    assert.is(rest.revision, 2)
  }))

  test('range errors: future and compacted revisions, bad continue tokens', use(async ({ storage }) => {
    await put(storage, '/e/a', '1')
    await put(storage, '/e/b', '1')
    await put(storage, '/e/a', '2')
    const page = await storage.range('/e/', { limit: 1 })
    await storage.compact(3)
    const cases: { name: string; run: (s: Storage) => Promise<unknown>; code: 'FutureRevision' | 'Compacted' | 'InvalidContinue' }[] = [
      { name: 'future revision', run: (s) => s.range('/e/', { revision: 4 }), code: 'FutureRevision' },
      { name: 'compacted revision', run: (s) => s.range('/e/', { revision: 2 }), code: 'Compacted' },
      { name: 'garbage token', run: (s) => s.range('/e/', { continue: 'not a token!' }), code: 'InvalidContinue' },
      { name: 'base64 of garbage', run: (s) => s.range('/e/', { continue: Buffer.from('{"x":1}').toString('base64') }), code: 'InvalidContinue' },
      { name: 'token of another prefix', run: (s) => s.range('/other/', { continue: page.continue }), code: 'InvalidContinue' },
      { name: 'token with a different revision', run: (s) => s.range('/e/', { continue: page.continue, revision: 2 }), code: 'InvalidContinue' },
    ]
    for (const c of cases) await rejects(c.run(storage), c.code)
    // A token of a page read at a revision later compacted.
    const old = await storage.range('/e/', { limit: 1 })
    await put(storage, '/e/c', '1')
    await storage.compact(4)
    await rejects(storage.range('/e/', { continue: old.continue }), 'Compacted')
  }))
}
