/** The leader elector over a fake lease store with etcd's lease semantics, on short real timings. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { LeaderElector } from '../../reconciler/server/leader/elector.js'
import { LEADER_KEY, type ElectionTiming, type LostReason } from '../../reconciler/server/leader/types.js'
import { FakeLeaseStore } from './ha-fake-lease-store.js'

/** Lease 300 ms, renew every 50 ms, give up after 200 ms without a renewal, retry every 40 ms (+ jitter). */
const T: ElectionTiming = { leaseMs: 300, renewDeadlineMs: 200, renewPeriodMs: 50, retryPeriodMs: 40 }

type Line = Record<string, unknown> & { at: number }

interface Candidate {
  elector: LeaderElector
  client: ReturnType<FakeLeaseStore['client']>
  lines: Line[]
  lost: Array<{ reason: LostReason; at: number }>
}

function candidate(store: FakeLeaseStore, identity: string, timing: ElectionTiming = T): Candidate {
  const client = store.client()
  const lines: Line[] = []
  const lost: Candidate['lost'] = []
  const elector = new LeaderElector({
    store: client,
    identity,
    url: `http://${identity}`,
    timing,
    log: (l) => lines.push({ ...l, at: Date.now() }),
    onStoppedLeading: (reason) => lost.push({ reason, at: Date.now() }),
  })
  return { elector, client, lines, lost }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

async function until(what: string, check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

const event = (c: Candidate, name: string): Line | undefined => c.lines.find((l) => l.event === name)

const s = suite('LeaderElector')

s('of two candidates exactly one leads, and the other observes it', async () => {
  const store = new FakeLeaseStore()
  const [a, b] = [candidate(store, 'a'), candidate(store, 'b')]
  a.elector.start()
  b.elector.start()
  try {
    await until('a leader', () => a.elector.leading || b.elector.leading)
    await sleep(4 * T.renewPeriodMs)
    assert.is([a, b].filter((c) => c.elector.leading).length, 1)
    const [leader, follower] = a.elector.leading ? [a, b] : [b, a]
    const elected = event(leader, 'leader-elected')!
    assert.equal([elected.holder, elected.url], [leader.elector.identity, `http://${leader.elector.identity}`])
    await until('leader-observed', () => event(follower, 'leader-observed') !== undefined)
    assert.is(event(follower, 'leader-observed')!.holder, leader.elector.identity)
    assert.is(event(follower, 'leader-elected'), undefined)
    assert.is((await follower.elector.current())?.holder, leader.elector.identity)
    // The leader keeps its lease alive past its TTL.
    assert.ok((store.calls.keepAlive ?? 0) >= 3)
  } finally {
    await a.elector.stop()
    await b.elector.stop()
  }
})

const losses: Array<{ name: string; reason: LostReason; act: (store: FakeLeaseStore, c: Candidate, lease: string) => void }> = [
  { name: 'the store says the lease expired', reason: 'LeaseExpired', act: (store, _c, lease) => store.expireLease(lease) },
  { name: 'the key was deleted', reason: 'KeyGone', act: (store) => store.deleteKey(LEADER_KEY) },
  {
    name: 'the key is held by another lease',
    reason: 'KeyTaken',
    act: (store) => store.putKey(LEADER_KEY, { holder: 'intruder', since: new Date().toISOString() }, '999'),
  },
  { name: 'no renewal succeeds for the renew deadline', reason: 'RenewDeadlineExceeded', act: (_store, c) => void (c.client.down = true) },
]

for (const c of losses) {
  s(`a leader stops leading, once and for good, when ${c.name} (${c.reason})`, async () => {
    const store = new FakeLeaseStore()
    const a = candidate(store, 'a')
    a.elector.start()
    try {
      await until('leading', () => a.elector.leading)
      const lease = String(event(a, 'leader-elected')!.lease)
      const actedAt = Date.now()
      c.act(store, a, lease)
      await until('leader-lost', () => a.lost.length > 0)
      assert.equal(a.lost.map((l) => l.reason), [c.reason])
      assert.is(a.elector.state, 'lost')
      assert.is(a.elector.leading, false)
      const line = event(a, 'leader-lost')!
      assert.equal([line.reason, line.holder], [c.reason, 'a'])
      const after = a.lost[0].at - actedAt
      if (c.reason === 'RenewDeadlineExceeded') {
        // Not before the deadline, and while the lease is still alive in the store: no overlap.
        assert.ok(after >= T.renewDeadlineMs - T.renewPeriodMs - 10, `lost after ${after} ms`)
        assert.ok(store.leases.has(lease), 'the lease outlives the leader that could not renew it')
      } else assert.ok(after <= T.renewPeriodMs + 60, `lost after ${after} ms`)
      // It does not campaign again (the process is to exit).
      a.client.down = false
      store.deleteKey(LEADER_KEY)
      await sleep(3 * T.retryPeriodMs)
      assert.is(a.elector.state, 'lost')
      assert.is(a.lines.filter((l) => l.event === 'leader-elected').length, 1)
    } finally {
      await a.elector.stop()
    }
  })
}

s('a leader cut off from the store stops before its lease expires; the other replica leads only after', async () => {
  const store = new FakeLeaseStore()
  const a = candidate(store, 'a')
  a.elector.start()
  await until('a leads', () => a.elector.leading)
  const b = candidate(store, 'b')
  b.elector.start()
  try {
    await until('b observes a', () => event(b, 'leader-observed') !== undefined)
    const cutAt = Date.now()
    a.client.down = true
    await until('b leads', () => b.elector.leading, 3000)
    const bElected = event(b, 'leader-elected')!
    assert.equal(a.lost.map((l) => l.reason), ['RenewDeadlineExceeded'])
    assert.ok(a.lost[0].at <= bElected.at, 'the old leader stopped before the new one started')
    const took = bElected.at - cutAt
    assert.ok(took >= T.leaseMs - T.renewPeriodMs - 10 && took <= T.leaseMs + 3 * T.retryPeriodMs + 100, `took over after ${took} ms`)
  } finally {
    await a.elector.stop()
    await b.elector.stop()
  }
})

s('stop() releases the lease: a follower takes over within a retry period, not a lease TTL', async () => {
  const store = new FakeLeaseStore()
  const a = candidate(store, 'a')
  a.elector.start()
  await until('a leads', () => a.elector.leading)
  const b = candidate(store, 'b')
  b.elector.start()
  try {
    await until('b observes a', () => event(b, 'leader-observed') !== undefined)
    const stoppedAt = Date.now()
    await a.elector.stop()
    assert.ok(event(a, 'leader-released'))
    assert.equal(a.lost, [], 'stop() is not a loss')
    await until('b leads', () => b.elector.leading)
    assert.ok(Date.now() - stoppedAt < T.leaseMs, `took over after ${Date.now() - stoppedAt} ms`)
  } finally {
    await b.elector.stop()
  }
})

s('a candidate keeps trying while the store is down, logs that once, and leads when it is back', async () => {
  const store = new FakeLeaseStore()
  const a = candidate(store, 'a')
  a.client.down = true
  a.elector.start()
  try {
    await sleep(5 * T.retryPeriodMs)
    assert.is(a.elector.leading, false)
    assert.is(a.lines.filter((l) => l.event === 'leader-election-error').length, 1)
    a.client.down = false
    await until('a leads', () => a.elector.leading)
  } finally {
    await a.elector.stop()
  }
})

const badTimings: Array<{ name: string; timing: ElectionTiming }> = [
  { name: 'a lease no longer than the renew deadline', timing: { ...T, leaseMs: 200 } },
  { name: 'a renew deadline within 1.2 renew periods', timing: { ...T, renewDeadlineMs: 60 } },
  { name: 'a zero retry period', timing: { ...T, retryPeriodMs: 0 } },
]
for (const c of badTimings) {
  s(`timing is refused as client-go's NewLeaderElector refuses it: ${c.name}`, () => {
    assert.throws(() => candidate(new FakeLeaseStore(), 'a', c.timing), (err: unknown) => err instanceof RangeError)
  })
}

s('an acquire that committed but whose answer was lost leads on its own key at the next attempt', async () => {
  const store = new FakeLeaseStore()
  const c = candidate(store, 'a')
  // The first acquire commits in the store, then the answer is lost on the way back.
  let lost = false
  const acquire = c.client.acquire
  c.client.acquire = async (key, record, leaseId) => {
    const res = await acquire(key, record, leaseId)
    if (!lost) {
      lost = true
      throw new Error('deadline exceeded (answer lost)')
    }
    return res
  }
  const t0 = Date.now()
  c.elector.start()
  try {
    await until('leading', () => c.elector.leading, 2000)
    // Well before the lost attempt's lease would have expired (300 ms): no stall for a TTL.
    assert.ok(Date.now() - t0 < T.leaseMs, `took ${Date.now() - t0} ms`)
    await sleep(4 * T.renewPeriodMs)
    assert.ok(c.elector.leading, 'keeps leading: the lease it leads on is renewed')
    assert.is(store.leases.size, 1, 'no lease left over')
  } finally {
    await c.elector.stop()
  }
})

s.run()
