/**
 * Which Endpoints changes wake the endpoints controller, through the real manager: only a
 * deletion (upstream's Endpoints informer has a DeleteFunc alone). Its own create and update, and
 * another writer's change, do not.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { createEndpointsController } from '../../../reconciler/controllers/endpoints/index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import { recordingManager } from '../runtime/fixture.js'

const service: KObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
}

async function setup() {
  const world = await recordingManager(createEndpointsController, 'endpoint-controller')
  await world.manager.start()
  return world
}

const Watch = suite('endpoints: which Endpoints changes wake it')

Watch('a new Service: one reconcile, which creates the Endpoints (its own create wakes nothing)', async () => {
  const { api, manager, reconciled } = await setup()
  await api.create(service, { fieldManager: 't' })
  await manager.settle()
  assert.equal(reconciled, ['services/web'])
  assert.ok(await api.find('endpoints', 'default', 'web'))
  await manager.stop()
})

Watch('an Endpoints change by someone else: not reconciled', async () => {
  const { api, manager, reconciled } = await setup()
  await api.create(service, { fieldManager: 't' })
  await manager.settle()
  reconciled.length = 0
  const ep = await api.get('endpoints', 'default', 'web')
  await api.update({ ...ep, metadata: { ...ep.metadata, labels: { extra: 'x' } } }, { fieldManager: 'someone' })
  await manager.settle()
  assert.equal(reconciled, [])
  await manager.stop()
})

Watch('a deleted Endpoints object: reconciled and made again', async () => {
  const { api, manager, reconciled } = await setup()
  await api.create(service, { fieldManager: 't' })
  await manager.settle()
  reconciled.length = 0
  await api.delete('endpoints', 'default', 'web')
  await manager.settle()
  assert.equal(reconciled, ['services/web'])
  assert.ok(await api.find('endpoints', 'default', 'web'))
  await manager.stop()
})

Watch.run()

const Leftover = suite('endpoints: leftover Endpoints at start-up')

Leftover('Endpoints whose Service was deleted while no controller ran are deleted at the next start', async () => {
  const first = await setup()
  await first.api.create(service, { fieldManager: 't' })
  await first.manager.settle()
  await first.manager.stop()
  await first.api.delete('services', 'default', 'web')
  assert.ok(await first.api.find('endpoints', 'default', 'web'), 'left over')
  // A new manager over the same state: a full start, as the next one-shot command makes.
  const manager = new ControllerManager({ api: first.api, clock: first.clock })
  manager.add(createEndpointsController(manager.contextFor('endpoint-controller')))
  await manager.settle()
  assert.is(await first.api.find('endpoints', 'default', 'web'), undefined)
  await manager.stop()
})

Leftover.run()
