/**
 * The event write path against a frozen copy of it (event-reference/): a recorded sequence of events
 * (many objects and components, repeats, more than 25 per object for the spam filter, more than 10
 * similar messages for aggregation, Events deleted meanwhile, name collisions, small caches that
 * evict) goes through both, and every write (create or patch, its body, its field manager) and every
 * log line must be the same, in the same order.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { ApiClient } from '../../../reconciler/api/client.js'
import { alreadyExists, notFound } from '../../../reconciler/api/errors.js'
import type { KObject } from '../../../reconciler/api/object.js'
import type { CoreEvent } from '../../../reconciler/controllers/runtime/core-event.js'
import { EventCorrelator, type CorrelatorOptions } from '../../../reconciler/controllers/runtime/event-correlator.js'
import { EventRecorders } from '../../../reconciler/controllers/runtime/event-recorder.js'
import type { Clock } from '../../../reconciler/controllers/runtime/types.js'
import { EventCorrelator as RefCorrelator } from './event-reference/event-correlator.js'

const test = suite('event write path: differential against the reference copy')

const EVENT_KIND = { kind: 'Event', group: '', plural: 'events' }

/** A deterministic pseudo-random source. */
function random(seed: number): () => number {
  let s = seed
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648
}

/** What the fake API saw, in order. */
type Write = { op: 'create' | 'patch'; namespace?: string; name: string; body: unknown; fieldManager?: string; outcome: string }

/**
 * An API that stores Events by namespace and name: creates (AlreadyExists on a taken name, and on
 * every `collideEvery`th create), merge patches (NotFound when gone), deletes on request (the TTL).
 */
function fakeApi(collideEvery: number) {
  const store = new Map<string, CoreEvent>()
  const writes: Write[] = []
  let rv = 0
  let creates = 0
  const api = {
    async create(body: KObject, opts: { fieldManager?: string } = {}): Promise<KObject> {
      const key = `${body.metadata.namespace}/${body.metadata.name}`
      const w: Write = { op: 'create', namespace: body.metadata.namespace, name: body.metadata.name ?? '', body: JSON.parse(JSON.stringify(body)), fieldManager: opts.fieldManager, outcome: 'ok' }
      writes.push(w)
      if (store.has(key) || ++creates % collideEvery === 0) {
        w.outcome = 'AlreadyExists'
        throw alreadyExists(EVENT_KIND, body.metadata.name ?? '')
      }
      const stored = JSON.parse(JSON.stringify(body)) as CoreEvent
      stored.metadata.resourceVersion = String(++rv)
      store.set(key, stored)
      return JSON.parse(JSON.stringify(stored)) as KObject
    },
    async patch(_resource: string, namespace: string, name: string, type: string, patch: Record<string, unknown>, opts: { fieldManager?: string } = {}): Promise<KObject> {
      const key = `${namespace}/${name}`
      const w: Write = { op: 'patch', namespace, name, body: { type, patch: JSON.parse(JSON.stringify(patch)) }, fieldManager: opts.fieldManager, outcome: 'ok' }
      writes.push(w)
      const old = store.get(key)
      if (!old) {
        w.outcome = 'NotFound'
        throw notFound(EVENT_KIND, name)
      }
      const next = { ...old, ...patch, metadata: { ...old.metadata, resourceVersion: String(++rv) } } as CoreEvent
      store.set(key, next)
      return JSON.parse(JSON.stringify(next)) as KObject
    },
  }
  /** Deletes every `n`th stored Event (as the API server's event TTL would). */
  const expire = (n: number): void => {
    let i = 0
    for (const k of [...store.keys()]) if (++i % n === 0) store.delete(k)
  }
  // (The recorder calls only create and patch: the rest of ApiClient is not needed here.)
  return { api: api as unknown as ApiClient, writes, expire }
}

/** A clock the sequence moves by hand. */
function manualClock(start: number): Clock & { advance(ms: number): void } {
  let t = start
  return { now: () => new Date(t), at: () => () => {}, advance: (ms) => void (t += ms) }
}

/** An object events are about. */
function object(kind: string, name: string, namespace: string | undefined, uid: string, rv: number): KObject {
  const apiVersion = kind === 'ReplicaSet' || kind === 'Deployment' ? 'apps/v1' : 'v1'
  const metadata: KObject['metadata'] = { name, uid, resourceVersion: String(rv) }
  if (namespace) metadata.namespace = namespace
  return { apiVersion, kind, metadata }
}

type Step =
  | { do: 'event'; component: string; host?: string; object: KObject; type: 'Normal' | 'Warning'; reason: string; message: string }
  | { do: 'advance'; ms: number }
  | { do: 'expire'; every: number }
  | { do: 'flush' }

