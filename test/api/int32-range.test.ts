/** int32 fields refuse numbers they cannot hold (kube-apiserver's decoding error, 400), and nothing is stored. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { isApiError } from '../../reconciler/api/errors.js'
import type { KObject } from '../../reconciler/api/object.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'

const test = suite('api: int32 ranges')

const deployment = (replicas: number, port = 80): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'kc', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'kc' } }, template: { metadata: { labels: { app: 'kc' } }, spec: { containers: [{ name: 'c', image: 'img:v1', ports: [{ containerPort: port }] }] } } },
})

async function refused(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  assert.ok(isApiError(err, 'BadRequest'), String(err))
  return (err as Error).message
}

test('create, apply, dry run and scale refuse 2147483648; 2147483647 and big int64 fields pass', async () => {
  const api = new ApiServer({ storage: createMemoryStorage() })
  await api.bootstrap()
  const want = 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32'
  assert.is(await refused(api.create(deployment(2147483648))), want)
  assert.is(await refused(api.create(deployment(2147483648), { dryRun: true })), want)
  assert.is(await refused(api.apply(deployment(2147483648), { fieldManager: 't' })), want)
  assert.match(await refused(api.create(deployment(1, 99999999999))), /into Go struct field ContainerPort\.spec\.template\.spec\.containers\.ports\.containerPort of type int32/)
  assert.is((await api.list('deployments', { namespace: 'default' })).items.length, 0, 'nothing stored')
  const ok = await api.create(deployment(1))
  assert.match(await refused(api.updateScale('deployments', 'default', 'kc', 2147483648)), /Go struct field ScaleSpec\.spec\.replicas of type int32/)
  assert.is((await api.get('deployments', 'default', 'kc')).metadata.resourceVersion, ok.metadata.resourceVersion)
  // The int32 maximum itself is a valid replica count (validation may still bound it); an int64 field takes more.
  const big = await api.patch('deployments', 'default', 'kc', 'merge', { spec: { progressDeadlineSeconds: 2147483647 } })
  assert.is((big.spec as { progressDeadlineSeconds: number }).progressDeadlineSeconds, 2147483647)
})

test.run()
