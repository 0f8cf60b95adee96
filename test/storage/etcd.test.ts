/** Runs the storage conformance suite against a real single-member etcd (a fresh one per test). */
import { openEtcdStorage } from '../../reconciler/storage/etcd/index.js'
import { runStorageSuite } from './conformance.js'
import { etcdAvailable, skipMessage, startEtcdCluster } from './etcd/etcd-cluster.js'

if (!etcdAvailable()) skipMessage('test/storage/etcd.test.ts')
else {
  runStorageSuite('etcd (1 member)', async () => {
    const cluster = await startEtcdCluster({ members: 1 })
    const storage = openEtcdStorage({ endpoints: cluster.endpoints })
    return {
      storage,
      cleanup: async () => {
        await storage.close()
        await cluster.stop()
      },
    }
  }, { synchronousWatch: false })
}
