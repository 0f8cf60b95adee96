/**
 * What an update's validation looks at: the schema checks only the parts a write changed (metadata
 * field by field), a status write never its spec (as ValidatePodStatusUpdate), and nulls count as
 * absent everywhere but inside a managedFields set, which nothing validates.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { encodeObject } from '../../reconciler/api/codec.js'
import { ApiError } from '../../reconciler/api/errors.js'
import { objectStorageKey } from '../../reconciler/api/keys.js'
import { kindByName } from '../../reconciler/api/kinds.js'
import type { KObject } from '../../reconciler/api/object.js'
import { validateObject, withoutNullFields } from '../../reconciler/api/schema/index.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'

const test = suite('validation ratchet')

function pod(name: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
  }
}

/** A server whose pod `p` was stored as `edit` makes it (bypassing validation, as an older version's rules could have). */
async function withStored(edit: (p: KObject) => KObject): Promise<{ api: ApiServer; live: KObject }> {
  const storage = createMemoryStorage()
  const api = new ApiServer({ storage, now: () => new Date('2026-01-01T00:00:00Z') })
  await api.bootstrap()
  await api.list('pods')
  const created = await api.create(pod('p'), { fieldManager: 'creator' })
  const key = objectStorageKey(kindByName('Pod')!, 'default', 'p')
  await storage.txn({ success: [{ type: 'put', key, value: encodeObject(edit(created)) }] })
  return { api, live: await api.get('pods', 'default', 'p') }
}

/** `ok`, or the error's reason and causes as `reason field`. */
function outcome(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (err: unknown) => (err instanceof ApiError ? [err.reason, ...(err.statusDetails.causes ?? []).map((c) => `${c.reason} ${c.field}`)].join(' | ') : String(err)),
  )
}

test('a status write is checked on its status, never on the stored spec', async () => {
  // A spec kube-apiserver would refuse on create (no image, an unsupported restart policy).
  const { api, live } = await withStored((p) => ({ ...p, spec: { containers: [{ name: 'web', image: '' }], restartPolicy: 'Sometimes' } }))
  const cases: Array<{ name: string; status: Record<string, unknown>; want: string }> = [
    { name: 'a valid status', status: { phase: 'Running' }, want: 'ok' },
    { name: 'a phase of the wrong type', status: { phase: 5 }, want: 'Invalid | FieldValueTypeInvalid status.phase' },
    { name: 'a wrong type in a condition', status: { conditions: [{ type: 'Ready', status: true }] }, want: 'Invalid | FieldValueTypeInvalid status.conditions[0].status' },
  ]
  for (const c of cases) {
    assert.is(await outcome(api.updateStatus({ ...live, status: c.status }, { fieldManager: 'kubelet', dryRun: true })), c.want, c.name)
  }
})

test('metadata fields an update leaves as stored are not checked by the schema again; changed ones are', async () => {
  // A label value of the wrong type, stored by other rules.
  const { api, live } = await withStored((p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 7 as unknown as string } } }))
  const cases: Array<{ name: string; write: () => Promise<unknown>; want: string }> = [
    { name: 'a status write (labels as stored)', write: () => api.updateStatus({ ...live, status: { phase: 'Running' } }, { fieldManager: 'kubelet', dryRun: true }), want: 'ok' },
    {
      name: 'an update adding an annotation (labels as stored)',
      write: () => api.update({ ...live, metadata: { ...live.metadata, annotations: { note: 'x' } } }, { fieldManager: 'editor', dryRun: true }),
      want: 'ok',
    },
    {
      name: 'an update changing the labels',
      write: () => api.update({ ...live, metadata: { ...live.metadata, labels: { app: 8 as unknown as string } } }, { fieldManager: 'editor', dryRun: true }),
      want: 'Invalid | FieldValueTypeInvalid metadata.labels[app]',
    },
    {
      name: 'an update with a bad annotation (labels as stored)',
      write: () => api.update({ ...live, metadata: { ...live.metadata, annotations: { note: 1 as unknown as string } } }, { fieldManager: 'editor', dryRun: true }),
      want: 'Invalid | FieldValueTypeInvalid metadata.annotations[note]',
    },
  ]
  for (const c of cases) assert.is(await outcome(c.write()), c.want, c.name)
})

