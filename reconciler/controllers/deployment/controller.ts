/**
 * The Deployment controller (pkg/controller/deployment/deployment_controller.go in our words): what
 * it watches, and syncDeployment, which picks the path for one Deployment: status only while it is
 * being deleted, `sync` while paused or resized, else one step of its strategy.
 */
import { isPlainObject, jsonEqual, type KObject, type OwnerReference } from '../../api/object.js'
import type { LabelSelector, LabelSelectorSpec } from '../../api/selectors/index.js'
import { findObject } from '../runtime/find-object.js'
import { labelSelectorOf } from '../runtime/selector-memo.js'
import { decodeOrphanEntries, isName, isSelectorSpec, isStrings } from '../replicaset/checkpoint.js'
import { OrphanIndex, type OrphanEntries } from '../replicaset/orphan-index.js'
import { parseSelector } from '../replicaset/selector-index.js'
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
import type { DeploymentObject, ReplicaSetObject } from './types.js'
import { copyDeploymentForSync, writeDeploymentStatus } from './writes.js'

const RESOURCE = 'deployments'

/** What the watch mappers and a start need to know of a Deployment (learnt when it is primed or reconciled). */
interface Known {
  namespace: string
  name: string
  /** spec.selector as written (null when absent), for the checkpoint. */
  selectorSpec: LabelSelectorSpec | null
  /** Parsed; a restored one on first use (see selectorOfKnown). */
  selector?: LabelSelector
  recreate: boolean
  /**
   * Whether it was complete (isCompleteDeployment) when last seen: a start enqueues it when not.
   * Completeness reads only the Deployment, and every change to one enqueues it, so the state its
   * last reconcile read is its state now.
   */
  complete: boolean
}

/** A known Deployment's selector, parsed on first use (one that does not parse selects nothing). */
function selectorOfKnown(k: Known): LabelSelector {
  return (k.selector ??= parseSelector(k.selectorSpec))
}

/** What is known of a Deployment in its current state (`selector`: its spec.selector, parsed). */
function knownOf(d: DeploymentObject, selector: LabelSelector = labelSelectorOf(d.spec.selector)): Known {
  return {
    namespace: d.metadata.namespace ?? '',
    name: d.metadata.name!,
    selectorSpec: d.spec.selector ?? null,
    selector,
    recreate: d.spec.strategy?.type === 'Recreate',
    complete: isCompleteDeployment(d),
  }
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
      if (k.namespace !== (rs.metadata.namespace ?? '')) continue
      const selector = selectorOfKnown(k)
      if (!selector.empty && selector.matches(labels)) out.push(request(k.namespace, k.name))
    }
    return out
  }

  /**
   * Records the Deployment controlling a ReplicaSet; one controlled by none, by another kind, or
   * deleted is forgotten (as upstream's pod handler finds no ReplicaSet in its lister), so the
   * record holds the existing ReplicaSets only, as a start's replay of every one builds it.
   */
  const noteOwner = (rs: KObject, cur: OwnerReference | undefined, type: 'ADDED' | 'MODIFIED' | 'DELETED' | undefined): void => {
    const uid = rs.metadata.uid
    if (!uid) return
    if (type !== 'DELETED' && cur?.kind === 'Deployment') rsOwner.set(uid, key(rs.metadata.namespace, cur.name))
    else rsOwner.delete(uid)
  }

  const mapReplicaSet = (rs: KObject, old: KObject | undefined, type?: 'ADDED' | 'MODIFIED' | 'DELETED'): Request[] => {
    orphanRSs.observe(type, rs)
    if (old && old.metadata.resourceVersion === rs.metadata.resourceVersion) return []
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
    // Incremental start: `known` is primed from every Deployment (or restored from the checkpoint);
    // a complete one's reconcile changes nothing (its ReplicaSets' changes enqueue it; progress
    // checks are restored), any other runs.
    incremental: true,
    prime: (obj) => {
      const d = obj as DeploymentObject
      const k = knownOf(d)
      known.set(key(d.metadata.namespace, d.metadata.name!), k)
      return !k.complete
    },
    checkpoint: deploymentCheckpoint(known, rsOwner, orphanRSs),
    async reconcile(req: Request): Promise<Result> {
      const k = key(req.namespace, req.name)
      const live = await findObject(ctx.api, RESOURCE, req.namespace, req.name)
      if (!live) {
        known.delete(k)
        return {}
      }
      const d = copyDeploymentForSync(live as DeploymentObject)
      const remember = (selector: LabelSelector): void => void known.set(k, knownOf(live as DeploymentObject, selector))
      return syncDeployment(ctx, d, remember, { noOrphanReplicaSets: orphanRSs.noneIn(req.namespace) })
    },
  }
}

/** The format of the checkpoint's data: a checkpoint of another format is refused (the start primes instead). */
export const DEPLOYMENT_CHECKPOINT_FORMAT = 1

