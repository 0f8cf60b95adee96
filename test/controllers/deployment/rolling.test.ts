import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { makeHarness } from './harness.js'

const rolling = suite('rolling update')

rolling('a new Deployment gets one ReplicaSet <name>-<hash> with all replicas', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 4 })
  await h.reconcile('web')
  const [rs] = await h.replicaSets('web')
  const hash = rs.metadata.labels!['pod-template-hash']
  assert.ok(hash)
  assert.is(rs.metadata.name, `web-${hash}`)
  assert.is(rs.spec.replicas, 4)
  assert.equal(rs.spec.selector.matchLabels, { app: 'web', 'pod-template-hash': hash })
  assert.equal(rs.spec.template!.metadata!.labels, { app: 'web', 'pod-template-hash': hash })
  assert.equal(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: (await h.get('web')).metadata.uid!, controller: true, blockOwnerDeletion: true }])
  assert.equal(
    { rev: rs.metadata.annotations!['deployment.kubernetes.io/revision'], desired: rs.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], max: rs.metadata.annotations!['deployment.kubernetes.io/max-replicas'] },
    { rev: '1', desired: '4', max: '5' },
  )
  const d = await h.get('web')
  assert.is(d.metadata.annotations!['deployment.kubernetes.io/revision'], '1')
  assert.equal(h.events.map((e) => [e.reason, e.message]), [['ScalingReplicaSet', `Scaled up replica set web-${hash} to 4`]])
  assert.equal(
    d.status!.conditions!.map((c) => [c.type, c.status, c.reason]),
    [
      ['Progressing', 'True', 'NewReplicaSetCreated'],
      ['Available', 'False', 'MinimumReplicasUnavailable'],
    ],
  )
  assert.is(h.condition(d, 'Progressing')!.message, `Created new replica set "web-${hash}"`)
})

rolling('4 replicas, 25%/25%: each pass takes one step, as upstream', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 4 })
  await h.rollOut('web')
  let d = await h.get('web')
  assert.equal(d.status, {
    observedGeneration: 1,
    replicas: 4,
    updatedReplicas: 4,
    readyReplicas: 4,
    availableReplicas: 4,
    conditions: d.status!.conditions,
  })
  assert.equal(d.status!.conditions!.map((c) => [c.type, c.reason, c.message]), [
    ['Available', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
    ['Progressing', 'NewReplicaSetAvailable', `ReplicaSet "${(await h.replicaSets('web'))[0].metadata.name}" has successfully progressed.`],
  ])

  await h.setImage('web', 'nginx:2')
  h.events.length = 0
  // Pass 1: new RS at 1 (surge), old 4 → 3 (1 unavailable allowed; the new pod is not available yet).
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [3, 1])
  const [oldRS, newRS] = (await h.replicaSets('web')).map((rs) => rs.metadata.name!)
  assert.equal(h.events.map((e) => e.message), [`Scaled up replica set ${newRS} to 1`, `Scaled down replica set ${oldRS} to 3 from 4`])
  d = await h.get('web')
  assert.is(d.metadata.annotations!['deployment.kubernetes.io/revision'], '2')
  assert.is(h.condition(d, 'Progressing')!.reason, 'NewReplicaSetCreated')

  // Pass 2: the old RS is down to 3 pods → the new one may grow to 2.
  await h.setStatus(oldRS, { replicas: 3, available: 3 })
  await h.setStatus(newRS, { replicas: 1, available: 0 })
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [3, 2])

  // Pass 3: the new pods are not available: 5 - 3 - 2 = 0, nothing moves.
  await h.setStatus(newRS, { replicas: 2, available: 0 })
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [3, 2])

  // Pass 4: both new pods available: old may lose 2.
  await h.setStatus(newRS, { replicas: 2, available: 2 })
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [1, 2])

  // Pass 5: 3 pods in all → new grows to 4.
  await h.setStatus(oldRS, { replicas: 1, available: 1 })
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [1, 4])

  // Pass 6: only 2 of the new pods available: 5 - 3 - 2 = 0.
  await h.setStatus(newRS, { replicas: 4, available: 2 })
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [1, 4])

  // Pass 7: all available: the last old pod goes.
  await h.setStatus(newRS, { replicas: 4, available: 4 })
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [0, 4])

  await h.setStatus(oldRS, { replicas: 0, available: 0 })
  await h.reconcile('web')
  d = await h.get('web')
  assert.equal([d.status!.replicas, d.status!.updatedReplicas, d.status!.availableReplicas, d.status!.unavailableReplicas], [4, 4, 4, undefined])
  assert.equal(h.condition(d, 'Progressing')!.reason, 'NewReplicaSetAvailable')
  assert.is(h.condition(d, 'Progressing')!.message, `ReplicaSet "${newRS}" has successfully progressed.`)
  assert.equal(
    h.events.map((e) => e.message),
    [
      `Scaled up replica set ${newRS} to 1`,
      `Scaled down replica set ${oldRS} to 3 from 4`,
      `Scaled up replica set ${newRS} to 2 from 1`,
      `Scaled down replica set ${oldRS} to 1 from 3`,
      `Scaled up replica set ${newRS} to 4 from 2`,
      `Scaled down replica set ${oldRS} to 0 from 1`,
    ],
  )
})

