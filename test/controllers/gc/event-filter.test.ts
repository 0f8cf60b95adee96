/**
 * Which pod changes the garbage collector reconciles, through the real manager: a change of owner
 * references, deletion or finalizers does (and is acted on); a status-only change does not.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { createGarbageCollector } from '../../../reconciler/controllers/gc/index.js'
import { configMap, recordingManager } from '../runtime/fixture.js'

async function setup() {
  const { api, manager, reconciled } = await recordingManager(createGarbageCollector, 'garbage-collector')
  const owner = await api.create(configMap('owner'), { fieldManager: 't' })
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'dep', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! }] },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
  }
  await api.create(pod, { fieldManager: 't' })
  await manager.settle()
  reconciled.length = 0
  const exists = async (): Promise<boolean> => {
    try {
      await api.get('pods', 'default', 'dep')
      return true
    } catch {
      return false
    }
  }
  return { api, manager, reconciled, exists }
}

const Filter = suite('gc: which pod changes it reconciles')

const cases: Array<{ name: string; change: (p: KObject) => KObject; status?: boolean; reconciled: string[]; stays: boolean }> = [
  { name: 'a status-only change: not reconciled', change: (p) => ({ ...p, status: { phase: 'Running' } }), status: true, reconciled: [], stays: true },
  { name: 'a label change: not reconciled', change: (p) => ({ ...p, metadata: { ...p.metadata, labels: { a: 'b' } } }), reconciled: [], stays: true },
  {
    name: 'owner references now naming a gone owner: reconciled and collected',
    change: (p) => ({ ...p, metadata: { ...p.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'gone-uid' }] } }),
    // The change, then the deletion the collector made.
    reconciled: ['pods/dep', 'pods/dep'],
    stays: false,
  },
]
for (const c of cases) {
  Filter(c.name, async () => {
    const { api, manager, reconciled, exists } = await setup()
    const next = c.change(await api.get('pods', 'default', 'dep'))
    if (c.status) await api.updateStatus(next, { fieldManager: 't' })
    else await api.update(next, { fieldManager: 't' })
    await manager.settle()
    assert.equal(reconciled.filter((r) => r.startsWith('pods/')), c.reconciled)
    assert.is(await exists(), c.stays)
    await manager.stop()
  })
}

Filter.run()

// The other kinds it follows (watched, mapped to themselves): the same rule, as the graph builder's.
const Watched = suite('gc: which changes of watched kinds it reconciles')

const ownedCm = (name: string, uid: string): KObject => ({
  ...configMap(name),
  metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid }] },
})

const watchedCases: Array<{ name: string; act: (api: Awaited<ReturnType<typeof setup>>['api'], ownerUid: string) => Promise<void>; reconciled: string[]; dependentStays?: boolean; childStays?: boolean }> = [
  { name: 'a new object with no owners: not reconciled', act: async (api) => void (await api.create(configMap('free'), { fieldManager: 't' })), reconciled: [] },
  {
    // graph_builder.go addDependentToOwners: attemptToDelete only for an unobserved owner or a
    // reference that does not match the observed one; the new object is only added to the graph.
    name: 'a new object whose owner is observed, live, with the referenced uid: not reconciled',
    act: async (api, uid) => void (await api.create(ownedCm('child', uid), { fieldManager: 't' })),
    reconciled: [],
    childStays: true,
  },
  {
    name: 'a new object naming an owner uid never observed: reconciled and collected',
    act: async (api) => void (await api.create(ownedCm('child', 'no-such-uid'), { fieldManager: 't' })),
    reconciled: ['configmaps/child', 'configmaps/child'],
    childStays: false,
  },
  {
    name: 'a new object whose owner is being deleted: reconciled',
    act: async (api, uid) => {
      await api.delete('configmaps', 'default', 'owner', { propagationPolicy: 'Orphan' })
      await api.create(ownedCm('child', uid), { fieldManager: 't' })
    },
    // The owner's orphaning unlinks the pod (a reference change: reconciled), then its end.
    reconciled: ['configmaps/owner', 'configmaps/child', 'pods/dep', 'configmaps/owner'],
  },
  {
    name: 'a new object not reconciled is still remembered: its owner deleted, it is collected',
    act: async (api, uid) => {
      await api.create(ownedCm('child', uid), { fieldManager: 't' })
      await api.delete('configmaps', 'default', 'owner')
    },
    reconciled: ['configmaps/owner', 'pods/dep', 'configmaps/child'],
    dependentStays: false,
    childStays: false,
  },
  {
    name: 'a data change that leaves ownership alone: not reconciled',
    act: async (api) => {
      const o = await api.get('configmaps', 'default', 'owner')
      await api.update({ ...o, data: { changed: 'yes' } }, { fieldManager: 't' })
    },
    reconciled: [],
  },
  {
    name: 'an owner deleted: reconciled (and its dependent pod collected)',
    act: async (api) => void (await api.delete('configmaps', 'default', 'owner')),
    reconciled: ['configmaps/owner', 'pods/dep'],
    dependentStays: false,
  },
  {
    name: 'an owner-less object deleted with the orphan policy: reconciled until its finalizer is gone',
    act: async (api) => {
      await api.create(configMap('free'), { fieldManager: 't' })
      await api.delete('configmaps', 'default', 'free', { propagationPolicy: 'Orphan' })
    },
    // The deletion starting (MODIFIED: deletionTimestamp and the orphan finalizer), then its end
    // (DELETED, once the collector dropped the finalizer); the ADDED before them was not.
    reconciled: ['configmaps/free', 'configmaps/free'],
  },
]
for (const c of watchedCases) {
  Watched(c.name, async () => {
    const { api, manager, reconciled, exists } = await setup()
    const owner = await api.get('configmaps', 'default', 'owner')
    await c.act(api, owner.metadata.uid!)
    await manager.settle()
    assert.equal(reconciled, c.reconciled)
    assert.is(await exists(), c.dependentStays ?? true)
    if (c.childStays !== undefined) assert.is(!!(await api.find('configmaps', 'default', 'child')), c.childStays, 'the new object')
    if (c.name.includes('orphan')) assert.is(await api.find('configmaps', 'default', 'free'), undefined, 'the orphan-deleted object is gone')
    await manager.stop()
  })
}

Watched.run()
