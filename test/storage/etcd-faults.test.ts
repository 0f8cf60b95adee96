/**
 * Fault tests on a real 3-member etcd cluster: a member SIGKILLed in the middle of 1,000 writes
 * (a follower, then the leader) — every write completes, nothing acknowledged is lost, a watch sees
 * every write once and in order, and the member rejoins on its data directory; and a value over
 * etcd's request limit is refused before anything is sent.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { openEtcdStorage } from '../../reconciler/storage/etcd/index.js'
import { isStorageError, MAX_VALUE_BYTES, type Storage, type WatchEvent } from '../../reconciler/storage/index.js'
import { etcdAvailable, skipMessage, startEtcdCluster, type EtcdCluster } from './etcd/etcd-cluster.js'

const WRITES = 1000
const KILL_AT = 300
const VALUE = 'v'.repeat(1500)

/** Writes WRITES keys one txn each (create-if-absent), killing a member after KILL_AT of them. */
async function writeThroughKill(cluster: EtcdCluster, storage: Storage, victim: () => Promise<number>): Promise<{ acked: Map<string, number>; killed: number }> {
  const acked = new Map<string, number>()
  let killed = -1
  for (let i = 0; i < WRITES; i++) {
    if (i === KILL_AT) {
      killed = await victim()
      await cluster.kill(killed)
    }
    const key = `/registry/things/${String(i).padStart(4, '0')}`
    const res = await storage.txn({ compare: [{ key, modRevision: 0 }], success: [{ type: 'put', key, value: `${VALUE}${i}` }] })
    assert.ok(res.succeeded, `write ${i} succeeded`)
    acked.set(key, res.revision)
  }
  return { acked, killed }
}

/** Checks that `storage` holds every acknowledged write at its acknowledged revision. */
async function verify(storage: Storage, acked: Map<string, number>, what: string): Promise<void> {
  const all = await storage.range('/registry/things/')
  assert.is(all.items.length, WRITES, `${what}: key count`)
  for (const kv of all.items) {
    assert.is(kv.modRevision, acked.get(kv.key), `${what}: revision of ${kv.key}`)
    assert.is(kv.value, `${VALUE}${Number(kv.key.slice(-4))}`, `${what}: value of ${kv.key}`)
  }
}

const cases: { name: string; victim: (c: EtcdCluster) => Promise<number> }[] = [
  { name: 'a follower', victim: async (c) => ((await c.leaderIndex()) + 1) % 3 },
  { name: 'the leader', victim: (c) => c.leaderIndex() },
]

const test = suite('etcd storage: faults on a 3-member cluster')

for (const c of cases) {
  test(`SIGKILL ${c.name} during ${WRITES} writes: all complete, none lost, the member rejoins`, async () => {
    const cluster = await startEtcdCluster({ members: 3 })
    const storage = openEtcdStorage({ endpoints: cluster.endpoints })
    try {
      const seen: WatchEvent[] = []
      const errors: Error[] = []
      const watch = storage.watch('/registry/things/', { onEvents: (evs) => seen.push(...evs), onError: (e) => errors.push(e) })
      const { acked, killed } = await writeThroughKill(cluster, storage, () => c.victim(cluster))
      await verify(storage, acked, 'with a member down')
      // The watch failed over too: every write once, in revision order.
      const deadline = Date.now() + 5000
      while (seen.length < WRITES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      assert.equal(errors, [])
      assert.is(seen.length, WRITES, 'watch events')
      const revs = seen.map((e) => (e.type === 'put' ? e.kv.modRevision : e.revision))
      assert.ok(revs.every((r, i) => i === 0 || r > revs[i - 1]), 'watch events in revision order')
      watch.cancel()
      // The member rejoins on its data directory and catches up.
      await cluster.restart(killed)
      const alone = openEtcdStorage({ endpoints: [cluster.endpoints[killed]] })
      try {
        await verify(alone, acked, 'read through the restarted member')
      } finally {
        await alone.close()
      }
    } finally {
      await storage.close()
      await cluster.stop()
    }
  })
}

test('a value over 1.5 MiB is refused with TooLarge before anything is sent', async () => {
  // Nothing listens on these endpoints: a request that was sent would fail as unavailable instead.
  const nowhere = openEtcdStorage({ endpoints: ['127.0.0.1:1'], retryForMs: 200 })
  const big = 'x'.repeat(MAX_VALUE_BYTES + 1)
  const cases = [
    { name: 'one put', ops: [{ type: 'put' as const, key: '/big', value: big }] },
    { name: 'a put among others', ops: [{ type: 'put' as const, key: '/ok', value: 'v' }, { type: 'put' as const, key: '/big', value: big }] },
  ]
  try {
    for (const c of cases) {
      const started = Date.now()
      const err = await nowhere.txn({ success: c.ops }).then(() => undefined, (e: unknown) => e)
      assert.ok(isStorageError(err, 'TooLarge'), `${c.name}: ${String(err)}`)
      assert.ok(Date.now() - started < 150, `${c.name}: refused without trying the network`)
    }
  } finally {
    await nowhere.close()
  }
})

if (!etcdAvailable()) skipMessage('test/storage/etcd-faults.test.ts')
else test.run()
