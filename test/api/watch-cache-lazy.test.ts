/**
 * A watch cache opened from an index snapshot (and the history since) answers every read as a
 * cache that loaded every object does — gets, lists by namespace and label, owner lookups, the
 * events it applies — across random writes before and after it opens; it reads from the store only
 * the objects a read needs; and a snapshot whose history is compacted is ignored (a full load).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { WatchCache, type CacheEvent, type IndexSnapshot } from '../../reconciler/api/watch-cache.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import type { Storage, TxnOp } from '../../reconciler/storage/types.js'

const test = suite('watch cache: opened from an index snapshot')

const PREFIX = '/registry/configmaps/'
const NAMES = ['a', 'b', 'c', 'd', 'e', 'f']
const NAMESPACES = ['default', 'shop']
const APPS = ['web', 'api', 'db']
const UIDS = ['u1', 'u2', 'u3']

/** A small deterministic random source (the same sequence every run). */
function rng(seed: number): () => number {
  let x = seed
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
}

function randomOp(r: () => number): TxnOp {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
  const ns = pick(NAMESPACES)
  const name = pick(NAMES)
  const key = `${PREFIX}${ns}/${name}`
  if (r() < 0.2) return { type: 'delete', key }
  const owners = r() < 0.6 ? [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: pick(UIDS) }] : undefined
  const labels = r() < 0.8 ? { app: pick(APPS), ...(r() < 0.3 ? { tier: 'x' } : {}) } : undefined
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, ...(labels ? { labels } : {}), ...(owners ? { ownerReferences: owners } : {}) }, data: { v: String(r()) } }
  return { type: 'put', key, value: JSON.stringify(obj) }
}

/** Every read both caches answer, as text. */
async function answers(c: WatchCache): Promise<string[]> {
  const names = (os: Array<{ metadata: { namespace?: string; name?: string; resourceVersion?: string } }>) => os.map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`).join(' ')
  const out = [`all: ${names(await c.list())}`, `size: ${c.size}`]
  for (const ns of NAMESPACES) out.push(`${ns}: ${names(await c.list({ namespace: ns }))}`)
  for (const app of APPS) out.push(`app=${app}: ${names(await c.list({ labelTerms: [['app', app]] }))}`, `app=${app},tier=x in shop: ${names(await c.list({ namespace: 'shop', labelTerms: [['app', app], ['tier', 'x']] }))}`)
  for (const uid of UIDS) out.push(`owned by ${uid}: ${names(await c.ownedBy(uid))}`)
  for (const ns of NAMESPACES) for (const n of NAMES) out.push(`get ${ns}/${n}: ${JSON.stringify(await c.get(`${PREFIX}${ns}/${n}`))}`)
  return out
}

const eventLine = (e: CacheEvent) => `${e.type} ${e.object.metadata.namespace}/${e.object.metadata.name}@${e.revision} prev=${e.prevObject?.metadata.resourceVersion ?? '-'} ${JSON.stringify((e.object as { data?: unknown }).data)}`

test('random writes: the same answers and events as a cache that loaded everything', async () => {
  for (let seed = 1; seed <= 25; seed++) {
    const r = rng(seed)
    const storage = createMemoryStorage()
    for (let i = 0; i < 15; i++) await storage.txn({ success: [randomOp(r)] })
    const full = await WatchCache.open(storage, PREFIX)
    const snapshot = full.snapshot()
    // Writes between the snapshot and the opening: the history the lazy cache catches up with.
    for (let i = 0; i < Math.floor(r() * 6); i++) await storage.txn({ success: [randomOp(r)] })
    await new Promise((res) => setTimeout(res, 0))
    // As pairs (JSON), or as pages (the PagedMaps themselves, as a store hands them back).
    const lazy = await WatchCache.open(storage, PREFIX, seed % 2 ? (JSON.parse(JSON.stringify(snapshot)) as IndexSnapshot) : snapshot)
    assert.ok(lazy.partial || full.size === 0, `seed ${seed}: opened lazily`)
    const events: Record<'full' | 'lazy', string[]> = { full: [], lazy: [] }
    full.subscribe((evs) => events.full.push(...evs.map(eventLine)))
    lazy.subscribe((evs) => events.lazy.push(...evs.map(eventLine)))
    for (let round = 0; round < 4; round++) {
      // Some reads first (they make part of the lazy cache whole), then more writes.
      if (round % 2 === 1) assert.equal(await answers(lazy), await answers(full), `seed ${seed}, round ${round}`)
      for (let i = 0; i < 5; i++) {
        // Now and then two objects in one transaction (one revision).
        const first = randomOp(r)
        const second = r() < 0.3 ? randomOp(r) : undefined
        await storage.txn({ success: second && second.key !== first.key ? [first, second] : [first] })
      }
      await new Promise((res) => setTimeout(res, 0))
    }
    assert.equal(await answers(lazy), await answers(full), `seed ${seed}: at the end`)
    assert.equal(events.lazy, events.full, `seed ${seed}: the same events`)
    assert.is(lazy.revision, full.revision)
    // Its snapshot (the one it opened from, with the keys changed since written in) is the full
    // cache's, and a cache opened from it answers as the full one.
    const again = lazy.snapshot()!
    assert.equal(canon(again), canon(full.snapshot()!), `seed ${seed}: the same snapshot`)
    const third = await WatchCache.open(storage, PREFIX, again)
    assert.equal(await answers(third), await answers(full), `seed ${seed}: opened from the lazy cache's snapshot`)
    third.close()
    full.close()
    lazy.close()
  }
})

