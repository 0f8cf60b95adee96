/** The controllers' checkpoints stored beside the resume point: chunked, read back whole, tidied, and refused when anything is off. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { CHECKPOINT_PREFIX, loadCheckpoints, type CheckpointRefs } from '../../../reconciler/controllers/runtime/checkpoint-store.js'
import type { CheckpointToSave } from '../../../reconciler/controllers/runtime/manager.js'
import { advanceResumePoint, clearResumePoint, loadResumePoint, RESUME_KEY, saveResumePoint } from '../../../reconciler/controllers/runtime/resume-point.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { StorageError, type Storage } from '../../../reconciler/storage/types.js'

const test = suite('checkpoint store')

/** Memories by controller as a save takes them (no start requests). */
const toSave = (m: ReadonlyMap<string, unknown>): Map<string, CheckpointToSave> => new Map([...m].map(([n, data]) => [n, { data }]))

/** The checkpoints `refs` names, each memory read. */
const loaded = async (s: Storage, refs: CheckpointRefs): Promise<Map<string, unknown>> => new Map([...(await loadCheckpoints(s, refs))].map(([n, c]) => [n, c.data()]))

const keysUnder = async (s: Storage, prefix: string): Promise<string[]> => (await s.range(prefix)).items.map((kv) => kv.key)

/** A memory whose JSON is `n` characters or so (several chunks for a large n). */
const big = (n: number) => ({ format: 1, entries: Array.from({ length: Math.ceil(n / 40) }, (_, i) => [`default/pod-${i}`, `uid-"${i}"`]) })

test('saved with the point and read back whole, a large memory in several chunks', async () => {
  const s = createMemoryStorage()
  const memories = new Map<string, unknown>([
    ['kubelet', big(1_300_000)],
    ['deployment', { format: 1, known: [['default/web', true]] }],
  ])
  assert.ok(await saveResumePoint(s, { revision: 3, delayed: [] }, undefined, { changed: toSave(memories) }))
  const point = (await loadResumePoint(s))!
  assert.ok(point.checkpoints)
  assert.ok((await keysUnder(s, `${CHECKPOINT_PREFIX}kubelet/`)).length >= 3, 'chunked')
  assert.equal(await loaded(s, point.checkpoints!), memories)
})

test('a later save tidies the chunks the earlier one left; a save without memories or a clear leaves none', async () => {
  const s = createMemoryStorage()
  await saveResumePoint(s, { revision: 1, delayed: [] }, undefined, { changed: toSave(new Map<string, unknown>([['kubelet', big(1_300_000)], ['gc', { a: 1 }]])) })
  await saveResumePoint(s, { revision: 2, delayed: [] }, undefined, { changed: toSave(new Map([['kubelet', { small: true }]])) })
  assert.equal(await keysUnder(s, CHECKPOINT_PREFIX), [`${CHECKPOINT_PREFIX}kubelet/0`])
  assert.equal(await loaded(s, (await loadResumePoint(s))!.checkpoints!), new Map([['kubelet', { small: true }]]))
  await saveResumePoint(s, { revision: 3, delayed: [] })
  assert.equal(await keysUnder(s, CHECKPOINT_PREFIX), [])
  assert.is((await loadResumePoint(s))!.checkpoints, undefined)
  await saveResumePoint(s, { revision: 4, delayed: [] }, undefined, { changed: toSave(new Map([['gc', { a: 1 }]])) })
  await clearResumePoint(s)
  assert.equal(await keysUnder(s, '/capstan/'), [])
})

test('advanceResumePoint keeps naming the checkpoints (its writes in between are not the controllers\' business)', async () => {
  const s = createMemoryStorage()
  await saveResumePoint(s, { revision: 0, delayed: [] }, undefined, { changed: toSave(new Map([['gc', { a: 1 }]])) })
  const from = await s.revision()
  const to = (await s.txn({ success: [{ type: 'put', key: '/capstan/gitops/state', value: 'x' }] })).revision
  assert.ok(await advanceResumePoint(s, from, to))
  const point = (await loadResumePoint(s))!
  assert.is(point.revision, to)
  assert.equal(await loaded(s, point.checkpoints!), new Map([['gc', { a: 1 }]]))
})

