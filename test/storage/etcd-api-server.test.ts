/**
 * The ApiClient conformance suite over an ApiServer whose state is in a real etcd: the API server
 * reads its own writes (its watch caches are fed by etcd watches; the etcd backend resolves a txn
 * only once this process's watches covering it have delivered it). One etcd, emptied between tests.
 */
import { Etcd3 } from 'etcd3'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { openEtcdStorage } from '../../reconciler/storage/etcd/index.js'
import { configMap, runApiClientSuite } from '../api/client-conformance.js'
import { etcdAvailable, skipMessage, startEtcdCluster, type EtcdCluster } from './etcd/etcd-cluster.js'

let cluster: EtcdCluster | undefined
let raw: Etcd3 | undefined

if (!etcdAvailable()) skipMessage('test/storage/etcd-api-server.test.ts')
else {
  runApiClientSuite('in-process, etcd', async () => {
    if (!cluster) {
      cluster = await startEtcdCluster({ members: 1 })
      // Stopped by the next suite's after hook (uvu runs suites in order).
      raw = new Etcd3({ hosts: cluster.endpoints.map((e) => `http://${e}`) })
    }
    await raw!.delete().all()
    const storage = openEtcdStorage({ endpoints: cluster.endpoints })
    const client = new ApiServer({ storage })
    await client.bootstrap()
    return {
      client,
      cleanup: async () => {
        await client.close()
        await storage.close()
      },
    }
  })
}

if (etcdAvailable()) {
  const test = suite('ApiServer on etcd: read-your-writes through the watch cache')
  test.after(async () => {
    raw?.close()
    await cluster?.stop()
  })
  test('every create, update and delete is visible to the next get and list of the writer', async () => {
    const cluster = await startEtcdCluster({ members: 1 })
    const storage = openEtcdStorage({ endpoints: cluster.endpoints })
    const api = new ApiServer({ storage })
    try {
      await api.bootstrap()
      assert.equal((await api.list('configmaps', { namespace: 'default' })).items, []) // opens the cache
      for (let i = 0; i < 40; i++) {
        const name = `cm-${i}`
        const created = await api.create(configMap(name, { i: String(i) }))
        const got = await api.get('configmaps', 'default', name)
        assert.is(got.metadata.resourceVersion, created.metadata.resourceVersion, `get after create ${i}`)
        assert.is((await api.list('configmaps', { namespace: 'default' })).items.length, i + 1 - Math.floor(i / 2), `list after create ${i}`)
        const updated = await api.update({ ...structuredClone(got), data: { i: `${i}!` } })
        assert.equal((await api.get('configmaps', 'default', name)).data, { i: `${i}!` }, `get after update ${i}`)
        assert.is((await api.get('configmaps', 'default', name)).metadata.resourceVersion, updated.metadata.resourceVersion)
        if (i % 2 === 1) {
          await api.delete('configmaps', 'default', name)
          const gone = await api.get('configmaps', 'default', name).then(() => false, () => true)
          assert.ok(gone, `get after delete ${i}`)
        }
      }
    } finally {
      await api.close()
      await storage.close()
      await cluster.stop()
    }
  })
  test.run()
}
