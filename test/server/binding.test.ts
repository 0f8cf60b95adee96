/**
 * POST pods/NAME/binding over HTTP, as kube-scheduler binds: 201 with a Success Status; the pod gets
 * spec.nodeName and PodScheduled=True and no new managedFields entry; a second binding, a binding
 * with another pod's uid, or a wrong body are refused as kube-apiserver refuses them. Discovery lists
 * the subresource. (Controllers off, so nothing else binds the pod.)
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../reconciler/api/object.js'
import { startServeHarness, type ServeHarness } from './serve-harness.js'

const test = suite('server: pods/binding')
let h: ServeHarness

test.before(async () => {
  h = await startServeHarness({ noControllers: true })
})
test.after(async () => {
  await h?.close()
})

const pod = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } })
const post = async (name: string, body: unknown): Promise<{ code: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${h.url}/api/v1/namespaces/default/pods/${name}/binding`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  return { code: res.status, body: (await res.json()) as Record<string, unknown> }
}
const binding = (name: string, node: string, uid?: string) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name, ...(uid ? { uid } : {}) }, target: { apiVersion: 'v1', kind: 'Node', name: node } })

test('a binding sets the node and PodScheduled, answers 201 Success, adds no managedFields entry', async () => {
  const created = await h.client.create(pod('a'), { fieldManager: 'kubectl-create' })
  const r = await post('a', binding('a', 'node-1', created.metadata.uid))
  assert.is(r.code, 201)
  assert.equal(r.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' })
  const bound = (await h.client.get('pods', 'default', 'a')) as KObject & { spec: { nodeName?: string }; status?: { conditions?: Array<{ type: string; status: string }> } }
  assert.is(bound.spec.nodeName, 'node-1')
  assert.equal(bound.status?.conditions?.filter((c) => c.type === 'PodScheduled').map((c) => c.status), ['True'])
  assert.equal(bound.metadata.managedFields?.map((m) => m.manager), created.metadata.managedFields?.map((m) => m.manager))
})

test('refused: already bound, another uid, a body that is not a Binding, a name that is not the URL\'s', async () => {
  const created = await h.client.create(pod('b'), { fieldManager: 'kubectl-create' })
  for (const c of [
    { name: 'another uid', body: binding('b', 'node-1', 'not-the-uid'), code: 409 },
    { name: 'not a Binding', body: { kind: 'Pod', metadata: { name: 'b' } }, code: 400 },
    { name: 'name mismatch', body: binding('other', 'node-1'), code: 400 },
    { name: 'a target that is not a Node', body: { ...binding('b', 'node-1'), target: { kind: 'Pod', name: 'node-1' } }, code: 422 },
  ]) {
    const r = await post('b', c.body)
    assert.is(r.code, c.code, c.name)
    assert.is(r.body.kind, 'Status', c.name)
  }
  assert.is((await post('b', binding('b', 'node-1', created.metadata.uid))).code, 201)
  const again = await post('b', binding('b', 'node-2'))
  assert.is(again.code, 409)
  assert.match(String(again.body.message), /already assigned to node "node-1"/)
  const missing = await post('nope', binding('nope', 'node-1'))
  assert.is(missing.code, 404)
})

test("the Binding's annotations are merged into the pod's (setPodHostAndAnnotations); a non-string one is a 400", async () => {
  await h.client.create({ ...pod('ann'), metadata: { ...pod('ann').metadata, annotations: { keep: 'me', over: 'old' } } }, { fieldManager: 'kubectl-create' })
  const bad = await post('ann', { ...binding('ann', 'node-1'), metadata: { name: 'ann', annotations: { n: 1 } } })
  assert.is(bad.code, 400)
  assert.is(((await h.client.get('pods', 'default', 'ann')).spec as { nodeName?: string }).nodeName, undefined, 'nothing bound')
  const r = await post('ann', { ...binding('ann', 'node-1'), metadata: { name: 'ann', annotations: { over: 'new', added: 'yes' } } })
  assert.is(r.code, 201)
  assert.equal((await h.client.get('pods', 'default', 'ann')).metadata.annotations, { keep: 'me', over: 'new', added: 'yes' })
  // Through the HTTP client too.
  await h.client.create(pod('ann2'), { fieldManager: 'kubectl-create' })
  const bound = await h.client.bind('default', 'ann2', 'node-1', { annotations: { 'scheduler.example/zone': 'a' } })
  assert.equal(bound.metadata.annotations, { 'scheduler.example/zone': 'a' })
})

test('the HTTP client binds through the subresource; discovery lists pods/binding', async () => {
  await h.client.create(pod('c'), { fieldManager: 'kubectl-create' })
  const bound = (await h.client.bind('default', 'c', 'node-3')) as KObject & { spec: { nodeName?: string } }
  assert.is(bound.spec.nodeName, 'node-3')
  const res = await fetch(`${h.url}/api/v1`)
  const list = (await res.json()) as { resources: Array<{ name: string; verbs: string[]; kind: string }> }
  assert.equal(list.resources.find((r) => r.name === 'pods/binding'), { name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] })
})

test.run()
