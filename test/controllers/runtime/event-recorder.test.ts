/** The event recorder over the real ApiServer: Event shape, dedupe into counts, combining, spam filter. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import type { CoreEvent } from '../../../reconciler/controllers/runtime/core-event.js'
import { COMBINED_PREFIX } from '../../../reconciler/controllers/runtime/event-correlator.js'
import { EventRecorders, fieldManagerFor } from '../../../reconciler/controllers/runtime/event-recorder.js'
import type { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { configMap, makeWorld } from './fixture.js'

const test = suite('event recorder')

let api: ApiServer
let clock: VirtualClock
let recorders: EventRecorders
let logs: Array<Record<string, unknown>>
test.before.each(async () => {
  ;({ api, clock } = await makeWorld())
  logs = []
  recorders = new EventRecorders({ api, clock, log: (l) => logs.push(l) })
})

const events = async (ns = 'default'): Promise<CoreEvent[]> => (await api.list('events', { namespace: ns })).items as CoreEvent[]

test('writes a core/v1 Event as client-go does', async () => {
  const cm = await api.create(configMap('web'))
  await recorders.recorderFor('deployment-controller').event(cm, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-abc to 3')
  const [ev, ...rest] = await events()
  assert.is(rest.length, 0)
  assert.is(ev.metadata.name, 'web.17a6101701650000', '<name>.<hex nanoseconds of 2024-01-01T00:00:00Z>')
  assert.is(ev.metadata.namespace, 'default')
  assert.equal(ev.involvedObject, {
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'web',
    uid: cm.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: cm.metadata.resourceVersion,
  })
  assert.equal(
    [ev.reason, ev.message, ev.type, ev.count, ev.firstTimestamp, ev.lastTimestamp],
    ['ScalingReplicaSet', 'Scaled up replica set web-abc to 3', 'Normal', 1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'],
  )
  assert.equal(ev.source, { component: 'deployment-controller' })
  assert.equal([ev.reportingComponent, ev.reportingInstance], ['deployment-controller', ''])
  assert.ok(ev.metadata.managedFields?.some((m) => m.manager === 'kube-controller-manager'))
})

test('the same event twice is one Event with count 2 and a later lastTimestamp', async () => {
  const cm = await api.create(configMap('web'))
  const rec = recorders.recorderFor('kubelet', 'node-1')
  await rec.event(cm, 'Warning', 'BackOff', 'Back-off pulling image "x"')
  clock.advanceTo(new Date('2024-01-01T00:00:30Z'))
  await rec.event(cm, 'Warning', 'BackOff', 'Back-off pulling image "x"')
  await rec.event(cm, 'Warning', 'Failed', 'Error: ImagePullBackOff')
  const all = await events()
  assert.is(all.length, 2)
  const backoff = all.find((e) => e.reason === 'BackOff') as CoreEvent
  assert.equal(
    [backoff.count, backoff.firstTimestamp, backoff.lastTimestamp, backoff.metadata.name],
    [2, '2024-01-01T00:00:00Z', '2024-01-01T00:00:30Z', 'web.17a6101701650000'],
  )
  assert.equal(backoff.source, { component: 'kubelet', host: 'node-1' })
  assert.equal([backoff.reportingComponent, backoff.reportingInstance], ['kubelet', 'node-1'])
  assert.ok(backoff.metadata.managedFields?.every((m) => m.manager === 'kubelet'))
})

test('identical events from different components, types or objects stay apart', async () => {
  const a = await api.create(configMap('a'))
  const b = await api.create(configMap('b'))
  const cases: Array<{ name: string; component: string; obj: KObject; type: 'Normal' | 'Warning' }> = [
    { name: 'first', component: 'deployment-controller', obj: a, type: 'Normal' },
    { name: 'other component', component: 'replicaset-controller', obj: a, type: 'Normal' },
    { name: 'other type', component: 'deployment-controller', obj: a, type: 'Warning' },
    { name: 'other object', component: 'deployment-controller', obj: b, type: 'Normal' },
  ]
  for (const c of cases) await recorders.recorderFor(c.component).event(c.obj, c.type, 'Same', 'same message')
  const all = await events()
  assert.is(all.length, cases.length)
  assert.ok(all.every((e) => e.count === 1))
  assert.is(new Set(all.map((e) => e.metadata.name)).size, cases.length, 'names stay unique within one virtual millisecond')
})

test('a cluster-scoped object’s events go to the default namespace, without an involved namespace', async () => {
  const ns = await api.get('namespaces', undefined, 'kube-public')
  await recorders.recorderFor('namespace-controller').event(ns, 'Normal', 'Checked', 'ok')
  const [ev] = await events('default')
  assert.is(ev.involvedObject.namespace, undefined)
  assert.equal([ev.involvedObject.kind, ev.involvedObject.name], ['Namespace', 'kube-public'])
})

test('similar events with ten distinct messages in ten minutes are combined', async () => {
  const cm = await api.create(configMap('web'))
  const rec = recorders.recorderFor('replicaset-controller')
  for (let i = 0; i < 12; i++) await rec.event(cm, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`)
  const all = await events()
  const combined = all.filter((e) => e.message?.startsWith(COMBINED_PREFIX))
  assert.is(all.length, 10, '9 individual events, then one combined Event')
  assert.is(combined.length, 1)
  assert.equal([combined[0].count, combined[0].message], [3, `${COMBINED_PREFIX}Created pod: web-11`])
})

test('the spam filter allows 25 events per source and object, then one per 5 minutes', async () => {
  const cm = await api.create(configMap('web'))
  const rec = recorders.recorderFor('kubelet', 'node-1')
  for (let i = 0; i < 30; i++) await rec.event(cm, 'Warning', 'BackOff', 'Back-off')
  let [ev] = await events()
  assert.is(ev.count, 25, 'events 26 to 30 dropped')
  clock.advanceTo(new Date('2024-01-01T00:05:00Z'))
  await rec.event(cm, 'Warning', 'BackOff', 'Back-off')
  ;[ev] = await events()
  assert.is(ev.count, 31, 'the next one sent carries the dropped ones in its count')
})

test('a recorded Event deleted meanwhile is created again; write failures are logged, not thrown', async () => {
  const cm = await api.create(configMap('web'))
  const rec = recorders.recorderFor('deployment-controller')
  await rec.event(cm, 'Normal', 'R', 'm')
  const [first] = await events()
  await api.delete('events', 'default', first.metadata.name ?? '')
  await rec.event(cm, 'Normal', 'R', 'm')
  const [again] = await events()
  assert.equal([again.metadata.name, again.count], [first.metadata.name, 2])
  const ghost: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ghost', namespace: 'no-such-ns' } }
  await rec.event(ghost, 'Normal', 'R', 'm')
  assert.ok(logs.some((l) => l.level === 'error'), 'the failed write was logged')
})

/**
 * A second process over the same state: an ApiServer of its own (its objects born in the first
 * are not its own) and recorders of their own, on the same clock.
 */
