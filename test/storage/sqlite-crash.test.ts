/** kill -9 of a writing process never loses an acknowledged txn nor leaves half of one. */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openSqliteStorage } from '../../reconciler/storage/sqlite.js'
import type { KeyValue, WatchEvent } from '../../reconciler/storage/types.js'
import { crashTxnSize } from './crash-writer.js'

const test = suite('sqlite storage: kill -9 while writing')
const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** Runs the writer until it has acknowledged a few txns, then SIGKILLs it after a random delay. */
async function runAndKill(path: string): Promise<Map<number, number>> {
  const acked = new Map<number, number>()
  const child = spawn(process.execPath, ['--import', 'tsx', writer, path], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
  let started!: () => void
  const firstAck = new Promise<void>((resolve) => (started = resolve))
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [rev, n] = line.split(' ').map(Number)
    acked.set(rev, n)
    started()
  })
  await Promise.race([firstAck, exited])
  await new Promise((r) => setTimeout(r, 20 + Math.random() * 250))
  child.kill('SIGKILL')
  assert.is(await exited, 'SIGKILL', 'the writer was killed, not finished')
  return acked
}

/** Reads the whole log through a watch from revision 1 (nothing is compacted here). */
async function readLog(path: string): Promise<{ revision: number; events: WatchEvent[]; current: KeyValue[] }> {
  const storage = openSqliteStorage(path)
  try {
    const revision = await storage.revision()
    const events: WatchEvent[] = []
    const w = storage.watch('', { onEvents: (evs) => events.push(...evs) }, { fromRevision: 1 })
    await new Promise((r) => setTimeout(r, 0))
    w.cancel()
    const current = (await storage.range('/crash/')).items
    return { revision, events, current }
  } finally {
    await storage.close()
  }
}

test('every acknowledged txn survives, no txn is half-written, revisions are contiguous', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-crash-'))
  const path = join(dir, 'state.db')
  try {
    const acked = new Map<number, number>()
    for (let round = 0; round < 4; round++) {
      for (const [rev, n] of await runAndKill(path)) acked.set(rev, n)
      const { revision, events, current } = await readLog(path)

      // Group the log by revision: revisions 1..current, txn numbers 0..k in order.
      const byRevision = new Map<number, WatchEvent[]>()
      for (const ev of events) {
        const rev = ev.type === 'put' ? ev.kv.modRevision : ev.revision
        byRevision.set(rev, [...(byRevision.get(rev) ?? []), ev])
      }
      assert.equal([...byRevision.keys()], Array.from({ length: revision }, (_, i) => i + 1), `round ${round}: contiguous revisions`)

      // Each txn is whole: /crash/last = n, count(n) puts of group n%5 carrying n, deletes only in group (n+2)%5.
      const state = new Map<string, string>()
      for (const [rev, evs] of byRevision) {
        const n = rev - 1
        const puts = evs.filter((e) => e.type === 'put')
        const last = puts.find((e) => e.type === 'put' && e.kv.key === '/crash/last')
        assert.is(last?.type === 'put' ? last.kv.value : undefined, String(n), `revision ${rev}: /crash/last`)
        assert.is(puts.length, crashTxnSize(n) + 1, `revision ${rev}: every put of txn ${n}`)
        for (const e of puts) {
          if (e.type !== 'put' || e.kv.key === '/crash/last') continue
          assert.ok(e.kv.key.startsWith(`/crash/${n % 5}/`), `revision ${rev}: put in group ${n % 5}`)
          assert.is((JSON.parse(e.kv.value) as { n: number }).n, n, `revision ${rev}: value of txn ${n}`)
        }
        for (const e of evs) {
          if (e.type === 'delete') assert.ok(e.key.startsWith(`/crash/${(n + 2) % 5}/`), `revision ${rev}: delete in group ${(n + 2) % 5}`)
        }
        for (const e of evs) {
          if (e.type === 'put') state.set(e.kv.key, e.kv.value)
          else state.delete(e.key)
        }
      }

      // The current-state index agrees with the replayed log.
      assert.equal(current.map((kv) => [kv.key, kv.value]), [...state].sort(([a], [b]) => (a < b ? -1 : 1)), `round ${round}: current state`)

      // Every acknowledged txn is there, at the revision it was acknowledged with.
      for (const [rev, n] of acked) {
        assert.ok(rev <= revision, `round ${round}: acknowledged revision ${rev} <= ${revision}`)
        assert.is(rev - 1, n, `round ${round}: revision ${rev} holds txn ${n}`)
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
