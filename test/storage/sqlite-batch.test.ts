/** The sqlite backend's group commit (`batch`): each txn inside stays atomic, ordered and watched at once. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openSqliteStorage } from '../../reconciler/storage/sqlite.js'
import type { WatchEvent } from '../../reconciler/storage/types.js'

const Batch = suite('sqlite batch')

function tempPath(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-batch-'))
  return { path: join(dir, 'state.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

Batch('revisions inside a batch follow each other, across failed compares and empty txns', async () => {
  const { path, cleanup } = tempPath()
  const s = openSqliteStorage(path)
  const seen: number[] = []
  s.watch('/k/', { onEvents: (evs: WatchEvent[]) => seen.push(...evs.map((e) => (e.type === 'put' ? e.kv.modRevision : e.revision))), onError: () => {} })
  await s.txn({ success: [{ type: 'put', key: '/k/a', value: '0' }] })
  const cases: Array<{ name: string; run: () => Promise<{ succeeded: boolean; revision: number }>; succeeded: boolean; revision: number }> = [
    { name: 'put', run: () => s.txn({ compare: [{ key: '/k/a', modRevision: 1 }], success: [{ type: 'put', key: '/k/a', value: '1' }] }), succeeded: true, revision: 2 },
    { name: 'stale compare', run: () => s.txn({ compare: [{ key: '/k/a', modRevision: 1 }], success: [{ type: 'put', key: '/k/a', value: 'x' }] }), succeeded: false, revision: 2 },
    { name: 'compare on another key', run: () => s.txn({ compare: [{ key: '/k/b', modRevision: 0 }], success: [{ type: 'put', key: '/k/c', value: 'c' }] }), succeeded: true, revision: 3 },
    { name: 'delete of nothing', run: () => s.txn({ success: [{ type: 'delete', key: '/k/none' }] }), succeeded: true, revision: 3 },
    { name: 'two keys', run: () => s.txn({ compare: [{ key: '/k/c', modRevision: 3 }], success: [{ type: 'put', key: '/k/c', value: 'c2' }, { type: 'put', key: '/k/d', value: 'd' }] }), succeeded: true, revision: 4 },
    { name: 'delete', run: () => s.txn({ success: [{ type: 'delete', key: '/k/d' }] }), succeeded: true, revision: 5 },
  ]
  await s.batch(async () => {
    for (const c of cases) {
      const res = await c.run()
      assert.is(res.succeeded, c.succeeded, c.name)
      assert.is(res.revision, c.revision, c.name)
    }
  })
  assert.equal(seen, [1, 2, 3, 4, 4, 5])
  assert.is(await s.revision(), 5)
  // Another handle sees every write once the batch committed, and the next write goes on from there.
  const other = openSqliteStorage(path)
  assert.is((await other.get('/k/c'))?.value, 'c2')
  assert.is((await other.txn({ success: [{ type: 'put', key: '/k/e', value: 'e' }] })).revision, 6)
  await other.close()
  await s.batch(async () => {
    assert.is((await s.txn({ success: [{ type: 'put', key: '/k/f', value: 'f' }] })).revision, 7)
  })
  await s.close()
  cleanup()
})

Batch('a txn that fails inside a batch leaves the revision where it was', async () => {
  const { path, cleanup } = tempPath()
  const s = openSqliteStorage(path)
  await s.batch(async () => {
    await s.txn({ success: [{ type: 'put', key: '/k/a', value: 'a' }] })
    await s.txn({ success: [{ type: 'put', key: '/k/a', value: 'b' }, { type: 'put', key: '/k/a', value: 'c' }] }).then(
      () => assert.unreachable('a key written twice in one txn is refused'),
      () => {},
    )
    assert.is((await s.txn({ success: [{ type: 'put', key: '/k/b', value: 'b' }] })).revision, 2)
  })
  await s.close()
  cleanup()
})

Batch('a batch that could not take the write lock (busy) leaves the handle reading revisions from the log', async () => {
  const { path, cleanup } = tempPath()
  const x = openSqliteStorage(path)
  const y = openSqliteStorage(path, { busyTimeoutMs: 50 })
  try {
    await x.txn({ success: [{ type: 'put', key: '/a', value: '1' }] })
    let release!: () => void
    const held = x.batch(() => new Promise<void>((r) => (release = r)))
    let failed = false
    await y.batch(async () => {}).catch(() => (failed = true))
    assert.ok(failed, 'the second handle could not begin its batch')
    release()
    await held
    const y1 = await y.txn({ success: [{ type: 'put', key: '/y1', value: 'y' }] })
    const x1 = await x.txn({ success: [{ type: 'put', key: '/x1', value: 'x' }] })
    const y2 = await y.txn({ success: [{ type: 'put', key: '/y2', value: 'y' }] })
    assert.equal([y1.revision, x1.revision, y2.revision], [2, 3, 4])
  } finally {
    await x.close()
    await y.close()
    cleanup()
  }
})

Batch.run()
