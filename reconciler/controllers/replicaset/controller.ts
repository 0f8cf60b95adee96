/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go, syncReplicaSet): claim the
 * pods, create or delete pods until the active ones number spec.replicas, then write the status.
 * Its own ReplicaSets enqueue themselves; a pod change enqueues its controlling ReplicaSet (before
 * and after the change), and an orphan pod enqueues every ReplicaSet whose selector matches it.
 */
import { isNotFound } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import type { LabelSelector } from '../../api/selectors/index.js'
import type { Checkpoint, Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { decodeReplicaSetCheckpoint, REPLICASET_CHECKPOINT_FORMAT, requestOfKey, type ReplicaSetCheckpoint } from './checkpoint.js'
import { claimCandidates, claimPods } from './claim.js'
import { manageReplicas } from './manage.js'
import { OrphanIndex, type OrphanMap } from './orphan-index.js'
import { controllerRefOf, isPodActive } from './pod-util.js'
import { SelectorIndex, type SelectorMap } from './selector-index.js'
import { calculateStatus, writeStatus } from './status.js'
import { nextAvailableInMs } from './util.js'

/** Creates the ReplicaSet controller. */
export function createReplicaSetController(ctx: ControllerContext): Controller {
  const selectors = new SelectorIndex()
  /** Pods without a controller, from the pod watch: claiming can adopt only those. */
  const orphanPods = new OrphanIndex()
  /**
   * `namespace/name` of the ReplicaSets not settled when last seen (by prime or a reconcile): what
   * a start enqueues. Every change to a ReplicaSet enqueues it, so the last reconcile read its state.
   */
  const unsettled = new Set<string>()
  const key = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`
  /** Remembers a ReplicaSet's selector (returned) and whether it is settled. */
  const observe = (rs: KObject): LabelSelector => {
    const k = key(rs.metadata.namespace, rs.metadata.name!)
    if (isSettledReplicaSet(rs)) unsettled.delete(k)
    else unsettled.add(k)
    return selectors.set(rs)
  }

  const podRequests = (pod: KObject, old: KObject | undefined, type?: 'ADDED' | 'MODIFIED' | 'DELETED'): Request[] => {
    orphanPods.observe(type, pod)
    // The common case (a status write, a deletion): both states name the same controlling
    // ReplicaSet, which is then the only request.
    const ref = controllerRefOf(pod)
    if (ref?.kind === 'ReplicaSet') {
      const oldRef = old ? controllerRefOf(old) : ref
      if (oldRef?.kind === 'ReplicaSet' && oldRef.name === ref.name) return [{ resource: 'replicasets', namespace: pod.metadata.namespace, name: ref.name }]
    }
    const out = new Map<string, Request>()
    const add = (p: KObject): void => {
      const ref = controllerRefOf(p)
      const ns = p.metadata.namespace
      if (ref) {
        if (ref.kind === 'ReplicaSet') out.set(ref.name, { resource: 'replicasets', namespace: ns, name: ref.name })
        return
      }
      for (const name of selectors.matching(ns, p.metadata.labels)) out.set(name, { resource: 'replicasets', namespace: ns, name })
    }
    add(pod)
    if (old) add(old)
    return [...out.values()]
  }

  return {
    name: 'replicaset-controller',
    resource: 'replicasets',
    watches: [{ resource: 'pods', map: podRequests }],
    workers: 4,
    // Incremental start: a settled ReplicaSet's reconcile changes nothing (pod changes enqueue it;
    // minReadySeconds waits are restored); any other one is reconciled as on a full start. The
    // memory comes from prime and the pod watch, or from the checkpoint instead.
    incremental: true,
    prime: (rs) => {
      observe(rs)
      return unsettled.has(key(rs.metadata.namespace, rs.metadata.name!))
    },
    checkpoint: replicaSetCheckpoint(selectors, orphanPods, unsettled),
    async reconcile(req: Request): Promise<Result> {
      let rs: KObject
      try {
        rs = await ctx.api.get('replicasets', req.namespace, req.name)
      } catch (err) {
        if (isNotFound(err)) {
          selectors.delete(req.namespace, req.name)
          unsettled.delete(key(req.namespace, req.name))
          return {}
        }
        throw err
      }
      const selector = observe(rs)
      const now = ctx.clock.now()

      // Claim: the pods this ReplicaSet owns, adopting matching orphans and releasing non-matching pods.
      const owned = await claimPods(ctx.api, rs, selector, await claimCandidates(ctx.api, rs, selector, orphanPods.noneIn(rs.metadata.namespace)))
      const active = owned.filter(isPodActive)

      // Scale: create or delete pods, unless the ReplicaSet is being deleted.
      const manage = rs.metadata.deletionTimestamp ? { created: 0, deleted: 0 } : await manageReplicas(ctx, rs, active)

      // Status: counts of the pods seen at the start of the pass (the next pass sees the new ones).
      const status = calculateStatus(rs, active, manage.error, now)
      await writeStatus(ctx, rs, status)
      if (manage.error) throw new Error(`${manage.error.reason}: ${manage.error.message}`)

      // Availability: come back when a ready pod has been ready for minReadySeconds.
      const minReady = ((rs.spec as { minReadySeconds?: number }).minReadySeconds ?? 0) as number
      const wait = nextAvailableInMs(active, minReady, now)
      return wait === undefined ? {} : { requeueAfterMs: wait }
    },
  }
}

/**
 * The checkpoint of the selectors, the orphan pods and the unsettled ReplicaSets: restored, they are
 * what prime over every ReplicaSet and the pod watch over every pod give, and the start asks for the
 * unsettled ReplicaSets, as prime does. Each part is saved as the controller holds it; a restore
 * builds them from the saved lists (checked when first read: see SelectorIndex and OrphanIndex).
 */
function replicaSetCheckpoint(selectors: SelectorIndex, orphanPods: OrphanIndex, unsettled: Set<string>): Checkpoint {
  return {
    save: (): ReplicaSetCheckpoint => ({ format: REPLICASET_CHECKPOINT_FORMAT, selectors: selectors.save(), unsettled: [...unsettled], orphanPods: orphanPods.entries() }),
    format: REPLICASET_CHECKPOINT_FORMAT,
    startRequests: () => [...unsettled].map((k) => requestOfKey('replicasets', k)),
    damaged: () => selectors.damaged || orphanPods.damaged,
    restore(data: unknown): Request[] | undefined {
      const saved = decodeReplicaSetCheckpoint(data)
      if (!saved) return undefined
      // The saved lists are the memory's own from here (restore's caller hands over the parsed data).
      let byNamespace: SelectorMap, orphans: OrphanMap
      try {
        byNamespace = new Map(saved.selectors)
        orphans = new Map(saved.orphanPods)
      } catch {
        return undefined // not lists of pairs: nothing changed
      }
      selectors.restore(byNamespace)
      orphanPods.restore(orphans)
      unsettled.clear()
      for (const k of saved.unsettled) unsettled.add(k)
      return saved.unsettled.map((k) => requestOfKey('replicasets', k))
    },
  }
}

/** All replicas created, labelled, ready and available for the ReplicaSet's current generation, and not being deleted. */
function isSettledReplicaSet(rs: KObject): boolean {
  const spec = (rs.spec ?? {}) as { replicas?: number }
  const st = (rs.status ?? {}) as { replicas?: number; fullyLabeledReplicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number; conditions?: unknown[] }
  const want = spec.replicas ?? 1
  return (
    !rs.metadata.deletionTimestamp &&
    (st.observedGeneration ?? 0) >= (rs.metadata.generation ?? 0) &&
    (st.replicas ?? 0) === want &&
    (st.fullyLabeledReplicas ?? 0) === want &&
    (st.readyReplicas ?? 0) === want &&
    (st.availableReplicas ?? 0) === want &&
    !(st.conditions ?? []).length
  )
}
