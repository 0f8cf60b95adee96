/**
 * After a sync, the controllers' resume point is past the sync's own record and bookkeeping, so
 * the next command's incremental start does not read them back from the store's history.
 */
import { writeFileSync } from 'node:fs'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { LocalClient } from '../../../reconciler/api/local-client.js'
import { changesSince, loadResumePoint } from '../../../reconciler/controllers/runtime/resume-point.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { runSync } from '../../../reconciler/gitops/index.js'
import { virtualClusterRunner } from '../../../reconciler/gitops/sync/virtual-cluster.js'
import { openStorage } from '../../../reconciler/storage/index.js'
import { makeRepo } from '../../source/git/make-repo.js'
import { tempDir } from '../../helpers/tmp.js'

const test = suite('sync: the resume point after a sync')

const cm = (level: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata:\n  LEVEL: ${level}\n`

test('each sync leaves the resume point at its last write: nothing since it but the point itself', async () => {
  const t = tempDir('capstan-resume-after-sync-')
  try {
    const repo = makeRepo(`${t.dir}/repo`, [{ files: { 'apps/cm.yaml': cm('info') }, message: 'one' }])
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
    const api = new LocalClient({ storage: openStorage('memory:'), now: () => clock.now() })
    await api.bootstrap()
    const sync = () => runSync({ api, source: { repo: repo.dir, cacheDir: `${t.dir}/cache` }, now: () => clock.now(), runCluster: virtualClusterRunner(api, clock) })
    for (const c of [
      { name: 'a cold sync (controllers ran)', level: 'info', mode: 'full' },
      { name: 'a one-file commit (controllers ran)', level: 'debug', mode: 'incremental' },
    ]) {
      if (c.level !== 'info') {
        writeFileSync(`${repo.dir}/apps/cm.yaml`, cm(c.level))
        repo.git('commit', '-qam', c.level)
      }
      const out = await sync()
      assert.equal([out.result, out.mode], ['Succeeded', c.mode], c.name)
      const point = (await loadResumePoint(api.storage))!
      assert.is(point.savedAt, await api.storage.revision(), `${c.name}: the point is the last write`)
      assert.is(point.revision, point.savedAt! - 1, `${c.name}: nothing between the point and its save`)
      assert.is((await changesSince(api.storage, point.revision))!.size, 0, c.name)
    }
  } finally {
    t.remove()
  }
})

test.run()
