import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { nodeDown, nodeUp } from '../../../reconciler/controllers/nodelifecycle/index.js'
import { manifest, startCluster } from '../scheduler/cluster.js'

const Outage = suite('zone outage (the multi-zone walkthrough, in process)')

type Cluster = Awaited<ReturnType<typeof startCluster>>

const nodeOf = (p: KObject): string => (p.spec as { nodeName?: string }).nodeName ?? ''
const ready = (p: KObject): boolean =>
  ((p.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')

async function zoneOfNode(c: Cluster, name: string): Promise<string> {
  return (await c.api.get('nodes', undefined, name)).metadata.labels!['topology.kubernetes.io/zone']
}

async function guestbookPods(c: Cluster): Promise<Array<{ name: string; zone: string; ready: boolean; terminating: boolean }>> {
  const { items } = await c.api.list('pods', { namespace: 'default', labelSelector: 'app=guestbook' })
  const out = []
  for (const p of items) out.push({ name: p.metadata.name!, zone: nodeOf(p) ? await zoneOfNode(c, nodeOf(p)) : '', ready: ready(p), terminating: !!p.metadata.deletionTimestamp })
  return out
}

async function setZone(c: Cluster, zone: string, down: boolean): Promise<void> {
  const { items } = await c.api.list('nodes', { labelSelector: `topology.kubernetes.io/zone=${zone}` })
  for (const n of items) {
    const next = down ? nodeDown(n, c.clock.now()) : nodeUp(n, c.clock.now())
    if (next) await c.api.updateStatus(next, { fieldManager: 'kubelet' })
  }
  await c.manager.settle()
}

Outage('3 zones × 3 nodes; guestbook one per zone; zone b down → replaced in a and c after 300 s; back up', async () => {
  const c = await startCluster()
  try {
    await c.apply([...manifest('cluster/nodepool.yaml'), ...manifest('guestbook/guestbook-deployment.yaml'), ...manifest('guestbook/guestbook-service.yaml')])
    await c.manager.advance(60_000)
    assert.is((await c.api.list('nodes')).items.length, 9)
    let pods = await guestbookPods(c)
    assert.is(pods.length, 3)
    assert.equal(pods.map((p) => p.zone).sort(), ['us-central1-a', 'us-central1-b', 'us-central1-c'])
    assert.ok(pods.every((p) => p.ready))

    await setZone(c, 'us-central1-b', true)
    const nodeB = (await c.api.get('nodes', undefined, 'us-central1-b-1'))
    const taints = (nodeB.spec as { taints?: Array<{ key: string; effect: string }> }).taints ?? []
    assert.equal(taints.map((t) => `${t.key}:${t.effect}`).sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'])
    pods = await guestbookPods(c)
    const lost = pods.find((p) => p.zone === 'us-central1-b')!
    assert.is(lost.ready, false, 'the pod in zone b is marked not Ready')
    assert.ok((await c.events(lost.name)).includes('NodeNotReady: Node is not ready'))

    await c.manager.advance(299_000)
    assert.is((await guestbookPods(c)).filter((p) => p.terminating).length, 0, 'not evicted before 300 s')
    await c.manager.advance(61_000)
    pods = await guestbookPods(c)
    const live = pods.filter((p) => !p.terminating)
    assert.is(live.length, 3)
    assert.ok(live.every((p) => p.ready && p.zone !== 'us-central1-b'), JSON.stringify(pods))
    assert.equal([...new Set(live.map((p) => p.zone))].sort(), ['us-central1-a', 'us-central1-c'])
    assert.ok((await c.events(lost.name)).includes(`TaintManagerEviction: Marking for deletion Pod default/${lost.name}`))
    const d = await c.api.get('deployments', 'default', 'guestbook')
    assert.is((d.status as { availableReplicas?: number }).availableReplicas, 3)

    await setZone(c, 'us-central1-b', false)
    await c.manager.advance(60_000)
    const back = await c.api.get('nodes', undefined, 'us-central1-b-1')
    assert.is((back.spec as { taints?: unknown[] }).taints, undefined)
    pods = await guestbookPods(c)
    assert.is(pods.length, 3, 'the evicted pod finished terminating once its kubelet came back')
  } finally {
    await c.stop()
  }
})

Outage.run()
