/**
 * The scheduler's checkpoint: what a running scheduler saves is what a fresh one primed from every
 * object saves (restore ≡ prime), it survives JSON and a second save, garbage is rejected, a
 * binding not yet written is never saved as bound, a malformed record is found when first read,
 * and a scheduler restored from it schedules the changes made since as a running one would —
 * without listing or watching every pod from "0".
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { fromLabelSelector, type LabelSelectorSpec } from '../../../reconciler/api/selectors/label-selector.js'
import { CONTROLLERS } from '../../../reconciler/controllers/index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Request } from '../../../reconciler/controllers/runtime/types.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { createSchedulerController, type Scheduler } from '../../../reconciler/controllers/scheduler/index.js'
import type { SchedulerCheckpoint } from '../../../reconciler/controllers/scheduler/checkpoint.js'
import { manifest } from './cluster.js'
import { everyController, primedOldWay, stored } from '../runtime/primed-old-way.js'
import { asStored, damagedInManager } from '../runtime/seeded-random.js'

const test = suite('scheduler: checkpoint')

const fm = { fieldManager: 't' }
const pod = (name: string, cpu: string, extra: { spec?: Record<string, unknown>; metadata?: Record<string, unknown> } = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: name }, ...extra.metadata },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25', resources: { requests: { cpu } } }], ...extra.spec },
})
const node = (name: string, cpu: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': 'us-central1-z' } },
  spec: {},
  status: { allocatable: { cpu, memory: '64Gi', pods: '110' }, capacity: { cpu, memory: '64Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
})
const nodeOf = (p: KObject): string | undefined => (p.spec as { nodeName?: string }).nodeName

/**
 * A settled cluster run by every controller: a NodePool's 9 nodes in 3 zones (one tainted), the
 * guestbook's Deployment and Service, Services without and with an unused selector, a pod too big
 * for any node (unschedulable), one for another scheduler (unbound, not the scheduler's), one
 * bound to a node that does not exist and being deleted (terminating: no kubelet finishes it), and
 * one being deleted whose kubelet finished it (held by a finalizer, out of the cache).
 */
async function build() {
  const { api, clock, manager, controller: scheduler } = await everyController<Scheduler>('default-scheduler')
  for (const o of [...manifest('cluster/nodepool.yaml'), ...manifest('guestbook/guestbook-deployment.yaml'), ...manifest('guestbook/guestbook-service.yaml')]) {
    await api.apply(o, { fieldManager: 'capstan', force: true })
  }
  await manager.advance(60_000)
  const tainted = (await api.list('nodes')).items[4]
  await api.update({ ...tainted, spec: { ...(tainted.spec as object), taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] } }, fm)
  const svc = (name: string, selector?: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80 }], ...(selector ? { selector } : {}) } })
  await api.create(svc('headless'), fm)
  await api.create(svc('batch', { app: 'batch', tier: 'x' }), fm)
  await api.create(pod('big', '64'), fm)
  await api.create(pod('other', '10m', { spec: { schedulerName: 'other-scheduler' } }), fm)
  const hold = { finalizers: ['test.capstan.dev/hold'] }
  await api.create(pod('held', '250m', { metadata: hold }), fm)
  await manager.advance(60_000)
  await api.delete('pods', 'default', 'held')
  await manager.advance(60_000)
  // Last, so that PodGC's 40 s quarantine of the missing node has not run out.
  await api.create(pod('ghost', '10m', { spec: { nodeName: 'ghost-node' }, metadata: hold }), fm)
  await manager.settle()
  await api.delete('pods', 'default', 'ghost')
  await manager.settle()
  return { api, clock, manager, scheduler }
}


