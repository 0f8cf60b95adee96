/** Sync in process with the controllers running: a plan after a sync is empty, HPA replicas, other managers, prune, records. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { FIELD_MANAGER, isManaged, listSyncRecords, loadGitopsState, planCommit, SOURCE_ANNOTATION } from '../../reconciler/gitops/index.js'
import { commit, harness, type Harness } from './harness.js'

const deployment = (name: string, image = 'nginx:1.27', extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: ${image}
${extra}`
const files = {
  'apps/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
  'apps/web/deployment.yaml': deployment('web'),
  'apps/web/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n',
  'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: shop\ndata:\n  a: "1"\n',
  'apps/web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\n  namespace: shop\nstringData:\n  password: hunter2\n`,
  'apps/api/deployment.yaml': deployment('api'),
  'apps/api/hpa.yaml': 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  minReplicas: 1\n  maxReplicas: 5\n',
  'README.md': '# shop\n',
}

const test = suite('gitops sync (in process, controllers running)')
let h: Harness
test.before(async () => {
  h = await harness([{ files, message: 'shop: web and api' }])
})
test.after(async () => h.close())

const plan = async () => (await planCommit({ api: h.api, source: { repo: h.repo.dir, cacheDir: '/tmp' }, now: () => h.clock.now() })).plan
const actions = (p: { changes: Array<{ action: string; id: { kind: string; name: string } }> }) => p.changes.filter((c) => c.action !== 'unchanged').map((c) => `${c.action} ${c.id.kind}/${c.id.name}`)

test('a cold sync creates everything in order, marked as managed, and waits for the rollouts', async () => {
  const o = await h.sync()
  assert.is(o.result, 'Succeeded', o.message)
  assert.equal(o.plan!.changes.map((c) => `${c.action} ${c.id.kind}`), ['create Namespace', 'create ConfigMap', 'create Secret', 'create Service', 'create Deployment', 'create Deployment', 'create HorizontalPodAutoscaler'])
  assert.ok(o.health.every((x) => x.health.status === 'Healthy'), JSON.stringify(o.health))
  const web = await h.api.get('deployments', 'shop', 'web')
  assert.ok(isManaged(web))
  assert.is(web.metadata.annotations?.[SOURCE_ANNOTATION], 'apps/web/deployment.yaml')
  assert.ok(web.metadata.managedFields!.some((m) => m.manager === FIELD_MANAGER && m.operation === 'Apply'))
  assert.equal(o.deployments.map((d) => [d.name, d.revision]), [['api', 1], ['web', 1]])
})

test('the plan right after a sync is empty: defaults, status and controllers make no noise', async () => {
  const p = await plan()
  assert.equal(actions(p), [])
  assert.equal(p.notes.filter((n) => n.kind === 'ReplicasOwnedByHPA').length, 1, 'the HPA note, once')
})

test('a no-op resync does nothing and writes no record', async () => {
  const before = (await listSyncRecords(h.api)).length
  const o = await h.sync()
  assert.is(o.mode, 'noop')
  assert.ok(o.inSync)
  assert.is((await listSyncRecords(h.api)).length, before)
})

test('fields of other managers and the HPA’s replicas are not changes', async () => {
  await h.api.patch('deployments', 'shop', 'web', 'merge', { metadata: { annotations: { 'team.example/owner': 'alice' } } }, { fieldManager: 'kubectl-annotate' })
  await h.api.updateScale('deployments', 'shop', 'api', 4, { fieldManager: 'horizontal-pod-autoscaler' })
  assert.equal(actions(await plan()), [])
  const o = await h.sync()
  assert.is(o.mode, 'incremental')
  assert.equal(actions(o.plan!), [])
  assert.is((await h.api.get('deployments', 'shop', 'api')).spec && ((await h.api.get('deployments', 'shop', 'api')).spec as { replicas: number }).replicas, 4)
})

test('git wins over a field someone changed by hand (force), and says whose it took', async () => {
  await h.api.patch('configmaps', 'shop', 'web', 'merge', { data: { a: '2' } }, { fieldManager: 'kubectl-edit' })
  const o = await h.sync()
  assert.equal(actions(o.plan!), ['update ConfigMap/web'])
  const c = o.plan!.changes.find((x) => x.action === 'update')!
  assert.equal(c.takesOverFrom, ['kubectl-edit'])
  assert.equal(c.patch, [{ op: 'replace', path: '/data/a', value: '1' }])
  assert.is(((await h.api.get('configmaps', 'shop', 'web')).data as Record<string, string>).a, '1')
})

test('a one-file commit plans that file only; a Secret diff shows no value', async () => {
  const sha = commit(h, { 'apps/web/secret.yaml': files['apps/web/secret.yaml'].replace('hunter2', 'hunter3') }, 'rotate web password')
  const o = await h.sync({ dryRun: true })
  assert.is(o.result, 'DryRun')
  assert.is(o.mode, 'incremental')
  assert.equal(actions(o.plan!), ['update Secret/web'])
  const c = o.plan!.changes.find((x) => x.action === 'update')!
  assert.not.match(c.diff + JSON.stringify(c.patch), /hunter|aHVudGVy/)
  assert.match(c.diff, /\(sensitive, 7 bytes, changed\)/)
  const real = await h.sync()
  assert.is(real.result, 'Succeeded')
  assert.is((await loadGitopsState(h.api.storage)).last?.commit, sha)
})

test('an image change rolls the Deployment and records the new revision', async () => {
  commit(h, { 'apps/web/deployment.yaml': deployment('web', 'nginx:1.28') }, 'web: nginx 1.28')
  const o = await h.sync()
  assert.is(o.result, 'Succeeded', o.message)
  assert.equal(o.deployments.map((d) => [d.name, d.revision, d.previousRevision, d.rollback ?? false]), [['web', 2, 1, false]])
  assert.ok(o.deployments[0].replicaSet?.endsWith(o.deployments[0].podTemplateHash!))
})

test('an invalid object stops the whole sync: nothing applied, every error placed', async () => {
  commit(h, { 'apps/web/config.yaml': files['apps/web/config.yaml'].replace('a: "1"', 'a: "3"'), 'apps/web/deployment.yaml': deployment('web', 'nginx:1.28').replace('replicas: 2', 'replicas: -1') }, 'typo')
  const o = await h.sync()
  assert.is(o.result, 'Failed')
  assert.is(o.reason, 'ValidationFailed')
  assert.ok(o.problems.some((p) => p.file === 'apps/web/deployment.yaml' && /spec\.replicas/.test(p.text)), JSON.stringify(o.problems))
  assert.is(((await h.api.get('configmaps', 'shop', 'web')).data as Record<string, string>).a, '1', 'the valid change was not applied either')
})

test('a removed file is pruned with --prune only; an empty commit prunes nothing without --allow-empty', async () => {
  commit(h, { 'apps/web/config.yaml': files['apps/web/config.yaml'], 'apps/web/deployment.yaml': deployment('web', 'nginx:1.28'), 'apps/web/service.yaml': null }, 'drop the web service')
  const kept = await h.sync()
  assert.is(kept.result, 'Succeeded', kept.message)
  assert.ok(kept.plan!.notes.some((n) => n.kind === 'PruneSkipped'))
  await h.api.get('services', 'shop', 'web')
  const pruned = await h.sync({ prune: true })
  assert.equal(actions(pruned.plan!), ['prune Service/web'])
  assert.is(await h.api.get('services', 'shop', 'web').catch(() => 'gone'), 'gone')
  commit(h, { 'apps': null }, 'everything gone')
  const empty = await h.sync({ prune: true })
  assert.ok(empty.plan!.notes.some((n) => n.kind === 'EmptyCommitNotPruned'), JSON.stringify(empty.plan!.notes))
  await h.api.get('deployments', 'shop', 'web')
})

test('every sync that read a commit left a record, in sequence', async () => {
  const recs = await listSyncRecords(h.api)
  assert.equal(recs.map((r) => r.metadata.name), recs.map((_, i) => `sync-${String(i + 1).padStart(6, '0')}`))
  assert.equal(recs.map((r) => r.spec.result), ['Succeeded', 'Succeeded', 'Succeeded', 'DryRun', 'Succeeded', 'Succeeded', 'Failed', 'Succeeded', 'Succeeded', 'Succeeded'])
})

test.run()
