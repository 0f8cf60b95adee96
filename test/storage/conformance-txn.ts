/** Conformance: revisions, key metadata, txn compares, atomicity, deletes, limits, compaction, reopen. */
import type { Test } from 'uvu'
import * as assert from 'uvu/assert'
import type { TxnOp } from '../../reconciler/storage/types.js'
import type { Use } from './conformance.js'
import { del, keysOf, put, rejects } from './conformance-helpers.js'

/** Adds the key-value and txn tests. */
export function addTxnTests(test: Test, use: Use): void {
  test('an empty store is at revision 0 with nothing in it', use(async ({ storage }) => {
    assert.is(await storage.revision(), 0)
    assert.is(await storage.get('/a'), undefined)
    assert.equal((await storage.range('')).items, [])
    assert.is(await storage.compactedRevision(), 0)
  }))

  test('every write takes the next revision; create/mod revision and version follow etcd', use(async ({ storage }) => {
    const steps: { name: string; op: TxnOp; revision: number; key: string; expect?: [number, number, number] }[] = [
      { name: 'create a', op: { type: 'put', key: '/a', value: '1' }, revision: 1, key: '/a', expect: [1, 1, 1] },
      { name: 'create b', op: { type: 'put', key: '/b', value: '1' }, revision: 2, key: '/b', expect: [2, 2, 1] },
      { name: 'update a', op: { type: 'put', key: '/a', value: '2' }, revision: 3, key: '/a', expect: [1, 3, 2] },
      { name: 'update a again', op: { type: 'put', key: '/a', value: '3' }, revision: 4, key: '/a', expect: [1, 4, 3] },
      { name: 'delete a', op: { type: 'delete', key: '/a' }, revision: 5, key: '/a' },
      { name: 'recreate a', op: { type: 'put', key: '/a', value: '4' }, revision: 6, key: '/a', expect: [6, 6, 1] },
    ]
    for (const s of steps) {
      const res = await storage.txn({ success: [s.op] })
      assert.ok(res.succeeded, s.name)
      assert.is(res.revision, s.revision, s.name)
      assert.is(await storage.revision(), s.revision, s.name)
      const kv = await storage.get(s.key)
      if (s.expect === undefined) {
        assert.is(kv, undefined, s.name)
        assert.equal(res.results, [undefined], s.name)
      } else {
        assert.ok(kv, s.name)
        assert.equal([kv!.createRevision, kv!.modRevision, kv!.version], s.expect, s.name)
        assert.equal(res.results?.[0], kv, s.name)
      }
    }
  }))

  test('all ops of one txn share one revision and results follow op order', use(async ({ storage }) => {
    await put(storage, '/x/gone', 'g')
    const res = await storage.txn({
      success: [
        { type: 'put', key: '/x/1', value: 'a' },
        { type: 'delete', key: '/x/gone' },
        { type: 'put', key: '/x/2', value: 'b' },
      ],
    })
    assert.ok(res.succeeded)
    assert.is(res.revision, 2)
    assert.equal(res.results?.map((r) => r && [r.key, r.value, r.modRevision]), [['/x/1', 'a', 2], undefined, ['/x/2', 'b', 2]])
    assert.equal(keysOf((await storage.range('/x/')).items), ['/x/1', '/x/2'])
  }))

  test('txn compares: all must hold, else nothing is written and the failures are reported', use(async ({ storage }) => {
    await put(storage, '/c/a', '1') // rev 1
    await put(storage, '/c/b', '1') // rev 2
    const cases = [
      { name: 'absent key, modRevision 0', compare: [{ key: '/c/new', modRevision: 0 }], ok: true, failed: [] },
      { name: 'existing key, modRevision 0', compare: [{ key: '/c/a', modRevision: 0 }], ok: false, failed: [{ key: '/c/a', modRevision: 1 }] },
      { name: 'matching modRevision', compare: [{ key: '/c/b', modRevision: 2 }], ok: true, failed: [] },
      { name: 'stale modRevision', compare: [{ key: '/c/b', modRevision: 1 }], ok: false, failed: [{ key: '/c/b', modRevision: 2 }] },
      { name: 'absent key, nonzero modRevision', compare: [{ key: '/c/none', modRevision: 7 }], ok: false, failed: [{ key: '/c/none', modRevision: 0 }] },
      {
        name: 'one of two fails',
        compare: [{ key: '/c/a', modRevision: 1 }, { key: '/c/b', modRevision: 99 }],
        ok: false,
        failed: [{ key: '/c/b', modRevision: 2 }],
      },
    ]
    for (const c of cases) {
      const before = await storage.revision()
      const target = `/c/written-${c.name}`
      const res = await storage.txn({ compare: c.compare, success: [{ type: 'put', key: target, value: 'v' }] })
      assert.is(res.succeeded, c.ok, c.name)
      if (c.ok) {
        assert.is(res.revision, before + 1, c.name)
        assert.ok(await storage.get(target), c.name)
        await del(storage, target)
      } else {
        assert.is(res.revision, before, c.name)
        assert.equal(res.failed, c.failed, c.name)
        assert.is(await storage.get(target), undefined, c.name)
        assert.is(await storage.revision(), before, c.name)
      }
    }
  }))

  test('a compare on a deleted key sees modRevision 0', use(async ({ storage }) => {
    await put(storage, '/d', '1')
    await del(storage, '/d')
    const res = await storage.txn({ compare: [{ key: '/d', modRevision: 0 }], success: [{ type: 'put', key: '/d', value: '2' }] })
    assert.ok(res.succeeded)
    assert.is((await storage.get('/d'))?.version, 1)
  }))

  test('writes that change nothing keep the revision', use(async ({ storage }) => {
    await put(storage, '/k', 'v')
    const cases = [
      { name: 'empty txn', ops: [] as TxnOp[] },
      { name: 'delete of an absent key', ops: [{ type: 'delete', key: '/absent' }] as TxnOp[] },
    ]
    for (const c of cases) {
      const res = await storage.txn({ success: c.ops })
      assert.ok(res.succeeded, c.name)
      assert.is(res.revision, 1, c.name)
      assert.is(await storage.revision(), 1, c.name)
    }
  }))

  test('invalid txns are refused before anything is written', use(async ({ storage }) => {
    const big = 'x'.repeat(1.5 * 1024 * 1024 + 1)
    const cases: { name: string; ops: TxnOp[]; code: 'TooLarge' | 'InvalidRequest' }[] = [
      { name: 'value over 1.5 MiB', ops: [{ type: 'put', key: '/ok', value: 'v' }, { type: 'put', key: '/big', value: big }], code: 'TooLarge' },
      { name: 'multi-byte value over 1.5 MiB', ops: [{ type: 'put', key: '/ok', value: 'v' }, { type: 'put', key: '/big', value: 'é'.repeat(800 * 1024) }], code: 'TooLarge' },
      { name: 'empty key', ops: [{ type: 'put', key: '/ok', value: 'v' }, { type: 'put', key: '', value: 'v' }], code: 'InvalidRequest' },
      { name: 'key put twice', ops: [{ type: 'put', key: '/ok', value: 'v' }, { type: 'put', key: '/ok', value: 'w' }], code: 'InvalidRequest' },
      { name: 'key put and deleted', ops: [{ type: 'put', key: '/ok', value: 'v' }, { type: 'delete', key: '/ok' }], code: 'InvalidRequest' },
    ]
    for (const c of cases) {
      await rejects(storage.txn({ success: c.ops }), c.code)
      assert.is(await storage.revision(), 0, c.name)
      assert.is(await storage.get('/ok'), undefined, c.name)
    }
    const mib = 'y'.repeat(1024 * 1024)
    await put(storage, '/mib', mib)
    assert.is((await storage.get('/mib'))?.value.length, mib.length)
  }))

  test('values round-trip as exact text', use(async ({ storage }) => {
    const values = ['', ' ', '{"a":1}', 'line\nbreak', 'é😀\u0000nul', 'x'.repeat(100_000)]
    for (const [i, v] of values.entries()) await put(storage, `/v/${i}`, v)
    for (const [i, v] of values.entries()) assert.is((await storage.get(`/v/${i}`))?.value, v, `value ${i}`)
  }))

  test('a large txn commits whole', use(async ({ storage }) => {
    const value = 'z'.repeat(1500)
    const ops: TxnOp[] = Array.from({ length: 5000 }, (_, i) => ({ type: 'put', key: `/big/${String(i).padStart(5, '0')}`, value }))
    const res = await storage.txn({ success: ops })
    assert.is(res.revision, 1)
    const all = await storage.range('/big/')
    assert.is(all.items.length, 5000)
    assert.ok(all.items.every((kv) => kv.modRevision === 1 && kv.version === 1))
  }))

  test('compact: older revisions become unreadable, current state stays', use(async ({ storage }) => {
    await put(storage, '/p/a', '1') // 1
    await put(storage, '/p/a', '2') // 2
    await put(storage, '/p/b', '1') // 3
    await del(storage, '/p/b') // 4
    await put(storage, '/p/a', '3') // 5
    await storage.compact(4)
    assert.is(await storage.compactedRevision(), 4)
    await rejects(storage.range('/p/', { revision: 3 }), 'Compacted')
    assert.equal((await storage.range('/p/', { revision: 4 })).items.map((kv) => [kv.key, kv.value]), [['/p/a', '2']])
    assert.equal((await storage.range('/p/')).items.map((kv) => [kv.key, kv.value, kv.version]), [['/p/a', '3', 3]])
    await storage.compact(4) // the same revision again is a no-op
    await rejects(storage.compact(3), 'Compacted')
    await rejects(storage.compact(6), 'FutureRevision')
    await storage.compact(5)
    assert.is(await storage.compactedRevision(), 5)
    assert.equal((await storage.get('/p/a'))?.value, '3')
  }))

  test('reopen keeps keys, revisions, history and the compacted revision', use(async (b) => {
    if (b.reopen === undefined) return
    let s = b.storage
    await put(s, '/r/a', '1') // 1
    await s.txn({ success: [{ type: 'put', key: '/r/b', value: '1' }, { type: 'put', key: '/r/c', value: '1' }] }) // 2
    await put(s, '/r/a', '2') // 3
    await del(s, '/r/c') // 4
    await s.compact(2)
    s = await b.reopen()
    assert.is(await s.revision(), 4)
    assert.is(await s.compactedRevision(), 2)
    assert.equal(await s.get('/r/a'), { key: '/r/a', value: '2', createRevision: 1, modRevision: 3, version: 2 })
    assert.equal(keysOf((await s.range('/r/')).items), ['/r/a', '/r/b'])
    assert.equal(keysOf((await s.range('/r/', { revision: 3 })).items), ['/r/a', '/r/b', '/r/c'])
    await rejects(s.range('/r/', { revision: 1 }), 'Compacted')
    const res = await put(s, '/r/d', '1')
    assert.is(res.revision, 5)
  }))

  test('a closed store refuses calls with Closed', use(async (b) => {
    await b.storage.close()
    await rejects(b.storage.get('/a'), 'Closed')
    await rejects(put(b.storage, '/a', '1'), 'Closed')
  }))
}