const fresh = (api: ApiServer, clock: VirtualClock): Scheduler => createSchedulerController(new ControllerManager({ api, clock }).contextFor('default-scheduler'))
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T
/** The scheduler's parts stored by pages. */
const PAGED = ['pods', 'podsByTerm', 'services', 'servicesByTerm']
const keysOf = (reqs: Request[] | undefined): string[] => (reqs ?? []).map((r) => `${r.namespace ?? ''}/${r.name}`).sort()
const byFirst = (a: [string, unknown], b: [string, unknown]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
/** The saved data with its order, which says only when pods, terms and Services were recorded, taken out (nodes and keys are saved sorted). */
function canon(data: unknown): SchedulerCheckpoint {
  const s = json(data) as SchedulerCheckpoint
  const lists = (pairs: Array<[string, readonly string[]]>) => pairs.map(([t, keys]): [string, string[]] => [t, [...keys].sort()]).sort(byFirst)
  return { ...s, pods: [...s.pods].sort(byFirst), podsByTerm: lists(s.podsByTerm), services: [...s.services].sort(byFirst), servicesByTerm: lists(s.servicesByTerm) }
}
/** Selectors whose matching pods the view lists: one the term index answers, one that reads every pod. */
const SELECTORS: LabelSelectorSpec[] = [{ matchLabels: { app: 'guestbook' } }, { matchExpressions: [{ key: 'app', operator: 'Exists' }] }]
/**
 * What the filters and scores read of the cache: the node tree with each node's sums and pod
 * count, where each pod is, the pods the term index offers for a selector, and the Services
 * selecting a pod.
 */
const view = (s: Scheduler): unknown => ({
  nodes: s.cache.list().map((n) => ({ name: n.name, requested: n.requested, nonZero: n.nonZeroRequested, pods: n.podCount, taints: n.taints })),
  pods: s.cache.podKeys().sort().map((k) => [k, s.cache.pod(k)?.nodeName, s.cache.pod(k)?.terminating]),
  podsFor: SELECTORS.map((sel) => [...s.cache.podsFor('default', fromLabelSelector(sel))].map((p) => p.key).sort()),
  counts: SELECTORS.map((sel) => Object.fromEntries([...s.cache.counter('default', fromLabelSelector(sel)).byNode].filter(([, n]) => n).sort(byFirst))),
})

test('restore ≡ prime: the running scheduler saves what a primed one does, and a restored one saves it again', async () => {
  const { api, clock, manager, scheduler } = await build()
  try {
    const saved = json(scheduler.checkpoint.save()) as SchedulerCheckpoint
    assert.ok(saved, 'settled: saved')
    assert.is(saved.nodes.length, 9)
    assert.ok(saved.nodes.some((n) => n[2].length === 1), 'a tainted node')
    const pods = new Map(saved.pods.map(([k, p]) => [k.slice('default/'.length), p]))
    assert.is([...pods.keys()].filter((k) => k.startsWith('guestbook-')).length, 3)
    assert.is(pods.get('ghost')?.[0], 'ghost-node', 'a pod on an unknown node')
    assert.is(pods.get('ghost')?.[6], true, 'a terminating pod')
    assert.not.ok(pods.has('held'), 'a finished pod is not in the cache')
    assert.not.ok(pods.has('big') || pods.has('other'), 'unbound pods are not in the cache')
    // Each node's saved sums are those of the pods saved on it.
    for (const n of saved.nodes) {
      const on = [...pods.values()].filter((p) => p[0] === n[0])
      const sum = (i: number) => on.reduce((acc, p) => acc + (p[i] as number), 0)
      assert.equal(n.slice(7), [sum(2), sum(3), sum(4), sum(5), on.length], n[0])
    }
    assert.ok(saved.nodes.some((n) => n[11] > 0), 'nodes with pods')
    const guestbook = saved.podsByTerm.find(([t]) => t === 'default\u0000app=guestbook')
    assert.equal(guestbook?.[1].length, 3, 'the term index')
    assert.equal(saved.services.map(([k]) => k).sort(), ['default/batch', 'default/guestbook'], 'Services with a selector only')
    assert.equal(canon(saved).servicesByTerm, [['default\u0000app=batch', ['batch']], ['default\u0000app=guestbook', ['guestbook']]])
    assert.equal(saved.waiting, ['default/big'])
    assert.equal(saved.unschedulable, ['default/big'])

    const primed = fresh(api, clock)
    const wanted = await primedOldWay(api, primed)
    assert.equal(canon(primed.checkpoint.save()), canon(saved), 'prime over every object ≡ the running memory')
    assert.equal(view(primed), view(scheduler), 'and the cache the filters read')

    const restored = fresh(api, clock)
    restored.resumed?.()
    const reqs = restored.checkpoint.restore(json(saved))
    assert.equal(keysOf(reqs), keysOf(wanted), 'restore asks for what prime returned true for')
    assert.equal(keysOf(reqs), ['default/big'])
    assert.equal(json(restored.checkpoint.save()), saved, 'round trip, order and all')
    assert.equal(view(restored), view(primed), 'the same node tree and sums as the primed one')
  } finally {
    await manager.stop()
  }
})

test('restore rejects data of another outline without throwing, and leaves the memory as it was', async () => {
  const { api, clock, manager, scheduler } = await build()
  await manager.stop()
  const saved = json(scheduler.checkpoint.save()) as SchedulerCheckpoint
  const c = fresh(api, clock)
  assert.equal(keysOf(c.checkpoint.restore(json(saved))), ['default/big'])
  const before = view(c)
  const bad: unknown[] = [
    undefined,
    null,
    42,
    'x',
    [],
    { ...saved, format: 1 },
    { format: 2 },
    { ...saved, nodes: 'no' },
    { ...saved, pods: {} },
    { ...saved, pods: ['default/x'] },
    { ...saved, podsByTerm: [3] },
    { ...saved, services: 'no' },
    { ...saved, servicesByTerm: [null] },
    { ...saved, unplaced: [['ghost-node', []]] },
    { ...saved, waiting: ['no-slash'] },
    { ...saved, unschedulable: [3] },
  ]
  for (const d of bad) assert.is(c.checkpoint.restore(d), undefined, JSON.stringify(d) ?? 'undefined')
  assert.equal(canon(c.checkpoint.save()), canon(saved))
  assert.equal(view(c), before)
  assert.not.ok(c.checkpoint.damaged!())
})

/**
 * A restore reads the outline only; a record is checked when the scheduler first reads it. A
 * malformed one is treated as absent and the memory reported damaged (the manager then saves
 * nothing and the next start resyncs); records nobody reads stay unread.
 */
test('a malformed record is found when first read: dropped, and the memory damaged', async () => {
  const { api, clock, manager, scheduler } = await build()
  await manager.stop()
  const saved = json(scheduler.checkpoint.save()) as SchedulerCheckpoint
  const gb = (await api.list('pods')).items.find((p) => p.metadata.name!.startsWith('guestbook-'))!
  const gbKey = `default/${gb.metadata.name}`
  const watch = (c: Scheduler, resource: string) => c.watches!.find((w) => w.resource === resource)!
  const svc = (name: string, selector: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector } })
  const withPod = (p: unknown): SchedulerCheckpoint => ({ ...saved, pods: saved.pods.map(([k, v]) => [k, k === gbKey ? (p as SchedulerCheckpoint['pods'][0][1]) : v]) })
  const cases: Array<{ name: string; data: SchedulerCheckpoint; read: (c: Scheduler) => unknown; dropped?: (c: Scheduler) => boolean }> = [
    { name: 'a pod with a label not a string', data: withPod([nodeOf(gb), { app: 1 }, 0, 0, 100, 0, false, 0]), read: (c) => watch(c, 'pods').map!(gb, gb, 'DELETED'), dropped: (c) => !c.cache.podKeys().includes(gbKey) },
    { name: 'a pod record cut short', data: withPod([nodeOf(gb)]), read: (c) => c.cache.pod(gbKey), dropped: (c) => c.cache.pod(gbKey) === undefined },
    { name: 'a node with no name', data: { ...saved, nodes: saved.nodes.map((n, i) => (i === 0 ? ['', ...n.slice(1)] : n) as SchedulerCheckpoint['nodes'][0]) }, read: (c) => c.cache.list(), dropped: (c) => c.cache.list().length === 8 },
    { name: 'a node with a bad taint', data: { ...saved, nodes: saved.nodes.map((n, i) => (i === 1 ? [n[0], n[1], [{ key: 1 }], ...n.slice(3)] : n) as SchedulerCheckpoint['nodes'][0]) }, read: (c) => c.cache.nodes.size },
    { name: 'a term whose keys are not a list', data: { ...saved, podsByTerm: saved.podsByTerm.map(([t, k]) => [t, t === 'default\u0000app=guestbook' ? (7 as unknown as string[]) : k]) }, read: (c) => c.cache.podsFor('default', fromLabelSelector({ matchLabels: { app: 'guestbook' } })) },
    { name: 'a Service with an empty selector', data: { ...saved, services: saved.services.map(([k, sel]) => [k, k === 'default/batch' ? {} : sel]) }, read: (c) => watch(c, 'services').map!(svc('batch', { app: 'batch', tier: 'x' }), undefined, 'DELETED') },
    { name: 'a Service filed under another term', data: { ...saved, servicesByTerm: saved.servicesByTerm.map(([t, names]) => [t, t === 'default\u0000app=guestbook' ? [...names, 'batch'] : names]) }, read: (c) => watch(c, 'services').map!(svc('more', { app: 'guestbook' }), undefined, 'ADDED') },
    { name: 'a pod on an unknown node that is on another', data: { ...saved, unplaced: [['ghost-node', ['default/ghost', gbKey]]] }, read: (c) => watch(c, 'nodes').map!(node('ghost-node', '2'), undefined, 'ADDED') },
  ]
  for (const tc of cases) {
    const c = fresh(api, clock)
    assert.equal(keysOf(c.checkpoint.restore(asStored(json(tc.data), PAGED))), ['default/big'], tc.name)
    assert.not.ok(c.checkpoint.damaged!(), `${tc.name}: not read yet`)
    tc.read(c)
    assert.ok(c.checkpoint.damaged!(), `${tc.name}: damaged once read`)
    if (tc.dropped) assert.ok(tc.dropped(c), `${tc.name}: treated as absent`)
  }
  // In a manager: a damaged memory leaves the run degraded, and its checkpoint is not saved.
  const broken = withPod([nodeOf(gb), { app: 1 }, 0, 0, 100, 0, false, 0])
  await damagedInManager({ api, clock, name: 'default-scheduler', make: (m) => createSchedulerController(m.contextFor('default-scheduler')), data: broken, paged: PAGED, touch: () => api.delete('pods', 'default', gb.metadata.name!, { gracePeriodSeconds: 0 }) })
})

