/**
 * PagedMap: restored from stored pages it answers as the Map it was saved from, across random
 * reads and writes, reading (and checking) only the pages of the keys used; a save writes every
 * page nothing changed back as its very text; a malformed page or record makes it damaged when
 * read; it pages afresh when it has grown far; and through the checkpoint store a controller's
 * paged field comes back as pages, the rest of its data as it was.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import { checkpointWrites, loadCheckpoints } from '../../../reconciler/controllers/runtime/checkpoint-store.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { PagedMap, type PagedCodec, type PagedText } from '../../../reconciler/controllers/runtime/paged-map.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { stableHash } from '../../../reconciler/storage/stable-hash.js'
import { stored } from './primed-old-way.js'
import { json, pick, rng } from './seeded-random.js'

const test = suite('PagedMap')

/** A codec that counts the records it checks; values are numbers. */
function counting(): PagedCodec<number> & { checked: number } {
  const c = {
    checked: 0,
    check: (_key: string, v: unknown) => {
      c.checked++
      return typeof v === 'number' ? v : undefined
    },
  }
  return c
}

const keys = Array.from({ length: 3000 }, (_, i) => `ns/pod-${i}`)
const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1))

test('restored from pages: answers as the Map it was saved from, reading only the pages of the keys used', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const r = rng(seed)
    const model = new Map<string, number>()
    for (const k of keys) if (r(3)) model.set(k, r(1000))
    const saved = PagedMap.restore([...model], counting()).toPages()
    assert.ok(saved.counts.length > 20, 'many pages')
    const codec = counting()
    const m = PagedMap.restore(json(saved), codec)
    assert.is(codec.checked, 0, 'nothing read at restore')
    assert.is(m.size, model.size, 'its size without reading a page')
    // A command's worth: a few reads and three writes.
    const written = new Set<string>()
    for (let step = 0; step < 6; step++) {
      const k = pick(r, keys)
      assert.is(m.get(k), model.get(k), `get ${k}`)
      if (step % 2) {
        m.set(k, step)
        model.set(k, step)
        written.add(k)
      }
    }
    assert.ok(codec.checked <= 6 * 80, `a few pages read (${codec.checked} of ${model.size} records)`)
    // Saved: every page but those written to is written back as its very text.
    const before = saved.lines.split('\n')
    const after = m.toPages().lines.split('\n')
    assert.is(after.length, before.length)
    const changed = [...before.keys()].filter((p) => after[p] !== before[p])
    assert.ok(changed.length >= 1 && changed.length <= written.size, `pages written anew: ${changed.length}`)
    // Setting a value a record already has, or deleting a key not held, changes no page: nothing is encoded again.
    let encoded = 0
    const fresh = PagedMap.restore(json(saved), { check: (_k: string, v: unknown) => (typeof v === 'number' ? v : undefined), encode: (_k: string, v: number) => (encoded++, v) })
    const held = pick(r, keys.filter((k) => fresh.has(k)))
    fresh.set(held, fresh.get(held)!)
    fresh.delete('ns/none')
    assert.is(fresh.toPages().lines, saved.lines, 'the same pages')
    assert.is(encoded, 0, 'no record encoded')
    // Then random reads and writes, and a second save and restore: the same records as the model.
    for (let step = 0; step < 300; step++) {
      const k = pick(r, keys)
      const op = r(4)
      if (op === 0) assert.is(m.get(k), model.get(k), `get ${k}`)
      else if (op === 1) assert.is(m.has(k), model.has(k), `has ${k}`)
      else if (op === 2) {
        const v = r(1000)
        m.set(k, v)
        model.set(k, v)
      } else assert.is(m.delete(k), model.delete(k), `delete ${k}`)
      assert.is(m.size, model.size, `step ${step}: size`)
    }
    const back = PagedMap.restore(json(m.toPages()), counting())
    assert.equal(sorted(back), sorted(model), 'the records, after a second save')
    assert.not.ok(m.damaged || back.damaged)
  }
})

test('as JSON it is the pairs; iteration reads every page; clear forgets the pages', () => {
  const model = new Map(keys.slice(0, 200).map((k, i): [string, number] => [k, i]))
  const m = PagedMap.restore(PagedMap.restore([...model], counting()).toPages(), counting())
  assert.equal(sorted(new Map(json(m) as unknown as Array<[string, number]>)), sorted(model))
  assert.equal(sorted(new Map(m)), sorted(model))
  assert.is([...m.keys()].length, 200)
  m.clear()
  assert.is(m.size, 0)
  assert.equal(m.toPages(), { lines: '', counts: [] })
})

