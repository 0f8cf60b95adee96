/**
 * A small harness for the Deployment controller: the real ApiServer over memory storage, a manual
 * clock, an event collector, and helpers that play the ReplicaSet controller by writing RS status.
 */
import { ApiServer } from '../../../reconciler/api/api-server.js'
import { clone, type KObject } from '../../../reconciler/api/object.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import type { Clock, ControllerContext, Result } from '../../../reconciler/controllers/runtime/types.js'
import { createDeploymentController } from '../../../reconciler/controllers/deployment/controller.js'
import type { DeploymentObject, ReplicaSetObject } from '../../../reconciler/controllers/deployment/types.js'
import { deploymentComplete } from '../../../reconciler/controllers/deployment/util.js'

/** A clock that moves only when told. */
export class ManualClock implements Clock {
  private t: number
  private timers: Array<{ at: number; fn: () => void }> = []
  constructor(start = Date.parse('2024-01-01T00:00:00Z')) {
    this.t = start
  }
  now(): Date {
    return new Date(this.t)
  }
  at(at: Date, fn: () => void): () => void {
    const timer = { at: at.getTime(), fn }
    if (timer.at <= this.t) fn()
    else this.timers.push(timer)
    return () => {
      this.timers = this.timers.filter((x) => x !== timer)
    }
  }
  advance(ms: number): void {
    this.t += ms
    const due = this.timers.filter((x) => x.at <= this.t)
    this.timers = this.timers.filter((x) => x.at > this.t)
    for (const x of due) x.fn()
  }
}

export interface RecordedEvent {
  kind: string
  name: string
  type: string
  reason: string
  message: string
}

export interface DeploymentOptions {
  replicas?: number
  image?: string
  strategy?: Record<string, unknown>
  progressDeadlineSeconds?: number
  revisionHistoryLimit?: number
  annotations?: Record<string, string>
}

/** A Deployment manifest `name` with pods labelled app=name. */
export function deploymentManifest(name: string, o: DeploymentOptions = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      replicas: o.replicas ?? 4,
      selector: { matchLabels: { app: name } },
      ...(o.strategy ? { strategy: o.strategy } : {}),
      ...(o.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: o.progressDeadlineSeconds } : {}),
      ...(o.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: o.revisionHistoryLimit } : {}),
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: o.image ?? 'nginx:1' }] } },
    },
  }
}

export async function makeHarness() {
  const clock = new ManualClock()
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
  await api.bootstrap()
  const events: RecordedEvent[] = []
  const logs: Array<Record<string, unknown>> = []
  const ctx: ControllerContext = {
    api,
    clock,
    events: {
      async event(o, type, reason, message) {
        events.push({ kind: o.kind, name: o.metadata.name!, type, reason, message })
      },
    },
    log: (line) => logs.push(line),
  }
  const controller = createDeploymentController(ctx)
  const ns = 'default'

  const h = {
    clock,
    api,
    ctx,
    events,
    logs,
    controller,
    async create(name: string, o: DeploymentOptions = {}): Promise<DeploymentObject> {
      return (await api.create(deploymentManifest(name, o), { fieldManager: 'test' })) as DeploymentObject
    },
    async get(name: string): Promise<DeploymentObject> {
      return (await api.get('deployments', ns, name)) as DeploymentObject
    },
    /** Changes the Deployment with `edit` on a copy (a user's update). */
    async edit(name: string, edit: (d: DeploymentObject) => void): Promise<DeploymentObject> {
      const d = clone(await h.get(name))
      edit(d)
      return (await api.update(d, { fieldManager: 'test' })) as DeploymentObject
    },
    async setImage(name: string, image: string): Promise<DeploymentObject> {
      return h.edit(name, (d) => {
        d.spec.template.spec!.containers[0].image = image
      })
    },
    /** One reconcile of the Deployment; the clock then moves one second (so ReplicaSets are ordered by creation). */
    async reconcile(name: string): Promise<Result> {
      const r = await controller.reconcile({ resource: 'deployments', namespace: ns, name })
      clock.advance(1000)
      return r
    },
    /** The Deployment's ReplicaSets, oldest first. */
    async replicaSets(name: string): Promise<ReplicaSetObject[]> {
      const d = await h.get(name)
      const items = (await api.list('replicasets', { namespace: ns })).items as ReplicaSetObject[]
      return items
        .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid))
        .sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : a.metadata.creationTimestamp! > b.metadata.creationTimestamp! ? 1 : 0))
    },
    /** spec.replicas of the Deployment's ReplicaSets, oldest first. */
    async sizes(name: string): Promise<number[]> {
      return (await h.replicaSets(name)).map((rs) => rs.spec.replicas ?? 0)
    },
    /** Plays the ReplicaSet controller: writes a ReplicaSet's status (replicas default: spec). */
    async setStatus(rsName: string, s: { replicas?: number; ready?: number; available?: number }): Promise<void> {
      const rs = clone((await api.get('replicasets', ns, rsName)) as ReplicaSetObject)
      const replicas = s.replicas ?? rs.spec.replicas ?? 0
      rs.status = {
        replicas,
        readyReplicas: s.ready ?? s.available ?? 0,
        availableReplicas: s.available ?? 0,
        observedGeneration: rs.metadata.generation,
      }
      await api.updateStatus(rs, { fieldManager: 'kube-controller-manager' })
    },
    /** Every ReplicaSet of the Deployment has all its pods, ready and available. */
    async allAvailable(name: string): Promise<void> {
      for (const rs of await h.replicaSets(name)) {
        const n = rs.spec.replicas ?? 0
        await h.setStatus(rs.metadata.name!, { replicas: n, ready: n, available: n })
      }
    },
    /** Reconcile and make pods available until the rollout is complete (at most `max` rounds). */
    async rollOut(name: string, max = 20): Promise<void> {
      for (let i = 0; i < max; i++) {
        await h.reconcile(name)
        await h.allAvailable(name)
        const d = await h.get(name)
        if (deploymentComplete(d, d.status ?? {}) && d.status?.conditions?.some((c) => c.reason === 'NewReplicaSetAvailable')) {
          await h.reconcile(name)
          return
        }
      }
      throw new Error(`rollout of ${name} did not complete`)
    },
    condition(d: DeploymentObject, type: string) {
      return d.status?.conditions?.find((c) => c.type === type)
    },
  }
  return h
}

export type Harness = Awaited<ReturnType<typeof makeHarness>>
