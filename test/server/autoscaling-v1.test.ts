/**
 * autoscaling/v1 HorizontalPodAutoscaler served next to the stored v2, as kube-apiserver serves it:
 * discovery (v2 preferred), `kubectl autoscale` (which creates at v1), reads and watches at v1
 * converted from v2, what v1 cannot say carried in annotations so a v1 read-edit-write loses
 * nothing, and the v1 OpenAPI schema kubectl validates a v1 manifest against.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { hpaFromV1, hpaToV1, METRICS_ANNOTATION } from '../../reconciler/api/hpa-v1.js'
import type { KObject } from '../../reconciler/api/object.js'
import { HAVE_KUBECTL, startHarness, type Harness } from './harness.js'

const test = suite('autoscaling/v1 HorizontalPodAutoscaler')
let h: Harness

const HPA_V2: KObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'api', namespace: 'default' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
    minReplicas: 2,
    maxReplicas: 6,
    metrics: [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
  },
}

test.before(async () => {
  h = await startHarness()
})
test.after(async () => {
  await h?.close()
})

const fetchJson = async (method: string, path: string, body?: unknown): Promise<{ code: number; body: KObject & { items?: KObject[]; groups?: unknown[] } }> => {
  const r = await fetch(h.url + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  return { code: r.status, body: (await r.json()) as KObject & { items?: KObject[] } }
}
const V1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers'

test('the conversion: the CPU target in the v1 field, everything else in annotations, and back without a loss', () => {
  const v1 = hpaToV1(structuredClone(HPA_V2))
  assert.equal(v1.spec, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 70 })
  assert.equal(JSON.parse(v1.metadata.annotations![METRICS_ANNOTATION]), [(HPA_V2.spec as { metrics: unknown[] }).metrics[0]])
  hpaFromV1(v1)
  assert.equal(v1.spec, HPA_V2.spec)
  assert.is(v1.metadata.annotations, undefined)
})

test('discovery lists v1 after the preferred v2; reads, writes and watches at v1 are converted; a v1 write-back keeps v2', async () => {
  const groups = (await fetchJson('GET', '/apis')).body.groups as Array<{ name: string; versions: Array<{ version: string }>; preferredVersion: { version: string } }>
  const autoscaling = groups.find((g) => g.name === 'autoscaling')!
  assert.equal(autoscaling.versions.map((v) => v.version), ['v2', 'v1'])
  assert.is(autoscaling.preferredVersion.version, 'v2')
  assert.ok(JSON.stringify((await fetchJson('GET', '/apis/autoscaling/v1')).body).includes('"horizontalpodautoscalers"'))
  const created = await h.api.create(structuredClone(HPA_V2), { fieldManager: 'test' })
  const got = await fetchJson('GET', `${V1}/api`)
  assert.is(got.code, 200)
  assert.is(got.body.apiVersion, 'autoscaling/v1')
  assert.is((got.body.spec as { targetCPUUtilizationPercentage: number }).targetCPUUtilizationPercentage, 70)
  const list = await fetchJson('GET', V1)
  assert.is(list.body.apiVersion, 'autoscaling/v1')
  assert.is(list.body.items![0].apiVersion, 'autoscaling/v1')
  // A v1 client edits maxReplicas and writes the object back: the memory metric and behavior survive.
  const edited = { ...got.body, spec: { ...(got.body.spec as object), maxReplicas: 8 } }
  const put = await fetchJson('PUT', `${V1}/api`, edited)
  assert.is(put.code, 200, JSON.stringify(put.body))
  assert.is(put.body.apiVersion, 'autoscaling/v1')
  const stored = await h.api.get('horizontalpodautoscalers', 'default', 'api')
  assert.equal(stored.spec, { ...(created.spec as object), maxReplicas: 8 })
  assert.is(stored.metadata.annotations?.[METRICS_ANNOTATION], undefined, 'the annotations are not stored')
  assert.is(stored.metadata.generation, created.metadata.generation! + 1, 'one spec change (maxReplicas), the metrics in their order')
  // Round-trip annotations a v2 client sends are dropped, so a v1 reader never turns them into spec.
  const stale = await h.api.create({ ...structuredClone(HPA_V2), metadata: { name: 'stale', namespace: 'default', annotations: { [METRICS_ANNOTATION]: '[{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"1Gi"}}}]' } } }, { fieldManager: 'test' })
  assert.is(stale.metadata.annotations, undefined)
  // A watch at v1 sends v1 objects.
  const ctl = new AbortController()
  const res = await fetch(`${h.url}${V1}?watch=true&resourceVersion=0&timeoutSeconds=1`, { signal: ctl.signal })
  const events = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: KObject })
  assert.ok(events.length > 0)
  for (const ev of events) assert.is(ev.object.apiVersion, 'autoscaling/v1', ev.type)
})

if (HAVE_KUBECTL) {
  test('kubectl autoscale creates the HPA (at v1); kubectl apply validates a v1 manifest against the v1 schema', async () => {
    let r = await h.kubectl(['create', 'deployment', 'web', '--image=nginx:1.27'])
    assert.is(r.code, 0, r.stderr)
    r = await h.kubectl(['autoscale', 'deployment', 'web', '--max=3', '--cpu-percent=60'])
    assert.is(r.code, 0, r.stderr)
    assert.is(r.stdout, 'horizontalpodautoscaler.autoscaling/web autoscaled\n')
    const hpa = await h.api.get('horizontalpodautoscalers', 'default', 'web')
    assert.equal((hpa.spec as { metrics: unknown[] }).metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }])
    const manifest = (spec: string) => `apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: v1}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 5${spec}}\n`
    const good = join(h.dir, 'hpa-v1.yaml')
    writeFileSync(good, manifest(', targetCPUUtilizationPercentage: 50'))
    r = await h.kubectl(['apply', '-f', good])
    assert.is(r.code, 0, r.stderr)
    assert.is(r.stdout, 'horizontalpodautoscaler.autoscaling/v1 created\n')
    // A v1 manifest changed and applied again: kubectl's patch is written against v1.
    writeFileSync(good, manifest(', targetCPUUtilizationPercentage: 75'))
    r = await h.kubectl(['apply', '-f', good])
    assert.is(r.code, 0, r.stderr)
    assert.is(r.stdout, 'horizontalpodautoscaler.autoscaling/v1 configured\n')
    const v1 = await h.api.get('horizontalpodautoscalers', 'default', 'v1')
    assert.equal((v1.spec as { metrics: unknown[] }).metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } }])
    r = await h.kubectl(['patch', 'horizontalpodautoscalers.v1.autoscaling', 'v1', '--type=merge', '-p', '{"spec":{"maxReplicas":9}}'])
    assert.is(r.code, 0, r.stderr)
    assert.is(((await h.api.get('horizontalpodautoscalers', 'default', 'v1')).spec as { maxReplicas: number }).maxReplicas, 9)
    const bad = join(h.dir, 'hpa-v1-bad.yaml')
    writeFileSync(bad, manifest(', metrics: [{type: Resource}]').replace('name: v1', 'name: v1-bad'))
    r = await h.kubectl(['apply', '-f', bad])
    assert.is.not(r.code, 0)
    assert.match(r.stderr, /HorizontalPodAutoscaler in version "v1" cannot be handled as a HorizontalPodAutoscaler: strict decoding error: unknown field "spec\.metrics"/)
  })
}

test.run()
