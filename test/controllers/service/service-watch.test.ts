/**
 * Which Service changes the Service controller reconciles, through the real manager: a new Service
 * once (the API allocated inside the create, as upstream: the controller writes nothing), any other
 * change, such as a type change (the API allocates its node port), and what it keeps of the
 * addresses in use across status-only changes (the repair report).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { encodeObject } from '../../../reconciler/api/codec.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { createServiceController } from '../../../reconciler/controllers/service/index.js'
import { recordingManager } from '../runtime/fixture.js'

const service: KObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
}

async function setup() {
  const { api, manager, reconciled } = await recordingManager(createServiceController, 'service-controller', (req) =>
    req.namespace === 'default' && req.name === 'web' ? req.name : undefined,
  )
  await manager.start()
  return { api, manager, reconciled }
}

const Watch = suite('service: which Service changes it reconciles')

Watch('a new Service: one reconcile, and the create already has the cluster IP (no second write)', async () => {
  const { api, manager, reconciled } = await setup()
  const made = await api.create(service, { fieldManager: 't' })
  assert.ok((made.spec as { clusterIP?: string }).clusterIP)
  await manager.settle()
  assert.equal(reconciled, ['web'])
  assert.is((await api.get('services', 'default', 'web')).metadata.resourceVersion, made.metadata.resourceVersion)
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

Watch('a status-only change keeps what the Service holds: a clash written later is still reported', async () => {
  const { api, manager } = await setup()
  const lb = await api.create({ ...service, metadata: { name: 'lb', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'lb' }, ports: [{ port: 80 }] } }, { fieldManager: 't' })
  await manager.settle()
  const ingress = ((await api.get('services', 'default', 'lb')).status as { loadBalancer?: { ingress?: unknown[] } }).loadBalancer?.ingress
  assert.is(ingress?.length, 1, 'the load-balancer status write happened')
  // Another process's Service with the same node port (written straight to the store, as a race would leave it).
  const nodePort = (lb.spec as { ports: Array<{ nodePort: number }> }).ports[0].nodePort
  const clash: KObject = {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'a-clash', namespace: 'default', uid: 'uid-a-clash', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { type: 'NodePort', clusterIP: '10.96.0.77', clusterIPs: ['10.96.0.77'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None', ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort }] },
  }
  await api.storage.txn({ compare: [], success: [{ type: 'put', key: '/registry/services/default/a-clash', value: encodeObject(clash) }] })
  await manager.settle()
  const events = (await api.list('events', { namespace: 'default' })).items.filter((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === 'a-clash')
  assert.equal(events.map((e) => (e as { reason?: string }).reason), ['PortAlreadyAllocated'])
  await manager.stop()
})

Watch.run()