test('reads only what a read needs from the store; many keys in one range', async () => {
  const storage = createMemoryStorage()
  const ops: TxnOp[] = []
  for (let i = 0; i < 100; i++) ops.push({ type: 'put', key: `${PREFIX}default/c${String(i).padStart(3, '0')}`, value: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'default', labels: { app: `a${i % 10}` } } }) })
  await storage.txn({ success: ops })
  const full = await WatchCache.open(storage, PREFIX)
  const counted = countingReads(storage)
  const lazy = await WatchCache.open(counted.storage, PREFIX, full.snapshot())
  assert.is(counted.gets(), 0)
  assert.is((await lazy.list({ labelTerms: [['app', 'a3']] })).length, 10)
  assert.is(counted.gets(), 10, 'one point read per object read')
  assert.is((await lazy.list({ labelTerms: [['app', 'a3']] })).length, 10)
  assert.is(counted.gets(), 10, 'kept whole once read')
  assert.is((await lazy.list({ namespace: 'default' })).length, 100)
  assert.is(counted.gets(), 10)
  assert.is(counted.ranges(), 1, 'the other 90 in one range')
  assert.not.ok(lazy.partial)
})

test('a snapshot older than the compacted history, or ahead of the store: loaded whole instead', async () => {
  const storage = createMemoryStorage()
  const put = (n: string) => storage.txn({ success: [{ type: 'put', key: `${PREFIX}default/${n}`, value: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: 'default' } }) }] })
  await put('a')
  const snapshot = (await WatchCache.open(storage, PREFIX)).snapshot()
  await put('b')
  await storage.compact(await storage.revision())
  const c = await WatchCache.open(storage, PREFIX, snapshot)
  assert.not.ok(c.partial)
  assert.equal((await c.list()).map((o) => o.metadata.name), ['a', 'b'])
  const ahead = await WatchCache.open(storage, PREFIX, { revision: 999, entries: [[`${PREFIX}default/zzz`, [999, 0, 0]]], labels: [], owners: [], namespaces: [['default', [`${PREFIX}default/zzz`]]] })
  assert.equal((await ahead.list()).map((o) => o.metadata.name), ['a', 'b'])
})

test('a get of a lazily known object that a write changes while it is read: the object, not nothing', async () => {
  const storage = createMemoryStorage()
  const value = (v: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' }, data: { v } })
  await storage.txn({ success: [{ type: 'put', key: `${PREFIX}default/a`, value: value('1') }] })
  const full = await WatchCache.open(storage, PREFIX)
  const lazy = await WatchCache.open(storage, PREFIX, full.snapshot())
  const reading = lazy.get(`${PREFIX}default/a`)
  await storage.txn({ success: [{ type: 'put', key: `${PREFIX}default/a`, value: value('2') }] })
  const got = await reading
  assert.ok(got, 'found')
  assert.is((got as { data?: { v?: string } }).data?.v, '2')
})

/** A snapshot's parts as sorted pairs, each term's keys sorted (their order says only when each was recorded). */
function canon(s: IndexSnapshot): unknown {
  const pairs = (v: unknown) => (JSON.parse(JSON.stringify(v)) as Array<[string, unknown]>).map(([k, x]): [string, unknown] => [k, Array.isArray(x) && x.every((e) => typeof e === 'string') ? [...x].sort() : x]).sort(([a], [b]) => (a < b ? -1 : 1))
  return { revision: s.revision, entries: pairs(s.entries), labels: pairs(s.labels), owners: pairs(s.owners), namespaces: pairs(s.namespaces) }
}

/** `storage` with its point and range reads under PREFIX counted. */
function countingReads(storage: Storage): { storage: Storage; gets: () => number; ranges: () => number } {
  let gets = 0
  let ranges = 0
  const s: Storage = Object.assign(Object.create(storage) as Storage, {
    get: (key: string) => {
      if (key.startsWith(PREFIX)) gets++
      return storage.get(key)
    },
    range: (prefix: string, opts?: Parameters<Storage['range']>[1]) => {
      if (prefix.startsWith(PREFIX)) ranges++
      return storage.range(prefix, opts)
    },
  })
  return { storage: s, gets: () => gets, ranges: () => ranges }
}

test.run()
