/** The resume point: stored and read back, refused in other formats, and the changes since it read from the store's history. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { advanceResumePoint, changesOf, changesSince, clearResumePoint, loadResumePoint, RESUME_FORMAT, RESUME_KEY, saveResumePoint } from '../../../reconciler/controllers/runtime/resume-point.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import type { KObject } from '../../../reconciler/api/object.js'
import type { KeyValue, Storage } from '../../../reconciler/storage/types.js'

const test = suite('resume point')

const put = async (s: Storage, key: string, value: string): Promise<number> => (await s.txn({ success: [{ type: 'put', key, value }] })).revision
const del = async (s: Storage, key: string): Promise<number> => (await s.txn({ success: [{ type: 'delete', key }] })).revision

test('saved and loaded back, with the delayed work and its due times', async () => {
  const s = createMemoryStorage()
  const at = new Date('2026-01-01T00:00:05Z')
  await saveResumePoint(s, { revision: 7, delayed: [{ controller: 'deployment', key: 'default/web', at }] })
  assert.equal(await loadResumePoint(s), { revision: 7, delayed: [{ controller: 'deployment', key: 'default/web', at }], savedAt: await s.revision() })
  await clearResumePoint(s)
  assert.is(await loadResumePoint(s), undefined)
  await clearResumePoint(s) // none: fine
})

test('more delayed work than one stored value holds: no resume point (the next start resyncs), and no error', async () => {
  const s = createMemoryStorage()
  const at = new Date('2026-01-01T00:00:05Z')
  await saveResumePoint(s, { revision: 1, delayed: [{ controller: 'deployment', key: 'default/web', at }] })
  const delayed = Array.from({ length: 20_000 }, (_, i) => ({ controller: 'kubelet', key: `default/web-7d4b9c8f6d-${String(i).padStart(5, '0')}`, at }))
  assert.is(await saveResumePoint(s, { revision: 2, delayed }), false)
  assert.is(await loadResumePoint(s), undefined, 'the older point is gone too: it no longer describes the state')
})

test('advanceResumePoint: moves a point at `from` (or saved right there) to `to`, keeping its delayed work; nothing else', async () => {
  const at = new Date('2026-01-01T00:00:05Z')
  const delayed = [{ controller: 'deployment', key: 'default/web', at }]
  for (const c of [
    { name: 'the point is at from', point: 'at' as const, moved: true },
    { name: 'saved at from, right after its revision', point: 'saved' as const, moved: true },
    { name: 'older than from (writes in between)', point: 'older' as const, moved: false },
    { name: 'no point', point: 'none' as const, moved: false },
  ]) {
    const s = createMemoryStorage()
    const r = await put(s, '/registry/configmaps/default/a', 'a1')
    if (c.point === 'at') await saveResumePoint(s, { revision: r + 1, delayed })
    if (c.point === 'saved') await saveResumePoint(s, { revision: r, delayed })
    if (c.point === 'older') await saveResumePoint(s, { revision: r - 1, delayed })
    const from = await s.revision()
    const to = await put(s, '/capstan/gitops/state', 'bookkeeping')
    assert.is(await advanceResumePoint(s, from, to), c.moved, c.name)
    const after = await loadResumePoint(s)
    if (c.moved) assert.equal([after?.revision, after?.delayed], [to, delayed], c.name)
    else assert.is(after?.revision, c.point === 'none' ? undefined : r - 1, c.name)
  }
})

test('advanceResumePoint: a save that comes between its read and its write wins (the guarded write is refused)', async () => {
  const s = createMemoryStorage()
  await saveResumePoint(s, { revision: 0, delayed: [] })
  const newer = { revision: 7, delayed: [{ controller: 'deployment', key: 'default/web', at: new Date('2026-01-01T00:00:10Z') }] }
  // The manager saves its newer point while the advance is between its load and its save.
  const get = s.get.bind(s)
  let raced = false
  s.get = async (key: string) => {
    const kv = await get(key)
    if (key === RESUME_KEY && !raced) {
      raced = true
      await saveResumePoint(s, newer)
    }
    return kv
  }
  assert.is(await advanceResumePoint(s, 0, 5), false)
  s.get = get
  const point = await loadResumePoint(s)
  assert.is(point?.revision, 7)
  assert.equal(point?.delayed, newer.delayed)
})

test('anything but the current format means no resume point (a full resync)', async () => {
  for (const c of [
    { name: 'not JSON', value: '{' },
    { name: 'another format', value: JSON.stringify({ format: 0, revision: 3, delayed: [] }) },
    { name: 'the format before the pod garbage collector', value: JSON.stringify({ format: 1, revision: 3, delayed: [] }) },
    { name: 'no revision', value: JSON.stringify({ format: RESUME_FORMAT, delayed: [] }) },
    { name: 'delayed not a list', value: JSON.stringify({ format: RESUME_FORMAT, revision: 3, delayed: {} }) },
    { name: 'a bad due time', value: JSON.stringify({ format: RESUME_FORMAT, revision: 3, delayed: [{ controller: 'x', key: 'k', at: 'soon' }] }) },
    { name: 'a work item without a key', value: JSON.stringify({ format: RESUME_FORMAT, revision: 3, delayed: [{ controller: 'x', at: '2026-01-01T00:00:00Z' }] }) },
  ]) {
    const s = createMemoryStorage()
    await put(s, RESUME_KEY, c.value)
    assert.is(await loadResumePoint(s), undefined, c.name)
  }
})

test('changesSince: each key written after the revision, with its value then and now; deletions keep the last value', async () => {
  const s = createMemoryStorage()
  await put(s, '/registry/configmaps/default/a', 'a1')
  await put(s, '/registry/configmaps/default/b', 'b1')
  const mark = await put(s, '/registry/configmaps/default/gone', 'g1')
  await put(s, '/registry/configmaps/default/a', 'a2')
  await put(s, '/registry/configmaps/default/a', 'a3')
  await put(s, '/registry/configmaps/default/new', 'n1')
  const deleted = await del(s, '/registry/configmaps/default/gone')
  await put(s, '/capstan/clock', 'outside the API')
  const changes = (await changesSince(s, mark))!
  const value = (kv: KeyValue | undefined) => kv?.value
  assert.equal([...changes.keys()].sort(), ['/registry/configmaps/default/a', '/registry/configmaps/default/gone', '/registry/configmaps/default/new'])
  const a = changes.get('/registry/configmaps/default/a')!
  assert.equal([value(a.before), value(a.after)], ['a1', 'a3'])
  const n = changes.get('/registry/configmaps/default/new')!
  assert.equal([value(n.before), value(n.after)], [undefined, 'n1'])
  const g = changes.get('/registry/configmaps/default/gone')!
  assert.equal([value(g.before), value(g.after), value(g.last), g.deletedAt], ['g1', undefined, 'g1', deleted])
  assert.is((await changesSince(s, await s.revision()))!.size, 0, 'nothing since the current revision')
})

test('changesSince: undefined when the history is compacted or the revision is ahead of the store', async () => {
  const s = createMemoryStorage()
  const r1 = await put(s, '/registry/configmaps/default/a', '1')
  await put(s, '/registry/configmaps/default/a', '2')
  const r3 = await put(s, '/registry/configmaps/default/a', '3')
  assert.is(await changesSince(s, r3 + 5), undefined, 'ahead')
  await s.compact(r3 - 1)
  assert.is(await changesSince(s, r1), undefined, 'compacted')
})

test('changesOf: one resource prefix, keyed as informers key objects', async () => {
  const s = createMemoryStorage()
  const mark = await put(s, '/registry/namespaces/x', JSON.stringify({ metadata: { name: 'x', v: 1 } }))
  await put(s, '/registry/namespaces/x', JSON.stringify({ metadata: { name: 'x', v: 2 } }))
  await put(s, '/registry/pods/default/p', JSON.stringify({ metadata: { name: 'p' } }))
  const changes = (await changesSince(s, mark))!
  const decode = (kv: KeyValue) => JSON.parse(kv.value) as KObject
  const ns = changesOf(changes, '/registry/namespaces/', false, decode)
  assert.equal([...ns.keys()], ['/x'])
  assert.equal(ns.get('/x')!.before, { metadata: { name: 'x', v: 1 } })
  const pods = changesOf(changes, '/registry/pods/', true, decode)
  assert.equal([...pods.keys()], ['default/p'])
  assert.is(pods.get('default/p')!.before, undefined)
})

test('changesOf: an object deleted and created again since (another uid) is a replacement, not a modification', async () => {
  const s = createMemoryStorage()
  const mark = await put(s, '/registry/pods/default/p', JSON.stringify({ metadata: { name: 'p', uid: 'old' } }))
  await del(s, '/registry/pods/default/p')
  await put(s, '/registry/pods/default/p', JSON.stringify({ metadata: { name: 'p', uid: 'new' } }))
  await put(s, '/registry/pods/default/q', JSON.stringify({ metadata: { name: 'q', uid: 'q1' } }))
  const mark2 = await s.revision()
  await put(s, '/registry/pods/default/q', JSON.stringify({ metadata: { name: 'q', uid: 'q1', v: 2 } }))
  const decode = (kv: KeyValue) => JSON.parse(kv.value) as KObject
  const p = changesOf((await changesSince(s, mark))!, '/registry/pods/', true, decode).get('default/p')!
  assert.equal([p.before, p.replaced?.metadata.uid, p.deleted], [undefined, 'old', undefined])
  const q = changesOf((await changesSince(s, mark2))!, '/registry/pods/', true, decode).get('default/q')!
  assert.equal([q.before?.metadata.uid, q.replaced], ['q1', undefined])
})

test.run()
