/**
 * Client-side rollout helpers, as kubectl does them (pkg/polymorphichelpers: history.go,
 * rollback.go, rollout_status.go, objectpauser.go, objectresumer.go, objectrestarter.go): plain
 * ApiClient calls and data, for `capstan rollout …` and GitOps.
 */
import type { ApiClient } from '../../api/client.js'
import { clone, type KObject } from '../../api/object.js'
import { labelSelectorOf } from '../runtime/selector-memo.js'
import { formatTime } from '../../api/strategy.js'
import { controllerRefOf } from './sync.js'
import {
  CHANGE_CAUSE_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  Reasons,
  RESTARTED_AT_ANNOTATION,
  type DeploymentObject,
  type PodTemplateSpec,
  type ReplicaSetObject,
} from './types.js'
import { equalIgnoreHash, findNewReplicaSet, getDeploymentCondition, revisionOf, skipCopyAnnotation } from './util.js'

/** kubectl's field manager for `rollout undo|pause|resume|restart`. */
export const ROLLOUT_FIELD_MANAGER = 'kubectl-rollout'

/** Why a rollout command refused (kubectl's wording in `message`). */
export type RolloutErrorCode = 'RevisionNotFound' | 'NoRolloutHistory' | 'Paused' | 'AlreadyPaused' | 'NotPaused' | 'ProgressDeadlineExceeded' | 'RevisionMismatch' | 'AlreadyRestarted'

/** A refusal of a rollout command, with a code and kubectl's message. */
export class RolloutError extends Error {
  readonly code: RolloutErrorCode
  constructor(code: RolloutErrorCode, message: string) {
    super(message)
    this.name = 'RolloutError'
    this.code = code
  }
}

/** Whether `err` is a RolloutError (optionally of one code). */
export function isRolloutError(err: unknown, code?: RolloutErrorCode): err is RolloutError {
  return err instanceof RolloutError && (code === undefined || err.code === code)
}

async function getDeployment(api: ApiClient, ns: string, name: string): Promise<DeploymentObject> {
  return (await api.get('deployments', ns, name)) as DeploymentObject
}

/** deploymentutil.GetAllReplicaSets: the ReplicaSets the Deployment selects and controls, and which is new. */
export async function deploymentReplicaSets(api: ApiClient, d: DeploymentObject): Promise<{ all: ReplicaSetObject[]; newRS: ReplicaSetObject | undefined }> {
  const selector = labelSelectorOf(d.spec.selector)
  const items = (await api.list('replicasets', { namespace: d.metadata.namespace, labelSelector: selector.toString() })).items as ReplicaSetObject[]
  const all = items.filter((rs) => controllerRefOf(rs)?.uid === d.metadata.uid)
  return { all, newRS: findNewReplicaSet(d, all) }
}

/** One row of `rollout history`. */
export interface HistoryEntry {
  revision: number
  /** kubernetes.io/change-cause of the ReplicaSet (kubectl prints `<none>` when absent). */
  changeCause?: string
  replicaSet: string
  /** The ReplicaSet's pod template (hash label included, change-cause added to its annotations), as `--revision N` shows it. */
  template: PodTemplateSpec
}

/**
 * `kubectl rollout history`: one entry per revision (a later ReplicaSet with the same revision wins,
 * as in kubectl's map), sorted by revision. Empty: kubectl prints "No rollout history found.".
 */
export async function rolloutHistory(api: ApiClient, ns: string, name: string): Promise<HistoryEntry[]> {
  const d = await getDeployment(api, ns, name)
  const { all } = await deploymentReplicaSets(api, d)
  const byRevision = new Map<number, HistoryEntry>()
  for (const rs of all) {
    const v = revisionOf(rs)
    if (v === undefined) continue
    const template = clone(rs.spec.template ?? {})
    const changeCause = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION]
    template.metadata ??= {}
    template.metadata.annotations ??= {}
    if (changeCause) template.metadata.annotations[CHANGE_CAUSE_ANNOTATION] = changeCause
    byRevision.set(v, { revision: v, ...(changeCause ? { changeCause } : {}), replicaSet: rs.metadata.name!, template })
  }
  return [...byRevision.values()].sort((a, b) => a.revision - b.revision)
}

