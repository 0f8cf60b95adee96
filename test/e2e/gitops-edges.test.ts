/**
 * End to end through the command line (in process, over sqlite state files and real git
 * repositories): GitOps edges a review found. A Secret's live value is never printed or stored by
 * drift; a --path the commit lacks is an error, not an empty commit; git's spec.replicas is validated
 * even when an HPA owns it; a sync with problems prints no "created" lines; objects that left git are
 * drift without --prune too (and a heal keeps them); `rollout undo --repo` commits on the branch the
 * last sync followed; a kustomize-rendered Deployment is refused clearly; revision expressions.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { CliIO } from '../../reconciler/cli/io.js'
import { runCli } from '../../reconciler/cli/run.js'
import { tempDir } from '../helpers/tmp.js'
import { makeRepo, type MadeRepo } from '../source/git/make-repo.js'

const test = suite('e2e: GitOps edges')
let t: ReturnType<typeof tempDir>
let n = 0

test.before(() => {
  t = tempDir('capstan-edges-')
})
test.after(() => t.remove())

/** A fresh state file and `capstan ARGS` over it, in process. */
function fresh(): (...args: string[]) => Promise<{ code: number; stdout: string; stderr: string }> {
  const state = join(t.dir, `state-${++n}.db`)
  return async (...args) => {
    let stdout = ''
    let stderr = ''
    const io: CliIO = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { ...process.env, CAPSTAN_STATE: state }, stdin: async () => '', isTTY: false }
    const code = await runCli(args, io)
    return { code, stdout, stderr }
  }
}

const repoOf = (commits: Parameters<typeof makeRepo>[1]): MadeRepo => makeRepo(join(t.dir, `repo-${++n}`), commits)

const secret = (password: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: default\nstringData:\n  password: ${password}\n`
const configMap = (name: string, data = 'a: "1"') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  ${data}\n`
const deployment = (image: string, replicas = '1') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: "${image}"}]}\n`
const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: default
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 4
`

test('drift never prints or stores a Secret live value: masked as in the plan', async () => {
  const capstan = fresh()
  const repo = repoOf([{ files: { 'secret.yaml': secret('hunter2') }, message: 'secret' }])
  assert.is((await capstan('sync', '--repo', repo.dir)).code, 0)
  const edit = join(t.dir, `edit-${n}.yaml`)
  writeFileSync(edit, secret('NEW-PROD-PASSWORD'))
  assert.is((await capstan('apply', '-f', edit)).code, 0)
  const leaked = Buffer.from('NEW-PROD-PASSWORD').toString('base64')
  const text = await capstan('drift')
  assert.is(text.code, 1, text.stderr)
  assert.match(text.stdout, /data\.password/)
  const json = await capstan('drift', '-o', 'json')
  const history = await capstan('drift', 'history', '-o', 'json')
  for (const [name, out] of [['text', text.stdout], ['json', json.stdout], ['history', history.stdout]]) {
    assert.not.match(out, leaked, `${name} shows the live value`)
    assert.not.match(out, 'NEW-PROD-PASSWORD', name)
  }
  const finding = (JSON.parse(json.stdout) as { findings: Array<{ field: string; live: unknown }> }).findings.find((f) => f.field === 'data.password')
  assert.is(finding?.live, '(sensitive, 17 bytes)')
})

test('a --path the commit does not have: exit 2 naming it; nothing synced, recorded or pruned, even with --allow-empty --prune', async () => {
  const capstan = fresh()
  const repo = repoOf([{ files: { 'deploy/cm.yaml': configMap('settings') }, message: 'init' }])
  assert.is((await capstan('sync', '--repo', repo.dir, '--path', 'deploy', '--prune')).code, 0)
  for (const extra of [[], ['--allow-empty']]) {
    const r = await capstan('sync', '--repo', repo.dir, '--path', 'deplyo', '--prune', ...extra)
    assert.is(r.code, 2, r.stdout)
    assert.match(r.stderr, /path "deplyo" does not exist in commit [0-9a-f]{7}/)
  }
  const got = await capstan('get', 'configmap', 'settings')
  assert.is(got.code, 0, 'still there')
  const status = await capstan('status')
  assert.match(status.stdout, /deploy\b/)
  assert.not.match(status.stdout, /deplyo/)
})

