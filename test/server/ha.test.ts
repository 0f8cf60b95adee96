/**
 * `capstan serve --ha`: two real replicas (the compiled bin) on one etcd. One leads; a write
 * through the follower is rolled out by the leader; after the leader is SIGKILLed the follower
 * leads within 15 s and syncs a commit pushed after the kill exactly once; a leader whose key
 * disappears stops leading and exits 1; --ha without etcd is a usage error.
 */
import { Etcd3 } from 'etcd3'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { HttpClient } from '../../reconciler/api/http-client.js'
import type { KObject } from '../../reconciler/api/object.js'
import { readSimConfig, writeSimConfig } from '../../reconciler/controllers/sim/index.js'
import { LEADER_KEY } from '../../reconciler/server/leader/types.js'
import { capstan } from '../helpers/capstan.js'
import { eventually } from '../helpers/eventually.js'
import { tempDir } from '../helpers/tmp.js'
import { makePusher } from '../daemon/harness.js'
import { etcdAvailable, skipMessage, startEtcdCluster } from '../storage/etcd/etcd-cluster.js'
import { call, startReplica, type Line, type Replica } from './ha-harness.js'

const configMap = (name: string, v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  v: "${v}"\n`

const deployment = (name: string, replicas: number): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'gcr.io/google_containers/update-demo:nautilus' }] } },
  },
})

const elected = (l: Line): boolean => l.event === 'leader-elected'

async function recordsOf(client: HttpClient, commit: string): Promise<string[]> {
  const items = (await client.list('syncrecords')).items as Array<KObject & { spec: { commit: string } }>
  return items.filter((r) => r.spec.commit === commit).map((r) => String(r.metadata.name))
}

const s = suite('capstan serve --ha (two replicas on one etcd)')

if (!etcdAvailable()) skipMessage('test/server/ha.test.ts')
else {
  s('one leads; the follower serves writes the leader rolls out; SIGKILL the leader: the follower takes over and syncs a new commit once; a leader without its key exits 1', async () => {
    const cluster = await startEtcdCluster({ members: 1 })
    const { dir, remove } = tempDir('capstan-ha-')
    const replicas: Replica[] = []
    const clients: HttpClient[] = []
    try {
      const pusher = await makePusher(dir)
      const c1 = pusher.commit({ 'app/config.yaml': configMap('app-config', 'one') }, 'first')
      pusher.push()
      const args = ['--repo', pusher.bare, '--poll', '1s', '--health-timeout', '20s']
      // Both start at once: they race for the bootstrap and for the lease.
      for (const name of ['a', 'b']) replicas.push(startReplica(name, { endpoints: cluster.endpoints, args, home: dir }))
      const first = await Promise.any(replicas.map((r) => r.waitFor('leader-elected', elected, 15_000)))
      const leader = replicas.find((r) => r.lines.includes(first))!
      const follower = replicas.find((r) => r !== leader)!
      const [leaderUrl, followerUrl] = [await leader.url(), await follower.url()]
      await follower.waitFor('leader-observed', (l) => l.event === 'leader-observed' && l.holder === first.holder)
      assert.is(follower.lines.filter(elected).length, 0, 'the follower does not lead')

      // Both answer who leads, from the shared store.
      for (const [url, leading] of [[leaderUrl, true], [followerUrl, false]] as const) {
        const { code, body } = await call(url, '/capstan/v1/leader')
        assert.is(code, 200)
        assert.is(body.holder, first.holder)
        assert.is(body.since, first.since)
        assert.is(body.url, leaderUrl)
        assert.is(body.leading, leading)
      }
      // A follower refuses to sync (503): only the leader syncs.
      assert.is((await call(followerUrl, '/capstan/sync', { method: 'POST' })).code, 503)

      const viaFollower = new HttpClient({ server: followerUrl })
      clients.push(viaFollower)
      const cfg = await readSimConfig(viaFollower)
      await writeSimConfig(viaFollower, { ...cfg, settings: { ...cfg.settings, startDelaySeconds: 0 } })
      await leader.waitFor('the start-up sync', (l) => l.event === 'sync-end' && l.commit === c1 && l.result === 'Succeeded')

      // A write through the follower is acted on by the leader's controllers (through etcd's watch).
      await viaFollower.create(deployment('web', 2))
      const running = await eventually('2 running pods of web', async () => {
        const pods = (await viaFollower.list('pods', { namespace: 'default', labelSelector: 'app=web' })).items
        const phases = pods.map((p) => (p.status as { phase?: string } | undefined)?.phase)
        return phases.length === 2 && phases.every((p) => p === 'Running') ? phases : undefined
      }, 15_000)
      assert.equal(running, ['Running', 'Running'])

      // SIGKILL the leader, then push: the follower takes over within 15 s and syncs it once.
      const killedAt = Date.now()
      leader.child.kill('SIGKILL')
      assert.is(await leader.exited, 'SIGKILL')
      const c2 = pusher.commit({ 'app/more.yaml': configMap('more-config', 'two') }, 'second')
      pusher.push()
      const takeover = await follower.waitFor('the follower to lead', elected, 15_000)
      const takeoverMs = takeover.at - killedAt
      assert.ok(takeoverMs < 15_000, `took over after ${takeoverMs} ms`)
      assert.is.not(takeover.holder, first.holder)
      await follower.waitFor('the sync of the pushed commit', (l) => l.event === 'sync-end' && l.commit === c2, 15_000)
      const leaderNow = await call(followerUrl, '/capstan/v1/leader')
      assert.equal([leaderNow.body.holder, leaderNow.body.leading], [takeover.holder, true])
      // Let the poller (1 s) and the ref watcher have their say: still one record per commit.
      await new Promise((r) => setTimeout(r, 1500))
      assert.is((await recordsOf(viaFollower, c2)).length, 1, 'the pushed commit is synced once')
      assert.is((await recordsOf(viaFollower, c1)).length, 1, 'the first commit is not synced again')
      const syncs = follower.lines.filter((l) => l.event === 'sync-end' && l.commit === c2)
      assert.is(syncs.length, 1)
      assert.equal((await viaFollower.get('configmaps', 'default', 'more-config')).data, { v: 'two' })
      console.log(`  takeover after SIGKILL: ${takeoverMs} ms`)

      // A leader whose key is gone stops leading at once: leader-lost, exit 1.
      const raw = new Etcd3({ hosts: cluster.endpoints.map((e) => `http://${e}`) })
      try {
        const deletedAt = Date.now()
        await raw.delete().key(LEADER_KEY)
        const lost = await follower.waitFor('leader-lost', (l) => l.event === 'leader-lost', 5000)
        assert.is(lost.reason, 'KeyGone')
        assert.is(await follower.exited, 1)
        assert.ok(lost.at - deletedAt < 5000)
      } finally {
        raw.close()
      }
    } finally {
      for (const c of clients) await c.close()
      for (const r of replicas) r.child.kill('SIGKILL')
      await Promise.all(replicas.map((r) => r.exited))
      await cluster.stop()
      remove()
    }
  })

  s('--ha without an etcd state is a usage error (exit 2)', async () => {
    const { dir, remove } = tempDir('capstan-ha-')
    try {
      const r = await capstan(join(dir, 'state.db'), ['serve', '--ha', '--listen', '127.0.0.1:0'])
      assert.is(r.code, 2)
      assert.match(r.stderr, /--ha/)
    } finally {
      remove()
    }
  })
}

s.run()
