/**
 * The git source's benchmark: a generated repository of 2,500 directories × 4 manifests (10,001
 * files). Prints a cold renderTree, a no-op diffTrees, a one-file change (diff + re-render), and the
 * floor measured in the same run: `git ls-tree -r` + `git cat-file --batch` of every blob + yaml
 * parse of every document.
 *
 *   node --import tsx test/bench/git-read.bench.ts [--apps 2500] [--runs 5] [--keep]
 *
 * `--keep` leaves the generated repository in place (its path is printed) for profiling.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseAllDocuments } from 'yaml'
import { diffTrees, memoryBlobCache, openRepo, resolveRef } from '../../reconciler/source/git/index.js'
import { renderTree } from '../../reconciler/source/render-tree.js'

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const APPS = arg('apps', 2_500)
const RUNS = arg('runs', 5)

const deployment = (app: string, image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: bench
  labels:
    app: ${app}
spec:
  replicas: 2
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
const configMap = (app: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config
  namespace: bench
data:
  LOG_LEVEL: info
  GREETING: hello from ${app}
`
const hpa = (app: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${app}
  namespace: bench
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${app}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 80
`

/** A `git fast-import` stream: commit 1 has every file, commit 2 changes nothing, commit 3 changes one image. */
function fastImportStream(): string {
  const parts: string[] = []
  const when = 1_767_225_600
  const files: Array<[string, string]> = [['namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n']]
  for (let i = 0; i < APPS; i++) {
    const app = `app-${String(i).padStart(4, '0')}`
    files.push([`apps/${app}/deployment.yaml`, deployment(app)], [`apps/${app}/service.yaml`, service(app)], [`apps/${app}/configmap.yaml`, configMap(app)], [`apps/${app}/hpa.yaml`, hpa(app)])
  }
  const commit = (n: number, message: string, body: Array<[string, string]>) => {
    parts.push(`commit refs/heads/main\nmark :${n}\ncommitter Bench <bench@example.com> ${when + n * 60} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`)
    if (n > 1) parts.push(`from :${n - 1}\n`)
    for (const [path, text] of body) parts.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`)
  }
  commit(1, 'all apps', files)
  commit(2, 'nothing under the path changed', [['README.md', '# bench\n']])
  commit(3, 'app-1234: nginx 1.28', [[`apps/app-${String(Math.min(1234, APPS - 1)).padStart(4, '0')}/deployment.yaml`, deployment(`app-${String(Math.min(1234, APPS - 1)).padStart(4, '0')}`, 'nginx:1.28')]])
  return parts.join('')
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now()
  const v = await fn()
  return [performance.now() - t0, v]
}

/** `git cat-file --batch` of `oids`: the content of each, split out of the batch framing. */
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

const dir = mkdtempSync(join(tmpdir(), 'capstan-git-bench-'))
try {
  const gitdir = join(dir, 'repo.git')
  mkdirSync(gitdir)
  const t0 = performance.now()
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', gitdir])
  execFileSync('git', ['--git-dir', gitdir, 'fast-import', '--quiet'], { input: fastImportStream(), maxBuffer: 1 << 30 })
  const genMs = performance.now() - t0
  const commits = execFileSync('git', ['--git-dir', gitdir, 'rev-list', '--reverse', 'main'], { encoding: 'utf8' }).trim().split('\n')
  const [c1, c2, c3] = commits

  const machine = cpus()
  const igitVersion = (JSON.parse(readFileSync(join(process.cwd(), 'node_modules/isomorphic-git/package.json'), 'utf8')) as { version: string }).version
  console.log(`machine: ${machine.length} × ${machine[0]?.model ?? 'unknown cpu'}, node ${process.version}, ${execFileSync('git', ['--version'], { encoding: 'utf8' }).trim()}, isomorphic-git ${igitVersion}`)
  console.log(`repository: ${APPS} directories × 4 files + 1 (${APPS * 4 + 1} files, packed by fast-import), generated in ${genMs.toFixed(0)} ms`)
  console.log('')

  // The floor: native git lists and reads every blob; yaml parses every document.
  const [lsMs, listing] = await time(async () => execFileSync('git', ['--git-dir', gitdir, 'ls-tree', '-r', c1], { encoding: 'utf8', maxBuffer: 1 << 30 }))
  const oids = listing.trim().split('\n').map((l) => l.split(/\s+/)[2])
  const [catMs, blobs] = await time(() => catFileBatch(gitdir, oids))
  const [parseMs, docs] = await time(async () => {
    let n = 0
    for (const b of blobs) for (const d of parseAllDocuments(b.toString('utf8'))) if (!Array.isArray(d)) n += d.toJS() ? 1 : 0
    return n
  })
  const floor = lsMs + catMs + parseMs
  console.log(`floor: git ls-tree -r ${lsMs.toFixed(0)} ms + git cat-file --batch ${catMs.toFixed(0)} ms (${blobs.length} blobs) + yaml parse ${parseMs.toFixed(0)} ms (${docs} documents) = ${floor.toFixed(0)} ms`)

  // Cold: a fresh handle and an empty parse cache.
  const repo = await openRepo(gitdir)
  const cache = memoryBlobCache()
  const [coldMs, cold] = await time(async () => renderTree({ repo, commit: await resolveRef(repo, c1), cache }))
  console.log(
    `cold renderTree: ${coldMs.toFixed(0)} ms (${(coldMs / floor).toFixed(1)}× the floor): ${cold.files} files, ${cold.objects.length} objects, ${cold.errors.length} errors; ${repo.stats.treeReads} tree reads, ${repo.stats.blobReads} blob reads`,
  )

  // A no-op: the new commit's tree under apps/ is the old one's.
  const noop: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const fresh = await openRepo(gitdir)
    const [ms, changes] = await time(async () => diffTrees(fresh, c1, await resolveRef(fresh, c2), 'apps'))
    if (changes.length !== 0) throw new Error('the no-op diff found changes')
    noop.push(ms)
  }
  const [warmNoopMs] = await time(async () => diffTrees(repo, c1, await resolveRef(repo, c2), 'apps'))
  console.log(`no-op diffTrees (resolve ref + compare, under apps/): median ${median(noop).toFixed(2)} ms with a fresh handle, ${warmNoopMs.toFixed(2)} ms warm`)

  // One file changed: diff, then render the new commit with the warm handle and parse cache.
  const reads = { ...repo.stats }
  const [diffMs, changes] = await time(async () => diffTrees(repo, c1, await resolveRef(repo, c3), 'apps'))
  const [rerenderMs, next] = await time(async () => renderTree({ repo, commit: c3, path: 'apps', cache }))
  console.log(
    `one-file change: diffTrees ${diffMs.toFixed(1)} ms (${changes.length} change: ${changes.map((c) => c.path).join(', ')}) + renderTree ${rerenderMs.toFixed(1)} ms (${next.objects.length} objects) = ${(diffMs + rerenderMs).toFixed(1)} ms; ${repo.stats.treeReads - reads.treeReads} tree reads, ${repo.stats.blobReads - reads.blobReads} blob reads`,
  )
  const warm: number[] = []
  for (let i = 0; i < RUNS; i++) warm.push((await time(() => renderTree({ repo, commit: c3, path: 'apps', cache })))[0])
  console.log(`warm renderTree (nothing new): median ${median(warm).toFixed(1)} ms`)
} finally {
  if (process.argv.includes('--keep')) console.log(`kept: ${dir}/repo.git`)
  else rmSync(dir, { recursive: true, force: true })
}