test('spec.replicas of a Deployment an HPA owns is still validated: exit 2, nothing applied', async () => {
  const capstan = fresh()
  const repo = repoOf([{ files: { 'app.yaml': `${deployment('nginx:1.25', 'two')}---\n${hpa}` }, message: 'init' }])
  const r = await capstan('sync', '--repo', repo.dir)
  assert.is(r.code, 2, r.stdout)
  assert.match(r.stderr, /app\.yaml:\d+: document 0: Deployment "web": spec\.replicas: Invalid value: "two"/)
  assert.not.match(r.stdout, /created/, 'no "created" lines when nothing was applied')
  assert.is((await capstan('get', 'deployment', 'web')).code, 2, 'not found')
})

test('a sync with problems prints no "created" lines for what it did not apply', async () => {
  const capstan = fresh()
  const repo = repoOf([{ files: { 'cms.yaml': `${configMap('good')}---\n${configMap('bad', 'count: 3')}` }, message: 'init' }])
  const r = await capstan('sync', '--repo', repo.dir)
  assert.is(r.code, 2)
  assert.is(r.stdout, '')
  assert.match(r.stderr, /cms\.yaml:\d+: document 1: ConfigMap "bad": data\[count\]/)
  assert.match(r.stderr, /nothing was applied/)
})

test('an object that left git is drift also without --prune; a heal keeps it and says so (exit 1)', async () => {
  const capstan = fresh()
  const repo = repoOf([
    { files: { 'a.yaml': configMap('a'), 'b.yaml': configMap('b') }, message: 'init' },
    { files: { 'b.yaml': null }, message: 'drop b' },
  ])
  assert.is((await capstan('sync', '--repo', repo.dir, '--ref', repo.commits[0])).code, 0)
  assert.is((await capstan('sync', '--repo', repo.dir)).code, 0)
  const d = await capstan('drift', '-o', 'json')
  assert.is(d.code, 1, d.stdout)
  const report = JSON.parse(d.stdout) as { findings: Array<{ class: string; id: { name: string }; message: string }> }
  assert.equal(report.findings.map((f) => [f.class, f.id.name]), [['Extra', 'b']])
  assert.match(report.findings[0].message, /kept: the last sync did not --prune/)
  const heal = await capstan('drift', '--heal')
  assert.is(heal.code, 1)
  assert.match(heal.stderr, /1 object\(s\) left git and are kept/)
  assert.is((await capstan('get', 'configmap', 'b')).code, 0, 'a heal without --prune deletes nothing')
  // The repository spelled another way is the same repository: its last sync's settings hold.
  const respelled = await capstan('drift', '--repo', `${repo.dir}/`, '--heal')
  assert.is(respelled.code, 1, respelled.stdout)
  assert.not.match(respelled.stdout, /pruned|created/)
  assert.is((await capstan('get', 'configmap', 'b')).code, 0)
})

test('a commit that renders no objects, synced with --prune: drift reports what it kept, and a heal neither prunes nor records anything', async () => {
  const capstan = fresh()
  const repo = repoOf([
    { files: { 'a.yaml': configMap('a') }, message: 'init' },
    { files: { 'a.yaml': null, 'README.md': '# nothing to deploy\n' }, message: 'empty' },
  ])
  assert.is((await capstan('sync', '--repo', repo.dir, '--ref', repo.commits[0], '--prune')).code, 0)
  assert.is((await capstan('sync', '--repo', repo.dir, '--prune')).code, 0)
  const records = (await capstan('history')).stdout.trim().split('\n').length
  for (let i = 0; i < 2; i++) {
    const heal = await capstan('drift', '--heal')
    assert.is(heal.code, 1)
    assert.match(heal.stderr, /left git and are kept: the commit renders no objects; --allow-empty prunes them/)
  }
  assert.is((await capstan('history')).stdout.trim().split('\n').length, records, 'no heal syncs recorded')
  assert.is((await capstan('get', 'configmap', 'a')).code, 0)
})

test('rollout undo --repo after a drift heal (which syncs a commit by its id) commits on the branch checked out', async () => {
  const capstan = fresh()
  const repo = repoOf([{ files: { 'web.yaml': deployment('nginx:1.25') }, message: 'v1.25' }])
  writeFileSync(join(repo.dir, 'web.yaml'), deployment('nginx:1.26'))
  repo.git('commit', '-qam', 'v1.26')
  assert.is((await capstan('sync', '--repo', repo.dir, '--ref', 'HEAD~1')).code, 0)
  assert.is((await capstan('sync', '--repo', repo.dir)).code, 0)
  assert.is((await capstan('scale', 'deployment/web', '--replicas=3')).code, 0)
  assert.is((await capstan('drift', '--heal')).code, 0)
  const u = await capstan('rollout', 'undo', 'deployment/web', '--repo', repo.dir)
  assert.is(u.code, 0, u.stderr)
  assert.match(u.stdout, /^\[main [0-9a-f]{7}\] /m)
})

