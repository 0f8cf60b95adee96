/**
 * Over random histories with compactions, the sqlite backend answers exactly as the memory backend,
 * and both answer as an uncompacted reference for every revision still readable.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { openSqliteStorage } from '../../reconciler/storage/sqlite.js'
import type { Storage, TxnOp, WatchEvent } from '../../reconciler/storage/types.js'
import { describe } from './conformance-helpers.js'

const test = suite('storage: sqlite agrees with memory')

/** A small deterministic PRNG (mulberry32), so a failure can be replayed by seed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function replay(s: Storage, from: number): Promise<string[]> {
  const events: WatchEvent[] = []
  const errors: Error[] = []
  const w = s.watch('', { onEvents: (evs) => events.push(...evs), onError: (e) => errors.push(e) }, { fromRevision: from })
  await new Promise((r) => setTimeout(r, 0))
  w.cancel()
  return [...errors.map((e) => `error ${(e as { code?: string }).code}`), ...events.map(describe)]
}

for (const seed of [1, 2, 3]) {
  test(`random history, seed ${seed}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capstan-diff-'))
    const mem = createMemoryStorage()
    const ref = createMemoryStorage()
    const sql = openSqliteStorage(join(dir, 'state.db'))
    const rand = rng(seed)
    const keys = ['/a', '/a/1', '/a/2', '/a/é', '/b/1', '/b/2', '/b/😀', '/c']
    const pick = () => keys[Math.floor(rand() * keys.length)]
    try {
      for (let step = 0; step < 300; step++) {
        const roll = rand()
        if (roll < 0.05) {
          const cur = await mem.revision()
          const target = (await mem.compactedRevision()) + Math.floor(rand() * (cur - (await mem.compactedRevision()) + 1))
          await mem.compact(target)
          await sql.compact(target)
          continue
        }
        const ops = new Map<string, TxnOp>()
        const n = 1 + Math.floor(rand() * 3)
        for (let i = 0; i < n; i++) {
          const key = pick()
          ops.set(key, rand() < 0.7 ? { type: 'put', key, value: `v${step}.${i}` } : { type: 'delete', key })
        }
        const ck = pick()
        const kv = await mem.get(ck)
        const compare = rand() < 0.3 ? [{ key: ck, modRevision: rand() < 0.7 ? (kv?.modRevision ?? 0) : 1 }] : []
        const req = { compare, success: [...ops.values()] }
        const res = await mem.txn(req)
        assert.equal(await sql.txn(req), res, `step ${step}: txn`)
        await ref.txn(req)
      }
      const [cur, compacted] = [await mem.revision(), await mem.compactedRevision()]
      assert.is(await sql.revision(), cur)
      assert.is(await sql.compactedRevision(), compacted)
      for (let rev = Math.max(1, compacted); rev <= cur; rev++) {
        for (const prefix of ['', '/a', '/a/', '/b/']) {
          const want = await ref.range(prefix, { revision: rev })
          assert.equal(await mem.range(prefix, { revision: rev }), want, `memory range ${prefix} @${rev}`)
          assert.equal(await sql.range(prefix, { revision: rev }), want, `range ${prefix} @${rev}`)
          assert.equal(await sql.range(prefix, { revision: rev, limit: 2 }), await mem.range(prefix, { revision: rev, limit: 2 }), `page ${prefix} @${rev}`)
        }
      }
      for (const from of [Math.max(1, compacted - 1), compacted, compacted + 1]) {
        if (from < 1) continue
        const got = await replay(mem, from)
        assert.equal(await replay(sql, from), got, `watch from ${from}`)
        if (from >= compacted) assert.equal(got, await replay(ref, from), `memory watch from ${from} vs reference`)
      }
    } finally {
      await mem.close()
      await ref.close()
      await sql.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
}

test.run()
