/**
 * An owner deleted and created again under the same name before the collector handles it: the old
 * owner's dependents (their references name the old uid) are collected all the same, as upstream's
 * uid-keyed graph does, whether the dependent was reconciled when it appeared or only recorded.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { createGarbageCollector } from '../../../reconciler/controllers/gc/index.js'
import { configMap, recordingManager } from '../runtime/fixture.js'

const test = suite('gc: an owner deleted and created again')

const pod = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } })
const ownedBy = (obj: KObject, owner: KObject): KObject => ({
  ...obj,
  metadata: { ...obj.metadata, ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid! }] },
})

const cases = [
  { name: 'a ConfigMap owner, the dependent created after the collector saw the owner', owner: () => configMap('owner'), settleBetween: false },
  { name: 'a ConfigMap owner, the dependent settled before the owner goes', owner: () => configMap('owner'), settleBetween: true },
  { name: 'a Pod owner, the dependent created after the collector saw the owner', owner: () => pod('owner'), settleBetween: false },
  { name: 'a Pod owner, the dependent settled before the owner goes', owner: () => pod('owner'), settleBetween: true },
]

for (const c of cases) {
  test(c.name, async () => {
    const { api, manager } = await recordingManager(createGarbageCollector, 'garbage-collector')
    const resource = c.owner().kind === 'Pod' ? 'pods' : 'configmaps'
    const first = await api.create(c.owner(), { fieldManager: 't' })
    await manager.settle()
    await api.create(ownedBy(configMap('child'), first), { fieldManager: 't' })
    if (c.settleBetween) await manager.settle()
    await api.delete(resource, 'default', 'owner', { gracePeriodSeconds: 0 })
    const second = await api.create(c.owner(), { fieldManager: 't' })
    assert.is.not(second.metadata.uid, first.metadata.uid)
    await manager.settle()
    const child = await api.find('configmaps', 'default', 'child')
    assert.is(child, undefined, 'the dependent of the old owner is collected')
    assert.ok(await api.find(resource, 'default', 'owner'), 'the new owner stays')
    await manager.stop()
  })
}

test.run()
