/**
 * The write path's shortcuts keep Kubernetes' results: status writes copy and validate only what
 * they change, the cache shares what a write kept, managers a write leaves alone keep their entry.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { encodeObject } from '../../reconciler/api/codec.js'
import { ApiError } from '../../reconciler/api/errors.js'
import { objectStorageKey } from '../../reconciler/api/keys.js'
import { kindByName } from '../../reconciler/api/kinds.js'
import { cloneSharing, sameDefinedJson, type KObject } from '../../reconciler/api/object.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'

const test = suite('write path')

function pod(name: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
  }
}

async function server(): Promise<ApiServer> {
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => new Date('2026-01-01T00:00:00Z') })
  await api.bootstrap()
  await api.list('pods')
  return api
}

test('cloneSharing: shares what the previous version holds, never the top two levels, copies the rest', () => {
  const prev = { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'web' }], volumes: [] as unknown[] }, status: { phase: 'Pending' } }
  const next = { metadata: { labels: prev.metadata.labels }, spec: prev.spec, status: { phase: 'Running', gone: undefined } }
  const copy = cloneSharing(next, prev)
  assert.equal(copy, { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'web' }], volumes: [] }, status: { phase: 'Running' } })
  assert.ok(copy.spec !== prev.spec && copy.metadata !== next.metadata && copy.status !== next.status, 'top-level sections are new objects')
  assert.ok(copy.spec.containers === prev.spec.containers, 'deeper shared parts are shared')
  assert.ok(copy.metadata.labels === prev.metadata.labels)
})

test('sameDefinedJson: equal JSON without undefined anywhere', () => {
  const holdsUndefined = { x: undefined }
  const shared = { x: [1, 2] }
  const cases: Array<{ name: string; a: unknown; b: unknown; same: boolean }> = [
    { name: 'equal objects, other key order', a: { x: 1, y: [1, { z: null }] }, b: { y: [1, { z: null }], x: 1 }, same: true },
    { name: 'one more key', a: { x: 1 }, b: { x: 1, y: 2 }, same: false },
    { name: 'an undefined member', a: { x: 1, y: undefined }, b: { x: 1, y: undefined }, same: false },
    { name: 'the same object, holding undefined', a: holdsUndefined, b: holdsUndefined, same: false },
    { name: 'the same object', a: shared, b: shared, same: true },
    { name: 'array and object', a: [], b: {}, same: false },
    { name: 'scalars', a: 'x', b: 'x', same: true },
  ]
  for (const c of cases) assert.is(sameDefinedJson(c.a, c.b), c.same, c.name)
})

test('a status write stores what a full copy would: spec as stored, status and annotations from the request', async () => {
  const api = await server()
  const created = await api.create(pod('p'), { fieldManager: 'creator' })
  const input = { ...created, spec: { containers: [{ name: 'other', image: 'x' }] }, status: { phase: 'Running' }, metadata: { ...created.metadata, annotations: { note: 'a' }, labels: { app: 'changed' } } }
  const written = await api.updateStatus(input, { fieldManager: 'kubelet' })
  const stored = await api.get('pods', 'default', 'p')
  assert.equal(stored.spec, created.spec)
  assert.equal(stored.metadata.labels, { app: 'web' })
  assert.equal(stored.metadata.annotations, { note: 'a' })
  assert.equal((stored.status as { phase: string }).phase, 'Running')
  assert.equal(encodeObject(written), encodeObject(stored))
  assert.equal(stored.metadata.managedFields?.map((e) => [e.manager, e.subresource ?? '']), [['creator', ''], ['kubelet', 'status']])
})

test('the cache copy of a write shares the unchanged parts of the previous version, and the caller cannot reach it', async () => {
  const api = await server()
  await api.create(pod('p'), { fieldManager: 'creator' })
  const before = await api.get('pods', 'default', 'p')
  const written = await api.updateStatus({ ...before, status: { phase: 'Running' } }, { fieldManager: 'kubelet' })
  const after = await api.get('pods', 'default', 'p')
  assert.ok(after !== written, 'the cache holds its own copy')
  assert.ok(after.spec !== before.spec, 'top-level sections are new objects')
  assert.ok((after.spec as { containers: unknown }).containers === (before.spec as { containers: unknown }).containers, 'unchanged parts are shared')
  ;(written.status as { phase: string }).phase = 'Changed by the caller'
  assert.is((after.status as { phase: string }).phase, 'Running')
})

test('a status write leaves an entry it does not touch as it was (same fieldsV1)', async () => {
  const api = await server()
  await api.create(pod('p'), { fieldManager: 'creator' })
  let cur = await api.get('pods', 'default', 'p')
  cur = await api.updateStatus({ ...cur, status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False', reason: 'Waiting' }] } }, { fieldManager: 'kubelet' })
  const creatorFields = (await api.get('pods', 'default', 'p')).metadata.managedFields!.find((e) => e.manager === 'creator')!.fieldsV1
  // This write removes a field (the condition's reason): the creator's entry does not hold it.
  await api.updateStatus({ ...(await api.get('pods', 'default', 'p')), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { fieldManager: 'kubelet' })
  const after = (await api.get('pods', 'default', 'p')).metadata.managedFields!
  assert.ok(after.find((e) => e.manager === 'creator')!.fieldsV1 === creatorFields)
  assert.equal(after.map((e) => e.manager), ['creator', 'kubelet'])
})

test('validation checks what a write changes: a stored spec the schema no longer takes does not block a status write', async () => {
  const storage = createMemoryStorage()
  const api = new ApiServer({ storage, now: () => new Date('2026-01-01T00:00:00Z') })
  await api.bootstrap()
  const created = await api.create(pod('p'), { fieldManager: 'creator' })
  // A spec stored under other rules (an older schema): an unknown field in it.
  const key = objectStorageKey(kindByName('Pod')!, 'default', 'p')
  const legacy = { ...created, spec: { ...(created.spec as object), legacyField: true } }
  await storage.txn({ success: [{ type: 'put', key, value: encodeObject(legacy) }] })
  const live = await api.get('pods', 'default', 'p')
  const written = await api.updateStatus({ ...live, status: { phase: 'Running' } }, { fieldManager: 'kubelet' })
  assert.is((written.status as { phase: string }).phase, 'Running')
  // A write that changes the spec is checked in full, and refused for the field.
  const changed = { ...written, spec: { ...(written.spec as object), activeDeadlineSeconds: 5 } }
  try {
    await api.update(changed, { fieldManager: 'editor' })
    assert.unreachable('the unknown field is refused when the spec changes')
  } catch (err) {
    assert.instance(err, ApiError)
    assert.is((err as ApiError).reason, 'BadRequest')
  }
})

test('metadata rules check what an update changes: a stored label the rules refuse does not block other writes', async () => {
  const storage = createMemoryStorage()
  const api = new ApiServer({ storage, now: () => new Date('2026-01-01T00:00:00Z') })
  await api.bootstrap()
  const created = await api.create(pod('p'), { fieldManager: 'creator' })
  const key = objectStorageKey(kindByName('Pod')!, 'default', 'p')
  await storage.txn({ success: [{ type: 'put', key, value: encodeObject({ ...created, metadata: { ...created.metadata, labels: { app: 'web', bad: 'not valid!' } } }) }] })
  const live = await api.get('pods', 'default', 'p')
  const cases: Array<{ name: string; labels: Record<string, string>; annotations?: Record<string, string>; ok: boolean }> = [
    { name: 'labels as stored, an annotation added', labels: { app: 'web', bad: 'not valid!' }, annotations: { note: 'x' }, ok: true },
    { name: 'labels changed, the bad one kept', labels: { app: 'api', bad: 'not valid!' }, ok: false },
  ]
  for (const c of cases) {
    const next = { ...live, metadata: { ...live.metadata, labels: c.labels, annotations: c.annotations } }
    const got = await api.update(next, { fieldManager: 'editor', dryRun: true }).then(
      () => 'ok',
      (err: unknown) => (err instanceof ApiError ? err.statusDetails.causes?.map((x) => `${x.reason} ${x.field}`).join() : String(err)),
    )
    assert.is(got, c.ok ? 'ok' : 'FieldValueInvalid metadata.labels', c.name)
  }
})

test.run()