rolling('a settled Deployment is not written again', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 3 })
  await h.rollOut('web')
  await h.setImage('web', 'nginx:2')
  await h.rollOut('web')
  const before = (await h.get('web')).metadata.resourceVersion
  const rsBefore = (await h.replicaSets('web')).map((rs) => rs.metadata.resourceVersion)
  const r = await h.reconcile('web')
  assert.equal(r, {})
  assert.is((await h.get('web')).metadata.resourceVersion, before)
  assert.equal((await h.replicaSets('web')).map((rs) => rs.metadata.resourceVersion), rsBefore)
})

rolling('Progressing is ReplicaSetUpdated while pods become available', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 2 })
  await h.reconcile('web')
  const [rs] = await h.replicaSets('web')
  await h.setStatus(rs.metadata.name!, { replicas: 2, available: 1 })
  await h.reconcile('web')
  const d = await h.get('web')
  assert.is(h.condition(d, 'Progressing')!.reason, 'ReplicaSetUpdated')
  assert.is(h.condition(d, 'Progressing')!.message, `ReplicaSet "${rs.metadata.name}" is progressing.`)
  // maxUnavailable of 2 at 25% rounds down to 0 → 1 available of 2 is below the minimum.
  assert.equal([h.condition(d, 'Available')!.status, h.condition(d, 'Available')!.reason], ['False', 'MinimumReplicasUnavailable'])
})

rolling('a resize mid-rollout scales ReplicaSets proportionally', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } })
  await h.rollOut('web')
  await h.setImage('web', 'nginx:2')
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [8, 3])
  const [oldRS, newRS] = (await h.replicaSets('web')).map((rs) => rs.metadata.name!)
  await h.setStatus(oldRS, { replicas: 8, available: 8 })
  await h.setStatus(newRS, { replicas: 3, available: 0 })
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [8, 5])
  // The new pods crash-loop; the Deployment is scaled to 15 (allowed 18 = 15 + 3): +5 shared 3 / 2.
  await h.setStatus(newRS, { replicas: 5, available: 0 })
  h.events.length = 0
  await h.edit('web', (d) => {
    d.spec.replicas = 15
  })
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [11, 7])
  assert.equal(h.events.map((e) => e.message), [`Scaled up replica set ${oldRS} to 11 from 8`, `Scaled up replica set ${newRS} to 7 from 5`])
  for (const rs of await h.replicaSets('web')) {
    assert.equal([rs.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], rs.metadata.annotations!['deployment.kubernetes.io/max-replicas']], ['15', '18'])
  }
  // Back down to 5 (allowed 8): old first among equals, larger first: -10 shared.
  await h.edit('web', (d) => {
    d.spec.replicas = 5
  })
  await h.reconcile('web')
  const sizes = await h.sizes('web')
  assert.is(sizes[0] + sizes[1], 8)
  assert.equal(sizes, [5, 3])
})

