/**
 * End to end: `capstan diff` and `capstan drift` with real git repositories and the command modules
 * (in process, over a sqlite state file): a branch changing the image to kitty previewed as Markdown
 * (it will fail to pull), no change, a typo; then sync, `capstan scale`, drift (Modified by
 * kubectl-scale), `drift --heal`, `drift history`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { CliIO } from '../../reconciler/cli/io.js'
import type { Command } from '../../reconciler/cli/run.js'
import { diffCommand } from '../../reconciler/cli/commands/diff.js'
import { driftCommand } from '../../reconciler/cli/commands/drift.js'
import { scaleCommand } from '../../reconciler/cli/commands/scale.js'
import { syncCommand } from '../../reconciler/cli/commands/sync.js'
import { projectRoot } from '../../reconciler/paths.js'
import { tempDir } from '../helpers/tmp.js'
import { makeRepo, runGit, type MadeRepo } from '../source/git/make-repo.js'

const test = suite('e2e: capstan diff and drift')
let t: ReturnType<typeof tempDir>
let state: string
let repo: MadeRepo
const read = (p: string) => readFileSync(join(projectRoot(), 'manifests', p), 'utf8')
const demo = read('update-demo/deployment.yaml')
const withImage = (tag: string) => demo.replace(/image: gcr.io\/google_containers\/update-demo:nautilus/, `image: gcr.io/google_containers/update-demo:${tag}`)

async function run(cmd: Command, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { ...process.env, CAPSTAN_STATE: state }, stdin: async () => '', isTTY: false }
  let code: number
  try {
    code = await cmd.run(argv, io)
  } catch (err) {
    stderr += String(err)
    code = 2
  }
  return { code, stdout, stderr }
}

test.before(() => {
  t = tempDir()
  state = join(t.dir, 'state.db')
  repo = makeRepo(join(t.dir, 'repo'), [{ files: { 'cluster/sim-registry.yaml': read('cluster/sim-registry.yaml'), 'update-demo/deployment.yaml': demo }, message: 'update-demo: nautilus' }])
  const at = 1_767_225_600 + 7200
  runGit(repo.dir, ['checkout', '-q', '-b', 'kitty'], at)
  writeFile('update-demo/deployment.yaml', withImage('kitty'))
  runGit(repo.dir, ['commit', '-q', '-am', 'update-demo: kitty'], at)
  runGit(repo.dir, ['checkout', '-q', '-b', 'typo', 'main'], at)
  writeFile('update-demo/deployment.yaml', demo.replace(/replicas: \d+/, 'replicas: lots'))
  runGit(repo.dir, ['commit', '-q', '-am', 'typo'], at)
  runGit(repo.dir, ['checkout', '-q', 'main'], at)
})
test.after(() => t.remove())

function writeFile(p: string, text: string): void {
  writeFileSync(join(repo.dir, p), text)
}

test('a branch changing the image to kitty, previewed as Markdown: it will fail to pull; exit 1', async () => {
  const r = await run(diffCommand, ['--repo', repo.dir, '--base', 'main', '--head', 'kitty', '-o', 'markdown'])
  assert.is(r.code, 1, r.stderr)
  assert.match(r.stdout, /^\| ~ \| `deployment\.apps\/update-demo` \| default \| rolls 1 pod to revision 2 \(RollingUpdate: maxSurge 1, maxUnavailable 0\)/m)
  assert.match(r.stdout, /update-demo:kitty is not in the simulated registry: its pods will fail to pull/)
  assert.match(r.stdout, /<details><summary>/)
  assert.match(r.stdout, /^-\s+- image: gcr\.io\/google_containers\/update-demo:nautilus$/m)
  assert.match(r.stdout, /^\+\s+- image: gcr\.io\/google_containers\/update-demo:kitty$/m)
})

test('JSON for bots', async () => {
  const r = await run(diffCommand, ['--repo', repo.dir, '--base', 'main', '--head', 'kitty', '-o', 'json'])
  assert.is(r.code, 1, r.stderr)
  const j = JSON.parse(r.stdout) as { changes: Array<{ object: { kind: string }; action: string; patch: Array<{ path: string }>; warnings: string[] }> }
  assert.is(j.changes.length, 1)
  assert.is(j.changes[0].object.kind, 'Deployment')
  assert.is(j.changes[0].action, 'update')
  assert.ok(j.changes[0].patch.some((p) => p.path.endsWith('/image')))
  assert.is(j.changes[0].warnings.length, 1)
})

test('no change: exit 0', async () => {
  const r = await run(diffCommand, ['--repo', repo.dir, '--base', 'main', '--head', 'main'])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /^No changes\.$/m)
})

test('a typo: exit 2 with file and line', async () => {
  const r = await run(diffCommand, ['--repo', repo.dir, '--base', 'main', '--head', 'typo'])
  assert.is(r.code, 2, r.stdout)
  assert.match(r.stderr, /update-demo\/deployment\.yaml:\d+/)
  assert.match(r.stderr, /replicas/)
})

test('drift: scale, then Modified by kubectl-scale (exit 1); --heal puts replicas back and writes a record; history', async () => {
  const s = await run(syncCommand, ['--repo', repo.dir])
  assert.is(s.code, 0, s.stderr)
  const clean = await run(driftCommand, [])
  assert.is(clean.code, 0, clean.stderr + clean.stdout)
  const sc = await run(scaleCommand, ['deployment/update-demo', '--replicas=3'])
  assert.is(sc.code, 0, sc.stderr)
  const d = await run(driftCommand, ['-o', 'json'])
  assert.is(d.code, 1, d.stderr)
  const report = JSON.parse(d.stdout) as { findings: Array<{ class: string; field?: string; git?: unknown; live?: unknown; manager?: string }> }
  assert.equal(report.findings, [{ ...report.findings[0], class: 'Modified', field: 'spec.replicas', git: 1, live: 3, manager: 'kubectl-scale' }])
  const h = await run(driftCommand, ['--heal'])
  assert.is(h.code, 0, h.stderr + h.stdout)
  assert.match(h.stdout, /^Modified +deployment\.apps\/update-demo +default +spec\.replicas +1 +3 +kubectl-scale$/m)
  const after = await run(driftCommand, [])
  assert.is(after.code, 0, after.stdout)
  const hist = await run(driftCommand, ['history'])
  assert.is(hist.code, 0, hist.stderr)
  const lines = hist.stdout.trim().split('\n')
  assert.is(lines.length, 5)
  assert.match(lines[0], /^TIME +COMMIT +FINDINGS +HEALED$/)
  assert.match(lines[3], / 1 +sync-\d{6}$/)
})

test.run()
