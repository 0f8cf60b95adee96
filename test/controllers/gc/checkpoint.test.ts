/**
 * The garbage collector's checkpoint: what a running collector saves is what a fresh one primed
 * from every object saves (restore ≡ prime), it survives JSON and a second save, garbage is
 * rejected, and a collector restored from it (or primed by an incremental start, as the first run
 * after an upgrade) collects what a running one would, without listing any kind.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject, OwnerReference } from '../../../reconciler/api/object.js'
import { CONTROLLERS } from '../../../reconciler/controllers/index.js'
import { createGarbageCollector } from '../../../reconciler/controllers/gc/index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { manifest } from '../scheduler/cluster.js'
import { everyController, primedOldWay, stored } from '../runtime/primed-old-way.js'
import { asStored, damagedInManager } from '../runtime/seeded-random.js'

const test = suite('gc: checkpoint')

const ref = (o: KObject, block = false): OwnerReference => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name!,
  uid: o.metadata.uid!,
  ...(block ? { blockOwnerDeletion: true } : {}),
})
const cm = (name: string, owners: OwnerReference[] = [], finalizers?: string[]): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...(owners.length ? { ownerReferences: owners } : {}), ...(finalizers ? { finalizers } : {}) },
  data: {},
})
const HOLD = 'test.capstan.dev/hold'
/** The collector's parts stored by pages. */
const PAGED = ['owned', 'dependents']

/**
 * A settled cluster run by every controller: nodes owned by a NodePool, a Deployment's ReplicaSet
 * and pods, a bare pod owning a ConfigMap, ConfigMaps owned by one, two, a Node and an unserved
 * kind, and an owner deleted in the foreground waiting for a blocking dependent held by a finalizer.
 */
async function build() {
  const { api, clock, manager, controller: gc } = await everyController('garbage-collector')
  for (const o of [...manifest('cluster/nodepool.yaml'), ...manifest('guestbook/guestbook-deployment.yaml'), ...manifest('guestbook/guestbook-service.yaml')]) {
    await api.apply(o, { fieldManager: 'capstan', force: true })
  }
  const fm = { fieldManager: 't' }
  const a = await api.create(cm('a'), fm)
  const b = await api.create(cm('b'), fm)
  await api.create(cm('a-dep', [ref(a)]), fm)
  await api.create(cm('ab-dep', [ref(a), ref(b)]), fm)
  const solo = await api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } }, fm)
  await api.create(cm('pod-owned', [ref(solo)]), fm)
  await api.create(cm('alien', [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'widget-uid' }]), fm)
  const fg = await api.create(cm('fg'), fm)
  await api.create(cm('fg-dep', [ref(fg, true)], [HOLD]), fm)
  await manager.advance(60_000)
  const node = (await api.list('nodes')).items[0]
  await api.create(cm('node-owned', [ref(node)]), fm)
  await api.delete('configmaps', 'default', 'fg', { propagationPolicy: 'Foreground' })
  await manager.settle()
  return { api, clock, manager, gc, node: node.metadata.name! }
}


interface Saved {
  format: number
  owned: Array<[string, string[]]>
  dependents: Array<[string, string[]]>
  solid: Array<[string, string]>
  replaced: string[]
}
const byFirst = (x: [string, unknown], y: [string, unknown]): number => x[0].localeCompare(y[0])
/** The saved data with its order, which says only when entries were recorded, taken out. */
function canon(data: unknown): Saved {
  const s = JSON.parse(JSON.stringify(data)) as Saved
  return {
    ...s,
    owned: [...s.owned].sort(byFirst),
    dependents: s.dependents.map(([o, deps]): [string, string[]] => [o, [...deps].sort()]).sort(byFirst),
    solid: [...s.solid].sort(byFirst),
    replaced: [...s.replaced].sort(),
  }
}
const fresh = (api: ApiServer, clock: VirtualClock): Controller => createGarbageCollector(new ControllerManager({ api, clock }).contextFor('garbage-collector-controller'))
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v))

