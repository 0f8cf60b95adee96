/**
 * End to end with the real clients against `capstan serve` (in process, port 0, a temporary state,
 * the controllers on the wall clock): kubectl's rollout commands and scale, and @kubernetes/client-node
 * (list, an informer's watch, server-side apply).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as k8s from '@kubernetes/client-node'
import type { KObject } from '../../reconciler/api/object.js'
import { HAVE_KUBECTL } from './harness.js'
import { eventually, startServeHarness, type ServeHarness } from './serve-harness.js'

const deployment = (image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "${image}"}
`

type J = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- deep reads of JSON in assertions

const kubectl = suite('kubectl 1.32 against capstan serve: rollouts and scale on the wall clock')
let h: ServeHarness
kubectl.before(async () => {
  h = await startServeHarness()
})
kubectl.after(async () => {
  await h?.close()
})

const runningPods = async (): Promise<KObject[]> =>
  (await h.client.list('pods', { namespace: 'default', labelSelector: 'app=web' })).items.filter((p) => (p.status as J)?.phase === 'Running' && !p.metadata.deletionTimestamp)
const image = async (): Promise<string> => ((await h.client.get('deployments', 'default', 'web')).spec as J).template.spec.containers[0].image

if (!HAVE_KUBECTL) {
  kubectl('kubectl is not installed: skipped', () => console.log('  (kubectl not found on PATH; the kubectl suite is skipped)'))
} else {
  kubectl('apply, rollout status follows the rollout to completion', async () => {
    const file = join(h.dir, 'web.yaml')
    writeFileSync(file, deployment('nginx:1.25'))
    let r = await h.kubectl(['apply', '--server-side', '-f', file])
    assert.is(r.code, 0, r.stderr)
    r = await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=20s'])
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /deployment "web" successfully rolled out/)
    assert.is((await runningPods()).length, 2)
  })

  kubectl('a new image makes revision 2; history lists both; undo goes back to revision 1', async () => {
    const file = join(h.dir, 'web.yaml')
    writeFileSync(file, deployment('nginx:1.26'))
    let r = await h.kubectl(['apply', '--server-side', '-f', file])
    assert.is(r.code, 0, r.stderr)
    r = await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=20s'])
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /successfully rolled out/)
    r = await h.kubectl(['rollout', 'history', 'deployment/web'])
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /^deployment\.apps\/web \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/)
    r = await h.kubectl(['rollout', 'history', 'deployment/web', '--revision=1'])
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /Image:\s+nginx:1\.25/)
    r = await h.kubectl(['rollout', 'undo', 'deployment/web'])
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /deployment\.apps\/web rolled back/)
    r = await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=20s'])
    assert.is(r.code, 0, r.stderr)
    assert.is(await image(), 'nginx:1.25')
    const d = await h.client.get('deployments', 'default', 'web')
    assert.is(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3')
  })

  kubectl('pause holds a rollout; resume lets it finish; restart rolls the pods', async () => {
    let r = await h.kubectl(['rollout', 'pause', 'deployment/web'])
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /deployment\.apps\/web paused/)
    r = await h.kubectl(['set', 'image', 'deployment/web', 'web=nginx:1.27'])
    assert.is(r.code, 0, r.stderr)
    // Paused: the controller makes no new ReplicaSet for the new template.
    await new Promise((res) => setTimeout(res, 300))
    const rsBefore = (await h.client.list('replicasets', { namespace: 'default' })).items.filter((rs) => (rs.spec as J).template.spec.containers[0].image === 'nginx:1.27')
    assert.is(rsBefore.length, 0)
    r = await h.kubectl(['rollout', 'resume', 'deployment/web'])
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /deployment\.apps\/web resumed/)
    r = await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=20s'])
    assert.is(r.code, 0, r.stderr)
    assert.is(await image(), 'nginx:1.27')
    const before = new Set((await runningPods()).map((p) => p.metadata.name))
    r = await h.kubectl(['rollout', 'restart', 'deployment/web'])
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /deployment\.apps\/web restarted/)
    r = await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=20s'])
    assert.is(r.code, 0, r.stderr)
    const d = await h.client.get('deployments', 'default', 'web')
    assert.ok((d.spec as J).template.metadata.annotations['kubectl.kubernetes.io/restartedAt'])
    const after = await eventually('the restarted pods', async () => {
      const pods = await runningPods()
      return pods.length === 2 && pods.every((p) => !before.has(p.metadata.name)) ? pods : undefined
    })
    assert.is(after.length, 2)
  })

  kubectl('scale changes the number of running pods', async () => {
    let r = await h.kubectl(['scale', 'deployment/web', '--replicas=4'])
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stdout, /deployment\.apps\/web scaled/)
    await eventually('4 running pods', async () => ((await runningPods()).length === 4 ? true : undefined))
    r = await h.kubectl(['scale', 'deployment/web', '--replicas=1'])
    assert.is(r.code, 0, r.stderr)
    await eventually('1 running pod', async () => ((await runningPods()).length === 1 ? true : undefined))
    r = await h.kubectl(['get', 'deployment', 'web'])
    assert.match(r.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+1\/1\s+1\s+1\s+/)
  })
}
kubectl.run()

const client = suite('@kubernetes/client-node against capstan serve')
let c: ServeHarness
let kc: k8s.KubeConfig
client.before(async () => {
  c = await startServeHarness({ tokens: ['client-node-token'] })
  kc = new k8s.KubeConfig()
  // client-node refuses plain http unless the cluster skips TLS verification (its rule, not the server's).
  kc.loadFromOptions({
    clusters: [{ name: 'capstan', server: c.url, skipTLSVerify: true }],
    users: [{ name: 'capstan', token: 'client-node-token' }],
    contexts: [{ name: 'capstan', cluster: 'capstan', user: 'capstan' }],
    currentContext: 'capstan',
  })
})
client.after(async () => {
  await c?.close()
})

client('list: namespaces and configmaps by label selector', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api)
  const nss = await core.listNamespace()
  assert.equal(nss.items.map((n) => n.metadata?.name), ['default', 'kube-node-lease', 'kube-public', 'kube-system'])
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'one', labels: { pick: 'yes' } }, data: { a: '1' } } })
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'two' }, data: { a: '2' } } })
  const picked = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'pick=yes' })
  assert.equal(picked.items.map((x) => x.metadata?.name), ['one'])
  assert.ok(Number(picked.metadata?.resourceVersion) > 0)
  const err = (await core.readNamespacedConfigMap({ namespace: 'default', name: 'nope' }).then(
    () => ({}),
    (e: unknown) => e,
  )) as { code?: number; body?: string }
  assert.is(err.code, 404)
  assert.is(JSON.parse(String(err.body)).reason, 'NotFound')
})

client('an informer sees ADDED, MODIFIED and DELETED through the watch', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api)
  const seen: string[] = []
  const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'app=inf' }), 'app=inf')
  informer.on('add', (o) => seen.push(`ADDED ${o.metadata?.name}`))
  informer.on('update', (o) => seen.push(`MODIFIED ${o.metadata?.name} ${o.data?.v}`))
  informer.on('delete', (o) => seen.push(`DELETED ${o.metadata?.name}`))
  await c.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before', labels: { app: 'inf' } }, data: { v: '0' } })
  await informer.start()
  try {
    await eventually('the initial list', async () => (seen.includes('ADDED before') ? true : undefined))
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w', labels: { app: 'inf' } }, data: { v: '1' } } })
    await core.patchNamespacedConfigMap({ namespace: 'default', name: 'w', body: { data: { v: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'w' })
    await eventually('the delete', async () => (seen.includes('DELETED w') ? true : undefined))
    assert.equal(seen, ['ADDED before', 'ADDED w', 'MODIFIED w 2', 'DELETED w'])
    assert.equal(informer.list('default').map((o) => o.metadata?.name), ['before'])
  } finally {
    await informer.stop()
  }
})

client('server-side apply through KubernetesObjectApi: create, then a conflict, then force', async () => {
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc)
  const spec = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ssa', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'ssa' } }, template: { metadata: { labels: { app: 'ssa' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
  }
  const created = (await objects.patch(spec, undefined, undefined, 'client-node-test', false, k8s.PatchStrategy.ServerSideApply)) as J
  assert.is(created.spec.replicas, 2)
  assert.ok(created.metadata.managedFields.some((m: J) => m.manager === 'client-node-test' && m.operation === 'Apply'))
  const apps = kc.makeApiClient(k8s.AppsV1Api)
  await apps.replaceNamespacedDeploymentScale({ namespace: 'default', name: 'ssa', body: { metadata: { name: 'ssa', namespace: 'default' }, spec: { replicas: 5 } } })
  const conflict = await objects.patch(spec, undefined, undefined, 'client-node-test', false, k8s.PatchStrategy.ServerSideApply).catch((e: unknown) => e as { code?: number; body?: string })
  assert.is((conflict as { code?: number }).code, 409)
  assert.ok(JSON.parse(String((conflict as { body?: string }).body)).details.causes.some((x: J) => x.field === '.spec.replicas'))
  const forced = (await objects.patch(spec, undefined, undefined, 'client-node-test', true, k8s.PatchStrategy.ServerSideApply)) as J
  assert.is(forced.spec.replicas, 2)
  const read = await apps.readNamespacedDeployment({ namespace: 'default', name: 'ssa' })
  assert.is(read.spec?.replicas, 2)
})

client.run()
