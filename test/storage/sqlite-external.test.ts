/** sqlite specifics: writes by another handle (process) on the same file, schema version, files. */
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openSqliteStorage, type SqliteStorage } from '../../reconciler/storage/sqlite.js'
import { isStorageError } from '../../reconciler/storage/types.js'
import { describe, put, record, settle, waitFor } from './conformance-helpers.js'

const test = suite('sqlite storage: other writers on the same file')

async function withTwo(body: (a: SqliteStorage, b: SqliteStorage, path: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-ext-'))
  const path = join(dir, 'state.db')
  const a = openSqliteStorage(path)
  const b = openSqliteStorage(path)
  try {
    await body(a, b, path)
  } finally {
    await a.close()
    await b.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

test('pollExternal dispatches another handle’s writes, in order, once', () =>
  withTwo(async (a, b) => {
    const r = record(a, '/x/')
    await settle()
    await put(b, '/x/1', 'from b') // 1
    await put(b, '/x/1', 'again') // 2
    assert.is(r.events.length, 0, 'nothing until polled')
    assert.is((await a.get('/x/1'))?.value, 'again', 'reads see the file at once')
    assert.is(a.pollExternal(), 2)
    assert.is(a.pollExternal(), 0, 'nothing new: no second delivery')
    assert.equal(r.events.map(describe), ['put /x/1=from b@1', 'put /x/1=again@2 prev=from b@1'])
  }),
)

test('a local txn first dispatches the external revisions before it', () =>
  withTwo(async (a, b) => {
    const r = record(a, '/x/')
    await settle()
    await put(b, '/x/ext', '1') // 1
    const res = await put(a, '/x/local', '1') // 2
    assert.is(res.revision, 2)
    assert.equal(r.events.map(describe), ['put /x/ext=1@1', 'put /x/local=1@2'])
    assert.is(a.pollExternal(), 0)
  }),
)

test('a batch that writes nothing does not hide another handle’s earlier writes from the next poll', () =>
  withTwo(async (a, b) => {
    const r = record(a, '/x/')
    await settle()
    await put(b, '/x/ext', '1') // 1, not yet polled by a
    // A batch that only reads (a settle that found nothing to do) commits nothing of its own.
    await a.batch!(async () => {
      await a.get('/x/ext')
    })
    assert.is(a.pollExternal(), 1, 'the other handle’s write is still news')
    assert.equal(r.events.map(describe), ['put /x/ext=1@1'])
  }),
)

test('compares see the other handle’s writes', () =>
  withTwo(async (a, b) => {
    await put(a, '/k', '1')
    await put(b, '/k', '2')
    const res = await a.txn({ compare: [{ key: '/k', modRevision: 1 }], success: [{ type: 'put', key: '/k', value: '3' }] })
    assert.is(res.succeeded, false)
    assert.equal(res.failed, [{ key: '/k', modRevision: 2 }])
  }),
)

test('pollIntervalMs polls on a timer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-ext-'))
  const path = join(dir, 'state.db')
  const a = openSqliteStorage(path, { pollIntervalMs: 5 })
  const b = openSqliteStorage(path)
  try {
    const r = record(a, '/t/')
    await settle()
    await put(b, '/t/1', 'v')
    await waitFor(() => r.events.length === 1, 2000, 'polled event')
  } finally {
    await a.close()
    await b.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('history compacted by another handle before it was seen ends watches with Compacted', () =>
  withTwo(async (a, b) => {
    const r = record(a, '/c/')
    await settle()
    for (let i = 0; i < 4; i++) await put(b, '/c/k', String(i))
    await b.compact(4)
    a.pollExternal()
    assert.is(r.errors.length, 1)
    assert.ok(isStorageError(r.errors[0], 'Compacted'))
  }),
)

test('a file with a newer schema version is refused with Io', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-ext-'))
  const path = join(dir, 'state.db')
  try {
    await openSqliteStorage(path).close()
    const db = new Database(path)
    db.prepare(`UPDATE meta SET value = 999 WHERE name = 'schema_version'`).run()
    db.close()
    try {
      openSqliteStorage(path)
      assert.unreachable('opened a newer schema')
    } catch (err) {
      assert.ok(isStorageError(err, 'Io'))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the file is in WAL mode', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-ext-'))
  const path = join(dir, 'state.db')
  try {
    const s = openSqliteStorage(path)
    await put(s, '/a', '1')
    const db = new Database(path, { readonly: true })
    assert.is(db.pragma('journal_mode', { simple: true }), 'wal')
    db.close()
    await s.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