test('a malformed page or record, or a record on the wrong page: damaged when its page is read', () => {
  const saved = PagedMap.restore(keys.slice(0, 200).map((k, i): [string, number] => [k, i]), counting()).toPages()
  const lines = saved.lines.split('\n')
  const first = JSON.parse(lines[0]) as Array<[string, number]>
  const other = JSON.parse(lines[1]) as Array<[string, number]>
  const cases: Array<[string, string[]]> = [
    ['not JSON', ['{', ...lines.slice(1)]],
    ['not pairs', [JSON.stringify([[1, 2]]), ...lines.slice(1)]],
    ['a value the codec refuses', [JSON.stringify([[first[0][0], 'x'], ...first.slice(1)]), ...lines.slice(1)]],
    ['a key of another page', [JSON.stringify([...first, other[0]]), ...lines.slice(1)]],
    ['fewer records than its count', [JSON.stringify(first.slice(1)), ...lines.slice(1)]],
  ]
  for (const [name, bad] of cases) {
    const m = PagedMap.restore({ lines: bad.join('\n'), counts: saved.counts } satisfies PagedText, counting())
    m.get(other[0][0])
    assert.not.ok(m.damaged, `${name}: another page read`)
    m.get(first[0][0])
    assert.ok(m.damaged, `${name}: damaged once its page is read`)
  }
  assert.throws(() => PagedMap.restore({ lines: saved.lines, counts: [1] }, counting()), 'pages and counts differ')
  assert.throws(() => PagedMap.restore('x', counting()))
  assert.throws(() => PagedMap.restore([['a']], counting()))
})

test('a save that pages afresh reads every page first: readForSave finds a malformed one before the map counts as whole', () => {
  // Twenty pages of one record each: a save would page them into one, reading all twenty.
  const pairs = keys.slice(0, 400).map((k, i): [string, number] => [k, i])
  const byPage = new Map<number, [string, number]>()
  for (const [k, v] of pairs) byPage.set(stableHash(k) % 20, [k, v])
  const lines = [...Array(20).keys()].map((p) => JSON.stringify(byPage.has(p) ? [byPage.get(p)] : []))
  const counts = lines.map((l) => (JSON.parse(l) as unknown[]).length)
  const bad = [...lines]
  bad[7] = JSON.stringify([[(JSON.parse(lines[7]) as Array<[string, number]>)[0][0], 'x']])
  const m = PagedMap.restore({ lines: bad.join('\n'), counts }, counting())
  assert.not.ok(m.damaged)
  m.readForSave()
  assert.ok(m.damaged, 'found by the read the save would make')
  const whole = PagedMap.restore({ lines: lines.join('\n'), counts }, counting())
  whole.readForSave()
  assert.not.ok(whole.damaged)
  assert.is(whole.toPages().counts.length, 1, 'paged afresh into one')
})

test('in a manager: a memory whose save finds a malformed page (paging afresh) is not saved', async () => {
  const pairs = keys.slice(0, 400).map((k, i): [string, number] => [k, i])
  const byPage = new Map<number, [string, number]>()
  for (const [k, v] of pairs) byPage.set(stableHash(k) % 20, [k, v])
  const lines = [...Array(20).keys()].map((p) => JSON.stringify(byPage.has(p) ? [byPage.get(p)] : []))
  const counts = lines.map((l) => (JSON.parse(l) as unknown[]).length)
  lines[7] = JSON.stringify([[(JSON.parse(lines[7]) as Array<[string, number]>)[0][0], 'x']])
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
  await api.bootstrap()
  const manager = new ControllerManager({ api, clock })
  let mem = new PagedMap<number>(counting())
  manager.add({
    name: 'stub',
    resource: 'configmaps',
    incremental: true,
    reconcile: async () => ({}),
    checkpoint: {
      save: () => ({ m: mem }),
      restore: (d) => ((mem = PagedMap.restore((d as { m: unknown }).m, counting())), []),
      damaged: () => mem.damaged,
    },
  })
  const memories = stored(new Map([['stub', { m: { lines: lines.join('\n'), counts } }]]))
  await manager.start({ changes: () => new Map(), delayed: [], memories: { byController: memories, revision: await api.storage.revision() } })
  await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'touch', namespace: 'default' }, data: {} }, { fieldManager: 't' })
  await manager.settle()
  assert.not.ok(mem.damaged, 'the run never read the bad page')
  assert.not.ok(manager.checkpoints().changed.has('stub'), 'its save would have: not saved')
  await manager.stop()
})

test('grown far beyond its pages: paged afresh, every record kept', () => {
  const small = PagedMap.restore(PagedMap.restore(keys.slice(0, 50).map((k, i): [string, number] => [k, i]), counting()).toPages(), counting())
  for (const [i, k] of keys.entries()) small.set(k, i)
  const pages = small.toPages()
  assert.ok(pages.counts.length >= 50, `${pages.counts.length} pages for 3,000 records`)
  assert.equal(sorted(PagedMap.restore(pages, counting())), keys.map((k, i): [string, number] => [k, i]).sort(([a], [b]) => (a < b ? -1 : 1)))
})

test('through the checkpoint store: a paged field comes back as pages, the rest of the data as it was', async () => {
  const storage = createMemoryStorage()
  const m = PagedMap.restore(keys.slice(0, 300).map((k, i): [string, number] => [k, i]), counting())
  const data = { format: 7, records: m, small: [['a', 1]], note: 'x' }
  const { ops, refs } = checkpointWrites({ changed: new Map([['ctl', { data }]]) })
  await storage.txn({ success: ops })
  const back = (await loadCheckpoints(storage, refs)).get('ctl')!.data() as Record<string, unknown>
  assert.equal({ ...back, records: undefined }, { format: 7, records: undefined, small: [['a', 1]], note: 'x' })
  const codec = counting()
  const restored = PagedMap.restore(back.records, codec)
  assert.is(codec.checked, 0)
  assert.is(restored.get('ns/pod-7'), 7)
  assert.ok(codec.checked > 0 && codec.checked < 300)
  assert.equal(sorted(restored), sorted(new Map(m)))
})

test.run()
