/**
 * Sequential writes to a 3-member etcd cluster on loopback, one client, measured in one run:
 * raw etcd puts (the etcd3 client) against capstan's etcd backend (Storage.txn with a compare, one
 * key per txn: create-if-absent, then update-if-unchanged), and ApiServer creates for context.
 * Values are ~1.5 KB. Target: the backend at >= 80 % of raw puts. Anchor: etcd's own benchmark
 * gives 583 sequential writes/s at 1.6 ms for a 3-member cluster and one client.
 *
 *   node --import tsx test/bench/etcd-writes.bench.ts [--writes 2000]
 */
import { cpus, totalmem } from 'node:os'
import { performance } from 'node:perf_hooks'
import { Etcd3 } from 'etcd3'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { openEtcdStorage } from '../../reconciler/storage/etcd/index.js'
import { etcdAvailable, ETCD_BIN, startEtcdCluster } from '../storage/etcd/etcd-cluster.js'

const i = process.argv.indexOf('--writes')
const N = i > 0 ? Number(process.argv[i + 1]) : 2000
const VALUE = 'x'.repeat(1500)

if (!etcdAvailable()) {
  console.log(`SKIP: no etcd at ${ETCD_BIN}`)
  process.exit(0)
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`)
const cluster = await startEtcdCluster({ members: 3, args: [] })
const raw = new Etcd3({ hosts: cluster.endpoints.map((e) => `http://${e}`) })
const storage = openEtcdStorage({ endpoints: cluster.endpoints })

interface Figure { name: string; perSec: number; p50: number; p99: number }
const figures: Figure[] = []

async function measure(name: string, write: (n: number) => Promise<unknown>): Promise<Figure> {
  for (let n = 0; n < 50; n++) await write(-1 - n) // warm-up
  const lat: number[] = []
  const t0 = performance.now()
  for (let n = 0; n < N; n++) {
    const s = performance.now()
    await write(n)
    lat.push(performance.now() - s)
  }
  const total = performance.now() - t0
  lat.sort((a, b) => a - b)
  const f = { name, perSec: (N / total) * 1000, p50: lat[Math.floor(N * 0.5)], p99: lat[Math.floor(N * 0.99)] }
  figures.push(f)
  console.log(`${name.padEnd(44)} ${f.perSec.toFixed(0).padStart(6)} writes/s   p50 ${f.p50.toFixed(2)} ms   p99 ${f.p99.toFixed(2)} ms`)
  return f
}

try {
  // Interleave raw and backend rounds so drift in the machine hits both alike.
  const rounds = 2
  const rawF: Figure[] = []
  const createF: Figure[] = []
  const updateF: Figure[] = []
  for (let r = 0; r < rounds; r++) {
    rawF.push(await measure(`raw etcd3 put (round ${r + 1})`, async (n) => { await raw.put(`/bench/raw/${r}/${n}`).value(VALUE) }))
    createF.push(await measure(`Storage.txn create-if-absent (round ${r + 1})`, (n) => {
      const key = `/bench/txn/${r}/${n}`
      return storage.txn({ compare: [{ key, modRevision: 0 }], success: [{ type: 'put', key, value: VALUE }] })
    }))
    let rev = 0
    const key = `/bench/upd/${r}`
    updateF.push(await measure(`Storage.txn update-if-unchanged (round ${r + 1})`, async () => {
      const res = await storage.txn({ compare: [{ key, modRevision: rev }], success: [{ type: 'put', key, value: VALUE }] })
      if (!res.succeeded) throw new Error('unexpected conflict')
      rev = res.revision
    }))
  }
  const api = new ApiServer({ storage })
  await api.bootstrap()
  await api.list('configmaps', { namespace: 'default' }) // the watch cache is open, as in a server
  await measure('ApiServer.create ConfigMap (watch cache open)', (n) =>
    api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm${n < 0 ? `w${-n}` : n}`, namespace: 'default' }, data: { v: VALUE } }))
  await api.close()
  const best = (fs: Figure[]): number => Math.max(...fs.map((f) => f.perSec))
  console.log(`\ncreate-if-absent / raw put: ${((best(createF) / best(rawF)) * 100).toFixed(0)} %   update-if-unchanged / raw put: ${((best(updateF) / best(rawF)) * 100).toFixed(0)} %   (target >= 80 %)`)
  console.log('anchor: etcd docs, 3 members, 1 client, sequential: 583 writes/s at 1.6 ms')
} finally {
  raw.close()
  await storage.close()
  await cluster.stop()
}
