/** The staging area over a store: reads its own writes, reads the base once per key, commits all or nothing. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { StagedStorage } from '../../reconciler/storage/staged.js'
import type { Storage } from '../../reconciler/storage/types.js'

const test = suite('StagedStorage')

/** A memory store that counts its get() calls per key. */
function countingBase(): { base: Storage; gets: Map<string, number> } {
  const base = createMemoryStorage()
  const gets = new Map<string, number>()
  const get = base.get.bind(base)
  base.get = async (key: string) => {
    gets.set(key, (gets.get(key) ?? 0) + 1)
    return get(key)
  }
  return { base, gets }
}

test('a key is read from the base once, present or absent', async () => {
  const { base, gets } = countingBase()
  await base.txn({ success: [{ type: 'put', key: '/a', value: '1' }] })
  const staged = new StagedStorage(base)
  for (let i = 0; i < 3; i++) {
    assert.is((await staged.get('/a'))?.value, '1')
    assert.is(await staged.get('/missing'), undefined)
  }
  assert.is(gets.get('/a'), 1)
  assert.is(gets.get('/missing'), 1)
})

test('reads its own writes and deletes, and commits them in one transaction', async () => {
  const { base } = countingBase()
  await base.txn({ success: [{ type: 'put', key: '/a', value: '1' }] })
  const staged = new StagedStorage(base)
  await staged.txn({ compare: [{ key: '/b', modRevision: 0 }], success: [{ type: 'put', key: '/b', value: '2' }] })
  await staged.txn({ success: [{ type: 'delete', key: '/a' }] })
  assert.is((await staged.get('/b'))?.value, '2')
  assert.is(await staged.get('/a'), undefined)
  assert.equal((await staged.range('/')).items.map((kv) => kv.key), ['/b'])
  assert.is(await base.get('/b'), undefined)
  const r = await staged.commit()
  assert.ok(r.succeeded)
  assert.is((await base.get('/b'))?.value, '2')
  assert.is(await base.get('/a'), undefined)
})

test('a commit is refused when a key it read changed in the base since', async () => {
  const { base } = countingBase()
  const staged = new StagedStorage(base)
  assert.is(await staged.get('/a'), undefined)
  await base.txn({ success: [{ type: 'put', key: '/a', value: 'theirs' }] })
  // The staging area keeps the snapshot it read: still absent for it.
  assert.is(await staged.get('/a'), undefined)
  await staged.txn({ compare: [{ key: '/a', modRevision: 0 }], success: [{ type: 'put', key: '/a', value: 'mine' }] })
  const r = await staged.commit()
  assert.not.ok(r.succeeded)
  assert.is((await base.get('/a'))?.value, 'theirs')
})

test('the base revision is read once; staged revisions still follow any base revision a read showed', async () => {
  const { base } = countingBase()
  let revisions = 0
  const revision = base.revision.bind(base)
  base.revision = async () => {
    revisions++
    return revision()
  }
  const staged = new StagedStorage(base)
  const first = await staged.txn({ success: [{ type: 'put', key: '/a', value: '1' }] })
  await staged.txn({ success: [{ type: 'put', key: '/b', value: '1' }] })
  assert.is(revisions, 1)
  // The base moves on; a key read afterwards shows a newer revision than the one read first.
  for (let i = 0; i < 5; i++) await base.txn({ success: [{ type: 'put', key: '/c', value: String(i) }] })
  const c = await staged.get('/c')
  assert.ok(c && c.modRevision > first.revision + 1)
  const next = await staged.txn({ success: [{ type: 'put', key: '/c', value: 'mine' }] })
  assert.ok(next.revision > c!.modRevision)
  staged.discard()
  await staged.revision()
  assert.is(revisions, 2)
})

test.run()
