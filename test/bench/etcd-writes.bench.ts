/**
 * Sequential writes to a 3-member etcd cluster on loopback, one client: raw etcd puts (the etcd3
 * client) against capstan's etcd backend (Storage.txn with a compare, one key per txn:
 * create-if-absent, and update-if-unchanged), and ApiServer creates for context. Values ~1.5 KB.
 * Target: the backend at >= 80 % of raw puts. Anchor: etcd's own benchmark gives 583 sequential
 * writes/s at 1.6 ms for a 3-member cluster and one client.
 *
 * Wall-clock figures on a shared machine drift by tens of percent between blocks of a few seconds,
 * so the three ways of writing run interleaved: several rounds, each a short block of raw puts,
 * creates and updates, in an order that reverses every round (A B C, C B A, …) so that a drift
 * within a round hits both ends alike. The ratio is taken within each round and the median over
 * rounds is the figure. Each block also counts the gRPC requests the cluster received (etcd's
 * grpc_server_started_total, summed over members): one backend write must be one etcd Txn.
 *
 *   node --import tsx test/bench/etcd-writes.bench.ts [--rounds 9] [--writes 300] [--api-writes 1000]
 */
import { cpus, loadavg, totalmem } from 'node:os'
import { performance } from 'node:perf_hooks'
import { Etcd3 } from 'etcd3'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { openEtcdStorage } from '../../reconciler/storage/etcd/index.js'
import { etcdAvailable, ETCD_BIN, startEtcdCluster } from '../storage/etcd/etcd-cluster.js'

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const ROUNDS = arg('rounds', 9)
const N = arg('writes', 300)
const API_N = arg('api-writes', 1000)
const VALUE = 'x'.repeat(1500)

if (!etcdAvailable()) {
  console.log(`SKIP: no etcd at ${ETCD_BIN}`)
  process.exit(0)
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log(`${ROUNDS} rounds x ${N} sequential writes per way of writing, 3-member etcd on loopback`)
const cluster = await startEtcdCluster({ members: 3, args: [] })
const raw = new Etcd3({ hosts: cluster.endpoints.map((e) => `http://${e}`) })
const storage = openEtcdStorage({ endpoints: cluster.endpoints })

/** gRPC requests the cluster's KV service has received, by method, summed over members. */
async function kvRequests(): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const m of cluster.members) {
    const text = await (await fetch(`http://127.0.0.1:${m.clientPort}/metrics`)).text()
    for (const line of text.split('\n')) {
      const hit = /^grpc_server_started_total\{.*grpc_method="(\w+)".*grpc_service="etcdserverpb\.KV".*\} (\d+)/.exec(line)
      if (hit) out[hit[1]] = (out[hit[1]] ?? 0) + Number(hit[2])
    }
  }
  return out
}

interface Block { perSec: number; p50: number; p99: number; rpcs: Record<string, number>; cpuUs: number }

/** `n` sequential writes; throughput, latency percentiles, and KV requests per write. */
async function block(n: number, write: (i: number) => Promise<unknown>): Promise<Block> {
  const before = await kvRequests()
  const lat: number[] = []
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    const s = performance.now()
    await write(i)
    lat.push(performance.now() - s)
  }
  const total = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const after = await kvRequests()
  lat.sort((a, b) => a - b)
  const rpcs: Record<string, number> = {}
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) rpcs[k] = (v - (before[k] ?? 0)) / n
  return { perSec: (n / total) * 1000, p50: lat[Math.floor(n * 0.5)], p99: lat[Math.floor(n * 0.99)], rpcs, cpuUs: (cpu.user + cpu.system) / n }
}

const rpcText = (r: Record<string, number>): string => Object.entries(r).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') || '-'
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

