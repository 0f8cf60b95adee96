import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { HISTORY_ANNOTATION } from '../../../reconciler/controllers/hpa/history.js'
import { cluster, deployment, hpa } from './harness.js'

const web = { kind: 'deployment' as const, namespace: 'default', name: 'web' }
const cpu80 = { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] }

/** Advances 15 s at a time until `done` or `limit` syncs, recording replicas after each. */
async function steps(c: Awaited<ReturnType<typeof cluster>>, n: number): Promise<number[]> {
  const out = [await c.replicas('web')]
  for (let i = 0; i < n; i++) {
    await c.advance(15)
    out.push(await c.replicas('web'))
  }
  return out
}

const Sync = suite('hpa controller: the default behaviour')

Sync('heavy load: 1 → 4 → 8 → 10, one step per 15 s sync; the first syncs wait for a ready pod with a full metric window', async () => {
  const c = await cluster()
  await c.create(deployment('web', { cpu: '100m' }))
  await c.create(hpa('web', cpu80))
  assert.is(await c.condition('web', 'ScalingActive'), 'False/FailedGetResourceMetric')
  await c.load(web, { totalCpu: '8' })
  assert.equal(await steps(c, 5), [1, 1, 4, 8, 10, 10])
  const st = (await c.hpa('web')).status as Record<string, unknown>
  assert.equal(st.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 800, averageValue: '800m' } } }])
  assert.is(st.currentReplicas, 10)
  assert.is(st.desiredReplicas, 10)
  assert.is(st.lastScaleTime, '2024-01-01T00:01:00Z')
  assert.is(await c.condition('web', 'ScalingLimited'), 'True/TooManyReplicas')
  const rescales = (await c.events('web')).filter((e) => e.reason === 'SuccessfulRescale').map((e) => e.message)
  assert.equal(rescales, [4, 8, 10].map((n) => `New size: ${n}; reason: cpu resource utilization (percentage of request) above target`))
  await c.stop()
})

Sync('the load stops: stabilized for 5 minutes, then down to minReplicas — across process restarts', async () => {
  let c = await cluster()
  await c.create(deployment('web', { cpu: '100m', replicas: 10 }))
  await c.load(web, { cpu: '800m' })
  await c.advance(30)
  await c.create(hpa('web', cpu80))
  assert.is(await c.replicas('web'), 10)
  await c.advance(30)
  const loadStopped = c.t()
  await c.load(web, { cpu: '0' })
  c = await c.restart()
  await c.advance(240)
  assert.is(await c.replicas('web'), 10)
  assert.is(await c.condition('web', 'AbleToScale'), 'True/ScaleDownStabilized')
  c = await c.restart()
  await c.advance(loadStopped + 295 - c.t())
  assert.is(await c.replicas('web'), 10, 'less than 5 minutes after the last high recommendation')
  await c.advance(30)
  assert.is(await c.replicas('web'), 1)
  assert.is(await c.condition('web', 'ScalingLimited'), 'True/TooFewReplicas')
  const last = (await c.events('web')).filter((e) => e.reason === 'SuccessfulRescale').pop()
  assert.is(last?.message, 'New size: 1; reason: All metrics below target')
  await c.stop()
})

Sync('a new process at the instant of a rescale does not rescale again within the period', async () => {
  let c = await cluster()
  await c.create(deployment('web', { cpu: '100m' }))
  await c.load(web, { totalCpu: '8' })
  await c.advance(30)
  await c.create(hpa('web', cpu80))
  assert.is(await c.replicas('web'), 4)
  c = await c.restart()
  assert.is(await c.replicas('web'), 4)
  await c.advance(14)
  assert.is(await c.replicas('web'), 4)
  await c.advance(1)
  assert.is(await c.replicas('web'), 8)
  await c.stop()
})

Sync('a steady state writes nothing', async () => {
  const c = await cluster()
  await c.create(deployment('web', { cpu: '100m', replicas: 2 }))
  await c.load(web, { cpu: '80m' })
  await c.advance(30)
  await c.create(hpa('web', cpu80))
  await c.advance(30)
  const rv = (await c.hpa('web')).metadata.resourceVersion
  await c.advance(60)
  assert.is((await c.hpa('web')).metadata.resourceVersion, rv)
  assert.is(await c.replicas('web'), 2)
  assert.ok((await c.hpa('web')).metadata.annotations?.[HISTORY_ANNOTATION])
  await c.stop()
})
Sync.run()

const Edge = suite('hpa controller: bounds, failures and conditions')

Edge('above maxReplicas: back to max at once', async () => {
  const c = await cluster()
  await c.create(deployment('web', { cpu: '100m', replicas: 12 }))
  await c.create(hpa('web', cpu80))
  assert.is(await c.replicas('web'), 10)
  const e = (await c.events('web')).find((x) => x.reason === 'SuccessfulRescale')
  assert.is(e?.message, 'New size: 10; reason: Current number of replicas above Spec.MaxReplicas')
  await c.stop()
})

