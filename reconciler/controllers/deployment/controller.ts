/**
 * The Deployment controller (pkg/controller/deployment/deployment_controller.go in our words): what
 * it watches, and syncDeployment, which picks the path for one Deployment: status only while it is
 * being deleted, `sync` while paused or resized, else one step of its strategy.
 */
import { jsonEqual, type KObject } from '../../api/object.js'
import type { LabelSelector } from '../../api/selectors/index.js'
import { findObject } from '../runtime/find-object.js'
import { labelSelectorOf } from '../runtime/selector-memo.js'
import { OrphanIndex } from '../replicaset/orphan-index.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import type { ChangeType } from '../runtime/informer.js'
import { rolloutRecreate, type PodMap } from './recreate.js'
import { rolloutRolling } from './rolling.js'
import {
  checkPausedConditions,
  controllerRefOf,
  getReplicaSetsForDeployment,
  isScalingEvent,
  sync,
  syncStatusOnly,
} from './sync.js'
import type { DeploymentObject, ReplicaSetObject } from './types.js'
import { copyDeploymentForSync, writeDeploymentStatus } from './writes.js'

const RESOURCE = 'deployments'

/** What the watch mappers need to know of a Deployment (learnt when it is reconciled). */
interface Known {
  namespace: string
  name: string
  selector: LabelSelector
  recreate: boolean
}

/** Upstream's default --concurrent-deployment-syncs. */
const WORKERS = 5