function nextProcess(): { api: ApiServer; recorders: EventRecorders; lookups: string[] } {
  const next = new ApiServer({ storage: api.storage, now: () => clock.now() })
  const lookups: string[] = []
  const named = next.eventsNamedFor.bind(next)
  next.eventsNamedFor = (ns, name) => (lookups.push(`${ns}/${name}`), named(ns, name))
  return { api: next, recorders: new EventRecorders({ api: next, clock }), lookups }
}

test('a later process counts up on the Event an earlier one stored (a one-shot command after another)', async () => {
  const cm = await api.create(configMap('web'))
  await recorders.recorderFor('kubelet', 'node-1').event(cm, 'Warning', 'BackOff', 'Back-off pulling image "x"')
  clock.advanceTo(new Date('2024-01-01T00:01:00Z'))
  const second = nextProcess()
  const rec = second.recorders.recorderFor('kubelet', 'node-1')
  await rec.event(cm, 'Warning', 'BackOff', 'Back-off pulling image "x"')
  await rec.event(cm, 'Warning', 'BackOff', 'Back-off pulling image "x"')
  // Another component's identical event is its own Event, as in one process.
  await second.recorders.recorderFor('kubelet', 'node-2').event(cm, 'Warning', 'BackOff', 'Back-off pulling image "x"')
  const all = await events()
  const mine = all.filter((e) => e.source?.host === 'node-1')
  assert.is(mine.length, 1, JSON.stringify(all.map((e) => [e.metadata.name, e.count])))
  assert.equal([mine[0].metadata.name, mine[0].count, mine[0].firstTimestamp, mine[0].lastTimestamp], ['web.17a6101701650000', 3, '2024-01-01T00:00:00Z', '2024-01-01T00:01:00Z'])
  assert.equal(all.filter((e) => e.source?.host === 'node-2').map((e) => e.count), [1])
  assert.equal(second.lookups, ['default/web', 'default/web'], 'looked up once per recorder and object')
})

