/** `capstan migrate`: a sqlite state copied into etcd and back, verified; a non-empty target refused unless --force. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { migrateCommand } from '../../reconciler/cli/commands/migrate.js'
import type { CliIO } from '../../reconciler/cli/io.js'
import { openSqliteStorage } from '../../reconciler/storage/sqlite.js'
import { openEtcdStorage } from '../../reconciler/storage/etcd/index.js'
import { etcdAvailable, skipMessage, startEtcdCluster } from './etcd/etcd-cluster.js'

function fakeIO(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, isTTY: false, stdin: async () => '' } as unknown as CliIO & { out: string; err: string }
  io.stdout = (s: string) => void (io.out += s)
  io.stderr = (s: string) => void (io.err += s)
  return io
}

const test = suite('capstan migrate (sqlite <-> etcd)')

test('copies every key both ways, verifies, and refuses a non-empty target unless --force', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-migrate-'))
  const cluster = await startEtcdCluster({ members: 1 })
  try {
    // A state with API objects and capstan's own keys.
    const from = join(dir, 'a.db')
    const sqlite = openSqliteStorage(from)
    const api = new ApiServer({ storage: sqlite })
    await api.bootstrap()
    for (let i = 0; i < 250; i++) await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' }, data: { v: 'x'.repeat(2000) } })
    await sqlite.txn({ success: [{ type: 'put', key: '/capstan/clock', value: '{"now":"2024-01-01T00:00:00Z"}' }, { type: 'put', key: '/capstan/gitops/state', value: '{}' }] })
    const keys = (await sqlite.range('')).items
    // Keys that name the source's revisions are not copied: the controllers' resume point and
    // checkpoints, and the watch caches' index snapshots.
    const revisionBound = ['/capstan/controllers', '/capstan/checkpoints/kubelet/0', '/capstan/cache-heads/ConfigMap', '/capstan/cache-index/ConfigMap/0']
    await sqlite.txn({ success: revisionBound.map((key) => ({ type: 'put' as const, key, value: '{}' })) })
    await api.close()
    await sqlite.close()
    const etcd = `etcd://${cluster.endpoints[0]}`

    const cases = [
      { name: 'sqlite to empty etcd', argv: ['--from', `sqlite:${from}`, '--to', etcd], code: 0 },
      { name: 'again: the target is not empty', argv: ['--from', `sqlite:${from}`, '--to', etcd], code: 2 },
      { name: 'again with --force', argv: ['--from', `sqlite:${from}`, '--to', etcd, '--force'], code: 0 },
      { name: 'etcd back to a new sqlite', argv: ['--from', etcd, '--to', `sqlite:${join(dir, 'b.db')}`], code: 0 },
    ]
    for (const c of cases) {
      const io = fakeIO()
      assert.is(await migrateCommand.run(c.argv, io), c.code, `${c.name}: ${io.err}`)
      if (c.code === 0) {
        assert.ok(io.out.includes(`verified: ${keys.length} keys`), `${c.name}: ${io.out}`)
        assert.ok(io.out.includes('revisions are not kept'), c.name)
      }
    }
    // Both copies hold the same keys and values as the original.
    for (const s of [openEtcdStorage({ endpoints: cluster.endpoints }), openSqliteStorage(join(dir, 'b.db'))]) {
      try {
        const got = (await s.range('')).items
        assert.equal(got.map((kv) => [kv.key, kv.value]), keys.map((kv) => [kv.key, kv.value]), s.kind)
        const served = await new ApiServer({ storage: s }).get('configmaps', 'default', 'cm-7')
        assert.is((served.data as Record<string, string> | undefined)?.v?.length, 2000, s.kind)
      } finally {
        await s.close()
      }
    }
  } finally {
    await cluster.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

if (!etcdAvailable()) skipMessage('test/storage/etcd-migrate.test.ts')
else test.run()
