/**
 * End to end: `capstan serve --repo` in process over a bare repository made by init-remote, pushed
 * to with the real git: a push deploys, a stalled rollout is reported by /capstan/status, webhooks
 * are verified, quick pushes coalesce, and the scheduled drift check heals a manual scale.
 */
import { createHmac } from 'node:crypto'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../reconciler/api/object.js'
import { demoWith, eventually, startDaemonHarness, type DaemonHarness } from '../daemon/harness.js'

const run = promisify(execFile)
const SECRET = 'push-secret'

const test = suite('e2e: capstan serve --repo (push to deploy)')
let h: DaemonHarness

test.before(async () => {
  h = await startDaemonHarness({ webhookSecret: SECRET, healthTimeoutMs: 1500 })
})
test.after(async () => {
  await h?.close()
})

const deployment = async (): Promise<KObject | undefined> => h.client.get('deployments', 'default', 'update-demo').catch(() => undefined)
const image = (d: KObject | undefined): string | undefined => (d as { spec?: { template?: { spec?: { containers?: Array<{ image: string }> } } } } | undefined)?.spec?.template?.spec?.containers?.[0]?.image
const syncEnds = () => h.lines.filter((l) => l.event === 'sync-end')

test('a git push into the bare repository deploys within a second or two', async () => {
  // The start-up sync of the empty repository fails at the source step (no commit yet).
  const boot = await eventually('the start-up sync', () => syncEnds().find((l) => l.trigger === 'startup'))
  assert.is(boot.reason, 'SourceFailed')
  const c = h.pusher.commit({ 'update-demo/deployment.yaml': demoWith('nautilus') }, 'update-demo')
  const pushed = Date.now()
  h.pusher.push()
  const d = await eventually('the Deployment', deployment, 3000)
  assert.ok(Date.now() - pushed < 3000)
  assert.is(image(d), 'gcr.io/google_containers/update-demo:nautilus')
  const end = await eventually('sync end', () => syncEnds().find((l) => l.commit === c))
  assert.is(end.result, 'Succeeded')
  assert.is(end.trigger, 'watch')
  const st = await h.call('/capstan/status')
  assert.is(st.code, 200)
  assert.is((st.body.lastSync as { commit: string }).commit, c)
  assert.is(st.body.healthy, true)
})

test('a push of a missing image tag syncs, stalls and /capstan/status reports the failure', async () => {
  const c = h.pusher.commit({ 'update-demo/deployment.yaml': demoWith('kitty') }, 'update-demo: kitty')
  h.pusher.push()
  const end = await eventually('sync end', () => syncEnds().find((l) => l.commit === c), 8000)
  assert.is(end.result, 'Failed')
  assert.is(end.reason, 'HealthCheckFailed')
  const st = await h.call('/capstan/status')
  const last = st.body.lastSync as { commit: string; result: string; health: Array<{ name: string; status: string }> }
  assert.is(last.commit, c)
  assert.is(last.result, 'Failed')
  assert.is(st.body.healthy, false)
  assert.equal(last.health.map((x) => [x.name, x.status]), [['update-demo', 'Degraded']])
  const hist = await h.call('/capstan/history')
  const specs = (hist.body.items as Array<{ spec: { commit: string; result: string } }>).map((r) => r.spec)
  assert.ok(specs.some((s) => s.commit === c && s.result === 'Failed'))
})

