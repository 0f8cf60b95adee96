import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { deploymentOf, getResourceMetric, hasMetrics, podUsages, type LoadModel } from '../../../reconciler/controllers/metrics/index.js'

/** A pod of Deployment `web` (ReplicaSet web-abc12, pod-template-hash abc12). */
function pod(name: string, o: { phase?: string; ready?: boolean; deleting?: boolean; owner?: string } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'web', 'pod-template-hash': 'abc12' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner ?? 'web-abc12', uid: 'u', controller: true }],
      ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: { containers: [{ name: 'app', image: 'x' }] },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  }
}
const model = (m: Partial<LoadModel>): LoadModel => ({ deployments: {}, pods: {}, ...m })

const Usage = suite('metrics: podUsages')
const cases: Array<{ name: string; pods: KObject[]; model: LoadModel; want: Record<string, [number, number]> }> = [
  {
    name: 'a total is shared by the ready pods; a running unready pod gets none; a pending pod has no metrics',
    pods: [pod('a'), pod('b'), pod('c'), pod('d'), pod('e', { ready: false }), pod('f', { phase: 'Pending', ready: false })],
    model: model({ deployments: { 'default/web': { totalCpu: '8', memory: '100Mi' } } }),
    want: { a: [2000, 104857600000], b: [2000, 104857600000], c: [2000, 104857600000], d: [2000, 104857600000], e: [0, 0] },
  },
  {
    name: 'an average per pod',
    pods: [pod('a'), pod('b')],
    model: model({ deployments: { 'default/web': { cpu: '650m' } } }),
    want: { a: [650, 0], b: [650, 0] },
  },
  {
    name: "a pod's own load replaces its Deployment's (the total is still divided among all the ready pods)",
    pods: [pod('a'), pod('b')],
    model: model({ deployments: { 'default/web': { totalCpu: '1' } }, pods: { 'default/a': { cpu: '300m' } } }),
    want: { a: [300, 0], b: [500, 0] },
  },
  {
    name: 'a terminating pod has no metrics; no load: idle',
    pods: [pod('a'), pod('b', { deleting: true })],
    model: model({}),
    want: { a: [0, 0] },
  },
  {
    name: "a pod whose ReplicaSet does not follow the Deployment's naming has no Deployment load",
    pods: [pod('a', { owner: 'other' })],
    model: model({ deployments: { 'default/web': { cpu: '1' } } }),
    want: { a: [0, 0] },
  },
]
for (const c of cases) {
  Usage(c.name, () => {
    const got = Object.fromEntries([...podUsages(c.pods, c.model)].map(([n, u]) => [n, [u.cpu, u.memory]]))
    assert.equal(got, c.want)
  })
}
Usage('deploymentOf and hasMetrics', () => {
  assert.is(deploymentOf(pod('a')), 'default/web')
  assert.is(deploymentOf(pod('a', { owner: 'web' })), undefined)
  assert.ok(hasMetrics(pod('a')))
  assert.not.ok(hasMetrics(pod('a', { phase: 'Pending' })))
})
Usage.run()

const Api = suite('metrics: getResourceMetric (the resource metrics API)')
const now = new Date('2024-01-01T00:01:00Z')
Api('no pod with metrics: the metrics client error', () => {
  assert.equal(getResourceMetric([pod('a', { phase: 'Pending' })], 'cpu', model({}), now), { error: 'no metrics returned from resource metrics API' })
})
Api('cpu per pod, stamped now with a 15 s window', () => {
  const r = getResourceMetric([pod('a')], 'cpu', model({ deployments: { 'default/web': { cpu: '1' } } }), now)
  assert.equal(r, { metrics: new Map([['a', { value: 1000, timestamp: now, windowMs: 15000 }]]), timestamp: now })
})
Api('a resource metrics-server does not report: pods without the metric', () => {
  const r = getResourceMetric([pod('a')], 'ephemeral-storage', model({}), now)
  assert.ok('metrics' in r && r.metrics.size === 0)
})
Api.run()