/** The ReplicaSet of a revision (0: the one before the newest), as kubectl's deploymentRevision. */
export function replicaSetForRevision(d: DeploymentObject, all: ReplicaSetObject[], toRevision: number): ReplicaSetObject {
  if (toRevision < 0) throw new RolloutError('RevisionNotFound', `unable to find specified revision ${toRevision} in history`)
  let latest: ReplicaSetObject | undefined
  let latestRev = -1
  let previous: ReplicaSetObject | undefined
  let previousRev = -1
  for (const rs of all) {
    const v = revisionOf(rs)
    if (v === undefined) continue
    if (toRevision === 0) {
      if (latestRev < v) {
        previousRev = latestRev
        previous = latest
        latestRev = v
        latest = rs
      } else if (previousRev < v) {
        previousRev = v
        previous = rs
      }
    } else if (toRevision === v) return rs
  }
  if (toRevision > 0) throw new RolloutError('RevisionNotFound', `unable to find specified revision ${toRevision} in history`)
  if (!previous) throw new RolloutError('NoRolloutHistory', `no rollout history found for deployment "${d.metadata.name}"`)
  return previous
}

/** The outcome of `rollout undo`. */
export interface UndoResult {
  /** `rolled back`, `skipped rollback (current template already matches revision N)`, or, for a dry run, `dry run`. */
  message: string
  changed: boolean
  /** The template the Deployment gets (hash label removed); what a client dry run prints. */
  template: PodTemplateSpec
}

/**
 * `kubectl rollout undo` (DeploymentRollbacker): find the revision's ReplicaSet, refuse a paused
 * Deployment, skip when the template already matches, else JSON-patch spec.template to the
 * ReplicaSet's (without the hash label) and the annotations to the Deployment's skipped ones plus the
 * ReplicaSet's others (so change-cause comes back with the template). The controller then finds that
 * ReplicaSet as the new one and gives it the next revision.
 */
export async function undoDeployment(
  api: ApiClient,
  ns: string,
  name: string,
  toRevision = 0,
  { dryRun = false, serverDryRun = false, fieldManager = ROLLOUT_FIELD_MANAGER }: { dryRun?: boolean; serverDryRun?: boolean; fieldManager?: string } = {},
): Promise<UndoResult> {
  const d = await getDeployment(api, ns, name)
  const { all } = await deploymentReplicaSets(api, d)
  const rs = replicaSetForRevision(d, all, toRevision)
  const template = clone(rs.spec.template ?? {})
  if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL]
  if (dryRun) return { message: 'dry run', changed: false, template: clone(rs.spec.template ?? {}) }
  if (d.spec.paused) {
    throw new RolloutError('Paused', `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`)
  }
  if (equalIgnoreHash(rs.spec.template, d.spec.template)) {
    return { message: `skipped rollback (current template already matches revision ${toRevision})`, changed: false, template }
  }
  const annotations: Record<string, string> = {}
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (skipCopyAnnotation(k)) annotations[k] = v
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!skipCopyAnnotation(k)) annotations[k] = v
  const patch = [
    { op: 'replace', path: '/spec/template', value: template },
    { op: d.metadata.annotations ? 'replace' : 'add', path: '/metadata/annotations', value: annotations },
  ]
  await api.patch('deployments', ns, name, 'json', patch, { fieldManager, dryRun: serverDryRun })
  return { message: 'rolled back', changed: true, template }
}

/** What `rollout status` says of a Deployment now. */
export interface RolloutStatus {
  done: boolean
  /** kubectl's line, without the trailing newline. */
  message: string
  /** The rollout failed (progress deadline exceeded): kubectl exits 1 with `error: <message>`. */
  failed?: boolean
}

/** The waiting reasons kubectl's status viewer reports from pods (newer kubectl). */
const WARNING_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError'])

/**
 * `kubectl rollout status` (DeploymentStatusViewer), for one observation of the Deployment. With
 * `pods` (the Deployment's, by its selector), a waiting line gets newer kubectl's
 * ` (Warning: REASON - message)` suffix from the first pod unschedulable or stuck waiting.
 */
