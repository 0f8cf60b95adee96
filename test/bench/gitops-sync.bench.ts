/**
 * The GitOps sync benchmark: a repository of 2,500 apps × 4 small manifests (a Deployment, a
 * Service, a ConfigMap and a Secret each) + a Namespace, synced into a fresh sqlite state with every
 * controller running on the virtual clock (pod start delay 0). Prints the machine, the floor
 * measured in the same run (`git ls-tree -r` + `git cat-file --batch` of every blob + yaml parse),
 * a cold sync (until every pod is Ready), a no-op resync (same commit, and a commit outside the
 * path), a resync after a one-file commit (a ConfigMap; and a Deployment image, with its rollout),
 * each resync with a fresh API over the same state file as a new `capstan sync` would open it.
 * Then the same as the daemon (`capstan serve --repo`) does it: one API and one controller manager
 * on the wall clock kept open across syncs, a one-file commit, and runSync as the daemon's sync
 * lane calls it (reconciler/daemon/daemon.ts), with the wall-clock health wait.
 * Measures the compiled code in dist/ (run `npm run build` first).
 *
 *   node --import tsx test/bench/gitops-sync.bench.ts [--apps 2500] [--keep] [--prepared DIR] [--profile DIR]
 *
 * `--prepared DIR` keeps the repository and the state after the cold sync in DIR, and a later run
 * with the same DIR (and --apps) starts from a copy of them, skipping the floor and the cold sync
 * (prepare again after a change to what the state stores: its checkpoints and index snapshots).
 */
import { execFileSync, spawn } from 'node:child_process'
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseAllDocuments } from 'yaml'
import { projectRoot } from '../../reconciler/paths.js'
import { profiled } from './profiled.js'

const dist = (p: string) => join(projectRoot(), 'dist', 'reconciler', p)
const { openLocalClient } = (await import(dist('api/local-client.js'))) as typeof import('../../reconciler/api/local-client.js')
const { addControllers } = (await import(dist('controllers/index.js'))) as typeof import('../../reconciler/controllers/index.js')
const { ControllerManager } = (await import(dist('controllers/runtime/manager.js'))) as typeof import('../../reconciler/controllers/runtime/manager.js')
const { virtualClusterRunner } = (await import(dist('gitops/sync/virtual-cluster.js'))) as typeof import('../../reconciler/gitops/sync/virtual-cluster.js')
const { VirtualClock } = (await import(dist('controllers/runtime/virtual-clock.js'))) as typeof import('../../reconciler/controllers/runtime/virtual-clock.js')
const { runSync } = (await import(dist('gitops/index.js'))) as typeof import('../../reconciler/gitops/index.js')
const { startServe } = (await import(dist('server/start-serve.js'))) as typeof import('../../reconciler/server/start-serve.js')
const { quiet, wallCluster } = (await import(dist('daemon/wall-cluster.js'))) as typeof import('../../reconciler/daemon/wall-cluster.js')
type SyncOptions = import('../../reconciler/gitops/index.js').SyncOptions
type LocalClient = import('../../reconciler/api/local-client.js').LocalClient

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const APPS = arg('apps', 2_500)

const deployment = (app: string, image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: bench
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
`
const service = (app: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: bench
spec:
  selector:
    app: ${app}
  ports:
  - port: 80
    targetPort: 80
`
const configMap = (app: string, level = 'info') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config
  namespace: bench
data:
  LOG_LEVEL: ${level}
  GREETING: hello from ${app}
`
const secret = (app: string) => `apiVersion: v1
kind: Secret
metadata:
  name: ${app}-secret
  namespace: bench
type: Opaque
data:
  password: ${Buffer.from(`pw-${app}`).toString('base64')}
`

const appName = (i: number) => `app-${String(i).padStart(4, '0')}`

/** Commit 1: every file under apps/; 2: README only; 3: one ConfigMap; 4: one Deployment image. */
function fastImportStream(): string {
  const parts: string[] = []
  const when = 1_767_225_600
  const files: Array<[string, string]> = [['apps/namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n']]
  for (let i = 0; i < APPS; i++) {
    const app = appName(i)
    files.push([`apps/${app}/deployment.yaml`, deployment(app)], [`apps/${app}/service.yaml`, service(app)], [`apps/${app}/configmap.yaml`, configMap(app)], [`apps/${app}/secret.yaml`, secret(app)])
  }
  const commit = (n: number, message: string, body: Array<[string, string]>) => {
    parts.push(`commit refs/heads/main\nmark :${n}\ncommitter Bench <bench@example.com> ${when + n * 60} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`)
    if (n > 1) parts.push(`from :${n - 1}\n`)
    for (const [path, text] of body) parts.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`)
  }
  const one = appName(Math.min(1234, APPS - 1))
  commit(1, 'all apps', files)
  commit(2, 'readme', [['README.md', '# bench\n']])
  commit(3, `${one}: debug logging`, [[`apps/${one}/configmap.yaml`, configMap(one, 'debug')]])
  commit(4, `${one}: nginx 1.28`, [[`apps/${one}/deployment.yaml`, deployment(one, 'nginx:1.28')]])
  return parts.join('')
}

