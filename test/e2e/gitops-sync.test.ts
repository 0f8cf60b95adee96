/**
 * End to end: `capstan sync` of the update-demo walkthrough's repository with real git and the real
 * command: a cold sync, an empty plan after it, an image change rolled out, a missing tag failing at
 * its deadline, a typo refused with nothing applied, --dry-run, prune of a removed file, the history.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { projectRoot } from '../../reconciler/paths.js'
import { capstan } from '../helpers/capstan.js'
import { tempDir } from '../helpers/tmp.js'
import { capstanCli } from '../gitops/cli.js'
import { makeRepo, runGit, type MadeRepo } from '../source/git/make-repo.js'

const test = suite('e2e: capstan sync of the update-demo repository')
let t: ReturnType<typeof tempDir>
let state: string
let repo: MadeRepo
const read = (p: string) => readFileSync(join(projectRoot(), 'manifests', p), 'utf8')
const demo = read('update-demo/deployment.yaml')
const withImage = (tag: string) => demo.replace(/image: gcr.io\/google_containers\/update-demo:nautilus/, `image: gcr.io/google_containers/update-demo:${tag}`)
let tick = 1_767_225_600 + 3600

function commit(files: Record<string, string | null>, message: string): string {
  const { writeFileSync, rmSync, mkdirSync } = fsModule
  for (const [p, text] of Object.entries(files)) {
    const f = join(repo.dir, p)
    if (text === null) rmSync(f, { force: true })
    else {
      mkdirSync(join(f, '..'), { recursive: true })
      writeFileSync(f, text)
    }
  }
  tick += 60
  runGit(repo.dir, ['add', '-A'], tick)
  runGit(repo.dir, ['commit', '-q', '-m', message], tick)
  return runGit(repo.dir, ['rev-parse', 'HEAD'], tick)
}
import * as fsModule from 'node:fs'

test.before(() => {
  t = tempDir()
  state = join(t.dir, 'state.db')
  repo = makeRepo(join(t.dir, 'repo'), [
    { files: { 'cluster/sim-registry.yaml': read('cluster/sim-registry.yaml'), 'update-demo/deployment.yaml': demo, 'extra/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: "1"\n' }, message: 'update-demo: nautilus' },
  ])
})
test.after(() => t.remove())

const sync = (...args: string[]) => capstanCli(state, ['sync', '--repo', repo.dir, ...args])

test('a cold sync creates every object and waits for the rollout', async () => {
  const r = await sync()
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /^configmap\/capstan-sim -n kube-system created$/m)
  assert.match(r.stdout, /^deployment\.apps\/update-demo -n default created$/m)
  assert.match(r.stdout, /synced [0-9a-f]{7} "update-demo: nautilus": 3 created, 0 configured, 0 pruned, 0 unchanged \(sync-000001\)/)
  const ready = await capstan(state, ['get', 'deploy', 'update-demo', '-o', 'jsonpath={.status.readyReplicas}/{.metadata.labels.app\\.kubernetes\\.io/managed-by}/{.metadata.annotations.capstan\\.dev/source}'])
  assert.is(ready.stdout, '1/capstan/update-demo/deployment.yaml')
})

test('right after: a resync has nothing to do, and status says live matches git', async () => {
  const r = await sync()
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /^already in sync at [0-9a-f]{7}$/m)
  const s = await capstanCli(state, ['status'])
  assert.is(s.code, 0, s.stderr)
  assert.match(s.stdout, /^Live: +matches git$/m)
  assert.match(s.stdout, /^deployment\.apps +default +update-demo +Healthy +Synced /m)
})

test('--dry-run shows the diff and applies nothing', async () => {
  commit({ 'update-demo/deployment.yaml': withImage('kitten') }, 'update-demo: kitten')
  const r = await sync('--dry-run')
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /^deployment\.apps\/update-demo -n default configured \(dry run\)$/m)
  assert.match(r.stdout, /^-\s+- image: gcr\.io\/google_containers\/update-demo:nautilus$/m)
  assert.match(r.stdout, /^\+\s+- image: gcr\.io\/google_containers\/update-demo:kitten$/m)
  const img = await capstan(state, ['get', 'deploy', 'update-demo', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])
  assert.is(img.stdout, 'gcr.io/google_containers/update-demo:nautilus')
})

test('an image change in a new commit rolls the Deployment out', async () => {
  const r = await sync()
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /0 created, 1 configured, 0 pruned, 0 unchanged/)
  const img = await capstan(state, ['get', 'pods', '-l', 'name=update-demo', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])
  assert.is(img.stdout, 'gcr.io/google_containers/update-demo:kitten')
})

test('a missing tag fails the sync at its progress deadline, saying why (exit 1)', async () => {
  commit({ 'update-demo/deployment.yaml': withImage('kitty') }, 'update-demo: kitty')
  const r = await sync()
  assert.is(r.code, 1, r.stdout + r.stderr)
  assert.match(r.stderr, /HealthCheckFailed/)
  assert.match(r.stderr, /deployment "update-demo" exceeded its progress deadline: pods waiting: ImagePullBackOff/)
})

test('a commit with a typo is refused with file, line and field; nothing is applied (exit 2)', async () => {
  commit({ 'update-demo/deployment.yaml': withImage('kitten').replace('replicas: 1', 'replicas: "one"'), 'extra/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: "2"\n' }, 'typo')
  const r = await sync()
  assert.is(r.code, 2, r.stdout + r.stderr)
  assert.match(r.stderr, /^error: update-demo\/deployment\.yaml:\d+: document 0: Deployment "update-demo": spec\.replicas: /m)
  assert.match(r.stderr, /nothing was applied/)
  const cm = await capstan(state, ['get', 'cm', 'extra', '-o', 'jsonpath={.data.a}'])
  assert.is(cm.stdout, '1')
})

test('a removed file is pruned with --prune', async () => {
  commit({ 'update-demo/deployment.yaml': withImage('kitten'), 'extra/config.yaml': null }, 'drop extra')
  const kept = await sync()
  assert.is(kept.code, 0, kept.stderr)
  assert.match(kept.stdout, /note: 1 managed object\(s\) left git and are kept \(--prune deletes them\): configmap\/extra/)
  const r = await sync('--prune')
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /^configmap\/extra -n default pruned$/m)
  const gone = await capstan(state, ['get', 'cm', 'extra'])
  assert.ok(gone.code !== 0 && /NotFound/.test(gone.stderr), gone.stderr)
})

test('history lists every sync: SEQ, COMMIT, SUBJECT, TIME, RESULT, CHANGES', async () => {
  const r = await capstanCli(state, ['history'])
  assert.is(r.code, 0, r.stderr)
  const lines = r.stdout.trimEnd().split('\n')
  assert.match(lines[0], /^SEQ +COMMIT +SUBJECT +TIME +RESULT +CHANGES$/)
  const rows = lines.slice(1).map((l) => l.split(/ {3,}/))
  assert.equal(rows.map((c) => [c[0], c[2], c[4], c[5]]), [
    ['1', 'update-demo: nautilus', 'Succeeded', '+3 ~0 -0'],
    ['2', 'update-demo: kitten', 'DryRun', '+0 ~1 -0'],
    ['3', 'update-demo: kitten', 'Succeeded', '+0 ~1 -0'],
    ['4', 'update-demo: kitty', 'Failed', '+0 ~1 -0'],
    ['5', 'typo', 'Failed', '+0 ~1 -0'],
    ['6', 'drop extra', 'Succeeded', '+0 ~1 -0'],
    ['7', 'drop extra', 'Succeeded', '+0 ~0 -1'],
  ])
  const json = JSON.parse((await capstanCli(state, ['history', '-o', 'json'])).stdout) as { items: Array<{ spec: { deployments?: Array<{ revision: number }> } }> }
  assert.is(json.items.length, 7)
  assert.is(json.items[2].spec.deployments?.[0].revision, 2)
})

test.run()
