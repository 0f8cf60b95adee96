/**
 * A simulated cluster for HPA tests: the real ApiServer over memory storage, every controller capstan
 * runs plus the HPA controller, on a virtual clock; helpers to set the load and read the HPA.
 */
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { createHpaController } from '../../../reconciler/controllers/hpa/index.js'
import { CONTROLLERS } from '../../../reconciler/controllers/index.js'
import { readLoadModel, setLoad, writeLoadModel, type LoadChange, type LoadTarget } from '../../../reconciler/controllers/metrics/index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'

export const START = Date.parse('2024-01-01T00:00:00Z')

/** A Deployment `name` (pods labelled app=name) whose container requests `cpu` (and `memory`). */
export function deployment(name: string, o: { replicas?: number; cpu?: string; memory?: string; namespace?: string } = {}): KObject {
  const requests: Record<string, string> = {}
  if (o.cpu) requests.cpu = o.cpu
  if (o.memory) requests.memory = o.memory
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: o.namespace ?? 'default' },
    spec: {
      ...(o.replicas !== undefined ? { replicas: o.replicas } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1', resources: { requests } }] } },
    },
  }
}

/** An autoscaling/v2 HPA on Deployment `name`. */
export function hpa(name: string, spec: Record<string, unknown> = {}, namespace = 'default'): KObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 1, maxReplicas: 10, ...spec },
  }
}

/** A fresh cluster, or a new "process" over the same storage and clock (memory of the controllers lost). */
export async function cluster(from?: { storage: ReturnType<typeof createMemoryStorage>; clock: VirtualClock }) {
  const storage = from?.storage ?? createMemoryStorage()
  const clock = from?.clock ?? new VirtualClock(new Date(START))
  const api = new ApiServer({ storage, now: () => clock.now() })
  await api.bootstrap()
  const manager = new ControllerManager({ api, clock })
  // Every controller capstan runs, with this HPA controller (whether or not CONTROLLERS lists it yet).
  for (const spec of CONTROLLERS) if (spec.component !== 'horizontal-pod-autoscaler') manager.add(spec.make(manager.contextFor(spec.component)))
  manager.add(createHpaController(manager.contextFor('horizontal-pod-autoscaler')))
  await manager.start()
  await manager.settle()
  const c = {
    api,
    clock,
    storage,
    manager,
    /** Seconds since START. */
    t: () => (clock.now().getTime() - START) / 1000,
    create: async (obj: KObject) => {
      await api.create(obj, { fieldManager: 'test' })
      await manager.settle()
    },
    load: async (target: LoadTarget, change: LoadChange) => {
      const r = setLoad(await readLoadModel(api), target, change)
      if (r.problems.length) throw new Error(JSON.stringify(r.problems))
      await writeLoadModel(api, r.model)
      await manager.settle()
    },
    advance: async (seconds: number) => manager.advance(seconds * 1000),
    replicas: async (name: string, ns = 'default') => ((await api.get('deployments', ns, name)).spec as { replicas: number }).replicas,
    hpa: async (name: string, ns = 'default') => api.get('horizontalpodautoscalers', ns, name),
    condition: async (name: string, type: string) => {
      const h = await c.hpa(name)
      const cond = ((h.status as { conditions?: Array<{ type: string; status: string; reason: string; message: string }> }).conditions ?? []).find((x) => x.type === type)
      return cond ? `${cond.status}/${cond.reason}` : undefined
    },
    events: async (name: string) => {
      const { items } = await api.list('events', { namespace: 'default' })
      return items
        .filter((e) => (e.involvedObject as { kind: string; name: string }).kind === 'HorizontalPodAutoscaler' && (e.involvedObject as { name: string }).name === name)
        .map((e) => ({ reason: e.reason as string, message: e.message as string, count: e.count as number, type: e.type as string }))
    },
    /** A new process over the same state: controllers restart without their memory. */
    restart: async () => {
      await manager.stop()
      return cluster({ storage, clock })
    },
    stop: () => manager.stop(),
  }
  return c
}