test('webhooks: a good GitHub signature or GitLab token triggers a sync (202); a bad or missing one is refused (401) and logged', async () => {
  const c = h.pusher.commit({ 'update-demo/deployment.yaml': demoWith('nautilus') }, 'back to nautilus')
  // Written into the bare repository without the watcher seeing a change first: the webhook is the trigger.
  const body = JSON.stringify({ ref: 'refs/heads/main', after: c })
  const sig = 'sha256=' + createHmac('sha256', SECRET).update(body).digest('hex')
  const cases: Array<{ name: string; headers: Record<string, string>; code: number }> = [
    { name: 'missing', headers: { 'x-github-event': 'push' }, code: 401 },
    { name: 'bad github', headers: { 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) }, code: 401 },
    { name: 'bad gitlab', headers: { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'nope' }, code: 401 },
    { name: 'ping', headers: { 'x-github-event': 'ping', 'x-hub-signature-256': sig }, code: 200 },
    { name: 'github push', headers: { 'x-github-event': 'push', 'x-hub-signature-256': sig }, code: 202 },
    { name: 'gitlab push', headers: { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': SECRET }, code: 202 },
  ]
  for (const k of cases) {
    const r = await h.call('/capstan/webhook', { method: 'POST', headers: { 'content-type': 'application/json', ...k.headers }, body })
    assert.is(r.code, k.code, k.name)
    if (k.code === 202) assert.is(r.body.commit, c, k.name)
  }
  assert.is(h.lines.filter((l) => l.event === 'webhook-refused').length, 3)
  h.pusher.push()
  const end = await eventually('sync end', () => syncEnds().find((l) => l.commit === c), 5000)
  assert.is(end.result, 'Succeeded')
  const api = await h.call('/capstan/sync', { method: 'POST' })
  assert.is(api.code, 202)
  assert.is(api.body.commit, c)
})

test('three quick pushes during a sync: exactly one more sync, of the last commit', async () => {
  await eventually('idle', () => (h.daemon.status().running || h.daemon.status().syncWaiting ? undefined : true))
  // A push whose rollout stalls keeps the lane busy for the health timeout (1.5 s).
  const stall = h.pusher.commit({ 'update-demo/deployment.yaml': demoWith('kitty') }, 'stall')
  h.pusher.push()
  await eventually('the stalling sync', () => h.lines.find((l) => l.event === 'sync-start' && l.commit === stall))
  const commits = ['kitten', 'nautilus', 'kitten'].map((tag, i) => h.pusher.commit({ 'update-demo/deployment.yaml': demoWith(tag) }, `push ${i + 1}: ${tag}`))
  for (const c of commits) await run('git', ['push', '-q', 'capstan', `${c}:refs/heads/main`], { cwd: h.pusher.work })
  assert.is(h.daemon.status().running, 'sync', 'the pushes landed while the stalling sync ran')
  const last = commits[2]
  await eventually('the last commit synced', () => syncEnds().find((l) => l.commit === last), 8000)
  await h.daemon.lane.idle()
  const i = h.lines.findIndex((l) => l.event === 'sync-start' && l.commit === stall)
  const after = h.lines.slice(i + 1).filter((l) => l.event === 'sync-start')
  assert.equal(after.map((l) => l.commit), [last])
  assert.ok(h.lines.slice(i + 1).some((l) => l.event === 'trigger' && l.queued === 'coalesced'))
  assert.is((h.daemon.status().lastSync as { commit: string }).commit, last)
})

test.run()

const drift = suite('e2e: capstan serve --drift-schedule --self-heal')
let g: DaemonHarness

drift.before(async () => {
  g = await startDaemonHarness({ first: { 'update-demo/deployment.yaml': demoWith('nautilus', 2) }, driftSchedule: '* * * * * *', selfHeal: true })
})
drift.after(async () => {
  await g?.close()
})

drift('a manual scale is caught by the scheduled drift check and healed', async () => {
  const replicas = async () => ((await g.client.get('deployments', 'default', 'update-demo').catch(() => undefined)) as { spec?: { replicas?: number } } | undefined)?.spec?.replicas
  await eventually('the first sync', () => g.lines.find((l) => l.event === 'sync-end' && l.result === 'Succeeded'), 5000)
  assert.is(await replicas(), 2)
  await g.client.updateScale('deployments', 'default', 'update-demo', 5, { fieldManager: 'kubectl-scale' })
  const found = await eventually('drift found', () => g.lines.find((l) => l.event === 'drift' && (l.drifted as number) > 0), 4000)
  assert.match(String(found.reason), /spec\.replicas by kubectl-scale/)
  await eventually('healed', () => g.lines.find((l) => l.event === 'drift-heal'), 5000)
  await eventually('replicas back to 2', async () => ((await replicas()) === 2 ? true : undefined), 3000)
  const reports = (await g.call('/capstan/drift')).body.items as Array<{ drifted: number; healedBy?: string }>
  assert.ok(reports.some((r) => r.drifted > 0 && r.healedBy))
})

drift.run()