test('restore ≡ prime: the running collector saves what a primed one does, and a restored one saves it again', async () => {
  const { api, clock, manager, gc } = await build()
  try {
    const saved = json(gc.checkpoint!.save())
    const s = canon(saved)
    assert.ok(s.owned.some(([k]) => k === 'ConfigMap/default/ab-dep'), 'a dependent recorded')
    assert.ok(s.owned.some(([k, o]) => k.startsWith('Node//') && o[0] === 'NodePool//us-central1'), 'a cluster-scoped dependent of a cluster-scoped owner')
    assert.ok(s.dependents.some(([o, deps]) => o === 'ConfigMap/default/a' && deps.join() === 'ConfigMap/default/a-dep,ConfigMap/default/ab-dep'), 'an owner\'s dependents')
    assert.ok(s.owned.some(([k]) => k.startsWith('Pod/default/guestbook-')), 'pods recorded')
    assert.ok(s.solid.some(([k]) => k === 'ConfigMap/default/b'), 'observed owners')
    assert.not.ok(s.solid.some(([k]) => k === 'ConfigMap/default/fg'), 'an owner being deleted is not solid')

    const primed = fresh(api, clock)
    const wanted = await primedOldWay(api, primed)
    assert.equal(canon(primed.checkpoint!.save()), s, 'prime over every object ≡ the running memory')

    const restored = fresh(api, clock)
    restored.resumed?.()
    const reqs = restored.checkpoint!.restore(json(saved))
    assert.equal(reqs, wanted, 'restore asks for what prime returned true for (nothing)')
    assert.equal(json(restored.checkpoint!.save()), saved, 'round trip, order and all')
  } finally {
    await manager.stop()
  }
})

test('restore rejects data of another outline without throwing, and leaves the memory as it was', async () => {
  const { api, clock, manager, gc } = await build()
  await manager.stop()
  const saved = json(gc.checkpoint!.save()) as Saved
  const c = fresh(api, clock)
  assert.equal(c.checkpoint!.restore(saved), [])
  const bad: unknown[] = [
    undefined,
    null,
    42,
    'x',
    [],
    { ...saved, format: 1 },
    { format: 2 },
    { ...saved, owned: 'no' },
    { ...saved, dependents: {} },
    { ...saved, owned: ['ConfigMap/default/x'] },
    { ...saved, dependents: [3] },
    { ...saved, solid: [7] },
    { ...saved, replaced: [1] },
  ]
  for (const d of bad) assert.is(c.checkpoint!.restore(d), undefined, JSON.stringify(d) ?? 'undefined')
  assert.equal(json(c.checkpoint!.save()), saved)
  assert.not.ok(c.checkpoint!.damaged!())
})

/**
 * A restore reads the outline only; a record is checked when the collector first reads it. A
 * malformed one is dropped and the memory reported damaged (the manager then saves nothing and
 * the next start resyncs): records nobody reads stay unread.
 */
test('a malformed record is found when first read: dropped, and the memory damaged', async () => {
  const { api, clock, manager, gc } = await build()
  await manager.stop()
  const saved = json(gc.checkpoint!.save()) as Saved
  const configmaps = (c: Controller) => c.watches!.find((w) => w.resource === 'configmaps')!
  const a = await api.get('configmaps', 'default', 'a')
  const abDep = await api.get('configmaps', 'default', 'ab-dep')
  const cases: Array<[string, Saved, (c: Controller) => void]> = [
    ['an owner list that is not one', { ...saved, owned: saved.owned.map(([k, o]): [string, string[]] => [k, k === 'ConfigMap/default/ab-dep' ? (7 as unknown as string[]) : o]) }, (c) => configmaps(c).map!(abDep, abDep, 'DELETED')],
    ['an empty owner list', { ...saved, owned: saved.owned.map(([k, o]): [string, string[]] => [k, k === 'ConfigMap/default/ab-dep' ? [] : o]) }, (c) => void c.accepts],
    ['a dependent key of no kind', { ...saved, dependents: saved.dependents.map(([o, d]): [string, string[]] => [o, o === 'ConfigMap/default/a' ? [...d, 'Nope/default/x'] : d]) }, (c) => configmaps(c).map!(a, a, 'DELETED')],
  ]
  for (const [name, data, touch] of cases) {
    const c = fresh(api, clock)
    assert.equal(c.checkpoint!.restore(asStored(json(data), PAGED)), [], name)
    assert.not.ok(c.checkpoint!.damaged!(), `${name}: not read yet`)
    touch(c)
    await c.reconcile({ resource: 'configmaps', namespace: 'default', name: name === 'a dependent key of no kind' ? 'a' : 'ab-dep' }).catch(() => undefined)
    assert.ok(c.checkpoint!.damaged!(), `${name}: damaged once read`)
  }
  // In a manager: a damaged memory leaves the run degraded, and its checkpoint is not saved.
  const broken = { ...saved, dependents: saved.dependents.map(([o, d]): [string, string[]] => [o, o === 'ConfigMap/default/b' ? [...d, 'Nope/default/x'] : d]) }
  await damagedInManager({ api, clock, name: 'garbage-collector', make: (m) => createGarbageCollector(m.contextFor('garbage-collector-controller')), data: broken, paged: PAGED, touch: () => api.delete('configmaps', 'default', 'b') })
})

