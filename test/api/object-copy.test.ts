import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { decodeManagedFields, encodeManagedFields, type ManagedFieldsEntry } from '../../reconciler/api/apply/managed-fields.js'
import { trackUpdate } from '../../reconciler/api/apply/track-update.js'
import { copyOf, withField, type KObject } from '../../reconciler/api/object.js'
import { typeNodeFor } from '../../reconciler/api/schema/index.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'

/** The text and the key order of every level: what the store encodes. */
const text = (v: unknown): string => JSON.stringify(v)

/** `{ ...src, [key]: 'v' }` with the key defined as the spread defines it (even `__proto__`). */
function spreadWith(src: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out = { ...src }
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  return out
}

const Copy = suite('api: copyOf / withField are { ...src } / { ...src, key }')

const objects: Array<{ name: string; src: Record<string, unknown>; key: string }> = [
  { name: 'missing key goes last', src: { a: 1, b: { c: 2 } }, key: 'z' },
  { name: 'present key keeps its place', src: { a: 1, z: 0, b: 2 }, key: 'z' },
  { name: 'empty source', src: {}, key: 'subresource' },
  { name: 'integer-like keys', src: { b: 1, '10': 2, '2': 3 }, key: '1' },
  { name: 'undefined values kept', src: { a: undefined, b: 1 }, key: 'c' },
  { name: 'an undefined value set', src: { a: 1 }, key: 'resourceVersion' },
  { name: 'own __proto__ key stays a property', src: JSON.parse('{"a":1,"__proto__":{"x":1}}') as Record<string, unknown>, key: '__proto__' },
  { name: 'own __proto__ key, another key set', src: JSON.parse('{"a":1,"__proto__":{"x":1}}') as Record<string, unknown>, key: 'b' },
]
for (const c of objects) {
  Copy(c.name, () => {
    const spread = { ...c.src }
    const copy = copyOf(c.src)
    assert.equal(Object.keys(copy), Object.keys(spread))
    assert.is(Object.getPrototypeOf(copy), Object.prototype)
    assert.is(text(copy), text(spread))
    assert.is.not(copy, c.src)
    const value = c.name === 'an undefined value set' ? undefined : 'v'
    const expected = spreadWith(c.src, c.key, value)
    const got = withField(c.src, c.key, value)
    assert.equal(Object.keys(got), Object.keys(expected))
    assert.is(Object.getPrototypeOf(got), Object.prototype)
    assert.is(text(got), text(expected))
    assert.is(Object.getOwnPropertyDescriptor(got, c.key)?.value, value)
  })
}
Copy('the source is not changed (frozen)', () => {
  const src = Object.freeze({ a: 1 })
  assert.equal(withField(src, 'b', 2), { a: 1, b: 2 })
  assert.equal(copyOf(src), { a: 1 })
  assert.equal(src, { a: 1 })
})
Copy.run()

const Order = suite('api: the objects the write path builds with withField keep the spread\'s key order')

const tn = typeNodeFor('Pod')
const now = new Date('2026-01-01T00:00:05Z')
const podFor = (): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
  status: { phase: 'Pending', qosClass: 'BestEffort' },
})

/** The key order `{ ...id, set }` then `m.time = …` gave a decoded entry. */
const decodedOrder = (e: ManagedFieldsEntry): string[] => [
  'manager',
  'operation',
  'apiVersion',
  ...(e.subresource ? ['subresource'] : []),
  'set',
  ...(e.time ? ['time'] : []),
]

Order('decodeManagedFields (fresh list and encoder-known list)', () => {
  const pod = podFor()
  pod.metadata.managedFields = trackUpdate({ updated: pod, manager: 'kcm', typeNode: tn, apiVersion: 'v1', now })
  const next = { ...pod, metadata: { ...pod.metadata }, status: { phase: 'Running', qosClass: 'BestEffort', podIP: '10.0.0.1' } }
  const list = trackUpdate({ old: pod, updated: next, manager: 'kubelet', typeNode: tn, apiVersion: 'v1', now, subresource: 'status' })
  assert.is(list.length, 2)
  // A copy decodes through decodeEntries; the encoder's own list through what the encoder remembered.
  const fresh = decodeManagedFields(JSON.parse(JSON.stringify(list)) as ManagedFieldsEntry[])
  const known = decodeManagedFields(encodeManagedFields(fresh, true))
  for (const managers of [fresh, known]) {
    const got = [...managers.values()]
    assert.equal(got.map((m) => Object.keys(m)), list.map(decodedOrder))
  }
})

Order('trackUpdate\'s writer entry: the stored list is unchanged', () => {
  const pod = podFor()
  pod.metadata.managedFields = trackUpdate({ updated: pod, manager: 'kcm', typeNode: tn, apiVersion: 'v1', now })
  const next = { ...pod, metadata: { ...pod.metadata }, status: { phase: 'Running', qosClass: 'BestEffort' } }
  const list = trackUpdate({ old: pod, updated: next, manager: 'kubelet', typeNode: tn, apiVersion: 'v1', now, subresource: 'status' })
  assert.is(
    text(list[1]),
    text({ manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:phase': {} } }, subresource: 'status' }),
  )
})

Order('a bound pod: spec.nodeName last, status.conditions last, the rest in place', async () => {
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => now })
  await api.bootstrap()
  const created = await api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, { fieldManager: 'kubectl' })
  const bound = await api.bind('default', 'p', 'node-1', { fieldManager: 'kube-scheduler' })
  const stored = await api.get('pods', 'default', 'p')
  const cond = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:05Z' }
  const expected = {
    ...created,
    metadata: { ...created.metadata, resourceVersion: bound.metadata.resourceVersion },
    spec: { ...(created.spec as object), nodeName: 'node-1' },
    status: { ...(created.status as object), conditions: [cond] },
  }
  assert.is(text(bound), text(expected))
  assert.is(text(stored), text(expected))
})

Order('updateStatus: the write is a status write (spec changes are reset)', async () => {
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => now })
  await api.bootstrap()
  const created = await api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, { fieldManager: 'kubectl' })
  const opts = Object.freeze({ fieldManager: 'kubelet' })
  const input = { ...created, spec: { ...(created.spec as object), activeDeadlineSeconds: 5 }, status: { ...(created.status as object), phase: 'Running' } }
  const written = await api.updateStatus(input, opts)
  assert.is((written.status as { phase?: string }).phase, 'Running')
  assert.is((written.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds, undefined)
  assert.equal(written.metadata.managedFields?.map((e) => [e.manager, e.subresource]), [['kubectl', undefined], ['kubelet', 'status']])
  assert.equal(opts, { fieldManager: 'kubelet' })
})

Order.run()