rolling('a scale with one active ReplicaSet just resizes it', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 1 })
  await h.rollOut('web')
  h.events.length = 0
  await h.edit('web', (d) => {
    d.spec.replicas = 4
  })
  await h.reconcile('web')
  const [rs] = await h.replicaSets('web')
  assert.is(rs.spec.replicas, 4)
  assert.equal(h.events.map((e) => e.message), [`Scaled up replica set ${rs.metadata.name} to 4 from 1`])
})

rolling('rollback to an old template reuses its ReplicaSet with the next revision', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 2, annotations: { 'kubernetes.io/change-cause': 'v1' } })
  await h.rollOut('web')
  await h.edit('web', (d) => {
    d.spec.template.spec!.containers[0].image = 'nginx:2'
    d.metadata.annotations!['kubernetes.io/change-cause'] = 'v2'
  })
  await h.rollOut('web')
  const [first, second] = await h.replicaSets('web')
  assert.is(first.metadata.annotations!['deployment.kubernetes.io/revision'], '1')
  assert.is(second.metadata.annotations!['deployment.kubernetes.io/revision'], '2')
  assert.is(second.metadata.annotations!['kubernetes.io/change-cause'], 'v2')
  // Back to the first template (as `rollout undo` or `git revert` would do).
  await h.edit('web', (d) => {
    d.spec.template.spec!.containers[0].image = 'nginx:1'
    d.metadata.annotations!['kubernetes.io/change-cause'] = 'v1'
  })
  await h.rollOut('web')
  const rss = await h.replicaSets('web')
  assert.is(rss.length, 2)
  const again = rss.find((rs) => rs.metadata.uid === first.metadata.uid)!
  assert.equal(
    [again.spec.replicas, again.metadata.annotations!['deployment.kubernetes.io/revision'], again.metadata.annotations!['deployment.kubernetes.io/revision-history']],
    [2, '3', '1'],
  )
  assert.is((await h.get('web')).metadata.annotations!['deployment.kubernetes.io/revision'], '3')
})

rolling('revisionHistoryLimit deletes the oldest fully scaled-down ReplicaSets', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 1, revisionHistoryLimit: 1 })
  await h.rollOut('web')
  await h.setImage('web', 'nginx:2')
  await h.rollOut('web')
  await h.setImage('web', 'nginx:3')
  await h.rollOut('web')
  const rss = await h.replicaSets('web')
  assert.equal(rss.map((rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision']), ['2', '3'])
  assert.equal(rss.map((rs) => rs.spec.replicas), [0, 1])
})

rolling('paused: no new ReplicaSet, resizes still apply, resume continues the rollout', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 2 })
  await h.rollOut('web')
  await h.edit('web', (d) => {
    d.spec.paused = true
  })
  await h.reconcile('web')
  let d = await h.get('web')
  assert.equal([h.condition(d, 'Progressing')!.status, h.condition(d, 'Progressing')!.reason, h.condition(d, 'Progressing')!.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused'])
  await h.edit('web', (x) => {
    x.spec.template.spec!.containers[0].image = 'nginx:2'
    x.spec.replicas = 3
  })
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [3])
  await h.edit('web', (x) => {
    delete x.spec.paused
  })
  await h.reconcile('web')
  d = await h.get('web')
  assert.equal(await h.sizes('web'), [3, 1])
  assert.is(h.condition(d, 'Progressing')!.reason, 'NewReplicaSetCreated')
})

rolling('progress deadline: requeue at the deadline, then ProgressDeadlineExceeded', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 2, progressDeadlineSeconds: 60 })
  await h.rollOut('web')
  await h.setImage('web', 'nginx:broken')
  await h.reconcile('web')
  const [oldRS, newRS] = (await h.replicaSets('web')).map((rs) => rs.metadata.name!)
  assert.equal(await h.sizes('web'), [2, 1])
  await h.setStatus(newRS, { replicas: 1, available: 0 })
  await h.reconcile('web')
  // Nothing more can move; the status settles and a requeue is asked for at the deadline.
  const r = await h.reconcile('web')
  assert.ok(r.requeueAfterMs !== undefined && r.requeueAfterMs > 0 && r.requeueAfterMs <= 61_000, `requeue ${r.requeueAfterMs}`)
  let d = await h.get('web')
  // The new pod appearing (status.replicas 0 → 1) was the last progress.
  assert.is(h.condition(d, 'Progressing')!.reason, 'ReplicaSetUpdated')
  h.clock.advance(r.requeueAfterMs!)
  await h.reconcile('web')
  d = await h.get('web')
  const p = h.condition(d, 'Progressing')!
  assert.equal([p.status, p.reason, p.message], ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${newRS}" has timed out progressing.`])
  // Old pods keep serving.
  assert.equal(await h.sizes('web'), [2, 1])
  assert.is(h.condition(d, 'Available')!.status, 'True')
  assert.equal((await h.reconcile('web')).requeueAfterMs, undefined)
  void oldRS
})

