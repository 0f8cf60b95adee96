/**
 * The taint eviction controller's incremental start: prime asks for exactly the nodes with NoExecute
 * taints, its checkpoint (those nodes' names) restores the same requests and memory as priming,
 * garbage is rejected, and a restored start evicts as a running controller would without any pod
 * being listed but the tainted nodes' own.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { CONTROLLERS } from '../../../reconciler/controllers/index.js'
import { createTaintEvictionController, nodeDown } from '../../../reconciler/controllers/nodelifecycle/index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { manifest } from '../scheduler/cluster.js'
import { everyController, primedOldWay, stored } from '../runtime/primed-old-way.js'

const test = suite('taint eviction: incremental start and checkpoint')

const ZONE_B = ['us-central1-b-1', 'us-central1-b-2', 'us-central1-b-3']

/** A settled cluster: 9 nodes in 3 zones, the guestbook spread over them, zone b down (NoExecute taints, pods' 300 s timers running). */
async function build() {
  const { api, clock, manager, controller: te } = await everyController('taint-eviction-controller')
  for (const o of [...manifest('cluster/nodepool.yaml'), ...manifest('guestbook/guestbook-deployment.yaml')]) await api.apply(o, { fieldManager: 'capstan', force: true })
  await manager.advance(60_000)
  for (const n of (await api.list('nodes', { labelSelector: 'topology.kubernetes.io/zone=us-central1-b' })).items) {
    const next = nodeDown(n, clock.now())
    if (next) await api.updateStatus(next, { fieldManager: 'kubelet' })
  }
  await manager.settle()
  return { api, clock, manager, te }
}


const fresh = (api: ApiServer, clock: VirtualClock): Controller => createTaintEvictionController(new ControllerManager({ api, clock }).contextFor('taint-eviction-controller'))
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v))
const names = (reqs: Request[] | undefined): string[] => (reqs ?? []).map((r) => `${r.resource}/${r.name}`).sort()
const terminating = async (api: ApiServer): Promise<string[]> =>
  (await api.list('pods')).items.filter((p) => p.metadata.deletionTimestamp).map((p) => (p.spec as { nodeName?: string }).nodeName ?? '').sort()

test('incremental; prime asks for the tainted nodes only; restore ≡ prime, round trip included', async () => {
  const { api, clock, manager, te } = await build()
  await manager.stop()
  assert.is(te.incremental, true)
  const saved = json(te.checkpoint!.save())
  assert.equal(saved, { format: 1, tainted: ZONE_B })

  const primed = fresh(api, clock)
  const wanted = await primedOldWay(api, primed)
  assert.equal(names(wanted), ZONE_B.map((n) => `nodes/${n}`))
  assert.equal(json(primed.checkpoint!.save()), saved, 'prime over every object ≡ the running memory')

  const restored = fresh(api, clock)
  restored.resumed?.()
  assert.equal(names(restored.checkpoint!.restore(json(saved))), names(wanted), 'restore asks for what prime returned true for')
  assert.equal(json(restored.checkpoint!.save()), saved, 'round trip')

  // A node with only NoSchedule taints has nothing to evict: not asked for.
  const cordoned: KObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'x' }, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }
  assert.is(fresh(api, clock).prime!(cordoned), false)
})

test('restore rejects garbage without throwing, and leaves the memory as it was', async () => {
  const { api, clock, manager, te } = await build()
  await manager.stop()
  const saved = json(te.checkpoint!.save()) as { format: number; tainted: string[] }
  const c = fresh(api, clock)
  assert.equal(names(c.checkpoint!.restore(saved)), ZONE_B.map((n) => `nodes/${n}`))
  for (const d of [undefined, null, 7, 'x', [], {}, { ...saved, format: 2 }, { format: 1, tainted: 'a' }, { format: 1, tainted: [1] }, { format: 1, tainted: [''] }]) {
    assert.is(c.checkpoint!.restore(d), undefined, JSON.stringify(d) ?? 'undefined')
  }
  assert.equal(json(c.checkpoint!.save()), saved)
})

