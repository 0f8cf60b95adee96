/**
 * The foundation's benchmark: 30,000 pods and 1,000 nodes in the sqlite state. Prints batch-create
 * throughput, GET and LIST latencies, a full LIST, reopening (watch caches rebuilt), RSS, and the
 * one-shot `capstan get deployment web` wall time including process start.
 *
 *   npm run build && node --import tsx test/bench/api-store.bench.ts [--pods 30000] [--nodes 1000]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { KObject } from '../../reconciler/api/object.js'
import { projectRoot } from '../../reconciler/paths.js'

// Measure the compiled code users run (dist/, built by `npm run build`), not the TypeScript loader's output.
const dist = join(projectRoot(), 'dist', 'reconciler', 'api', 'local-client.js')
const { openLocalClient } = (await import(dist)) as typeof import('../../reconciler/api/local-client.js')

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const PODS = arg('pods', 30_000)
const NODES = arg('nodes', 1_000)
const PER_APP = 30
const BATCH = 1_000

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}
const ms = (n: number): string => `${n.toFixed(3)} ms`

function node(i: number): KObject {
  const zone = ['us-central1-a', 'us-central1-b', 'us-central1-c'][i % 3]
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `node-${i}`,
      labels: {
        'kubernetes.io/hostname': `node-${i}`,
        'topology.kubernetes.io/zone': zone,
        'topology.kubernetes.io/region': 'us-central1',
        'node.kubernetes.io/instance-type': 'n1-standard-2',
      },
    },
    spec: {},
    status: { capacity: { cpu: '2', memory: '7.5Gi', pods: '110' }, allocatable: { cpu: '2', memory: '7.5Gi', pods: '110' } },
  }
}

/** A pod of the size a Deployment makes (~1.5 KB stored with defaults and managed fields). */
function pod(i: number): KObject {
  const app = `app-${Math.floor(i / PER_APP)}`
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-7d9f8b6c5d-${i.toString(36).padStart(5, '0')}`,
      labels: { app, 'pod-template-hash': '7d9f8b6c5d', tier: i % 2 ? 'web' : 'worker' },
    },
    spec: {
      nodeName: `node-${i % NODES}`,
      containers: [
        {
          name: 'main',
          image: `registry.example.com/${app}:1.4.2`,
          ports: [{ containerPort: 8080, name: 'http' }],
          env: [{ name: 'MODE', value: 'production' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        },
      ],
    },
  }
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${process.platform}`)
  console.log(`data: ${PODS} pods, ${NODES} nodes, ${PER_APP} pods per app label\n`)
  const dir = mkdtempSync(join(tmpdir(), 'capstan-bench-'))
  const path = join(dir, 'state.db')
  try {
    let client = await openLocalClient(path)

    // Batch create.
    let t0 = performance.now()
    for (let i = 0; i < NODES; i += BATCH) await client.createMany(Array.from({ length: Math.min(BATCH, NODES - i) }, (_, j) => node(i + j)), { fieldManager: 'bench' })
    const nodeSecs = (performance.now() - t0) / 1000
    t0 = performance.now()
    for (let i = 0; i < PODS; i += BATCH) await client.createMany(Array.from({ length: Math.min(BATCH, PODS - i) }, (_, j) => pod(i + j)), { fieldManager: 'bench' })
    const podSecs = (performance.now() - t0) / 1000
    console.log(`batch create: ${NODES} nodes in ${nodeSecs.toFixed(2)} s; ${PODS} pods in ${podSecs.toFixed(2)} s = ${Math.round(PODS / podSecs)} objects/s (target ≥ 5,000/s)`)
    console.log(`state file: ${(statSync(path).size / 2 ** 20).toFixed(1)} MiB`)

    // GET: first straight from the store (a one-shot command), then with the pod cache open (a server).
    const names = Array.from({ length: 2_000 }, () => pod(Math.floor(Math.random() * PODS)).metadata.name!)
    const timeGets = async (): Promise<number[]> => {
      const out: number[] = []
      for (const n of names) {
        const s = performance.now()
        await client.get('pods', 'default', n)
        out.push(performance.now() - s)
      }
      return out
    }
    const storeGets = await timeGets()
    console.log(`GET from the store: p50 ${ms(pct(storeGets, 50))}, p99 ${ms(pct(storeGets, 99))} (target p99 ≤ 2 ms)`)

    // Full LIST (the first one builds the pod watch cache).
    t0 = performance.now()
    const first = await client.list('pods')
    const buildMs = performance.now() - t0
    const fulls: number[] = []
    for (let i = 0; i < 5; i++) {
      const s = performance.now()
      const l = await client.list('pods')
      fulls.push(performance.now() - s)
      if (l.items.length !== PODS) throw new Error(`listed ${l.items.length} pods`)
    }
    console.log(`full LIST of ${first.items.length} pods: first (cache build) ${ms(buildMs)}, then median ${ms(pct(fulls, 50))}, max ${ms(Math.max(...fulls))} (target ≤ 500 ms)`)

    const cachedGets = await timeGets()
    console.log(`GET with the watch cache: p50 ${ms(pct(cachedGets, 50))}, p99 ${ms(pct(cachedGets, 99))}`)

    const lists: number[] = []
    for (let i = 0; i < 1_000; i++) {
      const app = `app-${Math.floor(Math.random() * (PODS / PER_APP))}`
      const s = performance.now()
      const l = await client.list('pods', { namespace: 'default', labelSelector: `app=${app}` })
      lists.push(performance.now() - s)
      if (l.items.length !== PER_APP) throw new Error(`selector matched ${l.items.length}`)
    }
    console.log(`LIST by label selector (${PER_APP} of ${PODS}): p50 ${ms(pct(lists, 50))}, p99 ${ms(pct(lists, 99))} (target p99 ≤ 5 ms)`)
    const setLists: number[] = []
    for (let i = 0; i < 300; i++) {
      const app = `app-${Math.floor(Math.random() * (PODS / PER_APP))}`
      const s = performance.now()
      await client.list('pods', { labelSelector: `app in (${app}),tier!=batch` })
      setLists.push(performance.now() - s)
    }
    console.log(`LIST by set-based selector: p50 ${ms(pct(setLists, 50))}, p99 ${ms(pct(setLists, 99))}`)

    await client.close()

    // Reopen: open the file and rebuild the watch caches of pods and nodes.
    t0 = performance.now()
    client = await openLocalClient(path)
    const pods = await client.list('pods')
    const nodes = await client.list('nodes')
    const reopen = performance.now() - t0
    global.gc?.()
    const rss = process.memoryUsage().rss / 2 ** 20
    console.log(`reopen with watch caches rebuilt (${pods.items.length} pods, ${nodes.items.length} nodes): ${ms(reopen)} (target ≤ 3 s)`)
    console.log(`RSS after reopen: ${rss.toFixed(0)} MB (target ≤ 600 MB)`)

    await client.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    })
    await client.close()

    // The one-shot command, as a user runs it: a new process each time.
    const bin = join(projectRoot(), 'dist', 'reconciler', 'cli', 'main.js')
    const walls: number[] = []
    for (let i = 0; i < 15; i++) {
      const s = performance.now()
      const r = spawnSync(process.execPath, [bin, 'get', 'deployment', 'web'], { env: { ...process.env, CAPSTAN_STATE: path }, encoding: 'utf8' })
      walls.push(performance.now() - s)
      if (r.status !== 0) throw new Error(r.stderr)
    }
    const bare = spawnSync(process.execPath, ['-e', '0'])
    const nodeStart: number[] = []
    for (let i = 0; i < 10; i++) {
      const s = performance.now()
      spawnSync(process.execPath, ['-e', '0'])
      nodeStart.push(performance.now() - s)
    }
    void bare
    console.log(`capstan get deployment web (new process each time): median ${ms(pct(walls, 50))}, max ${ms(Math.max(...walls))} (target ≤ 300 ms); bare node start: median ${ms(pct(nodeStart, 50))}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