rolling('a hash collision bumps collisionCount and the next pass uses another name', async () => {
  const h = await makeHarness()
  const d = await h.create('web', { replicas: 1 })
  const { computeHash } = await import('../../../reconciler/controllers/deployment/util.js')
  const hash = computeHash(d.spec.template)
  await h.api.create(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `web-${hash}`, namespace: 'default', labels: { other: 'x' } },
      spec: { replicas: 0, selector: { matchLabels: { other: 'x' } }, template: { metadata: { labels: { other: 'x' } }, spec: { containers: [{ name: 'c', image: 'other' }] } } },
    },
    { fieldManager: 'test' },
  )
  let threw = false
  try {
    await h.reconcile('web')
  } catch {
    threw = true
  }
  assert.ok(threw)
  assert.is((await h.get('web')).status!.collisionCount, 1)
  await h.reconcile('web')
  const [rs] = await h.replicaSets('web')
  assert.is(rs.metadata.name, `web-${computeHash(d.spec.template, 1)}`)
  assert.is.not(rs.metadata.name, `web-${hash}`)
})

rolling('orphans matching the selector are adopted; owned ones that stop matching are released', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 1 })
  await h.rollOut('web')
  const [owned] = await h.replicaSets('web')
  const orphan = await h.api.create(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } },
      spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'old' }] } } },
    },
    { fieldManager: 'test' },
  )
  await h.reconcile('web')
  const adopted = await h.api.get('replicasets', 'default', 'stray')
  assert.is(adopted.metadata.ownerReferences![0].uid, (await h.get('web')).metadata.uid)
  const relabel = structuredClone(adopted)
  relabel.metadata.labels = { app: 'gone' }
  await h.api.update(relabel, { fieldManager: 'test' })
  await h.reconcile('web')
  assert.is((await h.api.get('replicasets', 'default', 'stray')).metadata.ownerReferences, undefined)
  void owned
  void orphan
})

rolling('a Deployment being deleted only gets its status', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 1 })
  await h.rollOut('web')
  const d = structuredClone(await h.get('web'))
  d.metadata.finalizers = ['test/hold']
  await h.api.update(d, { fieldManager: 'test' })
  await h.api.delete('deployments', 'default', 'web')
  await h.edit('web', (x) => {
    x.spec.replicas = 3
  })
  await h.reconcile('web')
  assert.equal(await h.sizes('web'), [1])
})

rolling('the watch mappers route ReplicaSet and pod changes to the Deployment', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 1, strategy: { type: 'Recreate' } })
  await h.reconcile('web')
  const [rs] = await h.replicaSets('web')
  const rsWatch = h.controller.watches!.find((w) => w.resource === 'replicasets')!
  const podWatch = h.controller.watches!.find((w) => w.resource === 'pods')!
  assert.equal(rsWatch.map!(rs, undefined), [{ resource: 'deployments', namespace: 'default', name: 'web' }])
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true }] } }
  // Only a pod's deletion wakes a Recreate Deployment (upstream's deletePod).
  assert.equal(podWatch.map!(pod, undefined, 'DELETED'), [{ resource: 'deployments', namespace: 'default', name: 'web' }])
  assert.equal(podWatch.map!(pod, undefined, 'MODIFIED'), [])
  const orphan = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'o', namespace: 'default', uid: 'u1', labels: { app: 'web' } } }
  assert.equal(rsWatch.map!(orphan, undefined), [{ resource: 'deployments', namespace: 'default', name: 'web' }])
  assert.equal(rsWatch.map!({ ...orphan, metadata: { ...orphan.metadata, labels: { app: 'other' } } }, undefined), [])
})

rolling.run()
