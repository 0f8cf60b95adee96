/** ControllerManager over the real ApiServer: resync, chains of work, requeues, errors, loops, run(). */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { ApiServer } from '../../../reconciler/api/api-server.js'
import { isAlreadyExists, isNotFound } from '../../../reconciler/api/errors.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { ControllerManager, ReconcileLoopError } from '../../../reconciler/controllers/runtime/manager.js'
import { TerminalError, type Controller, type Request, type Result } from '../../../reconciler/controllers/runtime/types.js'
import type { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { WallClock } from '../../../reconciler/controllers/runtime/wall-clock.js'
import { at, configMap, makeWorld, START } from './fixture.js'

const test = suite('controller manager')

/** A controller whose reconcile is a function, recording every request it sees. */
function controller(
  name: string,
  resource: string,
  fn: (req: Request) => Promise<Result> | Result = () => ({}),
  extra: Partial<Controller> = {},
): Controller & { seen: string[] } {
  const seen: string[] = []
  return {
    name,
    resource,
    seen,
    ...extra,
    async reconcile(req) {
      seen.push(`${req.namespace ?? ''}/${req.name}`)
      return fn(req)
    },
  }
}

let api: ApiServer
let clock: VirtualClock
let logs: Array<Record<string, unknown>>
let mgr: ControllerManager
test.before.each(async () => {
  ;({ api, clock } = await makeWorld())
  logs = []
  mgr = new ControllerManager({ api, clock, log: (l) => logs.push(l) })
})
test.after.each(async () => {
  await mgr.stop()
})

test('start enqueues every existing object once (the initial resync), then changes as they happen', async () => {
  await api.create(configMap('one'))
  await api.create(configMap('two'))
  const c = controller('cm', 'configmaps')
  mgr.add(c)
  await mgr.start()
  assert.equal(mgr.pending().queued.map((p) => p.key).filter((k) => k.startsWith('configmaps/default/')), [
    'configmaps/default/one',
    'configmaps/default/two',
  ])
  await mgr.settle()
  assert.ok(c.seen.includes('default/one') && c.seen.includes('default/two'))
  c.seen.length = 0
  await api.patch('configmaps', 'default', 'one', 'merge', { data: { a: '1' } }, { fieldManager: 'test' })
  await api.patch('configmaps', 'default', 'one', 'merge', { data: { a: '2' } }, { fieldManager: 'test' })
  await api.delete('configmaps', 'default', 'two')
  await mgr.settle()
  assert.equal(c.seen, ['default/one', 'default/two'], 'two changes to one key collapse into one reconcile; a deletion enqueues')
  assert.equal(mgr.pending(), { queued: [], delayed: [] })
})

test('settle runs chains of work across controllers, in one call', async () => {
  // "mirror" turns each ConfigMap into a Secret; "stamp" labels each Secret and also watches ConfigMaps.
  const mirror = controller('mirror', 'configmaps', async (req) => {
    try {
      await api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: req.name, namespace: req.namespace }, type: 'Opaque' }, { fieldManager: 'mirror' })
    } catch (err) {
      if (!isAlreadyExists(err)) throw err
    }
    return {}
  })
  const oldOf: Array<string | undefined> = []
  const stamp = controller(
    'stamp',
    'secrets',
    async (req) => {
      try {
        const s = await api.get('secrets', req.namespace, req.name)
        if (s.metadata.labels?.stamped !== 'yes') {
          await api.patch('secrets', req.namespace, req.name, 'merge', { metadata: { labels: { stamped: 'yes' } } }, { fieldManager: 'stamp' })
        }
      } catch (err) {
        if (!isNotFound(err)) throw err
      }
      return {}
    },
    {
      watches: [
        {
          resource: 'configmaps',
          map: (obj: KObject, old: KObject | undefined) => {
            oldOf.push(old?.metadata.resourceVersion)
            return [{ resource: 'secrets', namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' }]
          },
        },
      ],
    },
  )
  mgr.add(mirror)
  mgr.add(stamp)
  await mgr.settle()
  await api.create(configMap('app'))
  await mgr.settle()
  const secret = await api.get('secrets', 'default', 'app')
  assert.is(secret.metadata.labels?.stamped, 'yes')
  assert.equal(mgr.pending(), { queued: [], delayed: [] })
  // The watch mapping got the previous state on a change.
  const before = (await api.get('configmaps', 'default', 'app')).metadata.resourceVersion
  await api.patch('configmaps', 'default', 'app', 'merge', { data: { x: 'y' } }, { fieldManager: 'test' })
  assert.is(oldOf[oldOf.length - 1], before)
})