export function rolloutStatus(d: DeploymentObject, { revision = 0, pods }: { revision?: number; pods?: KObject[] } = {}): RolloutStatus {
  const name = d.metadata.name
  if (revision > 0) {
    const current = revisionOf(d)
    if (current === undefined) throw new RolloutError('RevisionMismatch', `cannot get the revision of deployment "${name}"`)
    if (current !== revision) throw new RolloutError('RevisionMismatch', `desired revision (${revision}) is different from the running revision (${current})`)
  }
  const s = d.status ?? {}
  const waiting = (msg: string): RolloutStatus => ({ done: false, message: withWarning(msg, pods) })
  if ((d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0)) {
    const cond = getDeploymentCondition(s, 'Progressing')
    if (cond?.reason === Reasons.ProgressDeadlineExceeded) return { done: false, failed: true, message: `deployment "${name}" exceeded its progress deadline` }
    const replicas = d.spec.replicas
    const updated = s.updatedReplicas ?? 0
    if (replicas !== undefined && updated < replicas) return waiting(`Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`)
    if ((s.replicas ?? 0) > updated) return waiting(`Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...`)
    if ((s.availableReplicas ?? 0) < updated) return waiting(`Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...`)
    return { done: true, message: `deployment "${name}" successfully rolled out` }
  }
  return waiting('Waiting for deployment spec update to be observed...')
}

function withWarning(msg: string, pods: KObject[] | undefined): string {
  for (const pod of pods ?? []) {
    const st = (pod.status ?? {}) as {
      conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>
      containerStatuses?: Array<{ state?: { waiting?: { reason?: string; message?: string } } }>
    }
    for (const c of st.conditions ?? []) {
      if (c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable') return `${msg} (Warning: ${c.message ?? ''})`
    }
    for (const cs of st.containerStatuses ?? []) {
      const w = cs.state?.waiting
      if (w?.reason && WARNING_REASONS.has(w.reason)) return `${msg} (Warning: ${w.reason} - ${w.message ?? ''})`
    }
  }
  return msg
}

/** `kubectl rollout pause`: spec.paused = true; refuses when already paused (`… is already paused`). */
export async function pauseDeployment(api: ApiClient, ns: string, name: string, { fieldManager = ROLLOUT_FIELD_MANAGER } = {}): Promise<KObject> {
  const d = await getDeployment(api, ns, name)
  if (d.spec.paused) throw new RolloutError('AlreadyPaused', `deployments.apps "${name}" is already paused`)
  return api.patch('deployments', ns, name, 'merge', { spec: { paused: true } }, { fieldManager })
}

/** `kubectl rollout resume`: spec.paused unset; refuses when not paused (`… is not paused`). */
export async function resumeDeployment(api: ApiClient, ns: string, name: string, { fieldManager = ROLLOUT_FIELD_MANAGER } = {}): Promise<KObject> {
  const d = await getDeployment(api, ns, name)
  if (!d.spec.paused) throw new RolloutError('NotPaused', `deployments.apps "${name}" is not paused`)
  return api.patch('deployments', ns, name, 'merge', { spec: { paused: null } }, { fieldManager })
}

/**
 * `kubectl rollout restart`: the template annotation kubectl.kubernetes.io/restartedAt = `now` in
 * RFC 3339 (UTC here; kubectl uses the local zone), which makes a new template and so a rollout.
 * Refuses a paused Deployment.
 */
export async function restartDeployment(api: ApiClient, ns: string, name: string, now: Date, { fieldManager = ROLLOUT_FIELD_MANAGER } = {}): Promise<KObject> {
  const d = await getDeployment(api, ns, name)
  if (d.spec.paused) throw new RolloutError('Paused', `can't restart paused deployment (run rollout resume first)`)
  const at = formatTime(now)
  // kubectl's patch would be empty (a restart at the same second, easy on the virtual clock): it refuses.
  if (d.spec.template.metadata?.annotations?.[RESTARTED_AT_ANNOTATION] === at) {
    throw new RolloutError(
      'AlreadyRestarted',
      `failed to create patch for ${name}: if restart has already been triggered within the past second, please wait before attempting to trigger another (on the embedded state, time moves only with commands such as \`capstan sim advance 1s\`)`,
    )
  }
  return api.patch('deployments', ns, name, 'merge', { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: at } } } } }, { fieldManager })
}
