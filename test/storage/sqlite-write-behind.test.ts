/**
 * The sqlite backend's write-behind batch: txns inside `batch` are applied in memory and reach the
 * file in bulk, yet every read, compare and watch answers as if each txn had been written at once.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { openSqliteStorage, type SqliteStorage } from '../../reconciler/storage/sqlite.js'
import { isStorageError, type RangeOptions, type Storage, type TxnRequest } from '../../reconciler/storage/types.js'
import { del, describe, keysOf, put, record, settle } from './conformance-helpers.js'

const test = suite('sqlite write-behind batch')

async function withFile(body: (path: string, s: SqliteStorage) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-wb-'))
  const path = join(dir, 'state.db')
  const s = openSqliteStorage(path)
  try {
    await body(path, s)
  } finally {
    await s.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Asserts that `p` rejects with a StorageError of code 'Io'. */
async function rejectsIo(p: Promise<unknown>, what: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  assert.ok(isStorageError(err, 'Io'), `${what}: expected StorageError Io, got ${String(err)}`)
}

test('reads inside a batch see its writes: get, revision, pages, counts, older revisions', () =>
  withFile(async (path, s) => {
    await put(s, '/r/a', 'a1') // 1
    await put(s, '/r/b', 'b1') // 2
    await s.batch(async () => {
      await put(s, '/r/c', 'c1') // 3
      await put(s, '/r/a', 'a2') // 4
      await del(s, '/r/b') // 5
      await put(s, '/r/d', 'd1') // 6
      assert.is(await s.revision(), 6)
      assert.equal(await s.get('/r/a'), { key: '/r/a', value: 'a2', createRevision: 1, modRevision: 4, version: 2 })
      assert.is(await s.get('/r/b'), undefined)
      assert.is((await s.get('/r/c'))?.modRevision, 3)
      const page1 = await s.range('/r/', { limit: 2 })
      const cases: Array<{ name: string; opts: RangeOptions; keys: string[]; values?: string[]; revision: number; remaining: number }> = [
        { name: 'whole prefix', opts: {}, keys: ['/r/a', '/r/c', '/r/d'], values: ['a2', 'c1', 'd1'], revision: 6, remaining: 0 },
        { name: 'first page', opts: { limit: 2 }, keys: ['/r/a', '/r/c'], revision: 6, remaining: 1 },
        { name: 'next page', opts: { limit: 2, continue: page1.continue }, keys: ['/r/d'], revision: 6, remaining: 0 },
        { name: 'count only', opts: { countOnly: true }, keys: [], revision: 6, remaining: 3 },
        { name: 'at revision 3', opts: { revision: 3 }, keys: ['/r/a', '/r/b', '/r/c'], values: ['a1', 'b1', 'c1'], revision: 3, remaining: 0 },
        { name: 'at revision 5', opts: { revision: 5 }, keys: ['/r/a', '/r/c'], values: ['a2', 'c1'], revision: 5, remaining: 0 },
        { name: 'count at revision 4', opts: { revision: 4, countOnly: true }, keys: [], revision: 4, remaining: 3 },
      ]
      for (const c of cases) {
        const r = await s.range('/r/', c.opts)
        assert.equal(keysOf(r.items), c.keys, c.name)
        if (c.values) assert.equal(r.items.map((kv) => kv.value), c.values, c.name)
        assert.is(r.revision, c.revision, c.name)
        assert.is(r.remaining, c.remaining, c.name)
      }
      // Writes after a read that wrote the pending rows out are seen too.
      await put(s, '/r/e', 'e1') // 7
      assert.equal(keysOf((await s.range('/r/')).items), ['/r/a', '/r/c', '/r/d', '/r/e'])
      await put(s, '/r/a', 'a3') // 8
      assert.equal(await s.get('/r/a'), { key: '/r/a', value: 'a3', createRevision: 1, modRevision: 8, version: 3 })
    })
    const other = openSqliteStorage(path)
    try {
      const r = await other.range('/r/')
      assert.equal(r.items.map((kv) => `${kv.key}=${kv.value}@${kv.modRevision}`), ['/r/a=a3@8', '/r/c=c1@3', '/r/d=d1@6', '/r/e=e1@7'])
      assert.is(r.revision, 8)
      assert.equal(keysOf((await other.range('/r/', { revision: 5 })).items), ['/r/a', '/r/c'])
    } finally {
      await other.close()
    }
  }),
)

