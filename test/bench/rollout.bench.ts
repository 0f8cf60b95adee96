/**
 * Rollout benchmarks (issue 4), with the pod start delay at 0, over the SQLite state, every
 * controller (the scheduler over 36 nodes in 3 zones) running on the virtual clock:
 *  - a 1,000-replica Deployment rolls to a new template (maxSurge 25%, maxUnavailable 25%);
 *  - 100 Deployments of 30 replicas each go from created to Available.
 * Wall time is what is measured (virtual time only moves when work is due later).
 *
 *   npm run build && node --import tsx test/bench/rollout.bench.ts [--replicas 1000] [--deployments 100] [--profile DIR]
 *
 * It prints a calibration figure first (a fixed piece of work): the VM's speed drifts over the day.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { KObject } from '../../reconciler/api/object.js'
import { projectRoot } from '../../reconciler/paths.js'
import { profiled } from './profiled.js'

// Measure the compiled code users run (dist/), not the TypeScript loader's output.
const dist = (p: string): string => join(projectRoot(), 'dist', 'reconciler', p)
const { ApiServer } = (await import(dist('api/api-server.js'))) as typeof import('../../reconciler/api/api-server.js')
const { openSqliteStorage } = (await import(dist('storage/sqlite.js'))) as typeof import('../../reconciler/storage/sqlite.js')
const { ControllerManager, VirtualClock } = (await import(dist('controllers/runtime/index.js'))) as typeof import('../../reconciler/controllers/runtime/index.js')
const { addControllers } = (await import(dist('controllers/index.js'))) as typeof import('../../reconciler/controllers/index.js')
const { readSimConfig, writeSimConfig } = (await import(dist('controllers/sim/index.js'))) as typeof import('../../reconciler/controllers/sim/index.js')

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}

function deployment(name: string, replicas: number, image: string): KObject {
  const labels = { app: name }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m' } } }] } },
    },
  }
}

async function cluster(dir: string) {
  const storage = openSqliteStorage(join(dir, 'state.db'))
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
  const api = new ApiServer({ storage, now: () => clock.now() })
  await api.bootstrap()
  const cfg = await readSimConfig(api)
  await writeSimConfig(api, { ...cfg, settings: { ...cfg.settings, startDelaySeconds: 0 } })
  // Room for 3,960 pods: 3 zones × 12 nodes × 110 pods (a node holds 110 pods, as kubelet's default).
  await api.create({
    apiVersion: 'capstan.dev/v1alpha1',
    kind: 'NodePool',
    metadata: { name: 'bench' },
    spec: { region: 'r1', zones: ['r1-a', 'r1-b', 'r1-c'], nodesPerZone: 12, machineType: { name: 'big', cpu: '64', memory: '256Gi', pods: 110 } },
  })
  const manager = new ControllerManager({ api, clock })
  addControllers(manager)
  await manager.start()
  await storage.batch(() => manager.settle())
  /** Settles, then moves the clock to each next due piece of work until `done()` or no work is left. */
  const until = (done: () => Promise<boolean>): Promise<void> =>
    // As a one-shot command runs them: the controllers' writes committed as one group.
    storage.batch(async () => {
      await manager.settle()
      for (let i = 0; i < 10_000 && !(await done()); i++) {
        const next = clock.nextTimer()
        if (!next) throw new Error('no work left but not done')
        await manager.advanceTo(next)
      }
    })
  const close = async (): Promise<void> => {
    await manager.stop()
    await api.close()
    await storage.close()
  }
  return { api, manager, clock, until, close }
}

async function complete(api: InstanceType<typeof ApiServer>, name: string): Promise<boolean> {
  const d = (await api.get('deployments', 'default', name)) as KObject & {
    spec: { replicas: number }
    status?: { updatedReplicas?: number; availableReplicas?: number; replicas?: number; observedGeneration?: number }
  }
  const s = d.status ?? {}
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    s.updatedReplicas === d.spec.replicas &&
    s.replicas === d.spec.replicas &&
    s.availableReplicas === d.spec.replicas
  )
}

/**
 * CPU seconds (user + system) this process used since `from`: on a machine shared with other work,
 * a steadier figure than wall time (it still includes the garbage collector's threads).
 */
