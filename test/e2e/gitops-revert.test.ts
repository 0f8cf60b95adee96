/**
 * End to end with real git and the real command: nautilus synced, kitten committed and synced,
 * `git revert` of kitten synced (the old ReplicaSet scaled back up, no new one, the record names the
 * reverted commit), then `rollout undo --to-revision 2 --repo` writes a commit restoring kitten's
 * document (the file's comments intact), syncs it, and a later sync changes nothing.
 */
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { projectRoot } from '../../reconciler/paths.js'
import { capstan, capstanBin, type RunResult } from '../helpers/capstan.js'
import { tempDir } from '../helpers/tmp.js'
import { capstanCli } from '../gitops/cli.js'
import { makeRepo, runGit, type MadeRepo } from '../source/git/make-repo.js'

const test = suite('e2e: git revert = rollout undo')
let t: ReturnType<typeof tempDir>
let state: string
let repo: MadeRepo
const read = (p: string) => readFileSync(join(projectRoot(), 'manifests', p), 'utf8')
const demo = read('update-demo/deployment.yaml')
const withImage = (tag: string) => demo.replace(/image: gcr.io\/google_containers\/update-demo:nautilus/, `image: gcr.io/google_containers/update-demo:${tag}`)
const FILE = 'update-demo/deployment.yaml'
let tick = 1_767_225_600 + 3600
let kitten = ''

/** `capstan rollout …`: the real bin once rollout.ts routes to rollout-git; until then the compiled module. */
function rollout(args: string[]): Promise<RunResult> {
  capstanBin()
  const rolloutJs = readFileSync(join(projectRoot(), 'dist', 'reconciler', 'cli', 'commands', 'rollout.js'), 'utf8')
  if (rolloutJs.includes('rollout-git.js')) return capstan(state, ['rollout', ...args])
  const mod = join(projectRoot(), 'dist', 'reconciler', 'cli', 'commands', 'rollout-git.js')
  const report = join(projectRoot(), 'dist', 'reconciler', 'cli', 'report-error.js')
  const script = `
const { rolloutGitCommand } = await import(${JSON.stringify(mod)});
const { reportError } = await import(${JSON.stringify(report)});
const io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), env: process.env, stdin: async () => '', isTTY: false };
try { process.exitCode = await rolloutGitCommand.run(JSON.parse(process.argv[1]), io) } catch (err) { reportError(err, io); process.exitCode = 2 }
`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(args)], { cwd: projectRoot(), env: { ...process.env, CAPSTAN_STATE: state } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end('')
  })
}

function git(...args: string[]): string {
  tick += 60
  return runGit(repo.dir, args, tick)
}