test('accepts filters the changes to its own objects that enqueue them (a throwing filter lets them through)', async () => {
  const seenTypes: string[] = []
  const c = controller('cm', 'configmaps', () => ({}), {
    accepts: (type, obj, old) => {
      seenTypes.push(`${type} ${obj.metadata.name} old=${old ? 'yes' : 'no'}`)
      if (obj.metadata.name === 'boom') throw new Error('filter bug')
      return (obj as KObject & { data?: Record<string, string> }).data?.wanted === 'yes'
    },
  })
  mgr.add(c)
  await api.create(configMap('kept', { wanted: 'yes' }))
  await api.create(configMap('skipped', { wanted: 'no' }))
  await mgr.settle()
  assert.equal(c.seen.filter((k) => k.startsWith('default/')).sort(), ['default/kept'])
  const cases: Array<{ name: string; change: () => Promise<unknown>; reconciled: string[] }> = [
    { name: 'a change the filter takes', change: () => api.update({ ...configMap('skipped', { wanted: 'yes' }) }), reconciled: ['default/skipped'] },
    { name: 'a change the filter drops', change: () => api.update({ ...configMap('kept', { wanted: 'no' }) }), reconciled: [] },
    { name: 'a filter that throws', change: () => api.create(configMap('boom')), reconciled: ['default/boom'] },
  ]
  for (const k of cases) {
    c.seen.length = 0
    await k.change()
    await mgr.settle()
    assert.equal(c.seen, k.reconciled, k.name)
  }
  assert.ok(seenTypes.includes('MODIFIED skipped old=yes'))
  assert.ok(seenTypes.includes('ADDED kept old=no'))
})

test('requeueAfterMs fires only once time advances that far', async () => {
  await api.create(configMap('timer'))
  const times: number[] = []
  const c = controller('timer', 'configmaps', (req) => {
    if (req.name !== 'timer') return {}
    times.push(clock.now().getTime() - START.getTime())
    return times.length < 3 ? { requeueAfterMs: 30_000 } : {}
  })
  mgr.add(c)
  await mgr.settle()
  assert.equal(times, [0])
  assert.equal(mgr.pending().delayed, [{ controller: 'timer', key: 'configmaps/default/timer', at: at(30_000) }])
  await mgr.advance(29_999)
  assert.equal(times, [0])
  await mgr.advance(1)
  assert.equal(times, [0, 30_000])
  await mgr.advanceTo(at(120_000))
  assert.equal(times, [0, 30_000, 60_000], 'each run sees the time it was due')
  assert.equal(clock.now(), at(120_000))
  assert.equal(mgr.pending().delayed, [])
})

test('a TerminalError is logged and dropped', async () => {
  await api.create(configMap('bad'))
  const c = controller('terminal', 'configmaps', (req) => {
    if (req.name === 'bad') throw new Error('wrapped', { cause: new TerminalError('cannot ever work') })
    return {}
  })
  mgr.add(c)
  await mgr.settle()
  await mgr.advance(3_600_000)
  assert.is(c.seen.filter((s) => s === 'default/bad').length, 1)
  assert.equal(mgr.pending(), { queued: [], delayed: [] })
  assert.ok(logs.some((l) => l.controller === 'terminal' && l.key === 'configmaps/default/bad' && l.level === 'error'))
})

test('a thrown error is retried after its backoff, when time advances', async () => {
  await api.create(configMap('flaky'))
  let failures = 3
  const times: number[] = []
  const c = controller('flaky', 'configmaps', (req) => {
    if (req.name !== 'flaky') return {}
    times.push(clock.now().getTime() - START.getTime())
    if (failures-- > 0) throw new Error('not yet')
    return {}
  })
  mgr.add(c)
  await mgr.settle()
  assert.equal(times, [0], 'no retry without time passing')
  assert.equal(mgr.pending().delayed.map((d) => d.at), [at(5)])
  await mgr.advance(1000)
  assert.equal(times, [0, 5, 15, 35], 'retried at 5, +10, +20 ms, then it succeeds')
  assert.equal(mgr.pending().delayed, [])
  assert.is(logs.filter((l) => l.msg === 'Reconciler error' && l.key === 'configmaps/default/flaky').length, 3)
})

test('settle fails with the controller and key of a reconcile loop', async () => {
  await api.create(configMap('loop'))
  const looping = new ControllerManager({ api, clock, maxReconcilesPerKey: 50 })
  let n = 0
  looping.add(
    controller('looper', 'configmaps', async (req) => {
      // Writes its own object every time: each write enqueues it again.
      if (req.name === 'loop') await api.patch('configmaps', 'default', 'loop', 'merge', { data: { n: String(n++) } }, { fieldManager: 'looper' })
      return {}
    }),
  )
  try {
    await looping.settle()
    assert.unreachable('settle should have failed')
  } catch (err) {
    assert.instance(err, ReconcileLoopError)
    const e = err as ReconcileLoopError
    assert.equal([e.controller, e.key, e.reconciles], ['looper', 'configmaps/default/loop', 50])
  } finally {
    await looping.stop()
  }
  assert.is(n, 50)
})

