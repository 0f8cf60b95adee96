/** Pairing, ordering, Secret masking and diff rendering of the plan. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { byApplyOrder, byPruneOrder, diffLines, maskSecrets, pairObjects, unifiedDiff, describeChange, hpaTarget, ownsReplicas } from '../../reconciler/gitops/plan/index.js'
import type { ObjectId } from '../../reconciler/gitops/identity.js'
import type { KObject } from '../../reconciler/api/object.js'

const id = (kind: string, name: string, namespace = 'default', group = ''): ObjectId => ({ group, version: 'v1', kind, namespace, name })

const pairing = suite('gitops plan: pairing')
pairing('pairs by group, kind, namespace and name; live-only objects are prune candidates', () => {
  const pairs = pairObjects(
    [{ id: id('ConfigMap', 'a'), value: 'd-a' }, { id: id('Deployment', 'web', 'default', 'apps'), value: 'd-web' }],
    [{ id: id('ConfigMap', 'a'), value: 'l-a' }, { id: id('ConfigMap', 'a', 'other'), value: 'l-other' }, { id: { ...id('Deployment', 'web', 'default', 'apps'), version: 'v1beta1' }, value: 'l-web' }],
  )
  assert.equal(pairs.map((p) => [p.id.kind, p.id.namespace, p.id.name, p.desired ?? null, p.live ?? null]), [
    ['ConfigMap', 'default', 'a', 'd-a', 'l-a'],
    ['Deployment', 'default', 'web', 'd-web', 'l-web'],
    ['ConfigMap', 'other', 'a', null, 'l-other'],
  ])
})
pairing.run()

const order = suite('gitops plan: order')
order('namespaces, node pools, config, services, deployments, others, HPAs, ingresses; prune reversed', () => {
  const ids = [id('Ingress', 'i'), id('HorizontalPodAutoscaler', 'h'), id('Deployment', 'd'), id('Service', 's'), id('Secret', 'x'), id('ConfigMap', 'c'), id('NodePool', 'p', ''), id('Namespace', 'n', ''), id('Pod', 'pod')]
  const sorted = [...ids].sort(byApplyOrder).map((i) => i.kind)
  assert.equal(sorted, ['Namespace', 'NodePool', 'ConfigMap', 'Secret', 'Service', 'Deployment', 'Pod', 'HorizontalPodAutoscaler', 'Ingress'])
  assert.equal([...ids].sort(byPruneOrder).map((i) => i.kind), [...sorted].reverse())
})
order.run()

const secrets = suite('gitops plan: Secret values never appear')
const secret = (data: Record<string, string>): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data })
const b64 = (s: string) => Buffer.from(s).toString('base64')
secrets('values become sizes; a changed value is marked on the new side', () => {
  const [a, b] = maskSecrets(secret({ user: b64('admin'), pass: b64('hunter2') }), secret({ user: b64('admin'), pass: b64('hunter3'), token: b64('abc') }))
  assert.equal(a!.data, { user: '(sensitive, 5 bytes)', pass: '(sensitive, 7 bytes)' })
  assert.equal(b!.data, { user: '(sensitive, 5 bytes)', pass: '(sensitive, 7 bytes, changed)', token: '(sensitive, 3 bytes)' })
})
secrets('neither the diff nor the patch carries a value', () => {
  const { patch, diff } = describeChange(secret({ pass: b64('hunter2') }), secret({ pass: b64('hunter3') }), 'secret/s')
  const text = JSON.stringify(patch) + diff
  assert.not.ok(text.includes(b64('hunter2')) || text.includes(b64('hunter3')) || text.includes('hunter'))
  assert.equal(patch, [{ op: 'replace', path: '/data/pass', value: '(sensitive, 7 bytes, changed)' }])
  assert.match(diff, /^-  pass: \(sensitive, 7 bytes\)$/m)
  assert.match(diff, /^\+  pass: \(sensitive, 7 bytes, changed\)$/m)
})
secrets('other kinds pass through', () => {
  const cm = { kind: 'ConfigMap', data: { a: 'b' } }
  assert.equal(maskSecrets(cm, cm), [cm, cm])
})
secrets.run()

const diff = suite('gitops plan: unified diff')
const cases: Array<{ name: string; a: string; b: string; want: string }> = [
  { name: 'equal texts give nothing', a: 'x\ny\n', b: 'x\ny\n', want: '' },
  { name: 'one changed line with context', a: 'a\nb\nc\nd\ne\nf\ng\nh\n', b: 'a\nb\nc\nd\nE\nf\ng\nh\n', want: '--- a\n+++ b\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n' },
  { name: 'an added line at the end', a: 'a\n', b: 'a\nb\n', want: '--- a\n+++ b\n@@ -1,1 +1,2 @@\n a\n+b\n' },
  { name: 'from nothing', a: '', b: 'a\nb\n', want: '--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n' },
  { name: 'two distant changes make two hunks', a: '1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n', b: 'one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n', want: '--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n' },
]
for (const c of cases) diff(c.name, () => assert.is(unifiedDiff(c.a, c.b), c.want))
diff('the edit script is minimal and replays to the new text', () => {
  const a = 'a b c a b b a'.split(' ')
  const b = 'c b a b a c'.split(' ')
  const edits = diffLines(a, b)
  assert.equal(edits.filter((e) => e.op !== '-').map((e) => e.line), b)
  assert.equal(edits.filter((e) => e.op !== '+').map((e) => e.line), a)
  assert.is(edits.filter((e) => e.op !== ' ').length, 5)
})
diff.run()

const hpa = suite('gitops plan: HPA targets')
hpa('an HPA names a Deployment of its namespace', () => {
  assert.is(hpaTarget({ metadata: { namespace: 'spark' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' } } }), 'apps/Deployment/spark/worker')
  assert.is(hpaTarget({ metadata: {}, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' } } }), undefined)
})
hpa('ownership of spec.replicas is read from capstan’s Apply entry', () => {
  const d = (fields: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', managedFields: [{ manager: 'capstan', operation: 'Apply', fieldsV1: fields }] } }) as unknown as KObject
  assert.ok(ownsReplicas(d({ 'f:spec': { 'f:replicas': {} } })))
  assert.not.ok(ownsReplicas(d({ 'f:spec': { 'f:template': {} } })))
})
hpa.run()