test('after restore, live changes map to the same requests as after prime', async () => {
  const { api, clock, manager, scheduler } = await build()
  await manager.stop()
  const primed = fresh(api, clock)
  await primedOldWay(api, primed)
  const restored = fresh(api, clock)
  restored.resumed?.()
  restored.checkpoint.restore(json(scheduler.checkpoint.save()))
  const watch = (c: Scheduler, resource: string) => c.watches!.find((w) => w.resource === resource)!
  const n = (await api.list('nodes')).items[0]
  const gb = (await api.list('pods')).items.find((p) => p.metadata.name!.startsWith('guestbook-'))!
  const big = await api.get('pods', 'default', 'big')
  const bound = (p: KObject, nodeName: string): KObject => ({ ...p, spec: { ...(p.spec as object), nodeName } })
  const changes: Array<[string, (c: Scheduler) => unknown]> = [
    ['a node relabelled', (c) => watch(c, 'nodes').map!({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, tier: 'gold' } } }, n, 'MODIFIED')],
    ['a node added', (c) => watch(c, 'nodes').map!(node('huge', '64'), undefined, 'ADDED')],
    ['an unschedulable pod changed', (c) => c.accepts!('MODIFIED', { ...big, metadata: { ...big.metadata, labels: { app: 'big', v: '2' } } }, big)],
    ['an assigned pod changed', (c) => c.accepts!('MODIFIED', gb, gb)],
    ['a new pod', (c) => [c.accepts!('ADDED', pod('new', '10m'), undefined), watch(c, 'pods').map!(pod('new', '10m'), undefined, 'ADDED')]],
    ['the new pod bound', (c) => watch(c, 'pods').map!(bound(pod('new', '10m'), 'huge'), pod('new', '10m'), 'MODIFIED')],
    ['an assigned pod deleted', (c) => watch(c, 'pods').map!(gb, gb, 'DELETED')],
    ['a Service added', (c) => watch(c, 'services').map!({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'new' } } }, undefined, 'ADDED')],
  ]
  for (const [name, act] of changes) assert.equal(act(restored), act(primed), name)
  assert.equal(canon(restored.checkpoint.save()), canon(primed.checkpoint.save()), 'and the memories stay equal')
  assert.equal(view(restored), view(primed), 'and the caches')
})

