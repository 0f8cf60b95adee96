import { createHash } from 'node:crypto'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import { ApiError } from '../../../reconciler/api/errors.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { BIND_BATCH, createSchedulerController, SchedulerCache } from '../../../reconciler/controllers/scheduler/index.js'
import { fromLabelSelector, type LabelSelectorSpec } from '../../../reconciler/api/selectors/label-selector.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { decisionStream } from './decisions-fixture.js'

const node = (name: string, zone: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone } },
  spec: {},
  status: { allocatable: { cpu: '64', memory: '256Gi', pods: '500' }, capacity: { cpu: '64', memory: '256Gi', pods: '500' }, conditions: [{ type: 'Ready', status: 'True' }] },
})

const pod = (name: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' } },
  spec: {
    containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '10m' } } }],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
  },
})

/** The scheduler alone over a fresh API; `wrap` may put a different client in front of the API. */
async function cluster(opts: { pods: number; wrap?: (api: ApiServer) => ApiServer }) {
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
  await api.bootstrap()
  await api.createMany(['a', 'b', 'c'].map((z, i) => node(`n-${i}`, z)), { fieldManager: 'test' })
  await api.createMany(Array.from({ length: opts.pods }, (_, i) => pod(`p-${String(i).padStart(4, '0')}`)), { fieldManager: 'kubectl' })
  const client = opts.wrap ? opts.wrap(api) : api
  const manager = new ControllerManager({ api: client, clock })
  const scheduler = createSchedulerController(manager.contextFor('default-scheduler'))
  manager.add(scheduler)
  const events = async (): Promise<string[]> =>
    (await api.list('events')).items.map((e) => `${(e as { reason?: string }).reason} ${(e as { involvedObject?: { name?: string } }).involvedObject?.name}`)
  return { api, clock, manager, scheduler, events }
}

const nodeOf = (p: KObject): string | undefined => (p.spec as { nodeName?: string }).nodeName

const Ctl = suite('scheduler controller: decisions and bindings')

Ctl('same decisions as the plain walk over the nodes (pinned digest of the mixed scenarios)', () => {
  const d = decisionStream()
  assert.is(d.length, 4242)
  // Recorded with the algorithm before the node table (every node an object, no buffers).
  assert.is(createHash('sha256').update(d.join('\n')).digest('hex').slice(0, 16), 'd0e0ca6c9997aaaa')
})

Ctl('every pod bound, one Scheduled event each in decision order, no managed-fields entry for the scheduler', async () => {
  const { api, manager, events } = await cluster({ pods: 7 })
  await manager.settle()
  const pods = (await api.list('pods')).items
  assert.equal(pods.map((p) => !!nodeOf(p)), Array(7).fill(true))
  const zones = pods.map((p) => nodeOf(p)).sort()
  assert.equal(zones, ['n-0', 'n-0', 'n-0', 'n-1', 'n-1', 'n-2', 'n-2'])
  assert.equal(await events(), pods.map((p) => `Scheduled ${p.metadata.name}`))
  for (const p of pods) assert.equal(p.metadata.managedFields?.map((m) => m.manager), ['kubectl'], p.metadata.name)
  await manager.stop()
})

Ctl('more pods than one batch of bindings', async () => {
  const n = BIND_BATCH + 7
  const { api, manager, events } = await cluster({ pods: n })
  await manager.settle()
  const pods = (await api.list('pods')).items
  assert.is(pods.filter((p) => nodeOf(p)).length, n)
  const ev = await events()
  assert.is(ev.length, n)
  assert.is(new Set(ev).size, n)
  await manager.stop()
})

Ctl('a failed binding forgets the assumed pod and is retried after a backoff', async () => {
  let failOnce = 'default/p-0001'
  const { api, manager, scheduler, clock, events } = await cluster({
    pods: 3,
    wrap: (inner) => {
      const wrapped = Object.create(inner) as ApiServer
      wrapped.bindMany = async (bindings, opts) => {
        const out = await inner.bindMany(bindings.filter((b) => `${b.namespace}/${b.name}` !== failOnce), opts)
        const results: Array<KObject | ApiError> = []
        for (const b of bindings) {
          if (`${b.namespace}/${b.name}` === failOnce) results.push(new ApiError('Conflict', 'simulated'))
          else results.push(out.shift()!)
        }
        failOnce = ''
        return results
      }
      return wrapped
    },
  })
  await manager.settle()
  const get = async (name: string): Promise<KObject> => api.get('pods', 'default', name)
  assert.is(nodeOf(await get('p-0001')), undefined)
  assert.ok(nodeOf(await get('p-0000')))
  assert.ok(nodeOf(await get('p-0002')))
  // Forgotten: the cache holds only the two pods really bound.
  assert.equal(scheduler.cache.podKeys().sort(), ['default/p-0000', 'default/p-0002'])
  assert.equal(manager.pending().delayed.map((d) => d.key), ['pods/default/p-0001'])
  await manager.advance(1000)
  assert.ok(nodeOf(await get('p-0001')))
  assert.equal((await events()).sort(), ['Scheduled p-0000', 'Scheduled p-0001', 'Scheduled p-0002'])
  assert.ok(clock.now() > new Date('2026-01-01T00:00:00Z'))
  await manager.stop()
})

