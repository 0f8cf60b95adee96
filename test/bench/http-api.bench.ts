/**
 * The HTTP API benchmark: 30,000 pods in the sqlite state behind `capstan serve` (controllers off,
 * so only requests load the server), then, over HTTP on loopback from separate processes:
 * - GET of one pod and LIST by a label selector matching 30 pods, 20 concurrent clients: p50/p99;
 * - one watcher's events/s while a writer creates ConfigMaps as fast as it can (20 concurrent POSTs),
 *   and while an in-process writer creates them (64 in flight: the watcher's own ceiling);
 * - `kubectl apply --server-side -f DIR` of 1,000 objects (500 ConfigMaps + 500 Deployments with
 *   0 replicas) against `capstan serve`, beside `capstan apply --server-side -f DIR` on an embedded state.
 *
 *   npm run build && node --import tsx test/bench/http-api.bench.ts [--pods 30000] [--seconds 5] [--processes 4] [--batch 1]
 *
 * The same file is the load generator (`--role get|list|watch|write`), run as child processes so
 * the clients do not share the server's event loop.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request, type IncomingMessage } from 'node:http'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import type { KObject } from '../../reconciler/api/object.js'
import { projectRoot } from '../../reconciler/paths.js'

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : dflt
}
const PODS = Number(arg('pods', '30000'))
const SECONDS = Number(arg('seconds', '5'))
const CONCURRENCY = 20
/** Client processes sharing the concurrent clients (one Node process driving 20 sockets is itself the bottleneck). */
const PROCESSES = Number(arg('processes', '4'))
const PER_PROCESS = Number(arg('per-process', String(CONCURRENCY)))
const PER_APP = 30
const APPLY_OBJECTS = 1_000
/** `--batch N`: the in-process writer commits N objects per transaction (needs the watch cache to deliver every event of a transaction). */
const BATCH = Number(arg('batch', '1'))

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}
const ms = (n: number): string => `${n.toFixed(2)} ms`

// ---- the load generator (child processes) ----

interface LoadReport {
  samples: number[]
  errors: number
  seconds: number
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })

function send(base: string, method: string, path: string, body?: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, agent, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let bytes = 0
      res.on('data', (d: Buffer) => (bytes += d.length))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Requests per second per client (`--rate`); 0: as fast as each client can (a closed loop). */
const RATE = Number(arg('rate', '0'))

/**
 * `CONCURRENCY` loops sending requests for `SECONDS`; latency per request. With `--rate`, each client
 * sends at that pace (as client-go's rate limiter paces real clients) instead of back to back.
 */
async function closedLoop(base: string, next: () => { method: string; path: string; body?: string; expect: number }): Promise<LoadReport> {
  const samples: number[] = []
  let errors = 0
  const end = performance.now() + SECONDS * 1000
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: PER_PROCESS }, async (_, c) => {
      let due = t0 + (RATE > 0 ? (c / PER_PROCESS) * (1000 / RATE) : 0)
      while (performance.now() < end) {
        if (RATE > 0) {
          const wait = due - performance.now()
          if (wait > 0) await new Promise((r) => setTimeout(r, wait))
          due = Math.max(due + 1000 / RATE, performance.now())
        }
        const r = next()
        const s = performance.now()
        const res = await send(base, r.method, r.path, r.body)
        samples.push(performance.now() - s)
        if (res.status !== r.expect) errors++
      }
    }),
  )
  return { samples, errors, seconds: (performance.now() - t0) / 1000 }
}

const podName = (i: number): string => `app-${Math.floor(i / PER_APP)}-7d9f8b6c5d-${i.toString(36).padStart(5, '0')}`

/** Watches ConfigMaps from now until told to stop (stdin closes); prints events and their span. */
function watcher(base: string): Promise<void> {
  return new Promise((resolve) => {
    let events = 0
    let first = 0
    let last = 0
    let buf = ''
    const req = request(`${base}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${arg('rv', '0')}`, (res: IncomingMessage) => {
      console.log(JSON.stringify({ ready: true }))
      res.setEncoding('utf8')
      res.on('data', (d: string) => {
        buf += d
        let nl: number
        while ((nl = buf.indexOf('\n')) >= 0) {
          buf = buf.slice(nl + 1)
          const now = performance.timeOrigin + performance.now()
          if (!events) first = now
          last = now
          events++
        }
      })
    })
    req.end()
    process.stdin.on('data', () => {})
    process.stdin.on('end', () => {
      console.log(JSON.stringify({ events, firstAt: first, lastAt: last }))
      req.destroy()
      resolve()
    })
  })
}

