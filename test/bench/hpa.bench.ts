/**
 * The HPA's benchmark: one sync pass over 1,000 HorizontalPodAutoscalers, each on a small Deployment
 * (2 replicas, 100m cpu requests) whose pods run and are ready, in the sqlite state (or in memory
 * with --memory). The pods come from the real NodePool, Deployment, ReplicaSet, scheduler and kubelet
 * controllers; the pass calls the HPA controller's reconcile once per HPA, on the virtual clock, as
 * one controller worker would. Three passes are timed:
 *   - the first sync (every HPA writes its status and its memory annotation),
 *   - a steady sync 15 s later (nothing changed: no writes — the case that repeats every 15 s),
 *   - a sync where every HPA rescales (load doubled: scale subresource, status and an event each).
 *
 *   npm run build && node --import tsx test/bench/hpa.bench.ts [--hpas 1000] [--memory]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { KObject } from '../../reconciler/api/object.js'
import { projectRoot } from '../../reconciler/paths.js'

// Measure the compiled code the capstan command runs (dist/), not the TypeScript loader's output.
const dist = (p: string): string => join(projectRoot(), 'dist', 'reconciler', p)
const { openLocalClient } = (await import(dist('api/local-client.js'))) as typeof import('../../reconciler/api/local-client.js')
const { ControllerManager } = (await import(dist('controllers/runtime/manager.js'))) as typeof import('../../reconciler/controllers/runtime/manager.js')
const { VirtualClock } = (await import(dist('controllers/runtime/virtual-clock.js'))) as typeof import('../../reconciler/controllers/runtime/virtual-clock.js')
const { CONTROLLERS } = (await import(dist('controllers/index.js'))) as typeof import('../../reconciler/controllers/index.js')
const { createHpaController } = (await import(dist('controllers/hpa/controller.js'))) as typeof import('../../reconciler/controllers/hpa/controller.js')
const metrics = (await import(dist('controllers/metrics/index.js'))) as typeof import('../../reconciler/controllers/metrics/index.js')
const sim = (await import(dist('controllers/sim/index.js'))) as typeof import('../../reconciler/controllers/sim/index.js')

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const HPAS = arg('hpas', 1_000)
const MEMORY = process.argv.includes('--memory')
const ms = (n: number): string => `${n.toFixed(1)} ms`

function deployment(i: number): KObject {
  const name = `app-${i}`
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] } },
    },
  }
}

function hpa(i: number): KObject {
  const name = `app-${i}`
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    },
  }
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${process.platform}`)
  console.log(`data: ${HPAS} HPAs, each on a Deployment of 2 ready pods (${2 * HPAS} pods), ${MEMORY ? 'memory' : 'sqlite'} state\n`)
  const dir = mkdtempSync(join(tmpdir(), 'capstan-hpa-bench-'))
  try {
    const clock = new VirtualClock(new Date('2024-01-01T00:00:00Z'))
    const api = await openLocalClient(MEMORY ? 'memory:' : join(dir, 'state.db'), { now: () => clock.now() })
    const grouped = <R>(f: () => Promise<R>): Promise<R> => (api.storage.batch ? api.storage.batch(f) : f())
    const manager = new ControllerManager({ api, clock })
    // Every controller but the HPA: the passes below call the HPA controller themselves.
    for (const spec of CONTROLLERS) if (spec.component !== 'horizontal-pod-autoscaler') manager.add(spec.make(manager.contextFor(spec.component)))

    // The Deployments and their running, ready pods (no start delay), through the real controllers.
    let t0 = performance.now()
    const cfg = sim.defaultSimConfig()
    cfg.settings.startDelaySeconds = 0
    await sim.writeSimConfig(api, cfg)
    // Room for every pod: 110 pods and 16 cores per node, 2 × 100m pods per Deployment.
    const perZone = Math.max(1, Math.ceil((2 * HPAS) / 3 / 100))
    await api.create(
      {
        apiVersion: 'capstan.dev/v1alpha1',
        kind: 'NodePool',
        metadata: { name: 'bench' },
        spec: { region: 'us-central1', zones: ['us-central1-a', 'us-central1-b', 'us-central1-c'], nodesPerZone: perZone, machineType: { name: 'n2-standard-16', cpu: '16', memory: '64Gi', pods: 110 } },
      },
      { fieldManager: 'bench' },
    )
    await grouped(() => manager.advance(1_000))
    for (let i = 0; i < HPAS; i += 500) await api.createMany(Array.from({ length: Math.min(500, HPAS - i) }, (_, j) => deployment(i + j)), { fieldManager: 'bench' })
    await grouped(() => manager.advance(1_000))
    const pods = (await api.list('pods')).items
    const ready = pods.filter((p) => (p.status as { conditions?: Array<{ type: string; status: string }> }).conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    console.log(`setup: ${3 * perZone} nodes, ${HPAS} Deployments, ${pods.length} pods (${ready.length} ready) in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    // 80m of 100m per pod: 80% against 80%, a steady state.
    const loadAll = (cpu: string): Promise<void> => {
      const model = metrics.emptyLoadModel()
      for (let i = 0; i < HPAS; i++) model.deployments[metrics.loadKey('default', `app-${i}`)] = { cpu }
      return metrics.writeLoadModel(api, model)
    }
    await loadAll('80m')
    // One by one: the HPA watch cache is open by now, and createMany's single revision would reach it as one object.
    t0 = performance.now()
    await grouped(async () => {
      for (let i = 0; i < HPAS; i++) await api.create(hpa(i), { fieldManager: 'bench' })
    })
    const created = performance.now() - t0
    // Let the metrics cover a full window since the pods became ready.
    t0 = performance.now()
    await grouped(() => manager.advance(30_000))
    console.log(`setup: ${HPAS} HPAs created in ${(created / 1000).toFixed(1)} s; 30 s of virtual time settled in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    const hpaController = createHpaController(manager.contextFor('horizontal-pod-autoscaler'))
    const names = Array.from({ length: HPAS }, (_, i) => `app-${i}`)
    const pass = async (): Promise<number> => {
      const s = performance.now()
      await grouped(async () => {
        for (const name of names) await hpaController.reconcile({ resource: 'horizontalpodautoscalers', namespace: 'default', name })
      })
      return performance.now() - s
    }
    const rv = async (): Promise<string> => (await api.list('horizontalpodautoscalers')).metadata.resourceVersion

    const first = await pass()
    console.log(`first sync (writes status and memory of every HPA): ${ms(first)}`)

    const steady: number[] = []
    for (let k = 0; k < 5; k++) {
      clock.advanceTo(new Date(clock.now().getTime() + 15_000))
      const before = await rv()
      steady.push(await pass())
      if ((await rv()) !== before) throw new Error('a steady pass wrote to the store')
    }
    steady.sort((a, b) => a - b)
    console.log(`steady sync, 15 s later (no writes), 5 runs: median ${ms(steady[2])}, max ${ms(steady[4])} (target ≤ 200 ms)`)

    // Every Deployment doubles its load: 160% → each HPA scales 2 → 4.
    await loadAll('160m')
    clock.advanceTo(new Date(clock.now().getTime() + 15_000))
    const rescale = await pass()
    await manager.events.flush?.()
    const scaled = (await api.list('deployments')).items.filter((d) => (d.spec as { replicas: number }).replicas === 4).length
    console.log(`sync where every HPA rescales (scale, status, event each): ${ms(rescale)} (${scaled} Deployments now at 4 replicas)`)
    await manager.stop()
    await api.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