test('pending lists queued and delayed work per controller', async () => {
  await api.create(configMap('p1'))
  const a = controller('a', 'configmaps', (req) => (req.name === 'p1' ? { requeueAfterMs: 2000 } : {}))
  const b = controller('b', 'secrets', () => ({ requeueAfterMs: 1000 }))
  mgr.add(a)
  mgr.add(b)
  await mgr.start()
  await api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1', namespace: 'default' } })
  const before = mgr.pending()
  assert.ok(before.queued.some((p) => p.controller === 'a' && p.key === 'configmaps/default/p1'))
  assert.ok(before.queued.some((p) => p.controller === 'b' && p.key === 'secrets/default/s1'))
  await mgr.settle()
  const after = mgr.pending()
  assert.equal(after.queued, [])
  assert.equal(after.delayed, [
    { controller: 'b', key: 'secrets/default/s1', at: at(1000) },
    { controller: 'a', key: 'configmaps/default/p1', at: at(2000) },
  ])
})

test('run() on the wall clock processes events live, never one key twice at once, until stop()', async () => {
  const wall = new WallClock()
  const live = new ControllerManager({ api, clock: wall })
  let active = 0
  let maxActive = 0
  const overlaps: string[] = []
  const inFlight = new Set<string>()
  const c = controller(
    'live',
    'configmaps',
    async (req) => {
      if (inFlight.has(req.name)) overlaps.push(req.name)
      inFlight.add(req.name)
      active++
      maxActive = Math.max(maxActive, active)
      await new Promise((r) => setTimeout(r, 5))
      active--
      inFlight.delete(req.name)
      return {}
    },
    { workers: 2 },
  )
  live.add(c)
  const done = live.run()
  await new Promise((r) => setTimeout(r, 10))
  await api.create(configMap('x'))
  await api.create(configMap('y'))
  await api.patch('configmaps', 'default', 'x', 'merge', { data: { v: '1' } }, { fieldManager: 't' })
  const deadline = Date.now() + 2000
  while (!(c.seen.includes('default/x') && c.seen.includes('default/y')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
  assert.ok(c.seen.includes('default/x') && c.seen.includes('default/y'), `seen ${c.seen.join(', ')}`)
  assert.equal(overlaps, [])
  assert.is(maxActive, 2, 'two workers ran distinct keys at once')
  await live.stop()
  await done
  const count = c.seen.length
  await api.create(configMap('after-stop'))
  await new Promise((r) => setTimeout(r, 20))
  assert.is(c.seen.length, count, 'nothing runs after stop')
})

test('run() delivers delayed requests through the wall clock’s timers', async () => {
  const wall = new WallClock()
  const live = new ControllerManager({ api, clock: wall })
  await api.create(configMap('again'))
  let runs = 0
  live.add(controller('again', 'configmaps', (req) => (req.name === 'again' && ++runs < 2 ? { requeueAfterMs: 20 } : {})))
  const done = live.run()
  const deadline = Date.now() + 2000
  while (runs < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
  assert.is(runs, 2)
  await live.stop()
  await done
})

test('contextFor gives a controller the api, clock, its recorder and a tagged log; settle waits for its events', async () => {
  const ctx = mgr.contextFor('deployment-controller')
  assert.is(ctx.api, api)
  assert.is(ctx.clock, clock)
  await api.create(configMap('ev'))
  mgr.add(
    controller('ev', 'configmaps', async (req) => {
      if (req.name !== 'ev') return {}
      const obj = await ctx.api.get('configmaps', req.namespace, req.name)
      void ctx.events.event(obj, 'Normal', 'Seen', 'seen it') // not awaited on purpose
      ctx.log({ msg: 'hello' })
      return {}
    }),
  )
  await mgr.settle()
  const evs = (await api.list('events', { namespace: 'default' })).items
  assert.equal(evs.map((e) => e.reason), ['Seen'])
  assert.ok(logs.some((l) => l.controller === 'deployment-controller' && l.msg === 'hello'))
})

test('advance needs a virtual clock; a stopped manager does not run', async () => {
  const wall = new ControllerManager({ api, clock: new WallClock() })
  await assert_rejects(() => wall.advance(10))
  await wall.stop()
  assert.throws(() => wall.run())
})

async function assert_rejects(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn()
  } catch {
    return
  }
  assert.unreachable('expected a rejection')
}

test.run()
