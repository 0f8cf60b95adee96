/**
 * Over random histories run in random (and nested) batches, with reads, watches from old revisions
 * and compactions in the middle of batches, the sqlite backend answers exactly as the memory backend.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { openSqliteStorage } from '../../reconciler/storage/sqlite.js'
import type { RangeOptions, Storage, TxnOp, WatchEvent } from '../../reconciler/storage/types.js'
import { describe } from './conformance-helpers.js'

const test = suite('storage: sqlite in batches agrees with memory')

/** A small deterministic PRNG (mulberry32), so a failure can be replayed by seed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A watch that records what it receives as comparable strings. */
function recorder(s: Storage, prefix: string, from: number): { log: string[]; cancel: () => void } {
  const log: string[] = []
  const w = s.watch(
    prefix,
    { onEvents: (evs: WatchEvent[]) => log.push(...evs.map(describe)), onError: (e) => log.push(`error ${(e as { code?: string }).code}`) },
    { fromRevision: from },
  )
  return { log, cancel: () => w.cancel() }
}

/** Every page of a paged range, as the pages' items, remaining counts and revisions. */
async function pages(s: Storage, prefix: string, opts: RangeOptions): Promise<unknown[]> {
  const out: unknown[] = []
  let cont: string | undefined
  for (let i = 0; i < 20; i++) {
    const r = await s.range(prefix, { ...opts, continue: cont })
    out.push({ items: r.items, remaining: r.remaining, revision: r.revision })
    cont = r.continue
    if (cont === undefined) break
  }
  return out
}

for (const seed of [11, 12, 13, 14]) {
  test(`random batched history, seed ${seed}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capstan-bdiff-'))
    const mem = createMemoryStorage()
    const sql = openSqliteStorage(join(dir, 'state.db'))
    const rand = rng(seed)
    const keys = ['/a', '/a/1', '/a/2', '/a/é', '/b/1', '/b/2', '/b/😀', '/c']
    const prefixes = ['', '/a', '/a/', '/b/']
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]
    const watches: Array<{ name: string; mem: ReturnType<typeof recorder>; sql: ReturnType<typeof recorder> }> = []

    /** One random step on both stores, compared. */
    const step = async (n: number): Promise<void> => {
      const roll = rand()
      const cur = await mem.revision()
      const compacted = await mem.compactedRevision()
      if (roll < 0.04 && cur > compacted) {
        const target = compacted + Math.floor(rand() * (cur - compacted + 1))
        await mem.compact(target)
        await sql.compact(target)
        return
      }
      if (roll < 0.1) {
        const from = Math.max(1, compacted) + Math.floor(rand() * (cur - Math.max(1, compacted) + 2))
        const prefix = pick(prefixes)
        watches.push({ name: `step ${n}: watch ${prefix} from ${from}`, mem: recorder(mem, prefix, from), sql: recorder(sql, prefix, from) })
        return
      }
      if (roll < 0.25) {
        const prefix = pick(prefixes)
        const rev = cur === 0 ? 0 : Math.max(compacted, 1) + Math.floor(rand() * (cur - Math.max(compacted, 1) + 1))
        const opts: RangeOptions = { limit: pick([0, 1, 2, 3]), revision: rand() < 0.5 ? 0 : rev, countOnly: rand() < 0.2 }
        assert.equal(await pages(sql, prefix, opts), await pages(mem, prefix, opts), `step ${n}: range ${prefix} ${JSON.stringify(opts)}`)
        return
      }
      if (roll < 0.35) {
        const key = pick(keys)
        assert.equal(await sql.get(key), await mem.get(key), `step ${n}: get ${key}`)
        assert.is(await sql.revision(), await mem.revision(), `step ${n}: revision`)
        return
      }
      const ops = new Map<string, TxnOp>()
      const count = 1 + Math.floor(rand() * 3)
      for (let i = 0; i < count; i++) {
        const key = pick(keys)
        ops.set(key, rand() < 0.65 ? { type: 'put', key, value: `v${n}.${i}` } : { type: 'delete', key })
      }
      const ck = pick(keys)
      const kv = await mem.get(ck)
      const compare = rand() < 0.4 ? [{ key: ck, modRevision: rand() < 0.7 ? (kv?.modRevision ?? 0) : 1 }] : []
      const req = { compare, success: [...ops.values()] }
      assert.equal(await sql.txn(req), await mem.txn(req), `step ${n}: txn`)
    }

    try {
      let n = 0
      while (n < 400) {
        const len = 1 + Math.floor(rand() * 40)
        const run = async (): Promise<void> => {
          for (let i = 0; i < len && n < 400; i++) {
            // Now and then a nested batch, and a pause that lets watches catch up mid-batch.
            if (rand() < 0.05) await sql.batch(() => step(n++))
            else await step(n++)
            if (rand() < 0.1) await new Promise((r) => setTimeout(r, 0))
          }
        }
        if (rand() < 0.75) await sql.batch(run)
        else await run()
      }
      await new Promise((r) => setTimeout(r, 5))
      for (const w of watches) {
        assert.equal(w.sql.log, w.mem.log, w.name)
        w.sql.cancel()
        w.mem.cancel()
      }
      assert.is(await sql.revision(), await mem.revision())
      for (const prefix of prefixes) assert.equal(await sql.range(prefix), await mem.range(prefix), `final range ${prefix}`)
    } finally {
      await mem.close()
      await sql.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
}

test.run()
