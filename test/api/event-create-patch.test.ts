/**
 * recorderEventPatch (the recorder's repeat patch of an Event, for a patch fast path) gives exactly
 * the object the general merge-patch path stores (the same JSON bytes but resourceVersion), and
 * declines every patch outside its case.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { recorderEventPatch } from '../../reconciler/api/event-create.js'
import type { KObject } from '../../reconciler/api/object.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { RECORDED_AT, recordedEvent } from './recorded-event.js'

const test = suite('api: recorderEventPatch')

const T0 = RECORDED_AT

/** An Event as the recorder builds it, without the members `over` sets to undefined. */
function recorded(over: Record<string, unknown> = {}): KObject {
  const ev = recordedEvent(over) as Record<string, unknown>
  for (const k of Object.keys(ev)) if (ev[k] === undefined) delete ev[k]
  return ev as KObject
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    Object.freeze(v)
    for (const c of Object.values(v)) deepFreeze(c)
  }
  return v
}

/** A memory-backed API whose clock the test sets; `eventFastPath: false` is the general path alone. */
async function server(eventFastPath = false): Promise<{ api: ApiServer; at: (iso: string) => Date }> {
  let now = new Date(T0)
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => now, eventFastPath })
  await api.bootstrap()
  return { api, at: (iso) => (now = new Date(iso)) }
}

/** The stored object as JSON, without its resourceVersion. */
function bytes(o: KObject): string {
  return JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } })
}

const fast = [
  { name: 'a repeat: count and lastTimestamp move, same message', event: {}, patch: { count: 2, lastTimestamp: '2026-01-01T00:00:07Z', message: 'Successfully pulled image "nginx:1.27"' } },
  { name: 'a combined event: a new message', event: {}, patch: { count: 5, lastTimestamp: '2026-01-01T00:01:00Z', message: '(combined from similar events): other' } },
  { name: 'the same instant: only the count moves', event: {}, patch: { count: 2, lastTimestamp: T0 } },
  { name: 'no source host, no reporting instance', event: { source: { component: 'replicaset-controller' }, reportingInstance: '' }, patch: { count: 3, lastTimestamp: '2026-01-02T00:00:00Z' } },
]

for (const c of fast) {
  test(`same bytes as the general path: ${c.name}`, async () => {
    const { api, at } = await server()
    await api.create(recorded(c.event), { fieldManager: 'kubelet' })
    const now = at('2026-01-01T00:00:09Z')
    const old = deepFreeze(await api.get('events', 'default', 'web-1.18867251edfa0320'))
    const next = recorderEventPatch({ old, patch: c.patch, fieldManager: 'kubelet', now })
    assert.ok(next, 'takes the fast case')
    const stored = await api.patch('events', 'default', 'web-1.18867251edfa0320', 'merge', c.patch, { fieldManager: 'kubelet' })
    assert.is(bytes(next!), bytes(stored))
    assert.is.not(bytes(next!), bytes(old))
  })

  test(`ApiServer.patch stores the same bytes with and without the fast path: ${c.name}`, async () => {
    const stored: string[] = []
    for (const fastPath of [false, true]) {
      const { api, at } = await server(fastPath)
      await api.create(recorded(c.event), { fieldManager: 'kubelet' })
      at('2026-01-01T00:00:09Z')
      const out = await api.patch('events', 'default', 'web-1.18867251edfa0320', 'merge', c.patch, { fieldManager: 'kubelet' })
      const read = await api.get('events', 'default', 'web-1.18867251edfa0320')
      assert.is(bytes(out), bytes(read))
      // The uid is random per server: the rest must match byte for byte.
      stored.push(bytes({ ...read, metadata: { ...read.metadata, uid: 'uid' } }))
    }
    assert.is(stored[1], stored[0])
  })
}

const declined: Array<{ name: string; event?: Record<string, unknown>; patch: unknown; manager?: string; other?: boolean }> = [
  { name: 'another manager', patch: { count: 2 }, manager: 'kube-controller-manager' },
  { name: 'a second manager on the Event', patch: { count: 3 }, other: true },
  { name: 'another field', patch: { count: 2, reason: 'Other' } },
  { name: 'a field the Event does not have yet', event: { message: undefined }, patch: { count: 2, message: 'new' } },
  { name: 'nothing changes', patch: { count: 1, lastTimestamp: T0 } },
  { name: 'a count that is not an int32', patch: { count: 2.5 } },
  { name: 'a bad time', patch: { count: 2, lastTimestamp: '2026-02-30T00:00:00Z' } },
  { name: 'a null (a removal)', patch: { count: 2, message: null } },
  { name: 'not an object', patch: [{ count: 2 }] },
]

for (const c of declined) {
  test(`declined: ${c.name}`, async () => {
    const { api, at } = await server()
    await api.create(recorded(c.event), { fieldManager: 'kubelet' })
    if (c.other) await api.patch('events', 'default', 'web-1.18867251edfa0320', 'merge', { count: 2 }, { fieldManager: 'someone-else' })
    const now = at('2026-01-01T00:00:09Z')
    const old = await api.get('events', 'default', 'web-1.18867251edfa0320')
    assert.is(recorderEventPatch({ old, patch: c.patch, fieldManager: c.manager ?? 'kubelet', now }), undefined)
  })
}

test('declined: not an Event', async () => {
  const old = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', managedFields: [] }, count: 1 } as unknown as KObject
  assert.is(recorderEventPatch({ old, patch: { count: 2 }, fieldManager: 'm', now: new Date(T0) }), undefined)
})

test.run()
