/**
 * The WAL checkpoint worker of the sqlite backend: it checkpoints after commits, the writer keeps
 * the WAL bounded when the worker lags, falls back to sqlite's auto-checkpoint when the worker
 * dies, and closing stops it so the last connection removes the WAL; no data is lost on the way.
 */
import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { projectRoot } from '../../reconciler/paths.js'
import { Checkpointer } from '../../reconciler/storage/sqlite-checkpointer.js'
import { openSqliteStorage } from '../../reconciler/storage/sqlite.js'
import { AUTOCHECKPOINT_PAGES, WalKeeper, type WalKeeperOptions } from '../../reconciler/storage/sqlite-wal-keeper.js'
import type { TxnOp } from '../../reconciler/storage/types.js'

const test = suite('sqlite WAL checkpoint worker')

const PAD = 'x'.repeat(16 * 1024)

/** A WAL-mode file with one table, as the store sets it up (16 KiB pages). */
function openFile(dir: string): Database.Database {
  const db = new Database(join(dir, 'state.db'))
  db.pragma('page_size = 16384')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)')
  return db
}

/** Commits `rows` rows of 16 KiB in one transaction (about `rows` WAL frames). */
function commit(db: Database.Database, rows: number): void {
  const ins = db.prepare('INSERT INTO t (v) VALUES (?)')
  db.transaction(() => {
    for (let i = 0; i < rows; i++) ins.run(PAD)
  })()
}

function walSize(db: Database.Database): number {
  return statSync(`${db.name}-wal`, { throwIfNoEntry: false })?.size ?? 0
}

