/** WorkQueue: dedupe, never one key twice at once, delayed adds, rate-limited retries. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { exponentialBackoffMs } from '../../../reconciler/controllers/runtime/rate-limiter.js'
import { TokenBucket } from '../../../reconciler/controllers/runtime/token-bucket.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { WorkQueue } from '../../../reconciler/controllers/runtime/work-queue.js'
import { at, START } from './fixture.js'

const test = suite('work queue')
const newQueue = (): { q: WorkQueue; clock: VirtualClock } => {
  const clock = new VirtualClock(START)
  return { q: new WorkQueue(clock), clock }
}

test('dedupes queued keys and keeps first-in order', () => {
  const { q } = newQueue()
  for (const k of ['a', 'b', 'a', 'c', 'b']) q.add(k)
  assert.equal(q.queued(), ['a', 'b', 'c'])
  assert.is(q.get(), 'a')
  assert.is(q.get(), 'b')
  assert.is(q.get(), 'c')
  assert.is(q.get(), undefined)
})

test('never hands out a key being processed; re-adds it when done', () => {
  const { q } = newQueue()
  q.add('a')
  q.add('b')
  assert.is(q.get(), 'a')
  q.add('a') // changed while processing
  q.add('a')
  assert.equal(q.queued(), ['b'], 'a is not handed out again while processing')
  assert.is(q.get(), 'b')
  assert.is(q.get(), undefined)
  q.done('a')
  assert.equal(q.queued(), ['a'], 'queued once more when done')
  assert.is(q.get(), 'a')
  q.done('a')
  q.done('b')
  assert.is(q.len(), 0)
})

test('addAfter waits for the clock and keeps the earliest due time', () => {
  const { q, clock } = newQueue()
  q.addAfter('a', 1000)
  q.addAfter('a', 5000) // later: ignored
  q.addAfter('b', 3000)
  q.addAfter('b', 2000) // earlier: replaces
  q.addAfter('c', 0) // no delay: now
  assert.equal(q.queued(), ['c'])
  assert.equal(q.delayed(), [
    { key: 'a', at: at(1000) },
    { key: 'b', at: at(2000) },
  ])
  clock.advanceTo(at(1999))
  assert.equal(q.queued(), ['c', 'a'])
  clock.advanceTo(at(2000))
  assert.equal(q.queued(), ['c', 'a', 'b'])
  assert.equal(q.delayed(), [])
  clock.advanceTo(at(10_000))
  assert.equal(q.queued(), ['c', 'a', 'b'], 'the replaced timers do not fire again')
})

test('rate-limited adds back off exponentially per key; forget resets', () => {
  const { q, clock } = newQueue()
  const delays: number[] = []
  for (let i = 0; i < 5; i++) {
    q.addRateLimited('a')
    delays.push(q.delayed()[0].at.getTime() - clock.now().getTime())
    clock.advanceTo(q.delayed()[0].at)
    assert.is(q.get(), 'a')
    q.done('a')
  }
  assert.equal(delays, [5, 10, 20, 40, 80])
  assert.is(q.numRequeues('a'), 5)
  q.addRateLimited('b')
  assert.equal(q.delayed(), [{ key: 'b', at: new Date(clock.now().getTime() + 5) }], 'keys back off independently')
  q.forget('a')
  assert.is(q.numRequeues('a'), 0)
  q.addRateLimited('a')
  assert.equal(q.delayed()[0], { key: 'a', at: new Date(clock.now().getTime() + 5) })
})

test('exponentialBackoffMs: 5 ms doubling, capped at 1000 s', () => {
  const cases = [
    { name: 'first failure', failures: 0, want: 5 },
    { name: 'second failure', failures: 1, want: 10 },
    { name: 'tenth failure', failures: 9, want: 2560 },
    { name: 'eighteenth failure (655.36 s)', failures: 17, want: 655_360 },
    { name: 'nineteenth failure: capped', failures: 18, want: 1_000_000 },
    { name: 'far past the cap', failures: 5000, want: 1_000_000 },
  ]
  for (const c of cases) assert.is(exponentialBackoffMs(c.failures), c.want, c.name)
})

test('token bucket: burst, then waits at the refill rate', () => {
  const cases = [
    { name: '10/s burst 100: the 101st reservation waits 100 ms', rate: 10, burst: 100, takes: 101, elapsedMs: 0, want: 100 },
    { name: '10/s burst 100: the 102nd waits 200 ms', rate: 10, burst: 100, takes: 102, elapsedMs: 0, want: 200 },
    { name: 'refilled after a second', rate: 10, burst: 100, takes: 110, elapsedMs: 1000, want: 0 },
  ]
  for (const c of cases) {
    const b = new TokenBucket(c.rate, c.burst)
    let wait = 0
    for (let i = 0; i < c.takes; i++) wait = b.reserve(i < 100 ? 0 : c.elapsedMs)
    assert.ok(Math.abs(wait - c.want) < 1e-6, `${c.name}: ${wait}`)
  }
  const spam = new TokenBucket(1 / 300, 2)
  assert.equal([spam.tryTake(0), spam.tryTake(0), spam.tryTake(0), spam.tryTake(299_000), spam.tryTake(300_000)], [true, true, false, false, true])
})

test('shutDown drops delayed keys and wakes waiters', async () => {
  const { q, clock } = newQueue()
  q.addAfter('a', 10)
  const woke = q.wait()
  q.shutDown()
  await woke
  clock.advanceTo(at(100))
  assert.is(q.len(), 0)
  q.add('b')
  assert.is(q.len(), 0)
})

/** A clock whose timers never fire by themselves (as a wall clock's may run late): only promoteDue queues. */
class LateClock {
  constructor(public ms: number) {}
  now(): Date {
    return new Date(this.ms)
  }
  at(): () => void {
    return () => {}
  }
}

const promoteCases: Array<{ name: string; adds: Array<[string, number]>; steps: Array<{ now: number; queued: string[] }> }> = [
  { name: 'nothing due: nothing queued', adds: [['a', 100]], steps: [{ now: 50, queued: [] }] },
  { name: 'due keys queued in insertion order, later ones wait', adds: [['b', 300], ['a', 100], ['c', 200]], steps: [{ now: 200, queued: ['a', 'c'] }, { now: 250, queued: ['a', 'c'] }, { now: 300, queued: ['a', 'c', 'b'] }] },
  { name: 'an earlier due time replaces a later one', adds: [['a', 500], ['a', 100]], steps: [{ now: 100, queued: ['a'] }] },
  { name: 'after a promotion, the next earliest still counts', adds: [['a', 100], ['b', 400], ['c', 150]], steps: [{ now: 120, queued: ['a'] }, { now: 150, queued: ['a', 'c'] }, { now: 399, queued: ['a', 'c'] }, { now: 400, queued: ['a', 'c', 'b'] }] },
]
for (const c of promoteCases) {
  test(`promoteDue: ${c.name}`, () => {
    const clock = new LateClock(0)
    const q = new WorkQueue(clock)
    for (const [k, ms] of c.adds) q.addAfter(k, ms)
    for (const step of c.steps) {
      clock.ms = step.now
      q.promoteDue()
      assert.equal(q.queued(), step.queued, `at ${step.now}`)
    }
  })
}

test.run()