test('a binding not yet written is not saved as bound: no checkpoint until it is', async () => {
  const { api, clock, manager, scheduler } = await build()
  try {
    await api.create(pod('late', '10m'), fm)
    assert.equal(await scheduler.reconcile({ resource: 'pods', namespace: 'default', name: 'late' }), { requeueAfterMs: 0 }, 'decided, binding waits')
    assert.is(scheduler.checkpoint.save(), undefined)
    await manager.settle()
    const saved = json(scheduler.checkpoint.save()) as SchedulerCheckpoint
    const late = saved.pods.find(([k]) => k === 'default/late')
    assert.ok(late, 'bound, then saved')
    assert.is(late[1][0], nodeOf(await api.get('pods', 'default', 'late')))
    const primed = fresh(api, clock)
    await primedOldWay(api, primed)
    assert.equal(canon(primed.checkpoint.save()), canon(saved))
  } finally {
    await manager.stop()
  }
})

/**
 * The same changes after a start restored from the checkpoint or primed by the manager (no
 * checkpoint yet): a new pod is scheduled with the room the cache knows taken, an assigned pod
 * deleted leaves the cache, a new big node takes the unschedulable pod — and a restored start
 * neither lists pods nor watches them from "0". It ends with the memory a fresh priming gives,
 * which a further restore keeps.
 */