function catFileBatch(gitdir: string, oids: string[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitdir, 'cat-file', '--batch'])
    const chunks: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => chunks.push(c))
    child.on('error', reject)
    child.on('close', () => {
      const all = Buffer.concat(chunks)
      const out: Buffer[] = []
      let at = 0
      while (at < all.length) {
        const nl = all.indexOf(10, at)
        const size = Number(all.subarray(at, nl).toString('latin1').split(' ')[2])
        out.push(all.subarray(nl + 1, nl + 1 + size))
        at = nl + 1 + size + 1
      }
      resolve(out)
    })
    child.stdin.end(oids.join('\n') + '\n')
  })
}

/** CPU milliseconds (user + system) since `from`: comparable on a busy machine, unlike wall time. */
const cpuMs = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from)
  return (d.user + d.system) / 1000
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now()
  const v = await fn()
  return [performance.now() - t0, v]
}

/** Opens the state as a new command would, and syncs `ref` with the controllers on the state's clock. */
async function syncOnce(stateFile: string, gitdir: string, ref: string, clockStart: Date): Promise<{ ms: number; outcome: Awaited<ReturnType<typeof runSync>>; api: LocalClient; clock: InstanceType<typeof VirtualClock>; phases: string }> {
  const t0 = performance.now()
  const clock = new VirtualClock(clockStart)
  const api = await openLocalClient(stateFile, { now: () => clock.now() })
  const runCluster = virtualClusterRunner(api, clock)
  const steps: Array<[string, number]> = []
  const progress: SyncOptions['progress'] = (p) => {
    if (!steps.length || steps[steps.length - 1][0] !== p.step) steps.push([p.step, performance.now()])
  }
  const outcome = await runSync({ api, source: { repo: gitdir, ref, path: 'apps', cacheDir: join(gitdir, '..', 'cache') }, now: () => clock.now(), runCluster, progress })
  const end = performance.now()
  const phases = steps.map(([name, at], i) => `${name} ${((steps[i + 1]?.[1] ?? end) - at).toFixed(0)}`).join(', ')
  return { ms: end - t0, outcome, api, clock, phases }
}