test('a watch started inside a batch from an old revision gets the batch’s events once each, in order', () =>
  withFile(async (_path, s) => {
    await put(s, '/w/1', 'a') // 1
    const early = record(s, '/w/')
    await settle()
    let late!: ReturnType<typeof record>
    await s.batch(async () => {
      await put(s, '/w/2', 'b') // 2
      late = record(s, '/w/', { fromRevision: 1 })
      await put(s, '/w/3', 'c') // 3: dispatched before the late watch caught up
      await settle()
      await put(s, '/w/1', 'a2') // 4
      await del(s, '/w/2') // 5
    })
    const want = ['put /w/1=a@1', 'put /w/2=b@2', 'put /w/3=c@3', 'put /w/1=a2@4 prev=a@1', 'delete /w/2@5 prev=b@2']
    assert.equal(late.events.map(describe), want)
    assert.equal(early.events.map(describe), want.slice(1))
    assert.equal(late.errors, [])
    // A watch from an old revision started after the batch reads the same history from the file.
    const after = record(s, '/w/', { fromRevision: 2 })
    await settle()
    assert.equal(after.events.map(describe), want.slice(1))
  }),
)

test('compares inside a batch see the keys it wrote', () =>
  withFile(async (_path, s) => {
    await s.batch(async () => {
      const cases: Array<{ name: string; req: TxnRequest; succeeded: boolean; revision: number; failed?: Array<{ key: string; modRevision: number }> }> = [
        { name: 'create', req: { compare: [{ key: '/c/a', modRevision: 0 }], success: [{ type: 'put', key: '/c/a', value: '1' }] }, succeeded: true, revision: 1 },
        { name: 'create again', req: { compare: [{ key: '/c/a', modRevision: 0 }], success: [{ type: 'put', key: '/c/a', value: 'x' }] }, succeeded: false, revision: 1, failed: [{ key: '/c/a', modRevision: 1 }] },
        { name: 'update at its revision', req: { compare: [{ key: '/c/a', modRevision: 1 }], success: [{ type: 'put', key: '/c/a', value: '2' }] }, succeeded: true, revision: 2 },
        { name: 'compare only, stale', req: { compare: [{ key: '/c/a', modRevision: 1 }], success: [{ type: 'put', key: '/c/b', value: 'b' }] }, succeeded: false, revision: 2, failed: [{ key: '/c/a', modRevision: 2 }] },
        { name: 'compare only, current', req: { compare: [{ key: '/c/a', modRevision: 2 }], success: [{ type: 'put', key: '/c/b', value: 'b' }] }, succeeded: true, revision: 3 },
        { name: 'delete', req: { compare: [{ key: '/c/a', modRevision: 2 }], success: [{ type: 'delete', key: '/c/a' }] }, succeeded: true, revision: 4 },
        { name: 'deleted key is absent', req: { compare: [{ key: '/c/a', modRevision: 2 }], success: [{ type: 'put', key: '/c/a', value: 'y' }] }, succeeded: false, revision: 4, failed: [{ key: '/c/a', modRevision: 0 }] },
        { name: 'recreate', req: { compare: [{ key: '/c/a', modRevision: 0 }], success: [{ type: 'put', key: '/c/a', value: '3' }] }, succeeded: true, revision: 5 },
      ]
      for (const c of cases) {
        const res = await s.txn(c.req)
        assert.is(res.succeeded, c.succeeded, c.name)
        assert.is(res.revision, c.revision, c.name)
        assert.equal(res.failed, c.failed, c.name)
      }
      assert.equal(await s.get('/c/a'), { key: '/c/a', value: '3', createRevision: 5, modRevision: 5, version: 1 })
    })
    assert.equal(await s.get('/c/a'), { key: '/c/a', value: '3', createRevision: 5, modRevision: 5, version: 1 })
  }),
)

