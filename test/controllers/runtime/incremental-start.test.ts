/** ControllerManager's incremental start: changes delivered after every kind is primed; the delayed work carried to the next run. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { ControllerManager, type IncrementalStart } from '../../../reconciler/controllers/runtime/manager.js'
import type { InformerChange } from '../../../reconciler/controllers/runtime/informer.js'
import type { Controller, Request, Result } from '../../../reconciler/controllers/runtime/types.js'
import type { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { at, configMap, makeWorld } from './fixture.js'

const test = suite('controller manager: incremental start')

let api: ApiServer
let clock: VirtualClock
let mgr: ControllerManager
test.before.each(async () => {
  ;({ api, clock } = await makeWorld())
  mgr = new ControllerManager({ api, clock })
})
test.after.each(async () => {
  await mgr.stop()
})

const secret = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, data: {} })

/** An incremental start whose changes are given by resource. */
function start(changes: Record<string, Record<string, InformerChange>>, delayed: IncrementalStart['delayed'] = []): IncrementalStart {
  return { changes: (r) => new Map(Object.entries(changes[r] ?? {})), delayed }
}

function controller(name: string, resource: string, fn: (req: Request) => Result = () => ({}), extra: Partial<Controller> = {}): Controller {
  return { name, resource, ...extra, async reconcile(req) { return fn(req) } }
}

test('a change of a watched kind maps through memories primed from every kind, whatever order the informers opened in', async () => {
  await api.create(configMap('uses-s', { secret: 's' }))
  await api.create(secret('s'))
  // Registered first: the secrets informer opens before the configmaps one.
  mgr.add(controller('secrets-first', 'secrets', () => ({}), { incremental: true }))
  const named = new Map<string, string>()
  mgr.add(
    controller('by-secret', 'configmaps', () => ({}), {
      incremental: true,
      prime: (cm) => {
        named.set(String((cm as { data?: Record<string, string> }).data?.secret), cm.metadata.name!)
      },
      watches: [{ resource: 'secrets', map: (s) => (named.has(s.metadata.name!) ? [{ resource: 'configmaps', namespace: 'default', name: named.get(s.metadata.name!)! }] : []) }],
    }),
  )
  await mgr.start(start({ secrets: { 'default/s': {} } }))
  const queued = mgr.pending().queued
  assert.equal(
    queued.filter((q) => q.controller === 'by-secret').map((q) => q.key),
    ['configmaps/default/uses-s'],
  )
  assert.equal(queued.filter((q) => q.controller === 'secrets-first').map((q) => q.key), ['secrets/default/s'])
})

test('the work carried to the next run is what each key last asked for', async () => {
  await api.create(configMap('done'))
  await api.create(configMap('later'))
  await api.create(configMap('waits'))
  let round = 0
  mgr.add(
    controller('c', 'configmaps', (req) => {
      if (round === 0) return { requeueAfterMs: 600_000 }
      // Second round: `done` wants nothing more, `later` wants a later re-check.
      return req.name === 'done' ? {} : { requeueAfterMs: 900_000 }
    }),
  )
  await mgr.settle()
  round = 1
  await mgr.advance(1_000)
  // `waits` is not reconciled again; the other two are.
  await api.update({ ...(await api.get('configmaps', 'default', 'done')), data: { x: '1' } })
  await api.update({ ...(await api.get('configmaps', 'default', 'later')), data: { x: '1' } })
  await mgr.settle()
  const cases = [
    { name: 'a key whose last reconcile asked nothing: dropped', key: 'configmaps/default/done', at: undefined },
    { name: 'a key that asked for later: the later time', key: 'configmaps/default/later', at: at(901_000) },
    { name: 'a key not reconciled since: kept', key: 'configmaps/default/waits', at: at(600_000) },
  ]
  const carried = mgr.resumableWork()
  for (const c of cases) assert.equal(carried.find((d) => d.key === c.key)?.at, c.at, c.name)
  // The queue itself still holds the earlier timers, as client-go's delaying queue would.
  assert.equal(mgr.pending().delayed.length, 3)
})

test('a key whose reconcile fails keeps its retry', async () => {
  await api.create(configMap('bad'))
  mgr.add(
    controller('c', 'configmaps', () => {
      throw new Error('boom')
    }),
  )
  await mgr.settle()
  assert.equal(mgr.resumableWork().map((d) => d.key), ['configmaps/default/bad'])
})

test.run()