async function client(role: string, base: string): Promise<void> {
  let report: LoadReport
  if (role === 'get') {
    report = await closedLoop(base, () => ({ method: 'GET', path: `/api/v1/namespaces/default/pods/${podName(Math.floor(Math.random() * PODS))}`, expect: 200 }))
  } else if (role === 'list') {
    report = await closedLoop(base, () => ({
      method: 'GET',
      path: `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(`app=app-${Math.floor((Math.random() * PODS) / PER_APP)}`)}`,
      expect: 200,
    }))
  } else if (role === 'write') {
    let n = 0
    const prefix = arg('prefix', 'w')
    report = await closedLoop(base, () => ({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps?fieldManager=bench',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${prefix}-${n++}`, labels: { bench: 'watch' } }, data: { k: 'v'.repeat(64) } }),
      expect: 201,
    }))
  } else if (role === 'watch') {
    return watcher(base)
  } else throw new Error(`unknown role ${role}`)
  console.log(JSON.stringify({ samples: report.samples.map((x) => Math.round(x * 1000) / 1000), errors: report.errors, seconds: report.seconds }))
  agent.destroy()
}

// ---- the orchestrator ----

const self = fileURLToPath(import.meta.url)

interface Merged {
  n: number
  errors: number
  seconds: number
  p50: number
  p99: number
}

/** Runs the `role` load from PROCESSES child processes (CONCURRENCY clients in all) and merges their samples. */
async function runClient(role: string, base: string, extra: string[] = []): Promise<Merged> {
  const one = (i: number): Promise<LoadReport> =>
    new Promise((resolve, reject) => {
      const args = ['--import', 'tsx', self, '--role', role, '--base', base, '--pods', String(PODS), '--seconds', String(SECONDS), '--per-process', String(CONCURRENCY / PROCESSES), '--prefix', `${role}${i}`, ...extra]
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      child.on('error', reject)
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`client ${role} exited ${code}`))))
    })
  const reports = await Promise.all(Array.from({ length: PROCESSES }, (_, i) => one(i)))
  const samples = reports.flatMap((r) => r.samples)
  const seconds = Math.max(...reports.map((r) => r.seconds))
  return { n: samples.length, errors: reports.reduce((a, r) => a + r.errors, 0), seconds, p50: pct(samples, 50), p99: pct(samples, 99) }
}

/** Server-side time per request (arrival to the last byte handed to the socket), to set beside what clients see. */
function serverTimer(server: import('node:http').Server): { take(): { p50: number; p99: number } } {
  let samples: number[] = []
  server.on('request', (_req, res) => {
    const t = performance.now()
    res.on('finish', () => samples.push(performance.now() - t))
  })
  return {
    take: () => {
      const out = { p50: pct(samples, 50), p99: pct(samples, 99) }
      samples = []
      return out
    },
  }
}

/** What the watcher saw: events, and when (epoch ms) the first and the last arrived. */
interface WatchReport {
  events: number
  firstAt: number
  lastAt: number
}

const epochNow = (): number => performance.timeOrigin + performance.now()

/** A watcher child: resolves `ready` when connected, and its counts when `stop()` is called. */
function startWatcher(base: string, rv: string): { ready: Promise<void>; stop(): Promise<WatchReport> } {
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--role', 'watch', '--base', base, '--rv', rv], { stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  let onReady: () => void = () => {}
  const ready = new Promise<void>((r) => (onReady = r))
  const done = new Promise<WatchReport>((resolve) => {
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('"ready"')) onReady()
      const lines = out.trim().split('\n')
      const lastLine = lines[lines.length - 1]
      if (lastLine.includes('"events"')) resolve(JSON.parse(lastLine))
    })
  })
  return {
    ready,
    stop: async () => {
      child.stdin.end()
      return done
    },
  }
}

