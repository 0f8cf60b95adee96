/**
 * The Deployment controller under a manager: its ReplicaSet watch keeps an orphan index, so a sync
 * in a namespace without orphan ReplicaSets claims from the owner index alone; an orphan that
 * appears later is still adopted, and one released is found again.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import { clone, type KObject } from '../../../reconciler/api/object.js'
import { createDeploymentController } from '../../../reconciler/controllers/deployment/index.js'
import { copyDeploymentForSync } from '../../../reconciler/controllers/deployment/writes.js'
import type { DeploymentObject } from '../../../reconciler/controllers/deployment/types.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { deploymentManifest, ManualClock } from './harness.js'

const Orphans = suite('deployment: orphan ReplicaSets under a manager')

async function setup() {
  const clock = new ManualClock()
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
  await api.bootstrap()
  const manager = new ControllerManager({ api, clock })
  manager.add(createDeploymentController(manager.contextFor('deployment-controller')))
  const stray = (name: string, labels: Record<string, string>): KObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', labels },
    spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'old' }] } } },
  })
  const ownerOf = async (name: string) => (await api.get('replicasets', 'default', name)).metadata.ownerReferences?.find((r) => r.controller)?.name
  return { api, manager, stray, ownerOf }
}

Orphans('an orphan created after the Deployment settled is adopted; released, then matching again, adopted again', async () => {
  const { api, manager, stray, ownerOf } = await setup()
  await api.create(deploymentManifest('web', { replicas: 1 }), { fieldManager: 'test' })
  await manager.settle()
  const owned = (await api.list('replicasets', { namespace: 'default' })).items
  assert.is(owned.length, 1, 'the new ReplicaSet')
  await api.create(stray('stray', { app: 'web' }), { fieldManager: 'test' })
  await manager.settle()
  assert.is(await ownerOf('stray'), 'web')
  // Relabelled: released (an orphan again, not matching); matching again: adopted again.
  const relabel = clone(await api.get('replicasets', 'default', 'stray'))
  relabel.metadata.labels = { app: 'gone' }
  await api.update(relabel, { fieldManager: 'test' })
  await manager.settle()
  assert.is(await ownerOf('stray'), undefined)
  const back = clone(await api.get('replicasets', 'default', 'stray'))
  back.metadata.labels = { app: 'web' }
  await api.update(back, { fieldManager: 'test' })
  await manager.settle()
  assert.is(await ownerOf('stray'), 'web')
})

Orphans('an orphan of another Deployment in the namespace does not stop adoption by the right one', async () => {
  const { api, manager, stray, ownerOf } = await setup()
  await api.create(deploymentManifest('web', { replicas: 1 }), { fieldManager: 'test' })
  await api.create(deploymentManifest('api', { replicas: 1 }), { fieldManager: 'test' })
  await manager.settle()
  await api.create(stray('stray-api', { app: 'api' }), { fieldManager: 'test' })
  await api.create(stray('stray-none', { app: 'nobody' }), { fieldManager: 'test' })
  await manager.settle()
  assert.is(await ownerOf('stray-api'), 'api')
  assert.is(await ownerOf('stray-none'), undefined)
})

const Copy = suite('deployment: the copy a sync works on')

Copy('status and annotations are the copy’s own; spec is shared with the stored object', () => {
  const live = deploymentManifest('web', { replicas: 1 }) as DeploymentObject
  live.metadata.annotations = { a: '1' }
  live.status = { replicas: 1, conditions: [{ type: 'Available', status: 'True' }] } as DeploymentObject['status']
  const d = copyDeploymentForSync(live)
  assert.is(d.spec, live.spec)
  assert.is.not(d.metadata, live.metadata)
  assert.is.not(d.metadata.annotations, live.metadata.annotations)
  assert.is.not(d.status, live.status)
  assert.is.not(d.status!.conditions, live.status!.conditions)
  assert.equal(d, live)
  d.metadata.annotations!.b = '2'
  d.status!.conditions![0].status = 'False'
  d.metadata.resourceVersion = '9'
  assert.equal(live.metadata.annotations, { a: '1' })
  assert.is(live.status!.conditions![0].status, 'True')
  assert.is(live.metadata.resourceVersion, undefined)
})

Orphans.run()
Copy.run()