test('after restore, live changes wake the same requests as after prime, and the memory follows them', async () => {
  const { api, clock, manager } = await build()
  await manager.stop()
  const primed = fresh(api, clock)
  await primedOldWay(api, primed)
  const restored = fresh(api, clock)
  restored.resumed?.()
  restored.checkpoint!.restore(json(primed.checkpoint!.save()))
  const pod = (await api.list('pods')).items.find((p) => (p.spec as { nodeName?: string }).nodeName)!
  const unbound = { ...pod, spec: { ...(pod.spec as object), nodeName: undefined } }
  const a1 = await api.get('nodes', undefined, 'us-central1-a-1')
  const tainted = { ...a1, spec: { ...(a1.spec as object), taints: [{ key: 'test', effect: 'NoExecute' }] } }
  const b1 = await api.get('nodes', undefined, 'us-central1-b-1')
  const changes: Array<[string, (c: Controller) => unknown]> = [
    ['a pod bound', (c) => c.watches![0].map!(pod, unbound, 'MODIFIED')],
    ['a pod changed on its node', (c) => c.watches![0].map!(pod, pod, 'MODIFIED')],
    ['a node tainted', (c) => c.accepts!('MODIFIED', tainted, a1)],
    ['a tainted node deleted', (c) => c.accepts!('DELETED', b1, b1)],
  ]
  for (const [name, act] of changes) assert.equal(act(restored), act(primed), name)
  assert.equal(json(restored.checkpoint!.save()), { format: 1, tainted: ['us-central1-a-1', 'us-central1-b-2', 'us-central1-b-3'] })
  assert.equal(json(restored.checkpoint!.save()), json(primed.checkpoint!.save()))
})

test('a restored start reconciles the tainted nodes at once and evicts at 300 s, listing only their pods', async () => {
  const { api, clock, manager, te } = await build()
  const saved = json(te.checkpoint!.save())
  await manager.stop()
  assert.equal(await terminating(api), [], 'nothing evicted yet')
  const next = new ControllerManager({ api, clock })
  const restored = createTaintEvictionController(next.contextFor('taint-eviction-controller'))
  next.add({ ...restored, prime: () => assert.unreachable('primed although restored') })
  await next.start({ changes: () => new Map(), delayed: [], memories: { byController: stored(new Map([['taint-eviction-controller', saved]])), revision: await api.storage.revision() } })
  assert.equal(next.pending().queued.map((q) => q.key).sort(), ZONE_B.map((n) => `nodes/${n}`))
  const lists: string[] = []
  const list = api.list.bind(api)
  api.list = ((...args: Parameters<typeof api.list>) => (lists.push(`${String(args[0])} ${args[1]?.fieldSelector ?? ''}`), list(...args))) as typeof api.list
  try {
    await next.settle()
    assert.equal(lists.sort(), ZONE_B.map((n) => `pods spec.nodeName=${n}`), 'only the tainted nodes\' pods')
    const b = (await api.list('pods', { labelSelector: 'app=guestbook' })).items.filter((p) => ZONE_B.includes((p.spec as { nodeName?: string }).nodeName ?? ''))
    assert.ok(b.length > 0, 'a guestbook pod runs in zone b')
    await next.advance(299_000)
    assert.equal(await terminating(api), [], 'not before 300 s')
    await next.advance(2_000)
    const gone = await terminating(api)
    assert.ok(gone.length >= b.length && gone.every((n) => ZONE_B.includes(n)), JSON.stringify(gone))
    // A live change after the restore: a new NoExecute taint on the node of a zone-a pod evicts it at once.
    const onA = (await api.list('pods')).items.map((p) => (p.spec as { nodeName?: string }).nodeName ?? '').find((n) => n.startsWith('us-central1-a-'))!
    const a = await api.get('nodes', undefined, onA)
    await api.update({ ...a, spec: { ...(a.spec as object), taints: [{ key: 'test', effect: 'NoExecute' }] } }, { fieldManager: 't' })
    await next.settle()
    assert.ok((await terminating(api)).includes(onA))
    assert.equal((json(restored.checkpoint!.save()) as { tainted: string[] }).tainted, [onA, ...ZONE_B])
  } finally {
    api.list = list
    await next.stop()
  }
})

test.run()
