import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { ApiError } from '../../reconciler/api/errors.js'
import type { KObject } from '../../reconciler/api/object.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import type { Storage } from '../../reconciler/storage/types.js'

const T0 = new Date('2026-01-01T00:00:00Z')

async function server(storage: Storage = createMemoryStorage()): Promise<{ api: ApiServer; at: (d: Date) => void }> {
  let now = T0
  const api = new ApiServer({ storage, now: () => now })
  await api.bootstrap()
  return { api, at: (d) => (now = d) }
}

const pod = (name: string, extra: { status?: unknown; schedulingGates?: unknown[] } = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(extra.schedulingGates ? { schedulingGates: extra.schedulingGates } : {}) },
})

type Cond = { type: string; status: string; lastProbeTime?: null; lastTransitionTime?: string; reason?: string; message?: string }
const conditions = (p: KObject): Cond[] => ((p.status as { conditions?: Cond[] } | undefined)?.conditions ?? []) as Cond[]

const Bind = suite('api: pods/binding')

Bind('sets spec.nodeName and PodScheduled=True; managedFields and generation stay as they were', async () => {
  const { api, at } = await server()
  const created = await api.create(pod('p'), { fieldManager: 'kubectl' })
  at(new Date('2026-01-01T00:05:00Z'))
  const bound = await api.bind('default', 'p', 'node-1', { fieldManager: 'kube-scheduler' })
  const stored = await api.get('pods', 'default', 'p')
  for (const p of [bound, stored]) {
    assert.is((p.spec as { nodeName?: string }).nodeName, 'node-1')
    assert.equal(conditions(p), [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:05:00Z' }])
    // The binding goes straight to the store (BindingREST): the field manager never sees the pod.
    assert.equal(p.metadata.managedFields, created.metadata.managedFields)
    assert.is(p.metadata.generation, created.metadata.generation)
    assert.ok(Number(p.metadata.resourceVersion) > Number(created.metadata.resourceVersion))
  }
  assert.is(stored.metadata.resourceVersion, bound.metadata.resourceVersion)
})

Bind("the Binding's annotations are merged into the pod's; none leaves them as they were", async () => {
  const { api } = await server()
  await api.create({ ...pod('p'), metadata: { ...pod('p').metadata, annotations: { keep: 'me', over: 'old' } } }, { fieldManager: 'kubectl' })
  const bound = await api.bind('default', 'p', 'node-1', { fieldManager: 'kube-scheduler', annotations: { over: 'new', added: 'yes' } })
  assert.equal(bound.metadata.annotations, { keep: 'me', over: 'new', added: 'yes' })
  assert.equal((await api.get('pods', 'default', 'p')).metadata.annotations, { keep: 'me', over: 'new', added: 'yes' })
  await api.create(pod('q'), { fieldManager: 'kubectl' })
  const plain = await api.bind('default', 'q', 'node-1', { fieldManager: 'kube-scheduler' })
  assert.is(plain.metadata.annotations, undefined)
})

Bind('an Unschedulable condition is replaced in place; its transition time moves (False → True)', async () => {
  const { api, at } = await server()
  await api.create(pod('p'), { fieldManager: 'kubectl' })
  const live = await api.get('pods', 'default', 'p')
  const other: Cond = { type: 'Custom', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' }
  const unschedulable: Cond = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'Unschedulable', message: '0/3 nodes are available' }
  await api.updateStatus({ ...live, status: { ...(live.status as object), conditions: [unschedulable, other] } }, { fieldManager: 'kube-scheduler' })
  at(new Date('2026-01-01T00:10:00Z'))
  const bound = await api.bind('default', 'p', 'node-2')
  assert.equal(conditions(bound), [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:10:00Z' }, other])
})

Bind('a PodScheduled=True already there keeps its transition time', async () => {
  const { api, at } = await server()
  await api.create(pod('p'), { fieldManager: 'kubectl' })
  const live = await api.get('pods', 'default', 'p')
  const was: Cond = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-12-31T00:00:00Z' }
  await api.updateStatus({ ...live, status: { ...(live.status as object), conditions: [was] } }, { fieldManager: 'x' })
  at(new Date('2026-01-01T00:10:00Z'))
  assert.equal(conditions(await api.bind('default', 'p', 'n')), [was])
})

Bind('refusals: as kube-apiserver words and classifies them', async () => {
  const { api } = await server()
  await api.create(pod('bound'), { fieldManager: 'kubectl' })
  await api.bind('default', 'bound', 'node-1')
  await api.create(pod('gated', { schedulingGates: [{ name: 'example.com/wait' }] }), { fieldManager: 'kubectl' })
  await api.create({ ...pod('finalized'), metadata: { ...pod('finalized').metadata, finalizers: ['example.com/keep'] } }, { fieldManager: 'kubectl' })
  await api.delete('pods', 'default', 'finalized')
  const uid = (await api.get('pods', 'default', 'gated')).metadata.uid
  const cases: Array<{ name: string; call: () => Promise<unknown>; reason: string; code: number; message?: RegExp; cause?: { reason: string; field: string } }> = [
    { name: 'already assigned', call: () => api.bind('default', 'bound', 'node-2'), reason: 'Conflict', code: 409, message: /pods\/binding "bound".*already assigned to node "node-1"/ },
    { name: 'scheduling gates', call: () => api.bind('default', 'gated', 'node-2'), reason: 'Conflict', code: 409, message: /non-empty \.spec\.schedulingGates/ },
    { name: 'being deleted', call: () => api.bind('default', 'finalized', 'node-2'), reason: 'Conflict', code: 409, message: /being deleted, cannot be assigned to a host/ },
    { name: 'uid precondition', call: () => api.bind('default', 'gated', 'node-2', { uid: 'not-the-uid' }), reason: 'Conflict', code: 409, message: new RegExp(`^Operation cannot be fulfilled on pods "gated": Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${uid}`) },
    { name: 'no such pod', call: () => api.bind('default', 'missing', 'node-2'), reason: 'NotFound', code: 404 },
    { name: 'no node named', call: () => api.bind('default', 'bound', ''), reason: 'InternalError', code: 500, cause: { reason: 'FieldValueRequired', field: 'target.name' } },
  ]
  for (const c of cases) {
    try {
      await c.call()
      assert.unreachable(c.name)
    } catch (err) {
      assert.instance(err, ApiError, c.name)
      const e = err as ApiError
      assert.is(e.reason, c.reason, c.name)
      assert.is(e.code, c.code, c.name)
      if (c.message) assert.match(e.message, c.message, c.name)
      if (c.cause) assert.equal(e.statusDetails.causes?.map((x) => ({ reason: x.reason, field: x.field })), [c.cause], c.name)
    }
  }
})

Bind('bindMany: in order, each its own write and watch event; a failure does not stop the others', async () => {
  const { api } = await server()
  for (const n of ['a', 'b', 'c']) await api.create(pod(n), { fieldManager: 'kubectl' })
  await api.bind('default', 'b', 'node-0')
  const seen: string[] = []
  const w = await api.watch('pods', { resourceVersion: String((await api.list('pods')).metadata.resourceVersion) }, (ev) => {
    const o = ev.object as KObject
    seen.push(`${ev.type} ${o.metadata.name} ${(o.spec as { nodeName?: string }).nodeName} ${o.metadata.resourceVersion}`)
  })
  const out = await api.bindMany([
    { namespace: 'default', name: 'a', nodeName: 'node-1' },
    { namespace: 'default', name: 'b', nodeName: 'node-1' },
    { namespace: 'default', name: 'c', nodeName: 'node-2' },
  ])
  w.stop()
  assert.is((out[0] as KObject).metadata.name, 'a')
  assert.instance(out[1], ApiError)
  assert.is((out[1] as ApiError).reason, 'Conflict')
  assert.is((out[2] as KObject).metadata.name, 'c')
  const rvA = Number((out[0] as KObject).metadata.resourceVersion)
  const rvC = Number((out[2] as KObject).metadata.resourceVersion)
  assert.ok(rvC > rvA, 'each binding is its own revision')
  assert.equal(seen, [`MODIFIED a node-1 ${rvA}`, `MODIFIED c node-2 ${rvC}`])
})

Bind('a write landing between the read and the write is retried, not reported (GuaranteedUpdate)', async () => {
  const inner = createMemoryStorage()
  let interfere = true
  // A store that, on the binding's first write, lets another writer touch the pod first.
  const storage: Storage = Object.create(inner) as Storage
  storage.txn = async (req) => {
    const put = req.success[0]
    if (interfere && put?.type === 'put' && put.key.includes('/pods/') && put.value.includes('"nodeName"')) {
      interfere = false
      const kv = (await inner.get(put.key))!
      const other = JSON.parse(kv.value) as KObject
      other.metadata.annotations = { touched: 'yes' }
      await inner.txn({ compare: [{ key: put.key, modRevision: kv.modRevision }], success: [{ type: 'put', key: put.key, value: JSON.stringify(other) }] })
    }
    return inner.txn(req)
  }
  const { api } = await server(storage)
  await api.create(pod('p'), { fieldManager: 'kubectl' })
  await api.list('pods')
  const bound = await api.bind('default', 'p', 'node-1')
  assert.is(interfere, false)
  assert.is((bound.spec as { nodeName?: string }).nodeName, 'node-1')
  assert.equal(bound.metadata.annotations, { touched: 'yes' })
})

Bind.run()
