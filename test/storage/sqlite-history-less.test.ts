/**
 * The SQLite state keeps no old versions of its history-less keys (the controllers' checkpoints,
 * the watch caches' index snapshots): a write, in a batch or not, drops the superseded rows in its
 * own transaction, so the file does not grow by their size with every command. Every other key
 * keeps its history.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openSqliteStorage } from '../../reconciler/storage/sqlite.js'

const test = suite('sqlite: history-less keys')

test('checkpoint and index chunks keep only their current row; other keys their history', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-history-less-'))
  const path = join(dir, 'state.db')
  try {
    const s = openSqliteStorage(path)
    const put = (key: string, value: string) => s.txn({ success: [{ type: 'put', key, value }] })
    const first = (await put('/capstan/checkpoints/kubelet/0', 'v1')).revision
    await put('/capstan/checkpoints/kubelet/0', 'v2')
    await put('/registry/configmaps/default/a', 'a1')
    await put('/registry/configmaps/default/a', 'a2')
    await s.batch(async () => {
      await put('/capstan/cache-index/Pod/0', 'p1')
      await put('/capstan/checkpoints/kubelet/0', 'v3')
      await s.txn({ success: [{ type: 'delete', key: '/capstan/cache-index/Pod/0' }] })
    })
    await put('/capstan/controllers', 'point1')
    await put('/capstan/controllers', 'point2')
    await s.close()
    const db = new Database(path, { readonly: true })
    const rows = (key: string) => (db.prepare('SELECT value FROM log WHERE key = ? ORDER BY revision').all(key) as Array<{ value: string }>).map((r) => r.value)
    assert.equal(rows('/capstan/checkpoints/kubelet/0'), ['v3'])
    assert.equal(rows('/capstan/cache-index/Pod/0'), [], 'a deleted one leaves nothing, not even its tombstone')
    assert.equal(rows('/registry/configmaps/default/a'), ['a1', 'a2'])
    assert.equal(rows('/capstan/controllers'), ['point1', 'point2'])
    db.close()
    const again = openSqliteStorage(path)
    assert.is((await again.get('/capstan/checkpoints/kubelet/0'))?.value, 'v3')
    assert.equal((await again.range('/capstan/checkpoints/', { revision: first })).items, [], 'an older version is gone')
    assert.equal((await again.range('/registry/configmaps/', { revision: first + 2 })).items.map((kv) => kv.value), ['a1'])
    await again.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
