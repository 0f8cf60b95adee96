/**
 * Which Service changes the Service controller reconciles, through the real manager: not the change
 * its own allocation write made (upstream allocates inside the create: no such write, no sync of
 * it), but any other, such as a type change that needs a node port.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import { createServiceController } from '../../../reconciler/controllers/service/index.js'
import { makeWorld } from '../runtime/fixture.js'

const service: KObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
}

async function setup() {
  const { api, clock } = await makeWorld()
  const manager = new ControllerManager({ api, clock })
  const reconciled: string[] = []
  const sc = createServiceController(manager.contextFor('service-controller'))
  const counted: Controller = {
    ...sc,
    reconcile(req: Request) {
      if (req.namespace === 'default' && req.name === 'web') reconciled.push(req.name)
      return sc.reconcile(req)
    },
  }
  manager.add(counted)
  await manager.start()
  return { api, manager, reconciled }
}

const Watch = suite('service: which Service changes it reconciles')

Watch('a new Service: one reconcile, which allocates (its own update wakes nothing)', async () => {
  const { api, manager, reconciled } = await setup()
  await api.create(service, { fieldManager: 't' })
  await manager.settle()
  assert.equal(reconciled, ['web'])
  assert.ok(((await api.get('services', 'default', 'web')).spec as { clusterIP?: string }).clusterIP)
  await manager.stop()
})

Watch('a change by someone else (type NodePort): reconciled, and a node port allocated', async () => {
  const { api, manager, reconciled } = await setup()
  await api.create(service, { fieldManager: 't' })
  await manager.settle()
  reconciled.length = 0
  const svc = await api.get('services', 'default', 'web')
  await api.update({ ...svc, spec: { ...(svc.spec as object), type: 'NodePort' } }, { fieldManager: 'someone' })
  await manager.settle()
  assert.equal(reconciled, ['web'])
  const ports = ((await api.get('services', 'default', 'web')).spec as { ports: Array<{ nodePort?: number }> }).ports
  assert.ok(ports[0].nodePort, 'a node port')
  await manager.stop()
})

Watch.run()
