import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import {
  deleteBefore,
  logarithmicRankDiff,
  nextAvailableInMs,
  podFromTemplate,
  podsToDelete,
  slowStartBatch,
  slowStartBatchSizes,
} from '../../../reconciler/controllers/replicaset/index.js'

const NOW = Date.parse('2025-01-01T12:00:00Z')
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

interface P {
  name: string
  node?: string
  phase?: string
  ready?: boolean
  readySince?: number
  restarts?: number
  created?: number
  cost?: string
}
const mk = (p: P): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: p.name,
    uid: `uid-${p.name}`,
    creationTimestamp: ago(p.created ?? 1000),
    ...(p.cost ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': p.cost } } : {}),
  },
  spec: { nodeName: p.node ?? 'n1' },
  status: {
    phase: p.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: p.ready === false ? 'False' : 'True', lastTransitionTime: ago(p.readySince ?? 1000) }],
    containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: true, restartCount: p.restarts ?? 0 }],
  },
})

const Batches = suite('replicaset: slowStartBatch')

for (const c of [
  { name: 'none', count: 0, sizes: [] },
  { name: 'one', count: 1, sizes: [1] },
  { name: 'ten', count: 10, sizes: [1, 2, 4, 3] },
  { name: 'sixteen', count: 16, sizes: [1, 2, 4, 8, 1] },
]) {
  Batches(`sizes: ${c.name}`, () => assert.equal(slowStartBatchSizes(c.count), c.sizes))
}

Batches('stops after the batch with the first error', async () => {
  let calls = 0
  const res = await slowStartBatch(10, 1, async () => {
    calls++
    if (calls === 4) throw new Error('quota')
  })
  assert.is(calls, 7)
  assert.is(res.successes, 6)
  assert.is((res.error as Error).message, 'quota')
})

const Rank = suite('replicaset: deletion ranking (ActivePodsWithRanks)')

for (const c of [
  { name: 'unassigned before assigned', a: { name: 'a', node: '' }, b: { name: 'b' } },
  { name: 'Pending before Running', a: { name: 'a', phase: 'Pending' }, b: { name: 'b' } },
  { name: 'Unknown before Running', a: { name: 'a', phase: 'Unknown' }, b: { name: 'b' } },
  { name: 'Pending before Unknown', a: { name: 'a', phase: 'Pending' }, b: { name: 'b', phase: 'Unknown' } },
  { name: 'not ready before ready', a: { name: 'a', ready: false }, b: { name: 'b' } },
  { name: 'lower deletion cost first', a: { name: 'a', cost: '-5' }, b: { name: 'b', cost: '10' } },
  { name: 'ready for less time first (different log2 bucket)', a: { name: 'a', readySince: 10 }, b: { name: 'b', readySince: 1000 } },
  { name: 'more restarts first', a: { name: 'a', restarts: 3 }, b: { name: 'b', restarts: 1 } },
  { name: 'newer first', a: { name: 'a', created: 5 }, b: { name: 'b', created: 5000 } },
]) {
  Rank(c.name, () => {
    const a = { pod: mk(c.a as P), rank: 0 }
    const b = { pod: mk(c.b as P), rank: 0 }
    assert.ok(deleteBefore(a, b, NOW), 'a before b')
    assert.not.ok(deleteBefore(b, a, NOW), 'not b before a')
  })
}

Rank('more related pods on the node first', () => {
  assert.ok(deleteBefore({ pod: mk({ name: 'a' }), rank: 3 }, { pod: mk({ name: 'b' }), rank: 1 }, NOW))
})

Rank('same log2 bucket of ready time: compared by uid', () => {
  // 1000 s and 1001 s ago fall in the same bucket: the pods tie on age and break on uid.
  assert.is(logarithmicRankDiff(NOW - 1000_000, NOW - 1001_000, NOW), 0)
  assert.ok(deleteBefore({ pod: mk({ name: 'a', readySince: 1000 }), rank: 0 }, { pod: mk({ name: 'b', readySince: 1001 }), rank: 0 }, NOW))
})

Rank('podsToDelete ranks by node crowding among related pods', () => {
  const pods = [mk({ name: 'lonely', node: 'n2' }), mk({ name: 'crowded', node: 'n1' })]
  const related = [...pods, mk({ name: 'other-rs-1', node: 'n1' }), mk({ name: 'other-rs-2', node: 'n1' })]
  assert.equal(podsToDelete(pods, related, 1, NOW).map((p) => p.metadata.name), ['crowded'])
})

const Misc = suite('replicaset: template and availability arithmetic')

Misc('podFromTemplate: generateName, labels, controller reference', () => {
  const rs: KObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-abc', namespace: 'default', uid: 'rs-uid' },
    spec: { template: { metadata: { labels: { app: 'web' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  }
  const pod = podFromTemplate(rs)
  assert.is(pod.metadata.generateName, 'web-abc-')
  assert.equal(pod.metadata.labels, { app: 'web' })
  assert.equal(pod.metadata.ownerReferences, [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-uid', controller: true, blockOwnerDeletion: true },
  ])
})

Misc('nextAvailableInMs: just after lastTransitionTime + minReadySeconds', () => {
  const pods = [mk({ name: 'a', readySince: 4 })]
  assert.is(nextAvailableInMs(pods, 10, new Date(NOW)), 6001)
  assert.is(nextAvailableInMs(pods, 0, new Date(NOW)), undefined)
  assert.is(nextAvailableInMs([mk({ name: 'old', readySince: 60 })], 10, new Date(NOW)), undefined)
})

Batches.run()
Rank.run()
Misc.run()
