/**
 * The Event create fast path stores exactly what the general create stores (the same JSON bytes but
 * the uid), rejects what it rejects with the same causes, and leaves every Event not of the
 * recorder's shape to the general path.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { ApiError } from '../../reconciler/api/errors.js'
import { recorderShapedEvent } from '../../reconciler/api/event-create.js'
import type { KObject } from '../../reconciler/api/object.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { recordedEvent } from './recorded-event.js'

const test = suite('api: Event create fast path')

const recorded = recordedEvent

async function server(eventFastPath: boolean): Promise<{ api: ApiServer; raw: (ns: string, name: string) => Promise<string | undefined> }> {
  const storage = createMemoryStorage()
  const api = new ApiServer({ storage, now: () => new Date('2026-01-01T00:00:05Z'), eventFastPath })
  await api.bootstrap()
  const raw = async (ns: string, name: string) => (await storage.get(`/registry/events/${ns}/${name}`))?.value
  return { api, raw }
}

/** The outcome of a create, comparable across servers: the stored JSON (uid masked) or the error's code and causes. */
async function outcome(s: Awaited<ReturnType<typeof server>>, input: KObject, opts: { fieldManager?: string; dryRun?: boolean } = {}): Promise<unknown> {
  try {
    const out = await s.api.create(input, opts)
    const ns = out.metadata.namespace ?? 'default'
    const stored = await s.raw(ns, out.metadata.name!)
    const returned = JSON.stringify({ ...out, metadata: { ...out.metadata, uid: 'UID' } })
    return { stored: stored?.replace(out.metadata.uid!, 'UID'), returned }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    return { code: err.code, reason: err.reason, causes: err.statusDetails.causes ?? [] }
  }
}

const sameAsGeneral: Array<{ name: string; input: KObject; fieldManager?: string; dryRun?: boolean; fast: boolean }> = [
  { name: 'a kubelet event with a host', input: recorded(), fieldManager: 'kubelet', fast: true },
  { name: 'a controller event (no host, empty instance)', input: recorded({ source: { component: 'replicaset-controller' }, reportingComponent: 'replicaset-controller', reportingInstance: '' }), fieldManager: 'kube-controller-manager', fast: true },
  { name: "the correlator's combined event (no reporting fields)", input: recorded({ reportingComponent: undefined, reportingInstance: undefined, message: '(combined from similar events): x' }), fieldManager: 'kubelet', fast: true },
  { name: 'an empty source, a reference with a fieldPath, count 0, empty strings', input: recorded({ source: {}, involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{web}' }, count: 0, message: '' }), fast: true },
  { name: 'no namespace in metadata: the default one', input: recorded({ metadata: { name: 'x.1' }, involvedObject: { kind: 'Node', name: 'n1' } }), fieldManager: 'm', fast: true },
  { name: 'no manager: unknown', input: recorded(), fast: true },
  { name: 'dry run', input: recorded(), fieldManager: 'kubelet', dryRun: true, fast: true },
  { name: 'namespace mismatch: Invalid on involvedObject.namespace', input: recorded({ metadata: { name: 'x.2', namespace: 'kube-system' } }), fast: true },
  { name: 'a bad name: Invalid on metadata.name', input: recorded({ metadata: { name: 'Web_1', namespace: 'default' } }), fast: true },
  { name: 'a missing namespace: NotFound', input: recorded({ metadata: { name: 'x.3', namespace: 'nope' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'nope' } }), fast: true },
  { name: 'a field the recorder does not set (action): general path', input: recorded({ action: 'Pull' }), fast: false },
  { name: 'labels: general path', input: recorded({ metadata: { name: 'x.4', namespace: 'default', labels: { a: 'b' } } }), fast: false },
  { name: 'generateName: general path', input: recorded({ metadata: { generateName: 'x.', namespace: 'default' } }), fast: false },
  { name: 'a timestamp that is no date: general path, FieldValueInvalid', input: recorded({ firstTimestamp: '2026-13-01T00:00:00Z' }), fast: false },
  { name: 'a timestamp with fractions: general path', input: recorded({ lastTimestamp: '2026-01-01T00:00:00.5Z' }), fast: false },
  { name: 'count as a string: general path, FieldValueTypeInvalid', input: recorded({ count: '1' }), fast: false },
  { name: 'count beyond int32: general path', input: recorded({ count: 2 ** 31 }), fast: false },
  { name: 'a null message: general path', input: recorded({ message: null }), fast: false },
  { name: 'an unknown reference field: general path, strict decoding error', input: recorded({ involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', color: 'red' } }), fast: false },
  { name: 'a source with a number: general path', input: recorded({ source: { component: 'kubelet', host: 7 } }), fast: false },
  { name: 'another apiVersion: general path', input: recorded({ apiVersion: 'events.k8s.io/v1' }), fast: false },
]

for (const c of sameAsGeneral) {
  test(`${c.name}: the same result as the general path`, async () => {
    assert.is(recorderShapedEvent(c.input) !== undefined, c.fast, 'takes the fast path')
    const fast = await outcome(await server(true), c.input, { fieldManager: c.fieldManager, dryRun: c.dryRun })
    const general = await outcome(await server(false), c.input, { fieldManager: c.fieldManager, dryRun: c.dryRun })
    assert.equal(fast, general)
  })
}

test('the fast path copies its input and shares one frozen field set per shape', async () => {
  const { api } = await server(true)
  const input = recorded()
  const a = await api.create(input, { fieldManager: 'kubelet' })
  const b = await api.create(recorded({ metadata: { name: 'web-1.2', namespace: 'default' } }), { fieldManager: 'kubelet' })
  assert.ok(a.involvedObject !== input.involvedObject && a.metadata !== input.metadata, 'the stored object is a copy')
  assert.equal(input.metadata, { name: 'web-1.18867251edfa0320', namespace: 'default' }, 'the input is left as it was')
  const fa = a.metadata.managedFields![0].fieldsV1
  assert.ok(fa === b.metadata.managedFields![0].fieldsV1 && Object.isFrozen(fa))
  assert.equal(Object.keys(fa!), ['f:count', 'f:firstTimestamp', 'f:involvedObject', 'f:lastTimestamp', 'f:message', 'f:reason', 'f:reportingComponent', 'f:reportingInstance', 'f:source', 'f:type'])
})

test('an existing name is AlreadyExists, as on the general path', async () => {
  for (const fastPath of [true, false]) {
    const s = await server(fastPath)
    await s.api.create(recorded())
    const err = await s.api.create(recorded()).catch((e: unknown) => e)
    assert.ok(err instanceof ApiError && err.reason === 'AlreadyExists', `fast path ${fastPath}`)
  }
})

test.run()
