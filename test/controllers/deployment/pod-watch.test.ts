/**
 * The Deployment controller's pod watch, as upstream's only pod handler (deletePod): a Recreate
 * Deployment is woken by the deletion of one of its pods, never by a pod being added or changed; a
 * RollingUpdate one by no pod change at all.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { createDeploymentController } from '../../../reconciler/controllers/deployment/controller.js'
import { recordingManager } from '../runtime/fixture.js'

const test = suite('deployment: pod watch')

function deployment(name: string, strategy: 'Recreate' | 'RollingUpdate'): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas: 1, strategy: { type: strategy }, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
  }
}

for (const strategy of ['Recreate', 'RollingUpdate'] as const) {
  test(`${strategy}: a pod added or changed wakes nothing; a pod deleted ${strategy === 'Recreate' ? 'wakes it' : 'wakes nothing'}`, async () => {
    const { api, manager, reconciled } = await recordingManager(createDeploymentController, 'deployment-controller')
    await api.create(deployment('web', strategy), { fieldManager: 'test' })
    await manager.settle()
    const [rs] = (await api.list('replicasets', { namespace: 'default' })).items
    assert.ok(rs, 'the controller made a ReplicaSet')
    reconciled.length = 0

    const pod = await api.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web', 'pod-template-hash': rs.metadata.labels?.['pod-template-hash'] ?? '' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true }] },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
      },
      { fieldManager: 'test' },
    )
    await manager.settle()
    await api.update({ ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, extra: 'yes' } } }, { fieldManager: 'test' })
    await manager.settle()
    assert.equal(reconciled, [], 'no reconcile for an added or changed pod')

    await api.delete('pods', 'default', 'web-1', { gracePeriodSeconds: 0 })
    await manager.settle()
    assert.equal(reconciled, strategy === 'Recreate' ? ['deployments/web'] : [])
    await manager.stop()
  })
}

test.run()