type Way = 'raw' | 'create' | 'update'
const writers: Record<Way, (round: number) => (i: number) => Promise<unknown>> = {
  raw: (r) => async (i) => {
    await raw.put(`/bench/raw/${r}/${i}`).value(VALUE)
  },
  create: (r) => (i) => {
    const key = `/bench/txn/${r}/${i}`
    return storage.txn({ compare: [{ key, modRevision: 0 }], success: [{ type: 'put', key, value: VALUE }] })
  },
  update: (r) => {
    const key = `/bench/upd/${r}`
    let rev = 0
    return async () => {
      const res = await storage.txn({ compare: [{ key, modRevision: rev }], success: [{ type: 'put', key, value: VALUE }] })
      if (!res.succeeded) throw new Error('unexpected conflict')
      rev = res.revision
    }
  },
}

try {
  // Warm-up: connections to every member, JIT.
  for (const w of ['raw', 'create', 'update'] as Way[]) await block(100, writers[w](-1))
  const results: Array<Record<Way, Block>> = []
  console.log('\nround  order          raw put/s  create/s  update/s  create/raw  update/raw   (p50 ms: raw create update)')
  for (let r = 0; r < ROUNDS; r++) {
    const order: Way[] = r % 2 === 0 ? ['raw', 'create', 'update'] : ['update', 'create', 'raw']
    const got = {} as Record<Way, Block>
    for (const w of order) got[w] = await block(N, writers[w](r))
    results.push(got)
    console.log(
      `${String(r + 1).padStart(5)}  ${order.join(',').padEnd(14)} ${got.raw.perSec.toFixed(0).padStart(9)} ${got.create.perSec.toFixed(0).padStart(9)} ${got.update.perSec.toFixed(0).padStart(9)} ` +
        `${((got.create.perSec / got.raw.perSec) * 100).toFixed(0).padStart(10)} % ${((got.update.perSec / got.raw.perSec) * 100).toFixed(0).padStart(9)} %   (${got.raw.p50.toFixed(2)} ${got.create.p50.toFixed(2)} ${got.update.p50.toFixed(2)})`,
    )
  }
  const ratios = (w: Way): number[] => results.map((g) => g[w].perSec / g.raw.perSec)
  const pct = (x: number): string => `${(x * 100).toFixed(0)} %`
  const spread = (xs: number[]): string => `${pct(Math.min(...xs))}–${pct(Math.max(...xs))}`
  console.log(`\nKV requests per write (etcd's own count): raw put: ${rpcText(results[0].raw.rpcs)}; create-if-absent: ${rpcText(results[0].create.rpcs)}; update-if-unchanged: ${rpcText(results[0].update.rpcs)}`)
  console.log(`client CPU per write (this process, median over rounds): raw put ${median(results.map((g) => g.raw.cpuUs)).toFixed(0)} µs, create ${median(results.map((g) => g.create.cpuUs)).toFixed(0)} µs, update ${median(results.map((g) => g.update.cpuUs)).toFixed(0)} µs`)
  console.log(`median raw put: ${median(results.map((g) => g.raw.perSec)).toFixed(0)} writes/s, p50 ${median(results.map((g) => g.raw.p50)).toFixed(2)} ms`)
  console.log(`create-if-absent / raw put: median ${pct(median(ratios('create')))} (rounds ${spread(ratios('create'))})`)
  console.log(`update-if-unchanged / raw put: median ${pct(median(ratios('update')))} (rounds ${spread(ratios('update'))})   (target >= 80 %)`)

  // Context: the API server's create over the same backend (validation, defaults, managed fields).
  const api = new ApiServer({ storage })
  await api.bootstrap()
  await api.list('configmaps', { namespace: 'default' }) // the watch cache is open, as in a server
  await block(50, (i) => api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `w${i}`, namespace: 'default' }, data: { v: VALUE } }))
  const a = await block(API_N, (i) => api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm${i}`, namespace: 'default' }, data: { v: VALUE } }))
  console.log(`ApiServer.create ConfigMap (watch cache open): ${a.perSec.toFixed(0)} writes/s, p50 ${a.p50.toFixed(2)} ms, p99 ${a.p99.toFixed(2)} ms; KV requests per create: ${rpcText(a.rpcs)}`)
  await api.close()
  console.log('anchor: etcd docs, 3 members, 1 client, sequential: 583 writes/s at 1.6 ms')
} finally {
  raw.close()
  await storage.close()
  await cluster.stop()
}
