/** Client-side apply (kubectl apply's default): last-applied annotation and the three-way merge. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { clientSideApply, LAST_APPLIED } from '../../reconciler/api/client-side-apply.js'
import type { KObject } from '../../reconciler/api/object.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { deployment } from './client-conformance.js'

// Deep reads of JSON objects in assertions: the assertions check the shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any

const test = suite('client-side apply')
let api: ApiServer
test.before.each(async () => {
  api = new ApiServer({ storage: createMemoryStorage() })
  await api.bootstrap()
})

test('creates with the last-applied configuration, as kubectl records it', async () => {
  const cfg = deployment('web')
  cfg.metadata.labels = { zeta: 'z', app: 'web' }
  const r = await clientSideApply(api, cfg)
  assert.is(r.outcome, 'created')
  const text = r.object.metadata.annotations![LAST_APPLIED]
  assert.ok(text.endsWith('}\n'))
  assert.ok(text.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web","zeta":"z"}'), text)
  assert.ok(r.object.metadata.managedFields?.some((m) => m.manager === 'kubectl-client-side-apply'))
})

test('re-applying the same configuration changes nothing, defaults and ports included', async () => {
  const cfg = deployment('web') as J
  cfg.spec.template.spec.containers[0].ports = [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }]
  const first = await clientSideApply(api, cfg)
  const again = await clientSideApply(api, cfg)
  assert.is(again.outcome, 'unchanged')
  assert.is(again.object.metadata.resourceVersion, first.object.metadata.resourceVersion)
  assert.is((again.object as J).spec.template.spec.containers[0].ports.length, 2)
})

test('fields the user stops setting are removed; fields others set are kept', async () => {
  const cfg = deployment('web') as J
  cfg.metadata.labels = { app: 'web', team: 'a' }
  await clientSideApply(api, cfg)
  // Someone else adds an annotation and scales.
  const live = await api.get('deployments', 'default', 'web')
  await api.update({ ...structuredClone(live), metadata: { ...structuredClone(live.metadata), annotations: { ...live.metadata.annotations, note: 'x' } } } as KObject, { fieldManager: 'kubectl-annotate' })
  const next = structuredClone(cfg)
  next.metadata.labels = { app: 'web' }
  next.spec.template.spec.containers[0].image = 'nginx:1.27'
  const r = await clientSideApply(api, next)
  assert.is(r.outcome, 'configured')
  assert.equal(r.object.metadata.labels, { app: 'web' })
  assert.is(r.object.metadata.annotations!.note, 'x')
  assert.is((r.object as J).spec.template.spec.containers[0].image, 'nginx:1.27')
  assert.is((r.object as J).spec.revisionHistoryLimit, 10)
})

test('a container removed from the configuration is removed; one added by the server stays', async () => {
  const cfg = deployment('web') as J
  cfg.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox:1' })
  await clientSideApply(api, cfg)
  const next = deployment('web')
  const r = await clientSideApply(api, next)
  assert.equal((r.object as J).spec.template.spec.containers.map((c: J) => c.name), ['web'])
})

test.run()