function cpuSeconds(from: NodeJS.CpuUsage): string {
  const d = process.cpuUsage(from)
  return ((d.user + d.system) / 1e6).toFixed(2)
}

/**
 * A fixed piece of work (JSON round trips of a pod-sized object) timed in the same run: this VM's
 * speed drifts by up to 2× over a day, and this says which phase a run's figures come from.
 */
function calibration(): number {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-7d4b9c8f6d-x2x9z', namespace: 'default', labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' }, annotations: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`example.com/k${i}`, 'v'.repeat(60)])) }, spec: { containers: Array.from({ length: 4 }, (_, i) => ({ name: `c${i}`, image: 'nginx:1.27', ports: [{ containerPort: 80 + i }], resources: { requests: { cpu: '10m' } } })) } }
  const t0 = performance.now()
  let n = 0
  for (let i = 0; i < 20_000; i++) n += (JSON.parse(JSON.stringify(pod)) as { kind: string }).kind.length
  return n > 0 ? performance.now() - t0 : 0
}

async function main(): Promise<void> {
  const REPLICAS = arg('replicas', 1000)
  const DEPLOYMENTS = arg('deployments', 100)
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${process.platform}`)
  console.log(`calibration (20,000 JSON round trips of a 3 KB pod, the same work every run): ${calibration().toFixed(0)} ms`)

  {
    const dir = mkdtempSync(join(tmpdir(), 'capstan-rollout-'))
    const c = await cluster(dir)
    let t0 = performance.now()
    let cpu0 = process.cpuUsage()
    await profiled('create', async () => {
      await c.api.create(deployment('big', REPLICAS, 'nginx:1.25'), { fieldManager: 'bench' })
      await c.until(() => complete(c.api, 'big'))
    })
    const up = performance.now() - t0
    const upCpu = cpuSeconds(cpu0)
    const d = await c.api.get('deployments', 'default', 'big')
    const next = structuredClone(d) as KObject & { spec: { template: { spec: { containers: Array<{ image: string }> } } } }
    next.spec.template.spec.containers[0].image = 'nginx:1.27'
    t0 = performance.now()
    cpu0 = process.cpuUsage()
    const v0 = c.clock.now().getTime()
    await profiled('roll', async () => {
      await c.api.update(next, { fieldManager: 'bench' })
      await c.until(() => complete(c.api, 'big'))
    })
    const roll = performance.now() - t0
    const rollCpu = cpuSeconds(cpu0)
    const pods = await c.api.list('pods', { namespace: 'default', labelSelector: 'app=big' })
    const running = pods.items.filter((p) => (p.status as { phase?: string }).phase === 'Running').length
    console.log(`${REPLICAS}-replica Deployment: created → Available in ${(up / 1000).toFixed(2)} s wall (${upCpu} s CPU)`)
    console.log(`rolling update to a new template (25%/25%): ${(roll / 1000).toFixed(2)} s wall (${rollCpu} s CPU), ${((c.clock.now().getTime() - v0) / 1000).toFixed(0)} s virtual, ${running} pods Running after (target ≤ 2 s wall)`)
    await c.close()
    rmSync(dir, { recursive: true, force: true })
  }

  {
    const dir = mkdtempSync(join(tmpdir(), 'capstan-rollout-'))
    const c = await cluster(dir)
    const t0 = performance.now()
    const cpu0 = process.cpuUsage()
    await profiled('many', async () => {
      for (let i = 0; i < DEPLOYMENTS; i++) await c.api.create(deployment(`app-${i}`, 30, 'nginx:1.25'), { fieldManager: 'bench' })
      await c.until(async () => {
        for (let i = 0; i < DEPLOYMENTS; i++) if (!(await complete(c.api, `app-${i}`))) return false
        return true
      })
    })
    const t = performance.now() - t0
    console.log(`${DEPLOYMENTS} Deployments × 30 replicas: created → all Available in ${(t / 1000).toFixed(2)} s wall (${cpuSeconds(cpu0)} s CPU) (target ≤ 3 s); anchor: kwok ≈ 20 pods/s, ≈ 5 Deployments/s to Ready`)
    await c.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
