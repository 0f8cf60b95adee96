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

test('a check of the old dependents that fails once is retried, the note kept until it succeeds', async () => {
  const { api, manager } = await recordingManager(createGarbageCollector, 'garbage-collector')
  const first = await api.create(configMap('owner'), { fieldManager: 't' })
  await manager.settle()
  await api.create(ownedBy(configMap('child'), first), { fieldManager: 't' })
  await manager.settle()
  // The collector's first delete of the dependent fails (a transient API error), then works.
  const realDelete = api.delete.bind(api)
  let failures = 1
  api.delete = (async (...args: Parameters<typeof api.delete>) => {
    if (args[2] === 'child' && failures > 0) {
      failures--
      throw new Error('transient')
    }
    return realDelete(...args)
  }) as typeof api.delete
  await api.delete('configmaps', 'default', 'owner')
  await api.create(configMap('owner'), { fieldManager: 't' })
  await manager.advance(60_000)
  assert.is(failures, 0, 'the first delete failed')
  assert.is(await api.find('configmaps', 'default', 'child'), undefined, 'collected on the retry')
  await manager.stop()
})

test.run()