Ctl('reconciles side by side: a pod whose binding is being written waits for it, never decides again', async () => {
  const { api, scheduler } = await cluster({ pods: 2 })
  const req = (name: string) => ({ resource: 'pods', namespace: 'default', name })
  assert.equal(await scheduler.reconcile(req('p-0000')), { requeueAfterMs: 0 })
  assert.equal(await scheduler.reconcile(req('p-0001')), { requeueAfterMs: 0 })
  // p-0000's turn writes both bindings; p-0001's turn, at the same time, waits for that write.
  const [a, b] = await Promise.all([scheduler.reconcile(req('p-0000')), scheduler.reconcile(req('p-0001'))])
  assert.equal([a, b], [{}, {}])
  for (const name of ['p-0000', 'p-0001']) assert.ok(nodeOf(await api.get('pods', 'default', name)), name)
  assert.is(scheduler.cache.podKeys().length, 2)
  scheduler.stop()
})

Ctl.run()

const Cache = suite('scheduler cache: assumed pods')

const assigned = (name: string, nodeName?: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' } },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] },
})

Cache('a change to the unassigned pod keeps its assumption; the watch reporting it assigned confirms it', () => {
  const c = new SchedulerCache()
  c.setNode(node('n-0', 'a'))
  const info = c.assume(assigned('p'), 'n-0')
  c.setPod(assigned('p'))
  assert.is(c.pod('default/p'), info)
  assert.is(c.table().reqCpu[0], 100)
  c.setPod(assigned('p', 'n-0'))
  // Confirmed: a late forget (of a binding that in fact landed) changes nothing.
  c.forget(info)
  assert.is(c.pod('default/p')?.nodeName, 'n-0')
  assert.is(c.table().podCount[0], 1)
})

Cache('forget removes the assumed record only, never what the watch reported since', () => {
  const cases = [
    { name: 'still assumed', then: (_c: SchedulerCache) => {}, want: undefined },
    { name: 'bound elsewhere meanwhile', then: (c: SchedulerCache) => c.setPod(assigned('p', 'n-1')), want: 'n-1' },
    { name: 'deleted meanwhile', then: (c: SchedulerCache) => c.removePod('default/p'), want: undefined },
  ]
  for (const tc of cases) {
    const c = new SchedulerCache()
    c.setNode(node('n-0', 'a'))
    c.setNode(node('n-1', 'b'))
    const info = c.assume(assigned('p'), 'n-0')
    tc.then(c)
    c.forget(info)
    assert.is(c.pod('default/p')?.nodeName, tc.want, tc.name)
    const t = c.table()
    assert.is(t.podCount[t.rowOf.get('n-0')!], 0, tc.name)
  }
})

Cache('the node table follows the node tree and every pod and node change', () => {
  const c = new SchedulerCache()
  for (const [name, zone] of [['a1', 'a'], ['a2', 'a'], ['b1', 'b'], ['c1', 'c']]) c.setNode(node(name, zone))
  assert.equal(c.table().nodes.map((n) => n.name), ['a1', 'b1', 'c1', 'a2'])
  c.setPod(assigned('x', 'b1'))
  const t = c.table()
  assert.is(t.reqCpu[t.rowOf.get('b1')!], 100)
  assert.is(t.podCount[t.rowOf.get('b1')!], 1)
  assert.equal([...t.column('topology.kubernetes.io/zone').ids], [0, 1, 2, 0])
  // Relabelled within its zone: same rows, new domain column; moved to another zone: a new tree.
  c.setNode({ ...node('c1', 'c'), metadata: { name: 'c1', labels: { 'topology.kubernetes.io/zone': 'c', tier: 'gold' } } })
  assert.is(c.table(), t)
  assert.equal([...c.table().column('tier').ids], [-1, -1, 0, -1])
  c.setNode(node('a1', 'c'))
  assert.is.not(c.table(), t)
  assert.equal(c.table().nodes.map((n) => n.name), ['a2', 'b1', 'c1', 'a1'])
  c.removePod('default/x')
  assert.is(c.table().podCount[c.table().rowOf.get('b1')!], 0)
})

Cache('pod counters: equality selectors (indexed by a term) and set-based ones count the same pods', () => {
  const c = new SchedulerCache()
  c.setNode(node('n-0', 'a'))
  c.setNode(node('n-1', 'b'))
  const withLabels = (name: string, nodeName: string, labels: Record<string, string>, namespace = 'default'): KObject => ({ ...assigned(name, nodeName), metadata: { name, namespace, labels } })
  const cases: Array<{ name: string; selector: LabelSelectorSpec; want: Record<string, number> }> = [
    { name: 'equality', selector: { matchLabels: { app: 'web' } }, want: { 'n-0': 2, 'n-1': 1 } },
    { name: 'two equalities', selector: { matchLabels: { app: 'web', tier: 'fe' } }, want: { 'n-0': 1, 'n-1': 0 } },
    { name: 'in two values', selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] }, want: { 'n-0': 2, 'n-1': 2 } },
    { name: 'not in', selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, want: { 'n-0': 0, 'n-1': 1 } },
  ]
  const counters = cases.map((tc) => c.counter('default', fromLabelSelector(tc.selector)))
  c.setPod(withLabels('w1', 'n-0', { app: 'web', tier: 'fe' }))
  c.setPod(withLabels('w2', 'n-0', { app: 'web' }))
  c.setPod(withLabels('w3', 'n-1', { app: 'web' }))
  c.setPod(withLabels('d1', 'n-1', { app: 'db' }))
  c.setPod(withLabels('x1', 'n-1', { app: 'web' }, 'other'))
  c.setPod(withLabels('gone', 'n-1', { app: 'web', tier: 'fe' }))
  c.removePod('default/gone')
  cases.forEach((tc, i) => assert.equal({ 'n-0': counters[i].byNode.get('n-0') ?? 0, 'n-1': counters[i].byNode.get('n-1') ?? 0 }, tc.want, tc.name))
})

Cache.run()
