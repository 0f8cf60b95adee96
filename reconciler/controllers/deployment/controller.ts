/**
 * The Deployment controller (pkg/controller/deployment/deployment_controller.go in our words): what
 * it watches, and syncDeployment, which picks the path for one Deployment: status only while it is
 * being deleted, `sync` while paused or resized, else one step of its strategy.
 */
import { jsonEqual, type KObject, type OwnerReference } from '../../api/object.js'
import type { LabelSelector } from '../../api/selectors/index.js'
import { findObject } from '../runtime/find-object.js'
import { labelSelectorOf } from '../runtime/selector-memo.js'
import { requestOfKey } from '../replicaset/checkpoint.js'
import { rememberSelector, selectorOfSpec } from '../replicaset/selector-index.js'
import type { Checkpoint, Controller, ControllerContext, Request, Result } from '../runtime/types.js'
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
import { decodeDeploymentCheckpoint, DEPLOYMENT_CHECKPOINT_FORMAT, type DeploymentCheckpoint, type Known } from './checkpoint.js'
import { DeploymentMemory } from './memory.js'
import type { DeploymentObject, ReplicaSetObject } from './types.js'
import { copyDeploymentForSync, writeDeploymentStatus } from './writes.js'

const RESOURCE = 'deployments'

/** What is known of a Deployment in its current state (`selector`: its spec.selector, parsed, remembered for the spec). */
function knownOf(d: DeploymentObject, selector: LabelSelector): Known {
  const spec = d.spec.selector ?? null
  if (spec) rememberSelector(spec, selector)
  return [spec, d.spec.strategy?.type === 'Recreate']
}

/** Upstream's default --concurrent-deployment-syncs. */
const WORKERS = 5

/** The Deployment controller: reconciles `deployments`, woken by their ReplicaSets and (Recreate) pods. */
export function createDeploymentController(ctx: ControllerContext): Controller {
  const memory = new DeploymentMemory()
  const orphanRSs = memory.orphanRSs
  const key = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`
  const request = (ns: string | undefined, name: string): Request => ({ resource: RESOURCE, namespace: ns, name })

  /**
   * Deployments in the ReplicaSet's namespace whose (non-empty) selector matches its labels, by
   * name (upstream's lister gives them in no order; a restored memory's order is its pages').
   */
  const selecting = (rs: KObject): Request[] => {
    const labels = rs.metadata.labels
    if (!labels || Object.keys(labels).length === 0) return []
    const ns = rs.metadata.namespace ?? ''
    const names: string[] = []
    for (const [k, known] of memory.inNamespace(ns)) {
      const selector = selectorOfSpec(known[0])
      if (!selector.empty && selector.matches(labels)) names.push(k.slice(ns.length + 1))
    }
    return names.sort().map((name) => request(ns, name))
  }

  /**
   * Records the Deployment controlling a ReplicaSet; one controlled by none, by another kind, or
   * deleted is forgotten (as upstream's pod handler finds no ReplicaSet in its lister), so the
   * record holds the existing ReplicaSets only, as a start's replay of every one builds it.
   */
  const noteOwner = (rs: KObject, cur: OwnerReference | undefined, type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined): void => {
    const uid = rs.metadata.uid
    if (!uid) return
    memory.setOwner(uid, type !== 'DELETED' && cur?.kind === 'Deployment' ? key(rs.metadata.namespace, cur.name) : undefined)
  }

  const mapReplicaSet = (rs: KObject, old: KObject | undefined, type?: 'ADDED' | 'MODIFIED' | 'DELETED'): Request[] => {
    orphanRSs.observe(type, rs)
    // The same state again is nothing new; a deletion always is (the informer delivers a ReplicaSet
    // replaced since the last run as DELETED with its last state as both: its owner must go).
    if (type !== 'DELETED' && old && old.metadata.resourceVersion === rs.metadata.resourceVersion) return []
    const ns = rs.metadata.namespace
    const cur = controllerRefOf(rs)
    noteOwner(rs, cur, type)
    const prev = old ? controllerRefOf(old) : undefined
    const out: Request[] = []
    const refChanged = !jsonEqual(cur, prev)
    if (old && refChanged && prev?.kind === 'Deployment') out.push(request(ns, prev.name))
    if (cur) {
      if (cur.kind !== 'Deployment') return out
      out.push(request(ns, cur.name))
      return out
    }
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
    const owner = memory.ownerOf(ref.uid)
    if (!owner || !memory.get(owner)?.[1]) return []
    const slash = owner.indexOf('/')
    return [request(owner.slice(0, slash), owner.slice(slash + 1))]
  }

  return {
    name: 'deployment',
    resource: RESOURCE,
    workers: WORKERS,
    watches: [
      { resource: 'replicasets', map: mapReplicaSet },
      { resource: 'pods', map: mapPod },
    ],
    // Incremental start: the known Deployments are primed from every Deployment (or restored from
    // the checkpoint); a complete one's reconcile changes nothing (its ReplicaSets' changes enqueue
    // it; progress checks are restored), any other runs.
    incremental: true,
    prime: (obj) => {
      const d = obj as DeploymentObject
      const complete = isCompleteDeployment(d)
      memory.put(key(d.metadata.namespace, d.metadata.name!), knownOf(d, labelSelectorOf(d.spec.selector)), complete)
      return !complete
    },
    checkpoint: deploymentCheckpoint(memory),
    async reconcile(req: Request): Promise<Result> {
      const k = key(req.namespace, req.name)
      const live = await findObject(ctx.api, RESOURCE, req.namespace, req.name)
      if (!live) {
        memory.delete(k)
        return {}
      }
      const d = copyDeploymentForSync(live as DeploymentObject)
      const remember = (selector: LabelSelector): void => memory.put(k, knownOf(live as DeploymentObject, selector), isCompleteDeployment(live as DeploymentObject))
      return syncDeployment(ctx, d, remember, { noOrphanReplicaSets: orphanRSs.noneIn(req.namespace) })
    },
  }
}

/**
 * The checkpoint of what the Deployment controller remembers (see checkpoint.ts). A restore asks
 * for the Deployments that were not complete, as prime does.
 */
function deploymentCheckpoint(memory: DeploymentMemory): Checkpoint {
  return {
    save: (): DeploymentCheckpoint => ({ format: DEPLOYMENT_CHECKPOINT_FORMAT, ...memory.save() }),
    format: DEPLOYMENT_CHECKPOINT_FORMAT,
    startRequests: () => [...memory.incomplete].map((k) => requestOfKey(RESOURCE, k)),
    damaged: () => memory.damaged || memory.orphanRSs.damaged,
    restore(data: unknown): Request[] | undefined {
      const saved = decodeDeploymentCheckpoint(data)
      // The saved lists are the memory's own from here (restore's caller hands over the parsed data).
      if (!saved || !memory.restore(saved)) return undefined
      return saved.incomplete.map((k) => requestOfKey(RESOURCE, k))
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
