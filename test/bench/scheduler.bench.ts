/**
 * Scheduler benchmark (issue 5): 30,000 pods over 1,000 nodes in 3 zones, the scheduler alone, in
 * process over the real ApiServer with memory storage. The pods follow upstream scheduler_perf's
 * topology-spreading template (maxSkew 1 on topology.kubernetes.io/zone, DoNotSchedule), 30
 * ReplicaSets of 1,000 pods, created with createMany before the scheduler starts; what is timed is
 * the scheduling pass (settle) until every pod is bound. Reported: pods bound per second, the
 * algorithm's own share (decisions per second, no writes), and the zone skew per ReplicaSet.
 *
 * Anchors: upstream's floor for topology spreading is 460 pods/s at 5,000 nodes; in 2016 the same
 * 30,000 pods on 1,000 nodes took 587 s (≈ 51 pods/s).
 *
 *   npm run build && node --import tsx test/bench/scheduler.bench.ts [--nodes 1000] [--pods 30000] [--events off] [--algorithm off] [--profile DIR]
 *
 * `--profile DIR` writes a CPU profile of the scheduling pass to DIR/pass.cpuprofile.
 *
 * Each timed part also prints its CPU time (user + system): on a shared machine it varies less than
 * wall time (it still includes the garbage collector's threads).
 */
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { KObject } from '../../reconciler/api/object.js'
import { projectRoot } from '../../reconciler/paths.js'

// Measure the compiled code users run (dist/), not the TypeScript loader's output.
const dist = (p: string): string => join(projectRoot(), 'dist', 'reconciler', p)
const { ApiServer } = (await import(dist('api/api-server.js'))) as typeof import('../../reconciler/api/api-server.js')
const { createMemoryStorage } = (await import(dist('storage/memory.js'))) as typeof import('../../reconciler/storage/memory.js')
const { ControllerManager, VirtualClock } = (await import(dist('controllers/runtime/index.js'))) as typeof import('../../reconciler/controllers/runtime/index.js')
const sched = (await import(dist('controllers/scheduler/index.js'))) as typeof import('../../reconciler/controllers/scheduler/index.js')
const pool = (await import(dist('controllers/nodepool/index.js'))) as typeof import('../../reconciler/controllers/nodepool/index.js')

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : dflt
}
const NODES = Number(arg('nodes', '1000'))
const PODS = Number(arg('pods', '30000'))
const SETS = Number(arg('replicasets', '30'))
const EVENTS = arg('events', 'on') !== 'off'
const ALGORITHM = arg('algorithm', 'on') !== 'off'
const ZONES = ['us-central1-a', 'us-central1-b', 'us-central1-c']

const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
await api.bootstrap()

// Nodes: a NodePool's node objects (n1-standard-8-like: 8 cpu, 30Gi, 110 pods), created directly.
const spec = { region: 'us-central1', zones: ZONES, nodesPerZone: Math.ceil(NODES / ZONES.length), machineType: { name: 'n1-standard-8', cpu: '8', memory: '30Gi', pods: 110 } }
const owner: KObject = { apiVersion: 'capstan.dev/v1alpha1', kind: 'NodePool', metadata: { name: 'bench', uid: '00000000-0000-0000-0000-000000000001' } }
const wanted = pool.wantedNodes('bench', spec).slice(0, NODES)
await api.createMany(wanted.map((w) => pool.poolNode(owner, spec, w, clock.now())), { fieldManager: 'bench' })

