/** Runs the storage conformance suite against a real 3-member etcd cluster on loopback (a fresh one per test). */
import { openEtcdStorage } from '../../reconciler/storage/etcd/index.js'
import { runStorageSuite } from './conformance.js'
import { etcdAvailable, skipMessage, startEtcdCluster } from './etcd/etcd-cluster.js'

if (!etcdAvailable()) skipMessage('test/storage/etcd-cluster.test.ts')
else {
  runStorageSuite('etcd (3 members)', async () => {
    const cluster = await startEtcdCluster({ members: 3 })
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