const sync = (...args: string[]) => capstanCli(state, ['sync', '--repo', repo.dir, ...args])
const get = async (args: string[]) => (await capstan(state, ['get', ...args])).stdout
const replicaSets = async () => (await get(['rs', '-l', 'name=update-demo', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas}/{.metadata.annotations.deployment\\.kubernetes\\.io/revision} {end}'])).trim().split(' ').sort()
const records = async () => (JSON.parse((await capstanCli(state, ['history', '-o', 'json'])).stdout) as { items: Array<{ spec: { commit: string; revertOf?: string; trigger?: string; deployments?: Array<{ revision: number; rollback?: boolean }> } }> }).items

test.before(() => {
  t = tempDir()
  state = join(t.dir, 'state.db')
  repo = makeRepo(join(t.dir, 'repo'), [{ files: { 'cluster/sim-registry.yaml': read('cluster/sim-registry.yaml'), [FILE]: demo }, message: 'Use nautilus' }])
})
test.after(() => t.remove())

test('nautilus, then kitten: two revisions, each naming its commit', async () => {
  assert.is((await sync()).code, 0)
  writeFileSync(join(repo.dir, FILE), withImage('kitten'))
  git('commit', '-q', '-am', 'Use kitten')
  kitten = git('rev-parse', 'HEAD')
  const r = await sync()
  assert.is(r.code, 0, r.stderr)
  const h = await rollout(['history', 'deployment/update-demo'])
  assert.is(h.code, 0, h.stderr)
  const lines = h.stdout.split('\n')
  assert.is(lines[0], 'deployment.apps/update-demo ')
  assert.match(lines[1], /^REVISION +COMMIT +SUBJECT +CHANGE-CAUSE$/)
  assert.match(lines[2], new RegExp(`^1 +${repo.commits[0].slice(0, 7)} +Use nautilus +<none>$`))
  assert.match(lines[3], new RegExp(`^2 +${kitten.slice(0, 7)} +Use kitten +<none>$`))
})

test('git revert of kitten, synced: the old ReplicaSet scales back up, no new one; the record says revert', async () => {
  const before = (await replicaSets()).map((s) => s.split('=')[0])
  git('revert', '--no-edit', 'HEAD')
  const revert = git('rev-parse', 'HEAD')
  const r = await sync()
  assert.is(r.code, 0, r.stderr)
  const after = await replicaSets()
  assert.equal(after.map((s) => s.split('=')[0]), before, 'no new ReplicaSet')
  const pods = await get(['pods', '-l', 'name=update-demo', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])
  assert.is(pods, 'gcr.io/google_containers/update-demo:nautilus')
  assert.equal(after.map((s) => s.split('=')[1]).sort(), ['0/2', '1/3'], 'the nautilus ReplicaSet is back at 1 replica as revision 3')
  const rec = (await records()).at(-1)!
  assert.is(rec.spec.commit, revert)
  assert.is(rec.spec.revertOf, kitten)
  assert.equal(rec.spec.deployments?.map((d) => [d.revision, d.rollback]), [[3, true]])
  const h = await rollout(['history', 'deployment/update-demo'])
  assert.match(h.stdout, new RegExp(`^3 \\(was 1\\) +${revert.slice(0, 7)} +Revert "Use kitten" \\(reverts ${kitten.slice(0, 7)}\\) +<none>$`, 'm'))
})

test('rollout undo --repo refuses a dirty file (exit 2), nothing committed', async () => {
  const path = join(repo.dir, FILE)
  const clean = readFileSync(path, 'utf8')
  const head = git('rev-parse', 'HEAD')
  writeFileSync(path, clean + '# wip\n')
  const r = await rollout(['undo', 'deployment/update-demo', '--to-revision', '2', '--repo', repo.dir])
  assert.is(r.code, 2, r.stdout + r.stderr)
  assert.match(r.stderr, /uncommitted changes/)
  assert.is(git('rev-parse', 'HEAD'), head)
  writeFileSync(path, clean)
})

test('rollout undo --to-revision 2 --repo: a commit restoring kitten, comments intact, synced; a later sync changes nothing', async () => {
  const r = await rollout(['undo', 'deployment/update-demo', '--to-revision', '2', '--repo', repo.dir])
  assert.is(r.code, 0, r.stdout + r.stderr)
  const message = `Roll back deployment/update-demo to revision 2 (${kitten.slice(0, 7)}: Use kitten)`
  assert.is(git('log', '-1', '--format=%s'), message)
  assert.ok(r.stdout.includes(message), r.stdout)
  assert.is(readFileSync(join(repo.dir, FILE), 'utf8'), withImage('kitten'), 'the file as kitten had it, comments included')
  assert.is(git('show', 'HEAD:' + FILE), withImage('kitten').trimEnd())
  assert.is(git('status', '--porcelain'), '')
  const img = await get(['deploy', 'update-demo', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])
  assert.is(img, 'gcr.io/google_containers/update-demo:kitten')
  assert.equal((await replicaSets()).map((s) => s.split('=')[1]).sort(), ['0/3', '1/4'], 'kitten\'s ReplicaSet back as revision 4, no new one')
  assert.is((await records()).at(-1)!.spec.trigger, 'undo')
  const h = await rollout(['history', 'deployment/update-demo'])
  assert.match(h.stdout, new RegExp(`^4 \\(was 2\\) +${git('rev-parse', 'HEAD').slice(0, 7)} +Roll back deployment/update-demo to revision 2 `, 'm'))
  const again = await sync()
  assert.is(again.code, 0, again.stderr)
  assert.match(again.stdout, /^already in sync at /m)
  assert.is(await get(['deploy', 'update-demo', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'gcr.io/google_containers/update-demo:kitten')
})

test.run()