test('rollout undo --repo commits on the branch the last sync followed, not the one checked out, and deploys only that', async () => {
  const capstan = fresh()
  const repo = repoOf([{ files: { 'web.yaml': deployment('nginx:1.25') }, message: 'v1.25' }])
  repo.git('branch', 'release')
  assert.is((await capstan('sync', '--repo', repo.dir, '--ref', 'release')).code, 0)
  repo.git('checkout', '-q', 'release')
  writeFileSync(join(repo.dir, 'web.yaml'), deployment('nginx:1.26'))
  repo.git('commit', '-qam', 'release: 1.26')
  assert.is((await capstan('sync', '--repo', repo.dir, '--ref', 'release')).code, 0)
  repo.git('checkout', '-q', 'main')
  writeFileSync(join(repo.dir, 'wip.yaml'), configMap('wip'))
  repo.git('add', 'wip.yaml')
  repo.git('commit', '-qm', 'WIP not for prod')
  const u = await capstan('rollout', 'undo', 'deployment/web', '--repo', repo.dir)
  assert.is(u.code, 0, u.stderr)
  assert.match(u.stdout, /^\[release [0-9a-f]{7}\] /m)
  assert.is(repo.git('log', '-1', '--format=%s', 'release').startsWith('Undo') || repo.git('log', '-1', '--format=%s', 'release').includes('web'), true)
  assert.is(repo.git('log', '-1', '--format=%s', 'main'), 'WIP not for prod', 'main untouched')
  assert.is((await capstan('get', 'configmap', 'wip')).code, 2, 'the WIP commit was not deployed')
  assert.match((await capstan('status')).stdout, /ref release/)
  // A tag synced is no branch to commit on.
  repo.git('tag', 'v1', 'release~1')
  assert.is((await capstan('sync', '--repo', repo.dir, '--ref', 'v1')).code, 0)
  const tagged = await capstan('rollout', 'undo', 'deployment/web', '--repo', repo.dir)
  assert.is(tagged.code, 2)
  assert.match(tagged.stderr, /was of the tag "v1", which is not a branch: name the branch to commit the undo on with --ref/)
})

test('rollout undo --repo of a Deployment kustomize rendered: refused, saying why', async () => {
  const capstan = fresh()
  const repo = repoOf([{ files: { 'app/web.yaml': deployment('nginx:1.25'), 'app/kustomization.yaml': 'resources:\n- web.yaml\n' }, message: 'v1.25' }])
  const first = await capstan('sync', '--repo', repo.dir, '--path', 'app')
  if (first.code !== 0 && /neither kustomize nor kubectl is installed/.test(first.stderr)) return // nothing here renders kustomizations
  assert.is(first.code, 0, first.stderr)
  writeFileSync(join(repo.dir, 'app/web.yaml'), deployment('nginx:1.26'))
  repo.git('commit', '-qam', '1.26')
  assert.is((await capstan('sync', '--repo', repo.dir, '--path', 'app')).code, 0)
  const u = await capstan('rollout', 'undo', 'deployment/web', '--repo', repo.dir)
  assert.is(u.code, 2)
  assert.match(u.stderr, /rendered by kustomize from app\/: rollout undo --repo restores a document of a YAML file/)
})

test('--ref and diff --base take revision expressions (HEAD~1, main^)', async () => {
  const capstan = fresh()
  const repo = repoOf([
    { files: { 'a.yaml': configMap('a') }, message: 'one' },
    { files: { 'b.yaml': configMap('b') }, message: 'two' },
  ])
  const s = await capstan('sync', '--repo', repo.dir, '--ref', 'HEAD~1')
  assert.is(s.code, 0, s.stderr)
  assert.is((await capstan('get', 'configmap', 'b')).code, 2, 'not found')
  const d = await capstan('diff', '--repo', repo.dir, '--base', 'main^', '--head', 'main')
  assert.is(d.code, 1, d.stderr)
  assert.match(d.stdout, /configmap\/b/)
})

test.run()
