import { performance } from 'node:perf_hooks'
import { cluster, deployment, hpa } from './harness.js'
import { createHpaController } from '../../../reconciler/controllers/hpa/controller.js'
import { setLoad, emptyLoadModel, writeLoadModel } from '../../../reconciler/controllers/metrics/index.js'
const N = Number(process.argv[2] ?? 300)
const c = await cluster()
const cfg = (await import('../../../reconciler/controllers/sim/index.js'))
const sc = cfg.defaultSimConfig(); sc.settings.startDelaySeconds = 0; await cfg.writeSimConfig(c.api, sc)
for (let i = 0; i < N; i++) await c.api.create(deployment(`app-${i}`, { cpu: '100m', replicas: 2 }), { fieldManager: 't' })
await c.manager.settle(); await c.advance(1)
let m = emptyLoadModel()
for (let i = 0; i < N; i++) m = setLoad(m, { kind: 'deployment', namespace: 'default', name: `app-${i}` }, { cpu: '80m' }).model
await writeLoadModel(c.api, m)
await c.manager.stop()
for (let i = 0; i < N; i++) await c.api.create(hpa(`app-${i}`, { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] }), { fieldManager: 't' })
c.clock.advanceTo(new Date(c.clock.now().getTime() + 30000))
const times = new Map<string, number>()
const wrap = (name: string, f: (...a: any[]) => any) => async (...a: any[]) => { const s = performance.now(); try { return await f(...a) } finally { times.set(name, (times.get(name) ?? 0) + performance.now() - s) } }
const api: any = c.api
const proxy: any = new Proxy(api, { get(t, p) { const v = t[p]; return typeof v === 'function' ? wrap(String(p), v.bind(t)) : v } })
const ctrl = createHpaController({ api: proxy, clock: c.clock, events: { event: async () => {} }, log: () => {} })
const pass = async () => { const s = performance.now(); for (let i = 0; i < N; i++) await ctrl.reconcile({ resource: 'horizontalpodautoscalers', namespace: 'default', name: `app-${i}` }); return performance.now() - s }
console.log('first', (await pass()).toFixed(1))
for (let k = 0; k < Number(process.argv[3] ?? 5); k++) { times.clear(); c.clock.advanceTo(new Date(c.clock.now().getTime() + 15000)); const t = await pass(); console.log('steady', t.toFixed(1), JSON.stringify([...times].map(([k, v]) => [k, +v.toFixed(1)]))) }