test('a later process goes on combining similar events that an earlier one combined', async () => {
  const cm = await api.create(configMap('web'))
  for (let i = 0; i < 12; i++) await recorders.recorderFor('replicaset-controller').event(cm, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`)
  clock.advanceTo(new Date('2024-01-01T00:05:00Z'))
  const second = nextProcess()
  await second.recorders.recorderFor('replicaset-controller').event(cm, 'Normal', 'SuccessfulCreate', 'Created pod: web-12')
  const all = await events()
  assert.is(all.length, 10, 'no new Event')
  const combined = all.filter((e) => e.message?.startsWith(COMBINED_PREFIX))
  assert.equal([combined.length, combined[0].count, combined[0].message], [1, 4, `${COMBINED_PREFIX}Created pod: web-12`])
  // Past the 10 minutes since the last similar event, counting starts over: the event is its own.
  clock.advanceTo(new Date('2024-01-01T00:16:00Z'))
  const third = nextProcess()
  await third.recorders.recorderFor('replicaset-controller').event(cm, 'Normal', 'SuccessfulCreate', 'Created pod: web-13')
  const after = await events()
  assert.is(after.length, 11)
  assert.ok(after.some((e) => e.message === 'Created pod: web-13' && e.count === 1))
})

test('of two stored Events for one happening (from before the look-up), the latest is counted on', async () => {
  const cm = await api.create(configMap('web'))
  await recorders.recorderFor('kubelet', 'node-1').event(cm, 'Warning', 'BackOff', 'Back-off')
  clock.advanceTo(new Date('2024-01-01T00:05:00Z'))
  // A second Event for the same happening, as a process without look-ups wrote one per command.
  const other = new EventRecorders({ api, clock }).recorderFor('kubelet', 'node-1')
  await other.event(cm, 'Warning', 'BackOff', 'Back-off')
  await other.event(cm, 'Warning', 'BackOff', 'Back-off')
  clock.advanceTo(new Date('2024-01-01T00:10:00Z'))
  await nextProcess().recorders.recorderFor('kubelet', 'node-1').event(cm, 'Warning', 'BackOff', 'Back-off')
  const all = (await events()).map((e) => [e.count, e.lastTimestamp]).sort()
  assert.equal(all, [[1, '2024-01-01T00:00:00Z'], [3, '2024-01-01T00:10:00Z']])
})

test('no look-up for an object this process created, nor for an event about an object without a uid', async () => {
  const second = nextProcess()
  const cm = await second.api.create(configMap('fresh'))
  await second.recorders.recorderFor('kubelet', 'node-1').event(cm, 'Normal', 'Pulled', 'pulled')
  await second.recorders.recorderFor('kubelet', 'node-1').event({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } }, 'Normal', 'Pulled', 'pulled')
  assert.equal(second.lookups, [])
  assert.is((await events()).length, 2)
})

test('an earlier Event of a same-named object that was deleted and created again is not counted on', async () => {
  const cm = await api.create(configMap('web'))
  await recorders.recorderFor('kubelet', 'node-1').event(cm, 'Warning', 'BackOff', 'Back-off')
  await api.delete('configmaps', 'default', 'web')
  const again = await api.create(configMap('web'))
  const second = nextProcess()
  await second.recorders.recorderFor('kubelet', 'node-1').event(again, 'Warning', 'BackOff', 'Back-off')
  assert.equal((await events()).map((e) => [e.involvedObject.uid === again.metadata.uid, e.count]).sort(), [[false, 1], [true, 1]])
})

test('field managers per component', () => {
  const cases = [
    { name: 'kubelet', component: 'kubelet', want: 'kubelet' },
    { name: 'scheduler', component: 'default-scheduler', want: 'kube-scheduler' },
    { name: 'a controller', component: 'deployment-controller', want: 'kube-controller-manager' },
  ]
  for (const c of cases) assert.is(fieldManagerFor(c.component), c.want, c.name)
})

test.run()