/**
 * The checkpoint's data. Example: { format: 1, deployments: [['shop', 'web', { matchLabels: { app: 'web' } }, false, true]],
 * replicaSetOwners: [['shop/web', ['uid-1', 'uid-2']]], orphanReplicaSets: [] }.
 */
export interface DeploymentCheckpoint {
  format: number
  /** Per known Deployment, in the order the ReplicaSet watch walks them: namespace, name, selector spec, Recreate, complete. */
  deployments: Array<[string, string, LabelSelectorSpec | null, boolean, boolean]>
  /** Per Deployment controlling ReplicaSets: its `namespace/name` and their uids. */
  replicaSetOwners: Array<[string, string[]]>
  /** The ReplicaSets without a controller, by namespace. */
  orphanReplicaSets: OrphanEntries
}

/**
 * The checkpoint of what the Deployment controller remembers: the known Deployments (prime's
 * record, with whether each was complete), and what the ReplicaSet watch records of every
 * ReplicaSet (its controlling Deployment, the orphans). A restore asks for the Deployments that
 * were not complete, as prime does.
 */
function deploymentCheckpoint(known: Map<string, Known>, rsOwner: Map<string, string>, orphanRSs: OrphanIndex): Checkpoint {
  return {
    save(): DeploymentCheckpoint {
      return {
        format: DEPLOYMENT_CHECKPOINT_FORMAT,
        deployments: [...known.values()].map((k) => [k.namespace, k.name, k.selectorSpec, k.recreate, k.complete]),
        replicaSetOwners: groupByOwner(rsOwner),
        orphanReplicaSets: orphanRSs.entries(),
      }
    },
    format: DEPLOYMENT_CHECKPOINT_FORMAT,
    startRequests: () => [...known.values()].filter((k) => !k.complete).map((k) => ({ resource: RESOURCE, namespace: k.namespace || undefined, name: k.name })),
    restore(data: unknown): Request[] | undefined {
      const saved = decodeDeploymentCheckpoint(data)
      if (!saved) return undefined
      for (const k of saved.known) known.set(`${k.namespace}/${k.name}`, k)
      for (const [owner, uids] of saved.replicaSetOwners) for (const uid of uids) rsOwner.set(uid, owner)
      orphanRSs.restore(saved.orphanReplicaSets)
      return saved.known.filter((k) => !k.complete).map((k) => ({ resource: RESOURCE, namespace: k.namespace || undefined, name: k.name }))
    },
  }
}

/** The memory in `data` (its selectors parsed when first used), or undefined when it is not a checkpoint of this format (never throws). */
function decodeDeploymentCheckpoint(data: unknown): { known: Known[]; replicaSetOwners: Array<[string, string[]]>; orphanReplicaSets: OrphanEntries } | undefined {
  if (!isPlainObject(data) || data.format !== DEPLOYMENT_CHECKPOINT_FORMAT || !Array.isArray(data.deployments) || !Array.isArray(data.replicaSetOwners)) return undefined
  const orphanReplicaSets = decodeOrphanEntries(data.orphanReplicaSets)
  if (!orphanReplicaSets) return undefined
  const known: Known[] = []
  for (const row of data.deployments) {
    if (!Array.isArray(row) || row.length !== 5) return undefined
    const [namespace, name, selectorSpec, recreate, complete] = row as unknown[]
    if (typeof namespace !== 'string' || !isName(name) || !isSelectorSpec(selectorSpec) || typeof recreate !== 'boolean' || typeof complete !== 'boolean') return undefined
    const k: Known = { namespace, name, selectorSpec, recreate, complete }
    // Label selectors (the common case) are parsed when first used; expressions now, refused when they do not parse.
    if (selectorSpec?.matchExpressions?.length) {
      try {
        k.selector = labelSelectorOf(selectorSpec)
      } catch {
        return undefined
      }
    }
    known.push(k)
  }
  const replicaSetOwners: Array<[string, string[]]> = []
  for (const row of data.replicaSetOwners) {
    if (!Array.isArray(row) || row.length !== 2 || typeof row[0] !== 'string' || !row[0].includes('/') || !isStrings(row[1]) || !row[1].length || !row[1].every(isName)) return undefined
    replicaSetOwners.push([row[0], row[1]])
  }
  return { known, replicaSetOwners, orphanReplicaSets }
}

/** The ReplicaSet uids of `rsOwner` grouped by their Deployment (the owner key saved once). */
function groupByOwner(rsOwner: Map<string, string>): Array<[string, string[]]> {
  const byOwner = new Map<string, string[]>()
  for (const [uid, owner] of rsOwner) {
    const uids = byOwner.get(owner)
    if (uids) uids.push(uid)
    else byOwner.set(owner, [uid])
  }
  return [...byOwner]
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
