import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { nodeIP, wantedNodes, zoneSuffix } from '../../../reconciler/controllers/nodepool/index.js'
import { manifest, startCluster } from '../scheduler/cluster.js'

const Layout = suite('nodepool layout')

Layout('names, zones and counts', () => {
  const spec = { region: 'us-central1', zones: ['us-central1-a', 'us-central1-b'], nodesPerZone: 2, zoneCounts: { 'us-central1-b': 1, 'us-east1-x': 1 }, machineType: { cpu: '2', memory: '4Gi' } }
  assert.equal(wantedNodes('pool', spec).map((w) => `${w.name}@${w.zone}`), ['pool-a-1@us-central1-a', 'pool-a-2@us-central1-a', 'pool-b-1@us-central1-b', 'pool-us-east1-x-1@us-east1-x'])
  assert.equal(wantedNodes('p', { nodesPerZone: 2, machineType: { cpu: '1', memory: '1Gi' } }).map((w) => w.name), ['p-1', 'p-2'])
  assert.is(zoneSuffix('us-central1-b', 'us-central1'), 'b')
  assert.is(nodeIP(1, 3), '10.129.0.3')
})

Layout.run()

const Pool = suite('nodepool controller (with the scheduler)')

const pod = (name: string, cpu: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }] },
})

Pool('creates labelled, owned, Ready nodes; status counts them', async () => {
  const c = await startCluster()
  try {
    await c.apply(manifest('cluster/nodepool.yaml'))
    const { items } = await c.api.list('nodes')
    assert.equal(items.map((n) => n.metadata.name), ['us-central1-a-1', 'us-central1-a-2', 'us-central1-a-3', 'us-central1-b-1', 'us-central1-b-2', 'us-central1-b-3', 'us-central1-c-1', 'us-central1-c-2', 'us-central1-c-3'])
    const n = items[3]
    assert.equal(n.metadata.labels, {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/instance-type': 'n1-standard-2',
      'beta.kubernetes.io/os': 'linux',
      'capstan.dev/nodepool': 'us-central1',
      'failure-domain.beta.kubernetes.io/region': 'us-central1',
      'failure-domain.beta.kubernetes.io/zone': 'us-central1-b',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'us-central1-b-1',
      'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': 'n1-standard-2',
      'topology.kubernetes.io/region': 'us-central1',
      'topology.kubernetes.io/zone': 'us-central1-b',
    })
    assert.equal(n.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller]), [['NodePool', 'us-central1', true]])
    assert.equal((n.status as { capacity: Record<string, string> }).capacity, { cpu: '2', 'ephemeral-storage': '100Gi', memory: '7.5Gi', pods: '110' })
    const pool = await c.api.get('nodepools', undefined, 'us-central1')
    const st = pool.status as { nodes: number; readyNodes: number; zones: unknown[]; conditions: Array<{ type: string; status: string; reason: string }> }
    assert.is(st.nodes, 9)
    assert.is(st.readyNodes, 9)
    assert.equal(st.zones[1], { name: 'us-central1-b', nodes: 3, readyNodes: 3 })
    assert.equal([st.conditions[0].type, st.conditions[0].status, st.conditions[0].reason], ['Ready', 'True', 'NodesReady'])
  } finally {
    await c.stop()
  }
})

Pool('a pod that fits nowhere: Unschedulable condition and FailedScheduling; scheduled when the pool grows', async () => {
  const c = await startCluster()
  try {
    const [poolObj] = manifest('cluster/nodepool.yaml')
    const small = { ...poolObj, spec: { ...(poolObj.spec as object), nodesPerZone: 1 } }
    await c.apply([small])
    await c.api.create(pod('big', '3'), { fieldManager: 't' })
    await c.manager.settle()
    const p = await c.api.get('pods', 'default', 'big')
    const cond = (p.status as { conditions: Array<Record<string, string>> }).conditions.find((x) => x.type === 'PodScheduled')!
    const msg = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.'
    assert.equal([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', msg])
    assert.equal(await c.events('big'), [`FailedScheduling: ${msg}`])
    // A bigger machine type: the nodes' capacity changes, the pod is retried and bound.
    await c.apply([{ ...small, spec: { ...(small.spec as object), machineType: { name: 'n1-standard-4', cpu: '4', memory: '15Gi' } } }])
    const after = await c.api.get('pods', 'default', 'big')
    assert.ok((after.spec as { nodeName?: string }).nodeName)
  } finally {
    await c.stop()
  }
})

Pool('scaling down drains: cordon, evict, delete the node', async () => {
  const c = await startCluster()
  try {
    const [poolObj] = manifest('cluster/nodepool.yaml')
    await c.apply([{ ...poolObj, spec: { ...(poolObj.spec as object), zones: ['us-central1-a'], nodesPerZone: 2 } }])
    await c.api.create({ ...pod('p', '1500m'), spec: { ...(pod('p', '1500m').spec as object), nodeName: 'us-central1-a-2' } }, { fieldManager: 't' })
    await c.manager.advance(10_000)
    await c.apply([{ ...poolObj, spec: { ...(poolObj.spec as object), zones: ['us-central1-a'], nodesPerZone: 1 } }])
    await c.manager.advance(60_000)
    assert.equal((await c.api.list('nodes')).items.map((n) => n.metadata.name), ['us-central1-a-1'])
    assert.is((await c.api.list('pods', { namespace: 'default' })).items.length, 0)
  } finally {
    await c.stop()
  }
})

Pool.run()
