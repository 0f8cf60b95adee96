/**
 * The pod garbage collector with every controller running: the pods of a deleted node go 40 s
 * later (Failed, DisruptionTarget DeletionByPodGC, then deleted) and their Deployment replaces them
 * on a node that exists; a node back within the quarantine keeps its pods; a deleted NodePool's
 * pods go with its nodes; terminating pods on an out-of-service node and unscheduled terminating
 * pods are forced out; taint eviction marks its pods DisruptionTarget DeletionByTaintManager.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { nodeDown } from '../../../reconciler/controllers/nodelifecycle/index.js'
import { OUT_OF_SERVICE, QUARANTINE_MS } from '../../../reconciler/controllers/podgc/index.js'
import { manifest } from '../scheduler/cluster.js'
import { addControllers } from '../../../reconciler/controllers/index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import { everyController } from '../runtime/primed-old-way.js'
import { fm, node, nodeOf, phaseOf, pod, standaloneNodes } from './cluster.js'

const test = suite('pod garbage collector')

const condition = (p: KObject, type: string): Record<string, unknown> | undefined =>
  ((p.status as { conditions?: Array<Record<string, unknown>> } | undefined)?.conditions ?? []).find((c) => c.type === type)
const twoNodes = () => standaloneNodes(['n1', 'n2'], 4)

const running = async (api: Awaited<ReturnType<typeof twoNodes>>['api']): Promise<KObject[]> =>
  (await api.list('pods', { labelSelector: 'app=web' })).items.filter((p) => phaseOf(p) === 'Running' && !p.metadata.deletionTimestamp)

test('the pods of a deleted node go 40 s later, marked Failed and DisruptionTarget, and are replaced on a node that exists', async () => {
  const { api, manager, clock, changes } = await twoNodes()
  const before = await running(api)
  assert.is(before.length, 4)
  const onN1 = before.filter((p) => nodeOf(p) === 'n1').map((p) => p.metadata.name!).sort()
  assert.ok(onN1.length > 0, 'the scheduler put some on n1')
  const t0 = clock.now().getTime()
  await api.delete('nodes', undefined, 'n1')
  await manager.advance(QUARANTINE_MS - 1_000)
  assert.equal((await running(api)).filter((p) => nodeOf(p) === 'n1').map((p) => p.metadata.name!).sort(), onN1, 'still there during the quarantine')
  await manager.advance(1_000)
  assert.is(clock.now().getTime() - t0, QUARANTINE_MS)
  const pods = (await api.list('pods', { labelSelector: 'app=web' })).items
  for (const name of onN1) assert.not.ok(pods.some((p) => p.metadata.name === name), `${name} deleted`)
  const now = await running(api)
  assert.is(now.length, 4, 'replaced')
  assert.ok(now.every((p) => nodeOf(p) === 'n2'), 'on the node that exists')
  // What each orphan went through: Failed with the condition, then deleted (grace period 0).
  for (const name of onN1) {
    const mine = changes.filter((ev) => ev.object.metadata.name === name)
    const failed = mine.find((ev) => ev.type === 'MODIFIED' && phaseOf(ev.object) === 'Failed')
    assert.ok(failed, `${name} marked Failed`)
    const c = condition(failed.object, 'DisruptionTarget')
    assert.equal({ status: c?.status, reason: c?.reason, message: c?.message }, { status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' })
    assert.is(mine[mine.length - 1].type, 'DELETED', `${name} deleted last`)
    const mf = failed.object.metadata.managedFields ?? []
    assert.ok(mf.some((m) => m.manager === 'kube-controller-manager' && m.subresource === 'status'), 'written by kube-controller-manager')
  }
  await manager.stop()
})

test('a node back within the quarantine keeps its pods', async () => {
  const { api, manager } = await twoNodes()
  const onN1 = (await running(api)).filter((p) => nodeOf(p) === 'n1').map((p) => p.metadata.name!).sort()
  await api.delete('nodes', undefined, 'n1')
  await manager.advance(20_000)
  await api.create(node('n1'), fm)
  await manager.advance(60_000)
  assert.equal((await running(api)).filter((p) => nodeOf(p) === 'n1').map((p) => p.metadata.name!).sort(), onN1)
  await manager.stop()
})

test('a node deleted, back within the quarantine, and deleted again: the quarantine runs from the second deletion', async () => {
  const { api, manager } = await twoNodes()
  const onN1 = (await running(api)).filter((p) => nodeOf(p) === 'n1').map((p) => p.metadata.name!)
  assert.ok(onN1.length > 0)
  await api.delete('nodes', undefined, 'n1')
  await manager.advance(20_000)
  await api.create(node('n1'), fm)
  await manager.advance(10_000)
  await api.delete('nodes', undefined, 'n1')
  await manager.advance(QUARANTINE_MS - 1_000)
  for (const name of onN1) assert.ok(await api.find('pods', 'default', name), `${name} kept 39 s after the second deletion`)
  await manager.advance(1_000)
  for (const name of onN1) assert.is(await api.find('pods', 'default', name), undefined, `${name} collected 40 s after it`)
  await manager.stop()
})

test('a pod created on a node that does not exist is deleted after the quarantine; one already finished without a status write', async () => {
  const { api, manager, changes } = await twoNodes()
  await api.create(pod('typo', { nodeName: 'n9' }), fm)
  const done = await api.create(pod('done', { nodeName: 'n9' }), fm)
  await api.updateStatus({ ...done, status: { phase: 'Succeeded' } }, fm)
  await manager.advance(QUARANTINE_MS - 1_000)
  assert.ok(await api.find('pods', 'default', 'typo'), 'still there')
  await manager.advance(1_000)
  assert.is(await api.find('pods', 'default', 'typo'), undefined)
  assert.is(await api.find('pods', 'default', 'done'), undefined)
  const typo = changes.filter((ev) => ev.object.metadata.name === 'typo').map((ev) => `${ev.type} ${phaseOf(ev.object)}`)
  assert.equal(typo, ['ADDED Pending', 'MODIFIED Failed', 'DELETED Failed'])
  const finished = changes.filter((ev) => ev.object.metadata.name === 'done').map((ev) => `${ev.type} ${phaseOf(ev.object)} ${condition(ev.object, 'DisruptionTarget') ? 'disrupted' : ''}`)
  assert.equal(finished, ['ADDED Pending ', 'MODIFIED Succeeded ', 'DELETED Succeeded '], 'a finished pod is deleted as it is (upstream patches only a pod still running)')
  await manager.stop()
})

test('a full start finds the pods of a node gone before it started (a state from before PodGC is resynced in full once)', async () => {
  const { api, manager, clock } = await twoNodes()
  await manager.stop()
  // Nobody runs PodGC while the node goes (as before the upgrade).
  await api.delete('nodes', undefined, 'n1')
  const onN1 = (await api.list('pods', { labelSelector: 'app=web' })).items.filter((p) => nodeOf(p) === 'n1').map((p) => p.metadata.name!)
  assert.ok(onN1.length > 0)
  const next = new ControllerManager({ api, clock })
  addControllers(next)
  await next.start()
  await next.advance(QUARANTINE_MS)
  for (const name of onN1) assert.is(await api.find('pods', 'default', name), undefined, `${name} collected`)
  await next.stop()
})

test('a deleted NodePool: its nodes go with it, then their pods, and the Deployment waits for nodes', async () => {
  const { api, manager } = await everyController('pod-garbage-collector')
  for (const o of [...manifest('cluster/nodepool.yaml'), ...manifest('guestbook/guestbook-deployment.yaml')]) await api.apply(o, { fieldManager: 'capstan', force: true })
  await manager.advance(60_000)
  const pool = (await api.list('nodepools')).items[0]
  const poolNodes = new Set((await api.list('nodes', { labelSelector: `capstan.dev/nodepool=${pool.metadata.name}` })).items.map((n) => n.metadata.name!))
  const onPool = (await api.list('pods', { labelSelector: 'app=guestbook' })).items.filter((p) => poolNodes.has(nodeOf(p)))
  assert.ok(onPool.length > 0)
  await api.delete('nodepools', undefined, pool.metadata.name!)
  await manager.advance(QUARANTINE_MS + 1_000)
  assert.is((await api.list('nodes', { labelSelector: `capstan.dev/nodepool=${pool.metadata.name}` })).items.length, 0, 'nodes collected')
  const pods = (await api.list('pods', { labelSelector: 'app=guestbook' })).items
  assert.not.ok(pods.some((p) => poolNodes.has(nodeOf(p))), 'no pod left on the pool\'s nodes')
  await manager.stop()
})

test('terminating pods on a node out of service are forced out; evicted pods carry DeletionByTaintManager', async () => {
  const { api, manager, changes } = await twoNodes()
  const onN1 = (await running(api)).filter((p) => nodeOf(p) === 'n1').map((p) => p.metadata.name!)
  assert.ok(onN1.length > 0)
  const n1 = await api.get('nodes', undefined, 'n1')
  await api.updateStatus(nodeDown(n1, new Date())!, { fieldManager: 'kubelet' })
  await manager.settle()
  const down = await api.get('nodes', undefined, 'n1')
  const taints = ((down.spec as { taints?: unknown[] }).taints ?? []).concat([{ key: OUT_OF_SERVICE, value: 'nodeshutdown', effect: 'NoExecute' }])
  await api.update({ ...down, spec: { ...(down.spec as object), taints } }, fm)
  await manager.settle()
  // Evicted at once (the out-of-service taint is not tolerated), and no kubelet ends them: PodGC does.
  const pods = (await api.list('pods', { labelSelector: 'app=web' })).items
  for (const name of onN1) assert.not.ok(pods.some((p) => p.metadata.name === name), `${name} gone`)
  for (const name of onN1) {
    const mine = changes.filter((ev) => ev.object.metadata.name === name)
    const evicted = mine.find((ev) => condition(ev.object, 'DisruptionTarget'))
    assert.is(condition(evicted!.object, 'DisruptionTarget')?.reason, 'DeletionByTaintManager')
    assert.ok(mine.some((ev) => phaseOf(ev.object) === 'Failed'), 'marked Failed by PodGC')
    assert.is(mine[mine.length - 1].type, 'DELETED')
  }
  await manager.stop()
})

test('a terminating pod that was never scheduled is marked Failed and deleted with grace 0 (its finalizer still holds it)', async () => {
  const { api, manager } = await twoNodes()
  await api.create(pod('waiting', { schedulerName: 'other-scheduler' }, { finalizers: ['example.com/hold'] }), fm)
  await manager.settle()
  await api.delete('pods', 'default', 'waiting')
  await manager.settle()
  const p = await api.get('pods', 'default', 'waiting')
  assert.is(phaseOf(p), 'Failed')
  assert.ok(p.metadata.deletionTimestamp)
  await api.update({ ...p, metadata: { ...p.metadata, finalizers: [] } }, fm)
  await manager.settle()
  assert.is(await api.find('pods', 'default', 'waiting'), undefined)
  await manager.stop()
})

test.run()