for (const mode of ['restored', 'primed'] as const) {
  test(`a ${mode} start schedules as a running scheduler would`, async () => {
    const { api, clock, manager, scheduler } = await build()
    const saved = json(scheduler.checkpoint.save())
    const before = view(scheduler)
    await manager.stop()
    const next = new ControllerManager({ api, clock })
    const inner = createSchedulerController(next.contextFor('default-scheduler'))
    let primes = 0
    next.add({ ...inner, prime: (o) => (primes++, inner.prime!(o)) })
    const reads: string[] = []
    const { list, watch } = api
    api.list = ((...args: Parameters<typeof api.list>) => (reads.push(`list ${String(args[0])}`), list.apply(api, args))) as typeof api.list
    api.watch = ((...args: Parameters<typeof api.watch>) => (reads.push(`watch ${String(args[0])} ${args[1].resourceVersion}`), watch.apply(api, args))) as typeof api.watch
    try {
      const revision = await api.storage.revision()
      await next.start({ changes: () => new Map(), delayed: [], ...(mode === 'restored' ? { memories: { byController: stored(new Map([['default-scheduler', saved]])), revision } } : {}) })
      assert.is(primes > 0, mode === 'primed', 'primed only without a checkpoint')
      assert.equal(view(inner), before, 'the cache as the running scheduler had it')
      await next.settle()
      const gb = (await list.call(api, 'pods')).items.filter((p) => p.metadata.name!.startsWith('guestbook-'))
      await api.delete('pods', 'default', gb[0].metadata.name!, { gracePeriodSeconds: 0 })
      // Three pods as big as a node's free room: each goes to a node the cache knows has that room.
      for (const name of ['fill-0', 'fill-1', 'fill-2']) await api.create(pod(name, '1500m'), fm)
      await next.settle()
      for (const name of ['fill-0', 'fill-1', 'fill-2']) {
        const p = await api.get('pods', 'default', name)
        const used = inner.cache.nodes.get(nodeOf(p)!)!.requested.milliCpu
        assert.ok(used <= 2000, `${name} on ${nodeOf(p)}: ${used}m requested of 2000m`)
        assert.is.not(nodeOf(p), (await list.call(api, 'nodes')).items[4].metadata.name, 'not on the tainted node')
      }
      assert.is(inner.cache.pod(`default/${gb[0].metadata.name}`), undefined, 'the deleted pod left the cache')
      assert.is(nodeOf(await api.get('pods', 'default', 'big')), undefined)
      await api.create(node('huge', '64'), fm)
      await next.settle()
      assert.is(nodeOf(await api.get('pods', 'default', 'big')), 'huge', 'a new node wakes the unschedulable pod')
      if (mode === 'restored') {
        assert.not.ok(reads.some((r) => r.startsWith('list pods') || r.startsWith('list nodes') || r === 'watch pods 0'), `nothing listed: ${reads.join(', ')}`)
      }
    } finally {
      api.list = list
      api.watch = watch
      await next.stop()
    }
    const again = json(inner.checkpoint.save())
    const primed = fresh(api, clock)
    await primedOldWay(api, primed)
    assert.equal(canon(again), canon(primed.checkpoint.save()), 'the memory after the changes ≡ a fresh priming')
    const third = fresh(api, clock)
    assert.equal(third.checkpoint.restore(again), [])
    assert.equal(json(third.checkpoint.save()), again)
  })
}

test('a scheduler driven by hand fills its cache from its own watches; one fed by the manager opens none', async () => {
  const { api, clock, manager, scheduler } = await build()
  await manager.stop()
  const reads: string[] = []
  const { watch } = api
  api.watch = ((...args: Parameters<typeof api.watch>) => (reads.push(String(args[0])), watch.apply(api, args))) as typeof api.watch
  try {
    const alone = fresh(api, clock)
    await alone.sync()
    assert.equal(reads.sort(), ['nodes', 'pods', 'services'])
    // Not primed: its start remembers no pod as unschedulable until it tries it.
    const withoutUnschedulable = (c: Scheduler): SchedulerCheckpoint => ({ ...canon(c.checkpoint.save()), unschedulable: [] })
    assert.equal(withoutUnschedulable(alone), withoutUnschedulable(scheduler))
    alone.stop()
    reads.length = 0
    const restored = fresh(api, clock)
    restored.checkpoint.restore(json(scheduler.checkpoint.save()))
    await restored.sync()
    assert.equal(reads, [])
  } finally {
    api.watch = watch
  }
})

test.run()