/** The recorded sequence: a rollout-shaped stream with bursts, repeats, pauses and deletions. */
function sequence(seed: number, length: number): Step[] {
  const rnd = random(seed)
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]
  const objects: KObject[] = []
  for (let i = 0; i < 12; i++) objects.push(object('Pod', `web-${i % 4}-pod${i}`, i % 5 === 0 ? 'other' : 'default', `uid-p${i}`, i))
  for (let i = 0; i < 4; i++) objects.push(object('ReplicaSet', `web-${i}`, 'default', `uid-rs${i}`, 100 + i))
  objects.push(object('Deployment', 'web', 'default', 'uid-d', 7))
  objects.push(object('Node', 'node-a', undefined, 'uid-n', 3))
  objects.push(object('Pod', 'no-uid', 'default', '', 0))
  const sources = [{ component: 'default-scheduler' }, { component: 'kubelet', host: 'node-a' }, { component: 'kubelet', host: 'node-b' }, { component: 'replicaset-controller' }, { component: 'deployment-controller' }]
  const reasons = ['Scheduled', 'Pulled', 'Created', 'Started', 'SuccessfulCreate', 'BackOff']
  const steps: Step[] = []
  while (steps.length < length) {
    const r = rnd()
    if (r < 0.04) steps.push({ do: 'advance', ms: pick([1, 1000, 61_000, 5 * 60_000 + 1, 11 * 60_000]) })
    else if (r < 0.05) steps.push({ do: 'expire', every: pick([2, 3, 7]) })
    else if (r < 0.08) steps.push({ do: 'flush' })
    else if (r < 0.3) {
      // A burst about one object: one reason, many distinct messages (aggregation) and repeats (counts, spam).
      const o = pick(objects)
      const src = pick(sources)
      const reason = pick(reasons)
      const n = 5 + Math.floor(rnd() * 30)
      for (let i = 0; i < n; i++) {
        const message = rnd() < 0.3 ? 'the same message' : rnd() < 0.05 ? '' : `Created pod: ${o.metadata.name}-${Math.floor(rnd() * 20)}`
        steps.push({ do: 'event', ...src, object: o, type: rnd() < 0.9 ? 'Normal' : 'Warning', reason, message })
      }
    } else {
      const src = pick(sources)
      steps.push({ do: 'event', ...src, object: pick(objects), type: rnd() < 0.95 ? 'Normal' : 'Warning', reason: pick(reasons), message: `msg ${Math.floor(rnd() * 6)}` })
    }
  }
  // An unsupported type, once.
  steps.push({ do: 'event', component: 'kubelet', host: 'node-a', object: objects[0], type: 'Bogus' as 'Normal', reason: 'X', message: 'y' })
  return steps
}

/** Runs the steps through one implementation; returns its writes and log lines. */
async function run(Correlator: typeof EventCorrelator | typeof RefCorrelator, steps: Step[], correlator: CorrelatorOptions, collideEvery: number) {
  const { api, writes, expire } = fakeApi(collideEvery)
  const clock = manualClock(Date.parse('2026-01-01T00:00:00Z'))
  const logs: Array<Record<string, unknown>> = []
  const recorders = new EventRecorders({ api, clock, log: (l) => logs.push(l), correlator, newCorrelator: (o) => new Correlator(o) })
  let pending: Promise<void> = Promise.resolve()
  for (const s of steps) {
    if (s.do === 'event') pending = recorders.recorderFor(s.component, s.host).event(s.object, s.type, s.reason, s.message)
    else if (s.do === 'advance') clock.advance(s.ms)
    else if (s.do === 'flush') await recorders.flush()
    else {
      await recorders.flush()
      expire(s.every)
    }
  }
  await pending
  await recorders.flush()
  return { writes, logs }
}

const cases = [
  { name: 'client-go defaults', seed: 1, length: 3000, correlator: {}, collideEvery: 1e9 },
  { name: 'default caches, name collisions', seed: 2, length: 3000, correlator: {}, collideEvery: 41 },
  { name: 'small caches that evict', seed: 3, length: 4000, correlator: { cacheSize: 8 }, collideEvery: 97 },
  { name: 'tiny caches, low limits', seed: 4, length: 3000, correlator: { cacheSize: 3, maxEvents: 3, spamBurst: 5, spamPerSecond: 1 / 60 }, collideEvery: 1e9 },
  { name: 'mid-size caches', seed: 5, length: 5000, correlator: { cacheSize: 40, maxIntervalMs: 60_000 }, collideEvery: 13 },
]

const reached = new Set<string>()