// ReplicaSets (read for the default selector; no ReplicaSet controller runs) and their pods.
const sets: KObject[] = []
for (let s = 0; s < SETS; s++) {
  sets.push({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `rs-${s}`, namespace: 'default' },
    spec: { replicas: 0, selector: { matchLabels: { app: `rs-${s}` } }, template: { metadata: { labels: { app: `rs-${s}` } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } } },
  })
}
const createdSets = await api.createMany(sets, { fieldManager: 'bench' })
const pods: KObject[] = []
for (let i = 0; i < PODS; i++) {
  const s = i % SETS
  const labels = { app: `rs-${s}` }
  pods.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `rs-${s}-${i.toString(36)}`,
      namespace: 'default',
      labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${s}`, uid: createdSets[s].metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }],
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } }],
    },
  })
}
let t = performance.now()
for (let i = 0; i < pods.length; i += 5000) await api.createMany(pods.slice(i, i + 5000), { fieldManager: 'bench' })
const createMs = performance.now() - t

const events = EVENTS ? undefined : { recorderFor: () => ({ event: async () => {} }) }
const manager = new ControllerManager({ api, clock, ...(events ? { events } : {}) })
const scheduler = sched.createSchedulerController(manager.contextFor('default-scheduler'))
manager.add(scheduler)
t = performance.now()
await manager.start()
await scheduler.sync()
const startMs = performance.now() - t

// The algorithm alone: every decision on a copy of the cache state, no writes (assume only).
const algoCache = new sched.SchedulerCache()
for (const n of (await api.list('nodes')).items) algoCache.setNode(n)
const algo = new sched.Algorithm(algoCache)
// CPU time (user + system) beside wall time: the machine is shared, and CPU time varies less with load.
const cpuMs = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
t = performance.now()
let c = cpuMs()
let decided = 0
if (ALGORITHM) {
  for (const p of (await api.list('pods')).items) {
    const prepared = await sched.preparePod(api, p)
    const r = algo.schedule(prepared)
    if (r.node !== undefined) {
      algoCache.assume(p, r.node, prepared)
      decided++
    }
  }
}
const algoMs = performance.now() - t
const algoCpu = cpuMs() - c

const profileDir = arg('profile', '')
const profiler = profileDir ? new (await import('node:inspector/promises')).Session() : undefined
if (profiler) {
  profiler.connect()
  await profiler.post('Profiler.enable')
  await profiler.post('Profiler.start')
}
t = performance.now()
c = cpuMs()
await manager.settle()
const passMs = performance.now() - t
const passCpu = cpuMs() - c
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop')
  const { mkdirSync, writeFileSync } = await import('node:fs')
  mkdirSync(profileDir, { recursive: true })
  writeFileSync(join(profileDir, 'pass.cpuprofile'), JSON.stringify(profile))
  profiler.disconnect()
}
await manager.stop()
scheduler.stop()

// Results: bound pods, zone skew per ReplicaSet.
const zoneOfNode = new Map(wanted.map((w) => [w.name, w.zone]))
const perSet = new Map<string, Map<string, number>>()
let bound = 0
for (const p of (await api.list('pods')).items) {
  const node = (p.spec as { nodeName?: string }).nodeName
  if (!node) continue
  bound++
  const app = p.metadata.labels!.app
  const m = perSet.get(app) ?? new Map(ZONES.map((z) => [z, 0]))
  m.set(zoneOfNode.get(node)!, (m.get(zoneOfNode.get(node)!) ?? 0) + 1)
  perSet.set(app, m)
}
let skew = 0
for (const m of perSet.values()) skew = Math.max(skew, Math.max(...m.values()) - Math.min(...m.values()))
const totals = new Map(ZONES.map((z) => [z, 0]))
for (const m of perSet.values()) for (const [z, n] of m) totals.set(z, totals.get(z)! + n)

const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} pods/s`
console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`)
console.log(`setup: ${NODES} nodes in ${ZONES.length} zones, ${PODS} pods in ${SETS} ReplicaSets created (createMany) in ${createMs.toFixed(0)} ms; scheduler cache synced in ${startMs.toFixed(0)} ms`)
if (ALGORITHM) console.log(`algorithm only (filter + score + assume, no writes): ${decided} decisions in ${algoMs.toFixed(0)} ms = ${rate(decided, algoMs)} (CPU ${algoCpu.toFixed(0)} ms)`)
console.log(`scheduling pass (decide + bind writes${EVENTS ? ' + Scheduled events' : ''}): ${bound}/${PODS} bound in ${passMs.toFixed(0)} ms = ${rate(bound, passMs)} (CPU ${passCpu.toFixed(0)} ms)`)
console.log(`zone skew (max − min per ReplicaSet): ${skew}; pods per zone: ${[...totals].map(([z, n]) => `${z}=${n}`).join(' ')}`)
console.log(`target: ≥ 5,000 pods/s with skew ≤ 1 · anchors: upstream floor 460 pods/s (topology spreading, 5,000 nodes); 2016: 30,000 pods / 1,000 nodes in 587 s ≈ 51 pods/s`)