Edge('below minReplicas: up to min at once', async () => {
  const c = await cluster()
  await c.create(deployment('web', { cpu: '100m', replicas: 1 }))
  await c.create(hpa('web', { ...cpu80, minReplicas: 3 }))
  assert.is(await c.replicas('web'), 3)
  assert.is((await c.events('web')).find((x) => x.reason === 'SuccessfulRescale')?.message, 'New size: 3; reason: Current number of replicas below Spec.MinReplicas')
  await c.stop()
})

Edge('no cpu request: ScalingActive=False/FailedGetResourceMetric naming the container', async () => {
  const c = await cluster()
  await c.create(deployment('web', { replicas: 1 }))
  await c.advance(30)
  await c.create(hpa('web', cpu80))
  const h = await c.hpa('web')
  const active = ((h.status as { conditions: Array<{ type: string; reason: string; message: string }> }).conditions).find((x) => x.type === 'ScalingActive')!
  assert.is(active.reason, 'FailedGetResourceMetric')
  assert.match(active.message, /^the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod web-[a-z0-9]+-[a-z0-9]+$/)
  assert.equal((h.status as { currentMetrics: unknown }).currentMetrics, [{ type: '' }])
  const reasons = (await c.events('web')).map((e) => e.reason)
  assert.ok(reasons.includes('FailedGetResourceMetric') && reasons.includes('FailedComputeMetricsReplicas'))
  await c.stop()
})

Edge('a missing target: AbleToScale=False/FailedGetScale', async () => {
  const c = await cluster()
  await c.create(hpa('web', cpu80))
  assert.is(await c.condition('web', 'AbleToScale'), 'False/FailedGetScale')
  assert.is((await c.events('web')).find((e) => e.reason === 'FailedGetScale')?.message, 'deployments.apps "web" not found')
  await c.stop()
})

Edge('an unknown target kind: no matches for kind', async () => {
  const c = await cluster()
  await c.create({ ...hpa('web', cpu80), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Widget', name: 'web' }, maxReplicas: 3 } })
  assert.is((await c.events('web')).find((e) => e.reason === 'FailedGetScale')?.message, 'no matches for kind "Widget" in group "apps"')
  await c.stop()
})

Edge('a target scaled to zero: ScalingActive=False/ScalingDisabled', async () => {
  const c = await cluster()
  await c.create(deployment('web', { cpu: '100m', replicas: 0 }))
  await c.create(hpa('web', cpu80))
  assert.is(await c.condition('web', 'ScalingActive'), 'False/ScalingDisabled')
  assert.is(await c.replicas('web'), 0)
  await c.stop()
})

Edge('autoscaling/v1 targetCPUUtilizationPercentage works (converted to a v2 cpu metric)', async () => {
  const c = await cluster()
  await c.create(deployment('web', { cpu: '100m', replicas: 2 }))
  await c.load(web, { cpu: '100m' })
  await c.advance(30)
  await c.create({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10, targetCPUUtilizationPercentage: 50 } })
  // 100% against 50% → ceil(2 × 2) = 4.
  assert.is(await c.replicas('web'), 4)
  await c.stop()
})

Edge('memory AverageValue: 2 pods at 200Mi against 100Mi → 4', async () => {
  const c = await cluster()
  await c.create(deployment('web', { cpu: '100m', memory: '256Mi', replicas: 2 }))
  await c.load(web, { memory: '200Mi' })
  await c.advance(30)
  await c.create(hpa('web', { metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }] }))
  assert.is(await c.replicas('web'), 4)
  const cur = ((await c.hpa('web')).status as { currentMetrics: Array<{ resource: { current: unknown } }> }).currentMetrics[0].resource.current
  assert.equal(cur, { averageValue: '209715200' })
  await c.stop()
})

Edge('two metrics: the highest proposal wins; one failing metric does not stop a scale-up', async () => {
  const c = await cluster()
  await c.create(deployment('web', { cpu: '100m', replicas: 2 }))
  await c.load(web, { cpu: '200m' })
  await c.advance(30)
  await c.create(hpa('web', { metrics: [cpu80.metrics[0], { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }] }))
  // 200% against 80% → ceil(2.5 × 2) = 5, capped by max(2 × 2, 4) = 4.
  assert.is(await c.replicas('web'), 4)
  assert.is(await c.condition('web', 'ScalingActive'), 'True/ValidMetricFound')
  assert.ok((await c.events('web')).some((e) => e.reason === 'FailedGetPodsMetric'))
  await c.stop()
})

Edge('behavior: one pod per minute up; scale-down window 0 scales down at the next sync', async () => {
  const c = await cluster()
  await c.create(deployment('web', { cpu: '100m', replicas: 1 }))
  await c.load(web, { cpu: '800m' })
  await c.advance(30)
  await c.create(hpa('web', { ...cpu80, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] }, scaleDown: { stabilizationWindowSeconds: 0 } } }))
  assert.is(await c.replicas('web'), 2)
  await c.advance(45)
  assert.is(await c.replicas('web'), 2)
  assert.is(await c.condition('web', 'ScalingLimited'), 'True/ScaleUpLimit')
  await c.advance(15)
  assert.is(await c.replicas('web'), 3)
  await c.load(web, { cpu: '0' })
  await c.advance(15)
  assert.is(await c.replicas('web'), 1)
  await c.stop()
})
Edge.run()
