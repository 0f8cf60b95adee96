/**
 * Preview and drift benchmark on the gitops-sync bench's repository (APPS apps × 4 manifests + a
 * Namespace; 2,500 apps = 10,001 objects by default): `capstan diff` between two commits that differ
 * in 10 files (5 ConfigMaps, 5 Deployment images) — offline, only what differs and its context
 * synced into a throwaway state — and a drift scan of the live objects after a sync, with 10 scaled
 * Deployments (the state is prepared once; the scan is timed several times). Measures the compiled
 * code in dist/ (run `npm run build` first). Targets: preview ≤ 1 s, drift scan ≤ 2 s at 10,000
 * objects. `--reference` also times the reference paths (all of base synced for the preview: about
 * 100 s at 10,000 objects; every object planned for the drift scan) and checks they answer the same.
 *
 *   node --import tsx test/bench/preview-drift.bench.ts [--apps 2500] [--runs 3] [--reference]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { projectRoot } from '../../reconciler/paths.js'

const dist = (p: string) => join(projectRoot(), 'dist', 'reconciler', p)
const { previewDiff, throwawayState } = (await import(dist('gitops/preview/index.js'))) as typeof import('../../reconciler/gitops/preview/index.js')
const { scanDrift } = (await import(dist('gitops/drift/index.js'))) as typeof import('../../reconciler/gitops/drift/index.js')
const { runSync } = (await import(dist('gitops/index.js'))) as typeof import('../../reconciler/gitops/index.js')

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const APPS = arg('apps', 2_500)
const RUNS = arg('runs', 3)
const REFERENCE = process.argv.includes('--reference')
const { previewJson } = (await import(dist('gitops/preview/index.js'))) as typeof import('../../reconciler/gitops/preview/index.js')
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(', ')})`
const appName = (i: number) => `app-${String(i).padStart(4, '0')}`
const deployment = (app: string, image = 'nginx:1.27') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\n  namespace: bench\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n      - name: web\n        image: ${image}\n        envFrom:\n        - configMapRef:\n            name: ${app}-config\n`
const service = (app: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n  namespace: bench\nspec:\n  selector:\n    app: ${app}\n  ports:\n  - port: 80\n    targetPort: 80\n`
const configMap = (app: string, level = 'info') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}-config\n  namespace: bench\ndata:\n  LOG_LEVEL: ${level}\n`
const secret = (app: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${app}-secret\n  namespace: bench\ntype: Opaque\ndata:\n  password: ${Buffer.from(`pw-${app}`).toString('base64')}\n`

function fastImportStream(): string {
  const parts: string[] = []
  const files: Array<[string, string]> = [['apps/namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n']]
  for (let i = 0; i < APPS; i++) {
    const app = appName(i)
    files.push([`apps/${app}/deployment.yaml`, deployment(app)], [`apps/${app}/service.yaml`, service(app)], [`apps/${app}/configmap.yaml`, configMap(app)], [`apps/${app}/secret.yaml`, secret(app)])
  }
  const ten: Array<[string, string]> = []
  for (let k = 0; k < 5; k++) {
    const a = appName(Math.floor((k * APPS) / 5))
    const b = appName(Math.floor((k * APPS) / 5) + 1)
    ten.push([`apps/${a}/configmap.yaml`, configMap(a, 'debug')], [`apps/${b}/deployment.yaml`, deployment(b, 'nginx:1.28')])
  }
  const commit = (n: number, message: string, body: Array<[string, string]>) => {
    parts.push(`commit refs/heads/main\nmark :${n}\ncommitter Bench <bench@example.com> ${1_767_225_600 + n * 60} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`)
    if (n > 1) parts.push(`from :${n - 1}\n`)
    for (const [path, text] of body) parts.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`)
  }
  commit(1, 'all apps', files)
  commit(2, 'ten files', ten)
  return parts.join('')
}

const dir = mkdtempSync(join(tmpdir(), 'capstan-preview-bench-'))
try {
  const gitdir = join(dir, 'repo.git')
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', gitdir])
  execFileSync('git', ['--git-dir', gitdir, 'fast-import', '--quiet'], { input: fastImportStream(), maxBuffer: 1 << 30 })
  const [c1, c2] = execFileSync('git', ['--git-dir', gitdir, 'rev-list', '--reverse', 'main'], { encoding: 'utf8' }).trim().split('\n')
  const machine = cpus()
  console.log(`machine: ${machine.length} × ${machine[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`)
  console.log(`repository: ${APPS * 4 + 1} objects under apps/; head differs from base in 10 files`)
  const cacheDir = join(dir, 'cache')

  // Preview: offline (only what differs between base and head, and its context, synced into a throwaway state).
  const times: number[] = []
  let p
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    p = await previewDiff({ repo: gitdir, base: c1, head: c2, path: 'apps', cacheDir })
    times.push(performance.now() - t0)
  }
  console.log(`preview (offline): ${ms(times)}, ${p!.changes.length} changes (target ≤ 1000 ms)`)
  if (REFERENCE) {
    const t0 = performance.now()
    const full = await previewDiff({ repo: gitdir, base: c1, head: c2, path: 'apps', cacheDir, method: 'full' })
    console.log(`preview, reference (all of base synced first): ${(performance.now() - t0).toFixed(0)} ms; same answer: ${previewJson(full) === previewJson(p!)}`)
  }

  // Drift: a state synced to base (prepared once), 10 Deployments scaled by someone else, then scans.
  const t = await throwawayState()
  let t0 = performance.now()
  await runSync({ api: t.api, source: { repo: gitdir, ref: c1, path: 'apps', cacheDir }, full: true, wait: false, now: () => t.clock.now(), runCluster: t.runCluster })
  console.log(`setup: sync of base without waiting: ${(performance.now() - t0).toFixed(0)} ms`)
  for (let k = 0; k < 10; k++) await t.api.updateScale('deployments', 'bench', appName(k * 7), 3, { fieldManager: 'kubectl-scale' })
  const scans: number[] = []
  let scan
  for (let i = 0; i < RUNS; i++) {
    t0 = performance.now()
    scan = await scanDrift({ api: t.api, cacheDir, now: () => t.clock.now() })
    scans.push(performance.now() - t0)
  }
  console.log(`drift scan of ${APPS * 4 + 1} live objects: ${ms(scans)}, ${scan!.report.drifted} findings (target ≤ 2000 ms)`)
  if (REFERENCE) {
    t0 = performance.now()
    const full = await scanDrift({ api: t.api, cacheDir, now: () => t.clock.now(), method: 'full' })
    console.log(`drift scan, reference (every object planned): ${(performance.now() - t0).toFixed(0)} ms; same findings: ${JSON.stringify(full.report) === JSON.stringify(scan!.report)}`)
  }
  await t.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