test('keys created and deleted in one batch leave no current row, before or after a flush', () =>
  withFile(async (path, s) => {
    const w = record(s, '/d/')
    await settle()
    await s.batch(async () => {
      await put(s, '/d/a', '1') // 1
      await del(s, '/d/a') // 2: never written to the file as live
      await put(s, '/d/b', '1') // 3
      await s.range('/d/') // writes /d/b's rows out
      await del(s, '/d/b') // 4
      await put(s, '/d/c', '1') // 5
      assert.equal(keysOf((await s.range('/d/')).items), ['/d/c'])
      await del(s, '/d/c') // 6
      assert.is(await s.get('/d/b'), undefined)
    })
    assert.is(w.events.length, 6)
    const raw = new Database(path, { readonly: true })
    try {
      assert.is(raw.prepare(`SELECT COUNT(*) FROM current WHERE key LIKE '/d/%'`).pluck().get(), 0, 'no current row')
      assert.is(raw.prepare(`SELECT COUNT(*) FROM log WHERE key LIKE '/d/%'`).pluck().get(), 6, 'every log row')
    } finally {
      raw.close()
    }
    const other = openSqliteStorage(path)
    try {
      assert.equal((await other.range('/d/')).items, [])
      const h = record(other, '/d/', { fromRevision: 1 })
      await settle()
      assert.equal(h.events.map(describe), w.events.map(describe))
    } finally {
      await other.close()
    }
  }),
)

test('two deletes of one key in one txn: the second is a no-op, in and out of a batch', () =>
  withFile(async (_path, s) => {
    const mem = createMemoryStorage()
    const req: TxnRequest = { success: [{ type: 'delete', key: '/k' }, { type: 'delete', key: '/k' }] }
    for (const inBatch of [false, true]) {
      for (const st of [mem, s] as Storage[]) await put(st, '/k', 'v')
      const want = await mem.txn(req)
      const got = inBatch ? await s.batch(() => s.txn(req)) : await s.txn(req)
      assert.equal(got, want, `in batch: ${inBatch}`)
      assert.is(await s.get('/k'), undefined)
    }
    await mem.close()
  }),
)

test('nested batches are one batch: other handles see nothing until the outermost ends', () =>
  withFile(async (path, s) => {
    const other = openSqliteStorage(path)
    try {
      await s.batch(async () => {
        await s.batch(() => put(s, '/n/a', '1'))
        assert.is(await other.get('/n/a'), undefined, 'after the inner batch')
        await put(s, '/n/b', '1')
      })
      assert.equal(keysOf((await other.range('/n/')).items), ['/n/a', '/n/b'])
    } finally {
      await other.close()
    }
  }),
)

test('a batch larger than the pending-row bound is written out as it goes and committed whole', () =>
  withFile(async (path, s) => {
    const n = 5000
    await s.batch(async () => {
      for (let i = 0; i < n; i++) await put(s, `/big/${String(i).padStart(5, '0')}`, `v${i}`)
      await del(s, '/big/00000')
      await put(s, '/big/00001', 'again')
    })
    const other = openSqliteStorage(path)
    try {
      assert.is(await other.revision(), n + 2)
      assert.is((await other.range('/big/', { countOnly: true })).remaining, n - 1)
      assert.equal(await other.get('/big/00001'), { key: '/big/00001', value: 'again', createRevision: 2, modRevision: n + 2, version: 2 })
      assert.is((await other.get('/big/04999'))?.modRevision, n)
    } finally {
      await other.close()
    }
  }),
)