function pod(i: number): KObject {
  const app = `app-${Math.floor(i / PER_APP)}`
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: podName(i), labels: { app, 'pod-template-hash': '7d9f8b6c5d', tier: i % 2 ? 'web' : 'worker' } },
    spec: {
      nodeName: `node-${i % 1000}`,
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

/** 500 ConfigMaps and 500 Deployments (0 replicas: the apply is measured, not the pods), 100 objects per file. */
function writeManifests(dir: string): void {
  mkdirSync(dir, { recursive: true })
  const docs: string[] = []
  for (let i = 0; i < APPLY_OBJECTS / 2; i++) {
    docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-${i}\n  labels: {app: app-${i}}\ndata:\n  mode: fast\n  level: "${i}"\n`)
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  labels: {app: app-${i}}\nspec:\n  replicas: 0\n  selector: {matchLabels: {app: app-${i}}}\n  template:\n    metadata: {labels: {app: app-${i}}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n        ports: [{containerPort: 80}]\n        envFrom: [{configMapRef: {name: cfg-${i}}}]\n`,
    )
  }
  for (let f = 0; f < docs.length / 100; f++) writeFileSync(join(dir, `part-${String(f).padStart(2, '0')}.yaml`), docs.slice(f * 100, f * 100 + 100).join('---\n'))
}

/** Runs a command asynchronously (the server in this process must keep answering it) and times it. */
function timed(cmd: string, args: string[], env: Record<string, string>): Promise<{ seconds: number; code: number | null; stderr: string }> {
  const s = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ seconds: (performance.now() - s) / 1000, code, stderr }))
  })
}