/** The Deployment controller: reconciles `deployments`, woken by their ReplicaSets and (Recreate) pods. */
export function createDeploymentController(ctx: ControllerContext): Controller {
  const known = new Map<string, Known>()
  /** ReplicaSet uid → the Deployment that controls it (from ReplicaSet events). */
  const rsOwner = new Map<string, string>()
  /** ReplicaSets without a controller (from ReplicaSet events): only those can be adopted. */
  const orphanRSs = new OrphanIndex()
  const key = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`
  const request = (ns: string | undefined, name: string): Request => ({ resource: RESOURCE, namespace: ns, name })

  /** Deployments in the ReplicaSet's namespace whose (non-empty) selector matches its labels. */
  const selecting = (rs: KObject): Request[] => {
    const labels = rs.metadata.labels
    if (!labels || Object.keys(labels).length === 0) return []
    const out: Request[] = []
    for (const k of known.values()) {
      if (k.namespace === (rs.metadata.namespace ?? '') && !k.selector.empty && k.selector.matches(labels)) out.push(request(k.namespace, k.name))
    }
    return out
  }

  const mapReplicaSet = (rs: KObject, old: KObject | undefined, type?: 'ADDED' | 'MODIFIED' | 'DELETED'): Request[] => {
    orphanRSs.observe(type, rs)
    if (old && old.metadata.resourceVersion === rs.metadata.resourceVersion) return []
    const ns = rs.metadata.namespace
    const cur = controllerRefOf(rs)
    const prev = old ? controllerRefOf(old) : undefined
    const out: Request[] = []
    const refChanged = !jsonEqual(cur, prev)
    if (old && refChanged && prev?.kind === 'Deployment') out.push(request(ns, prev.name))
    if (cur) {
      if (cur.kind !== 'Deployment') return out
      if (rs.metadata.uid) rsOwner.set(rs.metadata.uid, key(ns, cur.name))
      out.push(request(ns, cur.name))
      return out
    }
    if (rs.metadata.uid) rsOwner.delete(rs.metadata.uid)
    // An orphan: Deployments that select it may adopt it.
    if (!old || refChanged || !jsonEqual(rs.metadata.labels, old.metadata.labels)) out.push(...selecting(rs))
    return out
  }

  // Upstream's only pod handler (deletePod) wakes a Recreate Deployment when a pod of it is deleted
  // and none is left; a pod being added or changed wakes nothing. Here every deletion of such a
  // pod wakes it (counting what is left needs a read; the sync is level-based and finds out).
  const mapPod = (pod: KObject, _old: KObject | undefined, type?: ChangeType): Request[] => {
    if (type !== 'DELETED') return []
    const ref = controllerRefOf(pod)
    if (!ref || ref.kind !== 'ReplicaSet') return []
    const owner = rsOwner.get(ref.uid)
    const k = owner ? known.get(owner) : undefined
    return k?.recreate ? [request(k.namespace, k.name)] : []
  }

  return {
    name: 'deployment',
    resource: RESOURCE,
    workers: WORKERS,
    watches: [
      { resource: 'replicasets', map: mapReplicaSet },
      { resource: 'pods', map: mapPod },
    ],
    // Incremental start: `known` is primed from every Deployment; a complete one's reconcile changes
    // nothing (its ReplicaSets' changes enqueue it; progress checks are restored), any other runs.
    incremental: true,
    prime: (obj) => {
      const d = obj as DeploymentObject
      known.set(key(d.metadata.namespace, d.metadata.name!), { namespace: d.metadata.namespace ?? '', name: d.metadata.name!, selector: labelSelectorOf(d.spec.selector), recreate: d.spec.strategy?.type === 'Recreate' })
      return !isCompleteDeployment(d)
    },
    async reconcile(req: Request): Promise<Result> {
      const k = key(req.namespace, req.name)
      const live = await findObject(ctx.api, RESOURCE, req.namespace, req.name)
      if (!live) {
        known.delete(k)
        return {}
      }
      const d = copyDeploymentForSync(live as DeploymentObject)
      const remember = (selector: LabelSelector): void => void known.set(k, { namespace: req.namespace ?? '', name: req.name, selector, recreate: d.spec.strategy?.type === 'Recreate' })
      return syncDeployment(ctx, d, remember, { noOrphanReplicaSets: orphanRSs.noneIn(req.namespace) })
    },
  }
}

/** What the controller's watches know that lets a sync read less. */
export interface SyncHints {
  /** No ReplicaSet of the namespace lacks a controller (an OrphanIndex): claiming reads the owner index only. */
  noOrphanReplicaSets?: boolean
}

/** syncDeployment: one pass over one Deployment (a writable copy). `remember` records its selector for the watch mappers. */
export async function syncDeployment(ctx: ControllerContext, d: DeploymentObject, remember: (selector: LabelSelector) => void = () => undefined, hints: SyncHints = {}): Promise<Result> {
  const selector = labelSelectorOf(d.spec.selector)
  remember(selector)

  // A selector that selects everything is refused (validation normally prevents it).
  if (selector.empty) {
    await ctx.events.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.')
    if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
      d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation }
      await writeDeploymentStatus(ctx, d)
    }
    return {}
  }

  // Claim the ReplicaSets (adopt and release by selector).
  const rsList = await getReplicaSetsForDeployment(ctx, d, hints.noOrphanReplicaSets, selector)

  // Being deleted: only the status.
  if (d.metadata.deletionTimestamp) {
    await syncStatusOnly(ctx, d, rsList)
    return {}
  }

  // Pausing or resuming sets the Progressing condition so paused time never counts.
  await checkPausedConditions(ctx, d)
  if (d.spec.paused) {
    await sync(ctx, d, rsList)
    return {}
  }

  // A resize (spec.replicas changed) scales ReplicaSets proportionally instead of rolling.
  if (await isScalingEvent(ctx, d, rsList)) {
    await sync(ctx, d, rsList)
    return {}
  }

  // One step of the strategy.
  if (d.spec.strategy?.type === 'Recreate') return rolloutRecreate(ctx, d, rsList, await podMapFor(ctx, d, rsList))
  return rolloutRolling(ctx, d, rsList)
}

/** getPodMapForDeployment: the Deployment's pods (by its selector) grouped by controlling ReplicaSet uid, terminal ones included. */
export async function podMapFor(ctx: ControllerContext, d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<PodMap> {
  const selector = labelSelectorOf(d.spec.selector)
  const pods = (await ctx.api.list('pods', { namespace: d.metadata.namespace, labelSelector: selector.toString() })).items
  const map: PodMap = new Map(rsList.map((rs) => [rs.metadata.uid!, [] as KObject[]]))
  for (const pod of pods) {
    const ref = controllerRefOf(pod)
    if (ref && map.has(ref.uid)) map.get(ref.uid)!.push(pod)
  }
  return map
}

/** Rolled out and idle: the current generation observed, every replica updated, ready and available, progress reported as complete, not paused or being deleted. */
function isCompleteDeployment(d: DeploymentObject): boolean {
  const st = (d.status ?? {}) as { observedGeneration?: number; replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; unavailableReplicas?: number; conditions?: Array<{ type: string; status: string; reason?: string }> }
  const want = d.spec.replicas ?? 1
  const progressing = (st.conditions ?? []).find((c) => c.type === 'Progressing')
  return (
    !d.metadata.deletionTimestamp &&
    !d.spec.paused &&
    (st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (st.replicas ?? 0) === want &&
    (st.updatedReplicas ?? 0) === want &&
    (st.readyReplicas ?? 0) === want &&
    (st.availableReplicas ?? 0) === want &&
    !st.unavailableReplicas &&
    progressing?.status === 'True' &&
    progressing.reason === 'NewReplicaSetAvailable'
  )
}