const prepIdx = process.argv.indexOf('--prepared')
const prepared = prepIdx > 0 ? process.argv[prepIdx + 1] : undefined
const reuse = !!prepared && existsSync(join(prepared, 'cold.json'))
const dir = prepared ?? mkdtempSync(join(tmpdir(), 'capstan-gitops-bench-'))
try {
  if (prepared) mkdirSync(prepared, { recursive: true })
  const gitdir = join(dir, 'repo.git')
  if (!reuse) {
    rmSync(gitdir, { recursive: true, force: true })
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', gitdir])
    execFileSync('git', ['--git-dir', gitdir, 'fast-import', '--quiet'], { input: fastImportStream(), maxBuffer: 1 << 30 })
  }
  const [c1, c2, c3, c4] = execFileSync('git', ['--git-dir', gitdir, 'rev-list', '--reverse', 'main'], { encoding: 'utf8' }).trim().split('\n')
  const machine = cpus()
  console.log(`machine: ${machine.length} × ${machine[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${execFileSync('git', ['--version'], { encoding: 'utf8' }).trim()}`)
  console.log(`repository: ${APPS} apps × 4 files + a Namespace (${APPS * 4 + 1} objects) under apps/`)

  const stateFile = join(dir, 'state.db')
  let now: Date
  if (reuse) {
    // A prepared state: the cold sync's result, copied so every run starts from the same point.
    for (const ext of ['', '-wal', '-shm']) {
      rmSync(stateFile + ext, { force: true })
      if (existsSync(join(dir, 'cold.db' + ext))) copyFileSync(join(dir, 'cold.db' + ext), stateFile + ext)
    }
    // The copy's 100 MB on disk before anything is timed: else the first sync's first fsync (the
    // state's write-ahead log) waits for the file system to write the copy out, ~90 ms.
    for (const ext of ['', '-wal', '-shm']) {
      if (!existsSync(stateFile + ext)) continue
      const fd = openSync(stateFile + ext, 'r+')
      fsyncSync(fd)
      closeSync(fd)
    }
    const saved = JSON.parse(readFileSync(join(dir, 'cold.json'), 'utf8')) as { now: string; apps: number; line: string }
    if (saved.apps !== APPS) throw new Error(`${dir} was prepared with --apps ${saved.apps}`)
    now = new Date(saved.now)
    console.log(`prepared state from ${dir} (cold sync then: ${saved.line})`)
  } else {
    now = await coldSync()
  }

  async function coldSync(): Promise<Date> {
    // The floor: native git reads every blob; yaml parses every document.
    const [lsMs, listing] = await time(async () => execFileSync('git', ['--git-dir', gitdir, 'ls-tree', '-r', c1, 'apps'], { encoding: 'utf8', maxBuffer: 1 << 30 }))
    const oids = listing.trim().split('\n').map((l) => l.split(/\s+/)[2])
    const [catMs, blobs] = await time(() => catFileBatch(gitdir, oids))
    const [parseMs] = await time(async () => {
      for (const b of blobs) for (const d of parseAllDocuments(b.toString('utf8'))) if (!Array.isArray(d)) d.toJS()
    })
    const floor = lsMs + catMs + parseMs
    console.log(`floor: git ls-tree -r ${lsMs.toFixed(0)} ms + git cat-file --batch ${catMs.toFixed(0)} ms + yaml parse ${parseMs.toFixed(0)} ms = ${floor.toFixed(0)} ms`)
    console.log('')

    // The state: sqlite, pods start at once.
    const start = new Date('2026-01-01T00:00:00Z')
    {
      const api = await openLocalClient(stateFile, { now: () => start })
      await api.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'capstan-sim', namespace: 'kube-system' }, data: { 'settings.json': '{"startDelaySeconds": 0}\n' } }, { fieldManager: 'bench' })
      // Room for every pod: 110 pods a node, as a kubelet's default.
      const nodes = Math.ceil((APPS * 1.2) / 110)
      await api.apply({ apiVersion: 'capstan.dev/v1alpha1', kind: 'NodePool', metadata: { name: 'bench' }, spec: { region: 'bench', zones: ['bench-a'], nodesPerZone: nodes, machineType: { name: 'bench', cpu: '64', memory: '256Gi', pods: 110 } } }, { fieldManager: 'bench' })
      await api.close()
    }

    {
      // The NodePool controller makes the nodes (and the scheduler's default node stays out of it).
      const clock = new VirtualClock(start)
      const api = await openLocalClient(stateFile, { now: () => clock.now() })
      const manager = new ControllerManager({ api, clock })
      addControllers(manager)
      await manager.settle()
      await manager.stop()
      console.log(`nodes: ${(await api.list('nodes')).items.length}`)
      await api.close()
    }
    const cold = await profiled('cold', () => syncOnce(stateFile, gitdir, c1, start))
    const pods = (await cold.api.list('pods', { namespace: 'bench' })).items
    const ready = pods.filter((p) => ((p.status as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')).length
    const rss = process.memoryUsage().rss
    const after = cold.clock.now()
    await cold.api.close()
    console.log(`cold sync: ${(cold.ms / 1000).toFixed(2)} s (target ≤ 15 s; ${(cold.ms / floor).toFixed(1)}× the floor): ${cold.outcome.result} ${cold.outcome.message}; ${pods.length} pods, ${ready} Ready; rss ${(rss / 2 ** 20).toFixed(0)} MiB`)
    console.log(`  steps (ms; "prune" runs until the controllers start, "health" includes them): ${cold.phases}`)
    if (prepared) {
      for (const ext of ['', '-wal', '-shm']) if (existsSync(stateFile + ext)) copyFileSync(stateFile + ext, join(dir, 'cold.db' + ext))
      writeFileSync(join(dir, 'cold.json'), JSON.stringify({ now: after.toISOString(), apps: APPS, line: `${(cold.ms / 1000).toFixed(2)} s` }))
    }
    return after
  }

  const resync = async (label: string, name: string, ref: string, target: number) => {
    const cpu0 = process.cpuUsage()
    const r = await profiled(name, () => syncOnce(stateFile, gitdir, ref, now))
    const cpu = cpuMs(cpu0)
    now = r.clock.now()
    await r.api.close()
    console.log(`${label}: ${r.ms.toFixed(0)} ms, cpu ${cpu.toFixed(0)} ms (target ≤ ${target} ms): mode ${r.outcome.mode}, ${r.outcome.result}, ${r.outcome.message}; steps ${r.phases}`)
    return r
  }
  await resync('no-op resync (same commit)', 'noop-same', c1, 300)
  await resync('no-op resync (a commit outside the path)', 'noop-outside', c2, 300)
  await resync('resync after a one-file commit (a ConfigMap)', 'configmap', c3, 300)
  const dep = await resync('resync after a one-file commit (a Deployment image, rollout waited for)', 'deployment', c4, 300)
  console.log(`  deployments: ${JSON.stringify(dep.outcome.deployments)}`)
  await daemonResyncs(c4)

  /** Commits `path` ← `text` on branch `daemon` (reset to `from` first: the same ids every run); returns the commit. */
  function daemonCommit(from: string, n: number, path: string, text: string): string {
    const message = `daemon ${n}: ${path}`
    const stream = `commit refs/heads/daemon\ncommitter Bench <bench@example.com> ${1_767_225_600 + (10 + n) * 60} +0000\ndata ${Buffer.byteLength(message)}\n${message}\nfrom ${from}\nM 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`
    execFileSync('git', ['--git-dir', gitdir, 'fast-import', '--quiet', '--force'], { input: stream })
    return execFileSync('git', ['--git-dir', gitdir, 'rev-parse', 'refs/heads/daemon'], { encoding: 'utf8' }).trim()
  }

  /** The daemon's resyncs: `capstan serve` over the state, then runSync as the sync lane runs it. */
  async function daemonResyncs(head: string): Promise<void> {
    const t0 = performance.now()
    const serve = await startServe({ state: stateFile, listen: '127.0.0.1:0' })
    try {
      const manager = serve.manager!
      await quiet(manager, 600_000)
      console.log(`daemon: capstan serve opened the state and its controllers went quiet in ${(performance.now() - t0).toFixed(0)} ms (a full start on the wall clock)`)
      const sync = async (ref: string) =>
        runSync({
          api: serve.api,
          source: { repo: gitdir, ref, path: 'apps', cacheDir: join(gitdir, '..', 'cache') },
          trigger: 'poll',
          now: () => new Date(),
          runCluster: wallCluster({ manager, healthTimeoutMs: 120_000 }),
        })
      // The daemon's first sync after it starts (the state is already at `head`).
      const first = await sync(head)
      console.log(`daemon: first sync (already synced): mode ${first.mode}, ${first.result}`)
      const other = appName(Math.min(2345, APPS - 2))
      const c5 = daemonCommit(head, 1, `apps/${other}/configmap.yaml`, configMap(other, 'debug'))
      const c6 = daemonCommit(c5, 2, `apps/${other}/deployment.yaml`, deployment(other, 'nginx:1.28'))
      const third = appName(Math.min(2346, APPS - 3))
      const c7 = daemonCommit(c6, 3, `apps/${third}/deployment.yaml`, deployment(third, 'nginx:1.28'))
      // The first rollout after the start also fills the scheduler's cache (every pod): the second is the steady state.
      for (const [label, name, ref] of [
        ['daemon resync after a one-file commit (a ConfigMap)', 'daemon-configmap', c5],
        ['daemon resync after a one-file commit (a Deployment image, rollout waited for; the first rollout since the start)', 'daemon-deployment', c6],
        ['daemon resync after a one-file commit (a Deployment image, rollout waited for; a later one)', 'daemon-deployment-2', c7],
      ] as const) {
        const cpu0 = process.cpuUsage()
        const t1 = performance.now()
        const out = await profiled(name, () => sync(ref))
        const ms = performance.now() - t1
        console.log(`${label}: ${ms.toFixed(0)} ms, cpu ${cpuMs(cpu0).toFixed(0)} ms (target ≤ 300 ms): mode ${out.mode}, ${out.result}, ${out.message}${out.deployments.length ? `; deployments ${JSON.stringify(out.deployments)}` : ''}`)
        await quiet(manager, 10_000)
      }
    } finally {
      await serve.close()
    }
  }
} finally {
  if (!process.argv.includes('--keep') && !prepared) rmSync(dir, { recursive: true, force: true })
  else console.log(`kept ${dir}`)
}