test('a batch whose rows cannot be written is lost whole; the handle reads the file again', async () => {
  const cases = [
    { name: 'written at the end of the batch', readMidBatch: false },
    { name: 'written when a range reads mid-batch', readMidBatch: true },
  ]
  for (const c of cases) {
    await withFile(async (path, s) => {
      await put(s, '/f/kept', 'k') // 1
      // A trigger in the file refuses the log row of '/f/boom': the write-behind only meets it when flushing.
      const raw = new Database(path)
      raw.exec(`CREATE TRIGGER boom BEFORE INSERT ON log WHEN NEW.key = '/f/boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`)
      raw.close()
      const w = record(s, '/f/')
      await settle()
      let afterFailure: unknown
      const batch = s.batch(async () => {
        assert.is((await put(s, '/f/ok', '1')).revision, 2, c.name)
        assert.is((await put(s, '/f/boom', '1')).revision, 3, c.name)
        if (c.readMidBatch) {
          await rejectsIo(s.range('/f/'), `${c.name}: the range`)
          afterFailure = await put(s, '/f/later', '1').catch((e: unknown) => e)
        }
      })
      await rejectsIo(batch, `${c.name}: the batch`)
      if (c.readMidBatch) assert.ok(isStorageError(afterFailure, 'Io'), `${c.name}: a txn after the failure`)
      assert.is(w.events.length, 2, `${c.name}: the batch's events were dispatched`)
      assert.equal(w.errors.map((e) => (isStorageError(e) ? e.code : e.message)), ['Io'], `${c.name}: the watch ended`)
      assert.is(await s.revision(), 1, c.name)
      assert.is(await s.get('/f/ok'), undefined, c.name)
      assert.equal(keysOf((await s.range('/f/')).items), ['/f/kept'], c.name)
      // The handle goes on from the file's revision, in and out of batches.
      const w2 = record(s, '/f/')
      await settle()
      assert.is((await put(s, '/f/next', '1')).revision, 2, c.name)
      assert.is((await s.batch(() => put(s, '/f/next2', '1'))).revision, 3, c.name)
      assert.equal(w2.events.map(describe), ['put /f/next=1@2', 'put /f/next2=1@3'], c.name)
      const other = openSqliteStorage(path)
      try {
        assert.equal(keysOf((await other.range('/f/')).items), ['/f/kept', '/f/next', '/f/next2'], c.name)
      } finally {
        await other.close()
      }
    })
  }
})

test('two handles on one file: the second waits (busy) during a batch, then sees all of it', () =>
  withFile(async (path, x) => {
    const y = openSqliteStorage(path, { busyTimeoutMs: 50 })
    try {
      await put(x, '/t/a', '1') // 1
      const seen = record(y, '/t/')
      await settle()
      let release!: () => void
      const held = x.batch(async () => {
        await put(x, '/t/b', '1') // 2
        await del(x, '/t/a') // 3
        await new Promise<void>((r) => (release = r))
      })
      await settle()
      await rejectsIo(put(y, '/t/y', '1'), 'a write while the batch holds the lock')
      assert.is((await y.get('/t/a'))?.value, '1', 'the other handle reads the last commit')
      assert.is(await y.get('/t/b'), undefined)
      assert.is(await y.revision(), 1)
      release()
      await held
      assert.is(await y.revision(), 3)
      assert.equal(keysOf((await y.range('/t/')).items), ['/t/b'])
      assert.is(y.pollExternal(), 3)
      assert.equal(seen.events.map(describe), ['put /t/a=1@1', 'put /t/b=1@2', 'delete /t/a@3 prev=1@1'])
      assert.is((await put(y, '/t/y', '1')).revision, 4)
    } finally {
      await y.close()
    }
  }),
)

test('closing a handle inside a batch commits what the batch wrote', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-wb-'))
  const path = join(dir, 'state.db')
  try {
    const s = openSqliteStorage(path)
    await s.batch(async () => {
      await put(s, '/z/a', '1')
      await put(s, '/z/b', '2')
      await s.close()
    })
    const again = openSqliteStorage(path)
    assert.equal(keysOf((await again.range('/z/')).items), ['/z/a', '/z/b'])
    assert.is(await again.revision(), 2)
    await again.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
