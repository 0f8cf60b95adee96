/**
 * The pod garbage collector's incremental start: its memory (the nodes, those out of service, the
 * quarantines under way) saved and restored equals what priming builds, garbage is rejected, and a
 * start restored in the middle of a quarantine finishes it on time, listing no pods but those of the
 * node out of service.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { ApiServer } from '../../../reconciler/api/api-server.js'
import { nodeDown } from '../../../reconciler/controllers/nodelifecycle/index.js'
import { createPodGcController, OUT_OF_SERVICE, QUARANTINE_MS } from '../../../reconciler/controllers/podgc/index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import type { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { primedOldWay, stored } from '../runtime/primed-old-way.js'
import { fm, nodeOf, standaloneNodes } from './cluster.js'

const test = suite('pod garbage collector: checkpoint')

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v))
const names = (reqs: Request[] | undefined): string[] => (reqs ?? []).map((r) => `${r.resource}/${r.name}`).sort()
const fresh = (api: ApiServer, clock: VirtualClock): Controller => createPodGcController(new ControllerManager({ api, clock }).contextFor('pod-garbage-collector'))

/** Three standalone nodes and a Deployment of 6 on them; n3 goes out of service, n1 is deleted (its quarantine running). */
async function build() {
  const { api, clock, manager, controller: gc } = await standaloneNodes(['n1', 'n2', 'n3'], 6)
  const n3 = await api.get('nodes', undefined, 'n3')
  await api.updateStatus(nodeDown(n3, clock.now())!, { fieldManager: 'kubelet' })
  await manager.settle()
  const n3Down = await api.get('nodes', undefined, 'n3')
  await api.update({ ...n3Down, spec: { ...(n3Down.spec as object), taints: [...((n3Down.spec as { taints?: unknown[] }).taints ?? []), { key: OUT_OF_SERVICE, effect: 'NoSchedule' }] } }, fm)
  await manager.settle()
  assert.ok((await api.list('pods')).items.some((p) => nodeOf(p) === 'n1'), 'pods run on n1')
  await api.delete('nodes', undefined, 'n1')
  await manager.settle()
  return { api, clock, manager, gc, victim: 'n1' }
}

test('incremental; prime asks for the nodes out of service; restore ≡ prime, round trip included', async () => {
  const { api, clock, manager, gc, victim } = await build()
  await manager.stop()
  assert.is(gc.incremental, true)
  const saved = json(gc.checkpoint!.save()) as { format: number; nodes: string[]; outOfService: string[]; missing: Array<[string, number]> }
  assert.is(saved.format, 1)
  assert.equal(saved.outOfService, ['n3'])
  assert.not.ok(saved.nodes.includes(victim))
  assert.equal(saved.missing.map(([n]) => n), [victim], 'the quarantine under way')

  const primed = fresh(api, clock)
  const wanted = await primedOldWay(api, primed)
  assert.equal(names(wanted), ['nodes/n3'])
  const primedSaved = json(primed.checkpoint!.save()) as typeof saved
  assert.equal({ ...primedSaved, missing: [] }, { ...saved, missing: [] }, 'prime ≡ the running memory (a quarantine lives in the checkpoint, as in the running controller)')

  const restored = fresh(api, clock)
  restored.resumed?.()
  assert.equal(names(restored.checkpoint!.restore(json(saved))), names(wanted), 'restore asks for what prime returned true for')
  assert.equal(names(restored.checkpoint!.startRequests!()), names(wanted))
  assert.equal(json(restored.checkpoint!.save()), saved, 'round trip')
})

test('restore rejects garbage without throwing, and leaves the memory as it was', async () => {
  const { api, clock, manager, gc } = await build()
  await manager.stop()
  const saved = json(gc.checkpoint!.save()) as Record<string, unknown>
  const c = fresh(api, clock)
  c.checkpoint!.restore(saved)
  for (const d of [
    undefined,
    null,
    7,
    'x',
    [],
    {},
    { ...saved, format: 2 },
    { ...saved, nodes: 'a' },
    { ...saved, nodes: [1] },
    { ...saved, nodes: [''] },
    { ...saved, outOfService: [null] },
    { ...saved, missing: [['a']] },
    { ...saved, missing: [['a', 'b']] },
    { ...saved, missing: [['', 1]] },
    { ...saved, missing: [['a', null]] },
  ]) {
    assert.is(c.checkpoint!.restore(d), undefined, JSON.stringify(d) ?? 'undefined')
  }
  assert.equal(json(c.checkpoint!.save()), saved)
})

test("a start restored during a quarantine lists only the out-of-service node's pods, and ends the quarantine on time", async () => {
  const { api, clock, manager, gc, victim } = await build()
  const saved = json(gc.checkpoint!.save())
  const delayed = manager.resumableWork().filter((d) => d.controller === 'pod-garbage-collector')
  assert.equal(delayed.map((d) => d.key), [`nodes/${victim}`], 'the quarantine\'s timer is carried over')
  const t0 = clock.now().getTime()
  await manager.stop()
  const orphans = (await api.list('pods')).items.filter((p) => nodeOf(p) === victim).map((p) => p.metadata.name!)
  assert.ok(orphans.length > 0)

  const next = new ControllerManager({ api, clock })
  const restored = createPodGcController(next.contextFor('pod-garbage-collector'))
  next.add({ ...restored, prime: () => assert.unreachable('primed although restored') })
  const lists: string[] = []
  const list = api.list.bind(api)
  api.list = ((...args: Parameters<typeof api.list>) => (lists.push(`${String(args[0])} ${args[1]?.fieldSelector ?? ''}`), list(...args))) as typeof api.list
  try {
    await next.start({ changes: () => new Map(), delayed, memories: { byController: stored(new Map([['pod-garbage-collector', saved]])), revision: await api.storage.revision() } })
    await next.settle()
    assert.equal(lists, ['pods spec.nodeName=n3'], 'only the pods of the node out of service are listed at the start')
    const due = delayed[0].at.getTime() - t0
    await next.advance(due - 1_000)
    for (const n of orphans) assert.ok(await api.find('pods', 'default', n), `${n} kept before the end of the quarantine`)
    await next.advance(1_000)
    for (const n of orphans) assert.is(await api.find('pods', 'default', n), undefined, `${n} deleted`)
    assert.is(due, QUARANTINE_MS)
    assert.equal((json(restored.checkpoint!.save()) as { missing: unknown[] }).missing, [], 'the quarantine is over')
  } finally {
    api.list = list
    await next.stop()
  }
})

test.run()
