/**
 * Server-side apply stores what the Go type would hold: an apply configuration's empty optional list
 * (`env: []` in a Deployment's template) is not stored, so the Deployment's template and its
 * ReplicaSet's (created through a plain create, which drops it) stay equal and the rollout finishes.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import type { KObject } from '../../reconciler/api/object.js'
import { addControllers } from '../../reconciler/controllers/index.js'
import { ControllerManager, VirtualClock } from '../../reconciler/controllers/runtime/index.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'

const test = suite('server-side apply: empty optional lists as Go stores them')

test('a Deployment applied with env: [] rolls out (one ReplicaSet), and its template has no env', async () => {
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
  await api.bootstrap()
  const manager = new ControllerManager({ api, clock, maxReconcilesPerKey: 200 })
  addControllers(manager)
  await manager.start()
  const config = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'eq2', namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'eq2' } }, template: { metadata: { labels: { app: 'eq2' } }, spec: { containers: [{ name: 'c', image: 'img:v1', env: [] }] } } },
  } as KObject
  const d = await api.apply(config, { fieldManager: 'test' })
  const container = (d.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers[0]
  assert.not.ok('env' in container)
  await manager.settle()
  assert.is((await api.list('replicasets', { namespace: 'default' })).items.length, 1)
  // Applying the same configuration again changes nothing.
  const again = await api.apply(config, { fieldManager: 'test' })
  assert.is(again.metadata.resourceVersion, (await api.get('deployments', 'default', 'eq2')).metadata.resourceVersion)
  assert.is(again.metadata.generation, d.metadata.generation)
  await manager.stop()
})

test.run()