async function main(): Promise<void> {
  const dist = (p: string): string => join(projectRoot(), 'dist', p)
  const { startServe } = (await import(dist('reconciler/server/start-serve.js'))) as typeof import('../../reconciler/server/start-serve.js')
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${process.platform}`)
  console.log(`data: ${PODS} pods (${PER_APP} per app label) in a sqlite state; ${CONCURRENCY} concurrent clients for ${SECONDS} s per measurement\n`)
  const dir = mkdtempSync(join(tmpdir(), 'capstan-http-bench-'))
  try {
    const serve = await startServe({ state: join(dir, 'state.db'), listen: '127.0.0.1:0', noControllers: true })
    let t0 = performance.now()
    for (let i = 0; i < PODS; i += 1000) await serve.api.createMany(Array.from({ length: Math.min(1000, PODS - i) }, (_, j) => pod(i + j)), { fieldManager: 'bench' })
    await serve.api.list('pods', { labelSelector: 'app=app-0' })
    console.log(`setup: ${PODS} pods created in process in ${((performance.now() - t0) / 1000).toFixed(1)} s; server at ${serve.url}`)

    const timer = serverTimer(serve.server)
    const get = await runClient('get', serve.url)
    let inServer = timer.take()
    console.log(`GET one pod:              ${Math.round(get.n / get.seconds)} req/s, p50 ${ms(get.p50)}, p99 ${ms(get.p99)}, errors ${get.errors} (target p99 ≤ 5 ms); in the server p50 ${ms(inServer.p50)}, p99 ${ms(inServer.p99)}`)
    const list = await runClient('list', serve.url)
    inServer = timer.take()
    console.log(`LIST by selector (30):    ${Math.round(list.n / list.seconds)} req/s, p50 ${ms(list.p50)}, p99 ${ms(list.p99)}, errors ${list.errors} (target p99 ≤ 10 ms); in the server p50 ${ms(inServer.p50)}, p99 ${ms(inServer.p99)}`)
    // The same 20 clients paced at 50 requests/s each (1,000/s in all), as rate-limited clients send:
    // latency without the queueing of a saturated two-core machine.
    const pacedGet = await runClient('get', serve.url, ['--rate', '50'])
    inServer = timer.take()
    console.log(`GET, 20 clients × 50/s:   ${Math.round(pacedGet.n / pacedGet.seconds)} req/s, p50 ${ms(pacedGet.p50)}, p99 ${ms(pacedGet.p99)}, errors ${pacedGet.errors} (target p99 ≤ 5 ms); in the server p99 ${ms(inServer.p99)}`)
    const pacedList = await runClient('list', serve.url, ['--rate', '50'])
    inServer = timer.take()
    console.log(`LIST, 20 clients × 50/s:  ${Math.round(pacedList.n / pacedList.seconds)} req/s, p50 ${ms(pacedList.p50)}, p99 ${ms(pacedList.p99)}, errors ${pacedList.errors} (target p99 ≤ 10 ms); in the server p99 ${ms(inServer.p99)}`)

    // Watch while an HTTP writer creates ConfigMaps.
    let rv = await serve.api.revision('configmaps')
    let w = startWatcher(serve.url, rv)
    await w.ready
    let startAt = epochNow()
    const write = await runClient('write', serve.url)
    await new Promise((r) => setTimeout(r, 300))
    let seen = await w.stop()
    const rate = (r: WatchReport): number => Math.round(r.events / ((r.lastAt - startAt) / 1000))
    console.log(`watch, HTTP writer:       writer ${Math.round(write.n / write.seconds)} creates/s (p99 ${ms(write.p99)}); watcher got ${seen.events} of ${write.n} events = ${rate(seen)} events/s`)

    // Watch while an in-process writer creates as fast as the API server takes writes (64 in flight;
    // one object per transaction: see the report on the watch cache and batched transactions).
    rv = await serve.api.revision('configmaps')
    w = startWatcher(serve.url, rv)
    await w.ready
    startAt = epochNow()
    t0 = performance.now()
    let made = 0
    const cm = (name: string): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v'.repeat(64) } })
    if (BATCH > 1) {
      while (performance.now() - t0 < SECONDS * 1000) {
        await serve.api.createMany(Array.from({ length: BATCH }, () => cm(`p-${made++}`)), { fieldManager: 'bench' })
        await new Promise((r) => setImmediate(r))
      }
    } else {
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (performance.now() - t0 < SECONDS * 1000) await serve.api.create(cm(`p-${made++}`), { fieldManager: 'bench' })
        }),
      )
    }
    const writeSecs = (performance.now() - t0) / 1000
    await new Promise((r) => setTimeout(r, 500))
    seen = await w.stop()
    console.log(`watch, in-process writer: writer ${Math.round(made / writeSecs)} creates/s; watcher got ${seen.events} of ${made} events = ${rate(seen)} events/s (target ≥ 5,000/s)`)
    await serve.close()

    // kubectl apply --server-side against capstan serve, beside capstan's own embedded apply.
    const manifests = join(dir, 'manifests')
    writeManifests(manifests)
    const have = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0
    if (have) {
      const applied = await startServe({ state: join(dir, 'apply.db'), listen: '127.0.0.1:0' })
      const kubeconfig = join(dir, 'kubeconfig')
      writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${applied.url}"}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\nusers: [{name: u, user: {}}]\n`)
      // A first run fills kubectl's discovery cache, as on a workstation; the measured run is the second, on a fresh state.
      const k = await timed('kubectl', ['--cache-dir', join(dir, 'kcache'), 'apply', '--server-side', '-f', manifests], { KUBECONFIG: kubeconfig })
      if (k.code !== 0) throw new Error(k.stderr)
      await applied.close()
      const again = await startServe({ state: join(dir, 'apply2.db'), listen: '127.0.0.1:0' })
      writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${again.url}"}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\nusers: [{name: u, user: {}}]\n`)
      const k2 = await timed('kubectl', ['--cache-dir', join(dir, 'kcache'), 'apply', '--server-side', '-f', manifests], { KUBECONFIG: kubeconfig })
      if (k2.code !== 0) throw new Error(k2.stderr)
      await again.close()
      console.log(`kubectl apply --server-side -f (${APPLY_OBJECTS} objects) against capstan serve: ${k.seconds.toFixed(2)} s cold discovery cache, ${k2.seconds.toFixed(2)} s warm`)
    } else {
      console.log('kubectl apply --server-side: skipped (kubectl not on PATH)')
    }
    const bin = dist('reconciler/cli/main.js')
    const c = await timed(process.execPath, [bin, 'apply', '--server-side', '-f', manifests], { CAPSTAN_STATE: join(dir, 'embedded.db') })
    if (c.code !== 0) throw new Error(c.stderr)
    console.log(`capstan apply --server-side -f (${APPLY_OBJECTS} objects, embedded state, controllers settled): ${c.seconds.toFixed(2)} s`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const role = arg('role', '')
if (role) await client(role, arg('base', ''))
else await main()
