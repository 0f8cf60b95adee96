import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { clearLoad, emptyLoadModel, LOAD_KEY, loadModelFromData, loadModelToData, setLoad, type LoadModel } from '../../../reconciler/controllers/metrics/load-model.js'

const web = { kind: 'deployment' as const, namespace: 'default', name: 'web' }
const pod = { kind: 'pod' as const, namespace: 'default', name: 'web-1' }

const Set_ = suite('metrics: setLoad')
const cases: Array<{ name: string; start?: LoadModel; target: typeof web | typeof pod; change: Record<string, string>; want?: Record<string, string>; problems?: string[] }> = [
  { name: 'an average per pod', target: web, change: { cpu: '650m' }, want: { cpu: '650m' } },
  { name: 'a total replaces the average of the same resource', start: { deployments: { 'default/web': { cpu: '650m', memory: '1Gi' } }, pods: {} }, target: web, change: { totalCpu: '8' }, want: { totalCpu: '8', memory: '1Gi' } },
  { name: 'an average replaces the total', start: { deployments: { 'default/web': { totalCpu: '8' } }, pods: {} }, target: web, change: { cpu: '0' }, want: { cpu: '0' } },
  { name: 'a pod takes cpu and memory', target: pod, change: { cpu: '300m', memory: '64Mi' }, want: { cpu: '300m', memory: '64Mi' } },
  { name: 'a pod has no total', target: pod, change: { totalCpu: '1' }, problems: ['totalCpu'] },
  { name: 'both average and total', target: web, change: { cpu: '1', totalCpu: '2' }, problems: ['totalCpu'] },
  { name: 'not a quantity', target: web, change: { cpu: 'lots' }, problems: ['cpu'] },
  { name: 'negative', target: web, change: { memory: '-1Mi' }, problems: ['memory'] },
  { name: 'nothing to set', target: web, change: {}, problems: ['load'] },
]
for (const c of cases) {
  Set_(c.name, () => {
    const start = c.start ?? emptyLoadModel()
    const r = setLoad(start, c.target, c.change)
    assert.equal(r.problems.map((p) => p.field), c.problems ?? [])
    if (c.problems) assert.is(r.model, start, 'unchanged on a problem')
    else {
      const section = c.target.kind === 'pod' ? r.model.pods : r.model.deployments
      assert.equal(section[`${c.target.namespace}/${c.target.name}`], c.want)
    }
  })
}
Set_.run()

const Data = suite('metrics: the load in the ConfigMap')
Data('round trip, keys sorted', () => {
  let m = setLoad(emptyLoadModel(), { ...web, name: 'b' }, { cpu: '1' }).model
  m = setLoad(m, { ...web, name: 'a' }, { totalCpu: '8' }).model
  const text = loadModelToData(m)
  assert.ok(text.indexOf('default/a') < text.indexOf('default/b'))
  assert.equal(loadModelFromData({ [LOAD_KEY]: text }), { model: m, problems: [] })
})
Data('no key: the empty model', () => assert.equal(loadModelFromData({}), { model: emptyLoadModel(), problems: [] }))
Data('bad values are dropped with a problem each', () => {
  const r = loadModelFromData({ [LOAD_KEY]: JSON.stringify({ deployments: { 'default/web': { cpu: 'x', memory: '1Gi' } }, pods: [] }) })
  assert.equal(r.model.deployments, { 'default/web': { memory: '1Gi' } })
  assert.equal(r.problems.map((p) => p.field), ['deployments[default/web].cpu', 'pods'])
})
Data('not JSON', () => assert.equal(loadModelFromData({ [LOAD_KEY]: '{' }).problems.map((p) => p.field), [LOAD_KEY]))
Data('clear one, clear all', () => {
  const m = setLoad(setLoad(emptyLoadModel(), web, { cpu: '1' }).model, pod, { cpu: '1' }).model
  assert.equal(clearLoad(m, web), { deployments: {}, pods: m.pods })
  assert.equal(clearLoad(m), emptyLoadModel())
})
Data.run()