for (const c of cases) {
  test(`recorder: ${c.name}`, async () => {
    const steps = sequence(c.seed, c.length)
    const want = await run(RefCorrelator, steps, c.correlator, c.collideEvery)
    const got = await run(EventCorrelator, steps, c.correlator, c.collideEvery)
    // Which branches the sequence reached (checked over all cases at the end).
    if (want.writes.some((w) => w.op === 'patch' && w.outcome === 'NotFound')) reached.add('patch finds no Event')
    if (want.writes.some((w) => w.outcome === 'AlreadyExists')) reached.add('name collides')
    if (want.writes.some((w) => w.op === 'patch' && w.outcome === 'ok')) reached.add('patch')
    if (want.writes.some((w) => w.op === 'create' && String((w.body as CoreEvent).message).startsWith('(combined'))) reached.add('combined')
    if (want.logs.some((l) => l.msg === 'event dropped by the spam filter')) reached.add('spam filter')
    if (want.logs.some((l) => l.msg === 'unsupported event type')) reached.add('unsupported type')
    assert.is(got.writes.length, want.writes.length)
    for (let i = 0; i < want.writes.length; i++) assert.equal(got.writes[i], want.writes[i], `write ${i}`)
    assert.equal(got.logs, want.logs)
  })
}

test('the recorded sequences reach every branch', () => {
  assert.equal([...reached].sort(), ['combined', 'name collides', 'patch', 'patch finds no Event', 'spam filter', 'unsupported type'])
})

/** Events straight into the correlator, including what the recorder never builds (field paths, no source, no message). */
function rawEvents(seed: number, n: number): Array<{ ev: CoreEvent; at: number }> {
  const rnd = random(seed)
  const out: Array<{ ev: CoreEvent; at: number }> = []
  let t = Date.parse('2026-01-01T00:00:00Z')
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.05) t += Math.floor(rnd() * 700_000)
    const stamp = new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const involvedObject: CoreEvent['involvedObject'] = { kind: rnd() < 0.5 ? 'Pod' : 'Node', name: `o${Math.floor(rnd() * 5)}` }
    if (rnd() < 0.7) involvedObject.namespace = 'default'
    if (rnd() < 0.8) involvedObject.uid = `u${Math.floor(rnd() * 3)}`
    if (rnd() < 0.3) involvedObject.fieldPath = `spec.containers{c${Math.floor(rnd() * 2)}}`
    if (rnd() < 0.9) involvedObject.apiVersion = 'v1'
    const ev: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${involvedObject.name}.${i.toString(16)}`, namespace: involvedObject.namespace ?? 'default' },
      involvedObject,
      reason: rnd() < 0.9 ? `R${Math.floor(rnd() * 3)}` : undefined,
      message: rnd() < 0.9 ? `m${Math.floor(rnd() * 14)}` : undefined,
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
      type: rnd() < 0.8 ? 'Normal' : 'Warning',
    }
    if (rnd() < 0.9) ev.source = rnd() < 0.5 ? { component: 'c' } : { component: 'k', host: `h${Math.floor(rnd() * 2)}` }
    if (rnd() < 0.5) {
      ev.reportingComponent = 'c'
      ev.reportingInstance = rnd() < 0.5 ? 'i' : ''
    }
    out.push({ ev, at: t })
  }
  return out
}

const rawCases = [
  { name: 'defaults', seed: 11, n: 4000, options: {} },
  { name: 'evicting caches', seed: 12, n: 4000, options: { cacheSize: 5 } },
  { name: 'low limits', seed: 13, n: 4000, options: { cacheSize: 50, maxEvents: 4, spamBurst: 8 } },
]

for (const c of rawCases) {
  test(`correlator: ${c.name}`, () => {
    const ref = new RefCorrelator(c.options)
    const cor = new EventCorrelator(c.options)
    let refNames = 0
    let names = 0
    let rv = 0
    for (const { ev, at } of rawEvents(c.seed, c.n)) {
      const now = new Date(at)
      const want = ref.correlate(JSON.parse(JSON.stringify(ev)) as CoreEvent, now, (n) => `${n}.c${refNames++}`)
      const got = cor.correlate(JSON.parse(JSON.stringify(ev)) as CoreEvent, now, (n) => `${n}.c${names++}`)
      assert.equal(got, want)
      if (want.skip) continue
      // What a server returns: the event with a resourceVersion (and, for a patch, the patched fields).
      const written = JSON.parse(JSON.stringify(want.event)) as CoreEvent
      written.metadata.resourceVersion = String(++rv)
      ref.updateState(JSON.parse(JSON.stringify(written)) as CoreEvent)
      cor.updateState(JSON.parse(JSON.stringify(written)) as CoreEvent)
    }
  })
}

test.run()
