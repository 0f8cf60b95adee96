import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { ReplicaSetObject } from '../../../reconciler/controllers/deployment/types.js'
import { makeHarness, type Harness } from './harness.js'

const recreate = suite('recreate')

async function podOf(h: Harness, rs: ReplicaSetObject, name: string): Promise<void> {
  await h.api.create(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'default',
        labels: rs.spec.template!.metadata!.labels,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: { containers: [{ name: 'web', image: 'nginx:1' }] },
    },
    { fieldManager: 'test' },
  )
}

recreate('old pods go to zero and are gone before the new ReplicaSet appears', async () => {
  const h = await makeHarness()
  await h.create('db', { replicas: 3, strategy: { type: 'Recreate' } })
  await h.reconcile('db')
  assert.equal(await h.sizes('db'), [3])
  await h.rollOut('db')
  const [old] = await h.replicaSets('db')
  await podOf(h, old, 'db-old-1')
  h.events.length = 0

  await h.setImage('db', 'postgres:2')
  await h.reconcile('db')
  assert.equal(await h.sizes('db'), [0])
  assert.equal(h.events.map((e) => e.message), [`Scaled down replica set ${old.metadata.name} to 0 from 3`])

  // The old ReplicaSet still reports pods: wait.
  await h.reconcile('db')
  assert.equal(await h.sizes('db'), [0])
  // It reports none, but a pod of it still runs: wait.
  await h.setStatus(old.metadata.name!, { replicas: 0 })
  await h.reconcile('db')
  assert.equal(await h.sizes('db'), [0])
  // The pod is gone: the new ReplicaSet gets every replica at once.
  await h.api.delete('pods', 'default', 'db-old-1', { gracePeriodSeconds: 0 })
  await h.reconcile('db')
  assert.equal(await h.sizes('db'), [0, 3])
  const d = await h.get('db')
  assert.is(d.metadata.annotations!['deployment.kubernetes.io/revision'], '2')
  const [, fresh] = await h.replicaSets('db')
  assert.equal(h.events.slice(1).map((e) => e.message), [`Scaled up replica set ${fresh.metadata.name} to 3`])
  // A Recreate ReplicaSet has no surge: max-replicas = replicas.
  assert.is(fresh.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '3')
})

recreate('succeeded or failed pods of old ReplicaSets do not block', async () => {
  const h = await makeHarness()
  await h.create('db', { replicas: 1, strategy: { type: 'Recreate' } })
  await h.rollOut('db')
  const [old] = await h.replicaSets('db')
  await podOf(h, old, 'db-old-1')
  const pod = structuredClone(await h.api.get('pods', 'default', 'db-old-1'))
  pod.status = { ...(pod.status as object), phase: 'Failed' }
  await h.api.updateStatus(pod, { fieldManager: 'kubelet' })
  await h.setImage('db', 'postgres:2')
  await h.reconcile('db')
  await h.setStatus(old.metadata.name!, { replicas: 0 })
  await h.reconcile('db')
  assert.equal(await h.sizes('db'), [0, 1])
})

recreate.run()
