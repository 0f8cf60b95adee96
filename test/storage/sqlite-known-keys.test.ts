/** The sqlite backend's set of keys the file may hold: a create never believes an existing key absent. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { KnownKeys, LOAD_AFTER_MISSES } from '../../reconciler/storage/sqlite-known-keys.js'
import { openSqliteStorage, type SqliteStorage } from '../../reconciler/storage/sqlite.js'

const Unit = suite('KnownKeys')

Unit('loads after enough misses, keeps pending keys, drops itself when the data version moves', () => {
  let version = 1
  const file = ['/k/a']
  const known = new KnownKeys({ keys: () => file, dataVersion: () => version }, 2)
  const cases: Array<{ name: string; step: () => void; loaded: boolean; mayHave: Record<string, boolean> }> = [
    { name: 'not loaded: everything may be there', step: () => known.maybeLoad([]), loaded: false, mayHave: { '/k/a': true, '/k/z': true } },
    { name: 'one miss is not enough', step: () => (known.missed(), known.maybeLoad([])), loaded: false, mayHave: { '/k/z': true } },
    { name: 'loaded with the pending keys', step: () => (known.missed(), known.maybeLoad(['/k/p'])), loaded: true, mayHave: { '/k/a': true, '/k/p': true, '/k/z': false } },
    { name: 'a written key is added', step: () => known.add('/k/w'), loaded: true, mayHave: { '/k/w': true, '/k/z': false } },
    { name: 'same data version: kept', step: () => known.checkFresh(), loaded: true, mayHave: { '/k/z': false } },
    { name: 'another connection committed: dropped', step: () => ((version = 2), known.checkFresh()), loaded: false, mayHave: { '/k/z': true } },
  ]
  for (const c of cases) {
    c.step()
    assert.is(known.loaded, c.loaded, c.name)
    for (const [key, want] of Object.entries(c.mayHave)) assert.is(known.mayHave(key), want, `${c.name}: ${key}`)
  }
})

Unit('a failing load leaves the set unloaded and does not throw', () => {
  const known = new KnownKeys({ keys: () => { throw new Error('disk') }, dataVersion: () => 1 }, 1)
  known.missed()
  known.maybeLoad([])
  assert.is(known.loaded, false)
  assert.is(known.mayHave('/k/z'), true)
})

Unit.run()

const Store = suite('sqlite known keys')

function tempPath(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-known-'))
  return { path: join(dir, 'state.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Creates enough new keys in one batch for the handle to load its key set; `first` is written before them. */
async function primeKeys(s: SqliteStorage, first?: string): Promise<void> {
  await s.batch(async () => {
    if (first !== undefined) await s.txn({ compare: [{ key: first, modRevision: 0 }], success: [{ type: 'put', key: first, value: 'early' }] })
    for (let i = 0; i <= LOAD_AFTER_MISSES; i++) {
      const key = `/e/${i}`
      const res = await s.txn({ compare: [{ key, modRevision: 0 }], success: [{ type: 'put', key, value: 'v' }] })
      assert.ok(res.succeeded)
    }
  })
}

Store('a create in a batch sees a key written since the set was loaded', async () => {
  const cases: Array<{ name: string; setup: (s: SqliteStorage, path: string) => Promise<void>; key: string }> = [
    {
      name: 'by another connection between batches',
      key: '/k/other',
      setup: async (_s, path) => {
        const other = openSqliteStorage(path)
        await other.txn({ success: [{ type: 'put', key: '/k/other', value: 'x' }] })
        await other.close()
      },
    },
    { name: 'by this handle outside a batch', key: '/k/own', setup: async (s) => void (await s.txn({ success: [{ type: 'put', key: '/k/own', value: 'x' }] })) },
    { name: 'by this handle in the batch that loaded the set, before loading', key: '/k/early', setup: async () => {} },
    {
      name: 'by this handle in an earlier batch after loading',
      key: '/k/later',
      setup: async (s) => s.batch(async () => void (await s.txn({ success: [{ type: 'put', key: '/k/later', value: 'x' }] }))),
    },
  ]
  for (const c of cases) {
    const { path, cleanup } = tempPath()
    const s = openSqliteStorage(path)
    await primeKeys(s, c.key === '/k/early' ? c.key : undefined)
    assert.ok(s.knownKeyCount !== undefined, `${c.name}: the set is loaded`)
    await c.setup(s, path)
    await s.batch(async () => {
      const existing = await s.txn({ compare: [{ key: c.key, modRevision: 0 }], success: [{ type: 'put', key: c.key, value: 'again' }] })
      assert.is(existing.succeeded, false, c.name)
      const put = await s.txn({ success: [{ type: 'put', key: c.key, value: 'again' }] })
      assert.is(put.results?.[0]?.version, 2, c.name)
      // A key nobody wrote is still created.
      const fresh = await s.txn({ compare: [{ key: '/k/fresh', modRevision: 0 }], success: [{ type: 'put', key: '/k/fresh', value: 'f' }] })
      assert.is(fresh.succeeded, true, c.name)
    })
    await s.close()
    cleanup()
  }
})

Store('a committed deletion leaves the set (so it does not grow past the file); a key deleted and put again stays', async () => {
  const { path, cleanup } = tempPath()
  const s = openSqliteStorage(path)
  await primeKeys(s)
  const loaded = s.knownKeyCount!
  assert.ok(loaded > LOAD_AFTER_MISSES)
  // Deleted in a batch: gone from the set once committed.
  await s.batch(async () => void (await s.txn({ success: [{ type: 'delete', key: '/e/0' }] })))
  assert.is(s.knownKeyCount, loaded - 1)
  // Deleted outside a batch: at once.
  await s.txn({ success: [{ type: 'delete', key: '/e/1' }] })
  assert.is(s.knownKeyCount, loaded - 2)
  // A batch whose function throws still commits what it wrote (a batch groups commits): gone too.
  await s
    .batch(async () => {
      await s.txn({ success: [{ type: 'delete', key: '/e/2' }] })
      throw new Error('the function fails')
    })
    .catch(() => {})
  assert.is(await s.get('/e/2'), undefined)
  assert.is(s.knownKeyCount, loaded - 3)
  // Deleted then created again in one batch: kept.
  await s.batch(async () => {
    await s.txn({ success: [{ type: 'delete', key: '/e/3' }] })
    await s.txn({ success: [{ type: 'put', key: '/e/3', value: 'back' }] })
  })
  assert.is(s.knownKeyCount, loaded - 3)
  await s.batch(async () => {
    const again = await s.txn({ compare: [{ key: '/e/3', modRevision: 0 }], success: [{ type: 'put', key: '/e/3', value: 'again' }] })
    assert.is(again.succeeded, false, 'a create finds the key deleted and put again')
    const recreated = await s.txn({ compare: [{ key: '/e/0', modRevision: 0 }], success: [{ type: 'put', key: '/e/0', value: 'new' }] })
    assert.is(recreated.succeeded, true, 'a committed deletion can be created again')
  })
  assert.is(s.knownKeyCount, loaded - 2)
  await s.close()
  cleanup()
})

Store.run()