test('nulls are absent for the schema, except inside a managedFields set (never walked, never validated)', () => {
  const fieldsV1 = { 'f:spec': { 'f:x': null } }
  const cases: Array<{ name: string; value: unknown; want: unknown }> = [
    { name: 'null members dropped at any depth', value: { a: null, b: { c: null, d: [{ e: null, f: 1 }] } }, want: { b: { d: [{ f: 1 }] } } },
    {
      name: 'a managedFields entry: its null members dropped, its set kept whole',
      value: { metadata: { managedFields: [{ manager: null, fieldsV1 }, null] } },
      want: { metadata: { managedFields: [{ fieldsV1 }, null] } },
    },
    { name: 'a null set dropped', value: { metadata: { managedFields: [{ manager: 'm', fieldsV1: null }] } }, want: { metadata: { managedFields: [{ manager: 'm' }] } } },
    { name: 'no nulls: the value itself', value: { a: [1, { b: 'c' }] }, want: { a: [1, { b: 'c' }] } },
  ]
  for (const c of cases) assert.equal(withoutNullFields(c.value), c.want, c.name)
  const kept = { metadata: { managedFields: [{ manager: 'm', fieldsV1 }] } }
  assert.ok((withoutNullFields(kept) as typeof kept).metadata.managedFields[0].fieldsV1 === fieldsV1, 'the set is not copied')
  const p = { ...pod('p'), metadata: { name: 'p', namespace: 'default', managedFields: [{ manager: 'm', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1, time: null }] } }
  assert.equal(validateObject('Pod', p), [])
})

test('a create with nulls is checked as without them; one without nulls skips looking for them, with the same result', async () => {
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => new Date('2026-01-01T00:00:00Z') })
  await api.bootstrap()
  const base = pod('p')
  const cases: Array<{ name: string; obj: KObject; want: string }> = [
    { name: 'no nulls', obj: base, want: 'ok' },
    { name: 'null fields count as absent', obj: { ...base, metadata: { ...base.metadata, annotations: null as never }, spec: { ...(base.spec as object), nodeSelector: null } }, want: 'ok' },
    { name: 'a required field null', obj: { ...base, spec: { containers: [{ name: null, image: 'nginx' }] } }, want: 'Invalid | FieldValueRequired spec.containers[0].name' },
    { name: 'a wrong type, no nulls', obj: { ...base, spec: { containers: [{ name: 'web', image: 5 }] } }, want: 'Invalid | FieldValueTypeInvalid spec.containers[0].image' },
    { name: 'a null container: the schema refuses it (no crash computing the QoS class)', obj: { ...base, spec: { containers: [{ name: 'web', image: 'nginx' }, null] } }, want: 'Invalid | FieldValueTypeInvalid spec.containers[1]' },
    { name: 'an undefined list item (null in the copy)', obj: { ...base, spec: { containers: [{ name: 'web', image: 'nginx', args: ['a', undefined] }] } }, want: 'Invalid | FieldValueTypeInvalid spec.containers[0].args[1]' },
  ]
  for (const c of cases) assert.is(await outcome(api.create(c.obj, { fieldManager: 'creator', dryRun: true })), c.want, c.name)
})

test('metadata rules on update: a stored value that breaks them does not block an unrelated write; a changed one is refused', async () => {
  // Values of the right type that ObjectMeta's own rules refuse, stored by other rules.
  const { api, live } = await withStored((p) => ({
    ...p,
    metadata: { ...p.metadata, labels: { 'bad key': 'web' }, annotations: { 'bad/key/x': 'v' }, finalizers: ['no-domain'] },
  }))
  const meta = live.metadata
  const cases: Array<{ name: string; write: () => Promise<unknown>; want: string }> = [
    { name: 'a status write', write: () => api.updateStatus({ ...live, status: { phase: 'Running' } }, { fieldManager: 'kubelet', dryRun: true }), want: 'ok' },
    { name: 'a spec write, metadata as stored', write: () => api.update({ ...live, spec: { ...(live.spec as object), activeDeadlineSeconds: 5 } }, { fieldManager: 'e', dryRun: true }), want: 'ok' },
    { name: 'the labels changed, still invalid', write: () => api.update({ ...live, metadata: { ...meta, labels: { 'bad key': 'api' } } }, { fieldManager: 'e', dryRun: true }), want: 'Invalid | FieldValueInvalid metadata.labels' },
    { name: 'the labels changed, now valid', write: () => api.update({ ...live, metadata: { ...meta, labels: { app: 'web' } } }, { fieldManager: 'e', dryRun: true }), want: 'ok' },
    {
      name: 'an annotation added beside the invalid one',
      write: () => api.update({ ...live, metadata: { ...meta, annotations: { ...meta.annotations, ok: 'v' } } }, { fieldManager: 'e', dryRun: true }),
      want: 'Invalid | FieldValueInvalid metadata.annotations',
    },
    {
      name: 'a finalizer added beside the stored one',
      write: () => api.update({ ...live, metadata: { ...meta, finalizers: ['no-domain', 'example.com/f'] } }, { fieldManager: 'e', dryRun: true }),
      want: 'Invalid | FieldValueInvalid metadata.finalizers',
    },
    {
      name: 'an invalid owner reference added (every other field as stored)',
      write: () => api.update({ ...live, metadata: { ...meta, ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] } }, { fieldManager: 'e', dryRun: true }),
      want: 'Invalid | FieldValueInvalid metadata.ownerReferences',
    },
  ]
  for (const c of cases) assert.is(await outcome(c.write()), c.want, c.name)
})

test.run()