test('a chunk missing or of another save: no checkpoint for that controller (the start primes it); text that is not JSON fails when read', async () => {
  for (const [name, spoil] of [
    ['missing', async (s: Storage) => void (await s.txn({ success: [{ type: 'delete', key: `${CHECKPOINT_PREFIX}kubelet/1` }] }))],
    ['another epoch', async (s: Storage) => {
      const kv = (await s.get(`${CHECKPOINT_PREFIX}kubelet/1`))!
      await s.txn({ success: [{ type: 'put', key: kv.key, value: kv.value.replace(/^[^ ]+/, 'other-epoch') }] })
    }],
  ] as const) {
    const s = createMemoryStorage()
    await saveResumePoint(s, { revision: 1, delayed: [] }, undefined, { changed: toSave(new Map<string, unknown>([['kubelet', big(1_300_000)], ['gc', { a: 1 }]])) })
    await spoil(s)
    assert.equal([...(await loaded(s, (await loadResumePoint(s))!.checkpoints!)).keys()], ['gc'], `${name}: that controller's checkpoint is left out, the others load`)
    assert.ok(await loadResumePoint(s), `${name}: the point itself is still good`)
  }
  const s = createMemoryStorage()
  await saveResumePoint(s, { revision: 1, delayed: [] }, undefined, { changed: toSave(new Map<string, unknown>([['kubelet', big(1_300_000)]])) })
  const kv = (await s.get(`${CHECKPOINT_PREFIX}kubelet/2`))!
  await s.txn({ success: [{ type: 'put', key: kv.key, value: kv.value.slice(0, -5) }] })
  const c = (await loadCheckpoints(s, (await loadResumePoint(s))!.checkpoints!)).get('kubelet')!
  assert.throws(() => c.data(), 'the manager\'s restore of it fails, and the controller is primed')
})

test('a store that refuses the whole request (etcd\'s request limit): the point is saved without checkpoints', async () => {
  const inner = createMemoryStorage()
  const s: Storage = Object.assign(Object.create(inner) as Storage, {
    txn: (req: Parameters<Storage['txn']>[0]) => (req.success.length > 2 ? Promise.reject(new StorageError('TooLarge', 'request too large')) : inner.txn(req)),
  })
  assert.ok(await saveResumePoint(s, { revision: 5, delayed: [] }, undefined, { changed: toSave(new Map([['kubelet', big(1_300_000)]])) }))
  const point = (await loadResumePoint(s))!
  assert.is(point.revision, 5)
  assert.is(point.checkpoints, undefined)
  assert.equal(await keysUnder(s, CHECKPOINT_PREFIX), [])
  assert.ok(await s.get(RESUME_KEY))
})

test('a checkpoint kept from the save before is not written again, and still loads', async () => {
  const s = createMemoryStorage()
  await saveResumePoint(s, { revision: 1, delayed: [] }, undefined, { changed: toSave(new Map<string, unknown>([['kubelet', big(1_300_000)], ['gc', { a: 1 }]])) })
  const first = (await loadResumePoint(s))!.checkpoints!
  const written = async () => new Map((await s.range(CHECKPOINT_PREFIX)).items.map((kv) => [kv.key, kv.modRevision]))
  const before = await written()
  await saveResumePoint(s, { revision: 2, delayed: [] }, undefined, { changed: toSave(new Map([['gc', { a: 2 }]])), kept: { kubelet: first.kubelet } })
  const after = await written()
  for (const key of first.kubelet.keys) assert.is(after.get(key), before.get(key), `${key} not rewritten`)
  assert.ok(after.get(`${CHECKPOINT_PREFIX}gc/0`)! > before.get(`${CHECKPOINT_PREFIX}gc/0`)!)
  const memories = await loaded(s, (await loadResumePoint(s))!.checkpoints!)
  assert.equal(memories.get('gc'), { a: 2 })
  assert.equal(memories.get('kubelet'), big(1_300_000))
})

test('start requests saved with a memory are read at once; the memory only when asked for', async () => {
  const s = createMemoryStorage()
  const start = [{ resource: 'pods', namespace: 'shop', name: 'web-1' }, { resource: 'nodes', name: 'n1' }]
  await saveResumePoint(s, { revision: 1, delayed: [] }, undefined, { changed: new Map([['kubelet', { data: { format: 1 }, start, format: 3 }]]) })
  const c = (await loadCheckpoints(s, (await loadResumePoint(s))!.checkpoints!)).get('kubelet')!
  assert.equal(c.start, start)
  assert.is(c.format, 3)
  assert.equal(c.data(), { format: 1 })
})

test.run()