test('after restore, live changes map to the same requests as after prime', async () => {
  const { api, clock, manager, gc } = await build()
  await manager.stop()
  const primed = fresh(api, clock)
  await primedOldWay(api, primed)
  const restored = fresh(api, clock)
  restored.resumed?.()
  restored.checkpoint!.restore(json(gc.checkpoint!.save()))
  const b = await api.get('configmaps', 'default', 'b')
  const rs = (await api.list('replicasets')).items[0]
  const solo = await api.get('pods', 'default', 'solo')
  const pod = (name: string, owner: KObject): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}`, ownerReferences: [ref(owner)] }, spec: {} })
  const withUid = (o: KObject, uid: string): KObject => ({ ...o, metadata: { ...o.metadata, uid } })
  const changes: Array<[string, (c: Controller) => unknown]> = [
    ['a new dependent of an observed owner', (c) => c.watches!.find((w) => w.resource === 'configmaps')!.map!(withUid(cm('new', [ref(b)]), 'n1'), undefined, 'ADDED')],
    ['a new dependent naming an old uid', (c) => c.watches!.find((w) => w.resource === 'configmaps')!.map!(withUid(cm('stale', [{ ...ref(b), uid: 'old' }]), 'n2'), undefined, 'ADDED')],
    ['a label change', (c) => c.watches!.find((w) => w.resource === 'configmaps')!.map!({ ...b, metadata: { ...b.metadata, labels: { x: 'y' } } }, b, 'MODIFIED')],
    ['an owner deleted', (c) => c.watches!.find((w) => w.resource === 'configmaps')!.map!(b, b, 'DELETED')],
    ['a new pod of an observed ReplicaSet', (c) => c.accepts!('ADDED', pod('rs-pod', rs), undefined)],
    ['a new pod owned by a pod', (c) => c.accepts!('ADDED', pod('pod-pod', solo), undefined)],
  ]
  for (const [name, act] of changes) assert.equal(act(restored), act(primed), name)
  assert.equal(canon(restored.checkpoint!.save()), canon(primed.checkpoint!.save()), 'and the memories stay equal')
})

/**
 * The same changes after a start restored from the checkpoint or primed by the manager (no
 * checkpoint yet): the collector finishes the foreground deletion, collects the dependents of a
 * ConfigMap, a pod and a Node deleted since, never lists a kind, and ends with the memory a fresh
 * priming gives — which a further restore keeps.
 */
for (const mode of ['restored', 'primed'] as const) {
  test(`a ${mode} start collects as a running collector would, without listing`, async () => {
    const { api, clock, manager, gc, node } = await build()
    const saved = json(gc.checkpoint!.save())
    await manager.stop()
    const next = new ControllerManager({ api, clock })
    const inner = createGarbageCollector(next.contextFor('garbage-collector-controller'))
    let primes = 0
    next.add({ ...inner, prime: (o) => (primes++, inner.prime!(o)) })
    const revision = await api.storage.revision()
    await next.start({ changes: () => new Map(), delayed: [], ...(mode === 'restored' ? { memories: { byController: stored(new Map([['garbage-collector', saved]])), revision } } : {}) })
    assert.is(primes > 0, mode === 'primed', 'primed only without a checkpoint')
    const lists: string[] = []
    const list = api.list.bind(api)
    api.list = ((...args: Parameters<typeof api.list>) => (lists.push(String(args[0])), list(...args))) as typeof api.list
    try {
      const dep = await api.get('configmaps', 'default', 'fg-dep')
      await api.update({ ...dep, metadata: { ...dep.metadata, finalizers: undefined } }, { fieldManager: 't' })
      await api.delete('configmaps', 'default', 'a')
      await api.delete('pods', 'default', 'solo', { gracePeriodSeconds: 0 })
      await api.delete('nodes', undefined, node)
      await next.settle()
      for (const gone of ['fg-dep', 'fg', 'a-dep', 'pod-owned', 'node-owned']) assert.is(await api.find('configmaps', 'default', gone), undefined, gone)
      assert.equal((await api.get('configmaps', 'default', 'ab-dep')).metadata.ownerReferences?.map((r) => r.name), ['b'])
      assert.ok(await api.find('configmaps', 'default', 'alien'), 'an owner of an unserved kind counts as solid')
      assert.equal(lists, [], 'no kind listed')
    } finally {
      api.list = list
      await next.stop()
    }
    const again = json(inner.checkpoint!.save())
    const primed = fresh(api, clock)
    await primedOldWay(api, primed)
    assert.equal(canon(again), canon(primed.checkpoint!.save()), 'the memory after the changes ≡ a fresh priming')
    const third = fresh(api, clock)
    assert.equal(third.checkpoint!.restore(again), [])
    assert.equal(json(third.checkpoint!.save()), again)
  })
}

test.run()