async function withKeeper(opts: Omit<WalKeeperOptions, 'db'>, body: (db: Database.Database, keeper: WalKeeper) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-wal-'))
  const db = openFile(dir)
  const keeper = new WalKeeper({ db, ...opts })
  try {
    await body(db, keeper)
  } finally {
    await keeper.close()
    if (db.open) db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

test('pending frames are read from the wal-index', () =>
  withKeeper({}, async (db, keeper) => {
    const other = new Database(db.name)
    try {
      const cases = [
        { name: 'after 40 rows', write: () => commit(db, 40), pending: (n: number) => n >= 40 && n < 50 },
        { name: 'after a checkpoint', write: () => other.pragma('wal_checkpoint(PASSIVE)'), pending: (n: number) => n === 0 },
        { name: 'after a restart and 3 rows', write: () => commit(db, 3), pending: (n: number) => n >= 3 && n < 8 },
      ]
      for (const c of cases) {
        c.write()
        const n = keeper.pendingFrames()
        assert.ok(n !== undefined && c.pending(n), `${c.name}: ${n}`)
      }
    } finally {
      other.close()
    }
  }))

test('no worker before the WAL reaches requestFrames; auto-checkpoint is off meanwhile', () =>
  withKeeper({ requestFrames: 200 }, async (db, keeper) => {
    assert.is(db.pragma('wal_autocheckpoint', { simple: true }), 0)
    commit(db, 10)
    keeper.afterCommit(true)
    assert.is(keeper.checkpointer, undefined)
    commit(db, 300)
    keeper.afterCommit(true)
    assert.is(keeper.checkpointer?.state, 'running')
  }))

test('the worker checkpoints every frame after commits, coalescing requests', () =>
  withKeeper({ requestFrames: 0 }, async (db, keeper) => {
    for (let i = 0; i < 20; i++) {
      commit(db, 5)
      keeper.afterCommit(true)
    }
    const cp = keeper.checkpointer as Checkpointer
    await cp.idle()
    // Twenty requests in one tick: one with the worker, one more queued behind it, no more.
    assert.ok(cp.completed >= 1 && cp.completed <= 2, `completed ${cp.completed}`)
    assert.equal({ busy: cp.last?.busy, all: cp.last?.checkpointed === cp.last?.log, some: (cp.last?.log ?? 0) >= 100 }, { busy: 0, all: true, some: true })
    // Everything is in the database file: the next write restarts the WAL from its start.
    const before = walSize(db)
    commit(db, 2)
    assert.is(walSize(db), before)
    assert.is(keeper.selfCheckpoints, 0)
  }))

test('the writer keeps the WAL bounded when no checkpoint comes from the worker', async () => {
  const limit = 64
  const cases = [
    { name: 'bounded', limitFrames: limit, bounded: true },
    { name: 'control: no bound', limitFrames: Number.POSITIVE_INFINITY, bounded: false },
  ]
  for (const c of cases) {
    // No request ever reaches a worker (as when it lags far behind): only the bound checkpoints.
    // With a worker checkpointing at the same time, the writer's PASSIVE checkpoint can find the
    // lock taken and retry at the next commit, so the bound is looser by what that commit adds.
    await withKeeper({ requestFrames: Number.POSITIVE_INFINITY, limitFrames: c.limitFrames }, async (db, keeper) => {
      let max = 0
      for (let i = 0; i < 60; i++) {
        commit(db, 8)
        keeper.afterCommit(true)
        max = Math.max(max, walSize(db))
      }
      // One commit of 8 frames (and a few of the table's) past the bound at most.
      const bound = (limit + 12) * (16384 + 24) + 32
      assert.is(max <= bound, c.bounded, `${c.name}: max WAL ${max}`)
      assert.is(keeper.selfCheckpoints > 0, c.bounded, c.name)
      assert.is((db.prepare('SELECT COUNT(*) FROM t').pluck().get() as number), 480, c.name)
    })
  }
})

test('a worker that fails hands checkpoints back to sqlite, losing nothing', async () => {
  const cases: Array<{ name: string; kill: (cp: Checkpointer) => unknown }> = [
    { name: 'throws', kill: (cp) => cp.crashForTest() },
    { name: 'is terminated', kill: (cp) => cp.terminateForTest() },
  ]
  for (const c of cases) {
    await withKeeper({ requestFrames: 0 }, async (db, keeper) => {
      commit(db, 5)
      keeper.afterCommit(true)
      const cp = keeper.checkpointer as Checkpointer
      await cp.idle()
      c.kill(cp)
      await until(`${c.name}: failed state`, () => cp.state === 'failed')
      assert.is(db.pragma('wal_autocheckpoint', { simple: true }), AUTOCHECKPOINT_PAGES, c.name)
      // sqlite's auto-checkpoint now keeps the WAL near 1,000 pages.
      let max = 0
      for (let i = 0; i < 15; i++) {
        commit(db, 100)
        keeper.afterCommit(true)
        max = Math.max(max, walSize(db))
      }
      assert.ok(max < (AUTOCHECKPOINT_PAGES + 120) * (16384 + 24), `${c.name}: max WAL ${max}`)
      assert.is(db.prepare('SELECT COUNT(*) FROM t').pluck().get(), 1505, c.name)
    })
  }
})

test('a wal-index it cannot read hands checkpoints back to sqlite, without failing the commit', () =>
  withKeeper({ requestFrames: 0 }, async (db, keeper) => {
    commit(db, 5)
    // The path goes away (sqlite keeps its own mapping of it); the keeper can no longer look.
    rmSync(`${db.name}-shm`)
    keeper.afterCommit(true)
    assert.equal({ worker: keeper.checkpointer, autocheckpoint: db.pragma('wal_autocheckpoint', { simple: true }) }, { worker: undefined, autocheckpoint: AUTOCHECKPOINT_PAGES })
  }))

test('a worker that cannot open the file fails without throwing into the caller', async () => {
  let failed: Error | undefined
  const cp = new Checkpointer({ path: join(tmpdir(), 'capstan-wal-missing', 'none.db'), onFail: (err) => (failed = err) })
  await until('failure', () => cp.state === 'failed')
  assert.instance(failed, Error)
  cp.request()
  await cp.stop()
  assert.is(cp.state, 'stopped')
})

test('closing the store stops the worker first: the WAL is removed and every write reads back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-wal-'))
  const path = join(dir, 'state.db')
  try {
    const s = openSqliteStorage(path)
    const value = 'v'.repeat(5000)
    for (let b = 0; b < 4; b++) {
      await s.batch(async () => {
        for (let i = 0; i < 1000; i++) await s.txn({ success: [{ type: 'put', key: `/w/${b}/${i}`, value }] })
      })
    }
    // Reaching into the store (a test of its internals): the worker took over.
    const keeper = (s as unknown as { wal: WalKeeper }).wal
    assert.is(keeper.checkpointer?.state, 'running')
    await s.close()
    assert.is(keeper.checkpointer?.state, 'stopped')
    assert.not.ok(existsSync(`${path}-wal`), 'the last connection to close removes the WAL')
    const again = openSqliteStorage(path)
    try {
      const r = await again.range('/w/', { countOnly: true })
      assert.equal({ count: r.remaining, revision: r.revision }, { count: 4000, revision: 4000 })
    } finally {
      await again.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a process that wrote enough to start the worker exits once it closes the store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-wal-'))
  try {
    const path = join(dir, 'state.db')
    const script = [
      `import { openSqliteStorage } from './reconciler/storage/sqlite.ts'`,
      `const s = openSqliteStorage(${JSON.stringify(path)})`,
      `for (let b = 0; b < 5; b++) await s.txn({ success: Array.from({ length: 500 }, (_, i) => ({ type: 'put', key: '/p/' + b + '/' + i, value: 'v'.repeat(8000) })) })`,
      `const cp = s.wal.checkpointer`,
      `await cp.idle()`,
      `await s.close()`,
      `console.log(JSON.stringify({ started: cp !== undefined, state: cp?.state, completed: cp?.completed, failure: cp?.failure?.message }))`,
    ].join('\n')
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: projectRoot(),
      encoding: 'utf8',
      timeout: 20000,
    })
    assert.is(res.status, 0, `exit ${res.status} ${res.signal ?? ''} ${res.stderr}`)
    const out = JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}') as { started: boolean; state: string; completed: number; failure?: string }
    assert.equal(
      { started: out.started, state: out.state, checkpointed: out.completed >= 1, failure: out.failure },
      { started: true, state: 'stopped', checkpointed: true, failure: undefined },
    )
    assert.not.ok(existsSync(`${path}-wal`))
    const db = new Database(path, { readonly: true })
    try {
      assert.is(db.prepare('SELECT COUNT(*) FROM current').pluck().get(), 2500)
    } finally {
      db.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
