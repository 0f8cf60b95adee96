/**
 * The Deployment controller's pure rules (pkg/controller/deployment/util in our words): surge and
 * unavailability arithmetic, proportional scaling, revisions, annotations, conditions and the
 * progress checks. Nothing here reads the API or the clock; callers pass `now`.
 */
import type { IntOrString } from '../../api/generated/types.js'
import { formatTime } from '../../api/strategy.js'
import { clone, jsonEqual } from '../../api/object.js'
import {
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  LAST_APPLIED_ANNOTATION,
  MAX_INT32,
  MAX_REPLICAS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  Reasons,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  type DeploymentCondition,
  type DeploymentObject,
  type DeploymentStatus,
  type PodTemplateSpec,
  type ReplicaSetObject,
} from './types.js'

export { computeHash } from './hash.js'

// ---- sizes ----

/** spec.replicas of a Deployment or ReplicaSet (1 when unset, as the defaulter would make it). */
export function specReplicas(o: DeploymentObject | ReplicaSetObject): number {
  return o.spec.replicas ?? 1
}

/** Whether the Deployment rolls with RollingUpdate (the default strategy). */
export function isRollingUpdate(d: DeploymentObject): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate'
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int is itself; "N%" is N% of `total`, rounded up or
 * down. Example: 25% of 10 is 2.5 → 3 rounded up, 2 rounded down. Throws on any other string.
 */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0
  if (typeof v === 'number') return v
  const m = /^(-?\d+)%$/.exec(v)
  if (!m) {
    if (/^-?\d+$/.test(v)) return Number(v)
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`)
  }
  const x = (Number(m[1]) * total) / 100
  return roundUp ? Math.ceil(x) : Math.floor(x)
}

/**
 * ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down, and when both come to 0
 * maxUnavailable becomes 1 (surge might be blocked by quota; zero for both would never progress).
 * Examples: 10 replicas, 25%/25% → surge 3, unavailable 2; 1 replica, 25%/25% → surge 1,
 * unavailable 0; 2 replicas, surge 0%, unavailable 1% → surge 0, unavailable 1.
 */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true)
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false)
  if (surge === 0 && unavailable === 0) unavailable = 1
  return { surge, unavailable }
}

function rollingParams(d: DeploymentObject): { maxSurge: IntOrString | undefined; maxUnavailable: IntOrString | undefined } {
  const ru = d.spec.strategy?.rollingUpdate
  // The defaulter sets both to 25%; an object written before defaults gets the same.
  return { maxSurge: ru ? ru.maxSurge : '25%', maxUnavailable: ru ? ru.maxUnavailable : '25%' }
}

/** MaxSurge: 0 for Recreate, else the resolved surge. */
export function maxSurge(d: DeploymentObject): number {
  if (!isRollingUpdate(d)) return 0
  const p = rollingParams(d)
  return resolveFenceposts(p.maxSurge, p.maxUnavailable, specReplicas(d)).surge
}

/** MaxUnavailable: 0 for Recreate or 0 replicas, else the resolved value capped at spec.replicas. */
export function maxUnavailable(d: DeploymentObject): number {
  const replicas = specReplicas(d)
  if (!isRollingUpdate(d) || replicas === 0) return 0
  const p = rollingParams(d)
  return Math.min(resolveFenceposts(p.maxSurge, p.maxUnavailable, replicas).unavailable, replicas)
}

/** MinAvailable: replicas - maxUnavailable for RollingUpdate, 0 for Recreate. */
export function minAvailable(d: DeploymentObject): number {
  return isRollingUpdate(d) ? specReplicas(d) - maxUnavailable(d) : 0
}

/** Sum of spec.replicas. */
export function replicaCount(rss: ReadonlyArray<ReplicaSetObject | undefined>): number {
  return rss.reduce((n, rs) => n + (rs ? specReplicas(rs) : 0), 0)
}

/** Sum of status.replicas (pods that exist). */
export function actualReplicaCount(rss: ReadonlyArray<ReplicaSetObject | undefined>): number {
  return rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0)
}

/** Sum of status.readyReplicas. */
export function readyReplicaCount(rss: ReadonlyArray<ReplicaSetObject | undefined>): number {
  return rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0)
}

/** Sum of status.availableReplicas. */
export function availableReplicaCount(rss: ReadonlyArray<ReplicaSetObject | undefined>): number {
  return rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0)
}

/**
 * NewRSNewReplicas: the size the new ReplicaSet may grow to now. RollingUpdate: up to
 * replicas + maxSurge pods in all, never past replicas. Example: 4 replicas, surge 1, old RS at 4 →
 * the new RS may have 1; once the old one is down to 3 (4 pods in all), the new one may have 2.
 * Recreate: all replicas at once.
 */
export function newRSNewReplicas(d: DeploymentObject, allRSs: ReadonlyArray<ReplicaSetObject | undefined>, newRS: ReplicaSetObject): number {
  if (!isRollingUpdate(d)) return specReplicas(d)
  const replicas = specReplicas(d)
  const surge = scaledValue(rollingParams(d).maxSurge ?? 0, replicas, true)
  const current = replicaCount(allRSs)
  const maxTotal = replicas + surge
  if (current >= maxTotal) return specReplicas(newRS)
  const up = Math.min(maxTotal - current, replicas - specReplicas(newRS))
  return specReplicas(newRS) + up
}

/** IsSaturated: the new RS has all replicas, believes so (desired-replicas annotation), and all are available. */
export function isSaturated(d: DeploymentObject, rs: ReplicaSetObject | undefined): boolean {
  if (!rs) return false
  const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION)
  if (desired === undefined) return false
  const replicas = specReplicas(d)
  return specReplicas(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas
}

/** An integer annotation (strconv.Atoi), or undefined when absent or not an integer. */
export function intAnnotation(o: { metadata: { annotations?: Record<string, string> } }, key: string): number | undefined {
  const v = o.metadata.annotations?.[key]
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return undefined
  return Number(v)
}

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x)
}

/**
 * getReplicaSetFraction: how many replicas this RS gains (or loses, negative) when the Deployment is
 * resized mid-rollout, in proportion to its share of the size it was last scaled for (the
 * max-replicas annotation; status.replicas when absent). Example: RS at 3 of max-replicas 13, the
 * Deployment now allows 10+3 → 3*13/13 = 3, gains 0; allows 20+5=25 → round(3*25/13)=6, gains 3.
 * Scaling to 0 removes everything.
 */
export function replicaSetFraction(rs: ReplicaSetObject, d: DeploymentObject): number {
  if (specReplicas(d) === 0) return -specReplicas(rs)
  const deploymentReplicas = specReplicas(d) + maxSurge(d)
  const annotated = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0
  if (annotated === 0) return 0
  return goRound((specReplicas(rs) * deploymentReplicas) / annotated) - specReplicas(rs)
}

/**
 * GetProportion: the fraction, clamped so the running total never passes `toAdd` (scaling up) or
 * goes below it (scaling down). `added` is what earlier ReplicaSets already took.
 */
export function getProportion(rs: ReplicaSetObject | undefined, d: DeploymentObject, toAdd: number, added: number): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0
  const fraction = replicaSetFraction(rs, d)
  const allowed = toAdd - added
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed)
}

// ---- ordering and filtering ----

function createdAt(rs: ReplicaSetObject): string {
  return rs.metadata.creationTimestamp ?? ''
}

/** ReplicaSetsByCreationTimestamp: older first, name as tie breaker. */
export function byCreation(a: ReplicaSetObject, b: ReplicaSetObject): number {
  const ta = createdAt(a)
  const tb = createdAt(b)
  if (ta !== tb) return ta < tb ? -1 : 1
  const na = a.metadata.name ?? ''
  const nb = b.metadata.name ?? ''
  return na < nb ? -1 : na > nb ? 1 : 0
}

/** ReplicaSetsBySizeOlder: larger first; among equals, older first (scaling down takes from old first). */
export function bySizeOlder(a: ReplicaSetObject, b: ReplicaSetObject): number {
  const d = specReplicas(b) - specReplicas(a)
  return d !== 0 ? d : byCreation(a, b)
}

/** ReplicaSetsBySizeNewer: larger first; among equals, newer first (scaling up gives to new first). */
export function bySizeNewer(a: ReplicaSetObject, b: ReplicaSetObject): number {
  const d = specReplicas(b) - specReplicas(a)
  return d !== 0 ? d : byCreation(b, a)
}

/** ReplicaSetsByRevision: lower revision first; creation time when equal or unparseable. */
export function byRevision(a: ReplicaSetObject, b: ReplicaSetObject): number {
  const ra = revisionOf(a)
  const rb = revisionOf(b)
  if (ra === undefined || rb === undefined || ra === rb) return byCreation(a, b)
  return ra - rb
}

/** FilterActiveReplicaSets: those with spec.replicas > 0. */
export function activeReplicaSets(rss: ReadonlyArray<ReplicaSetObject | undefined>): ReplicaSetObject[] {
  return rss.filter((rs): rs is ReplicaSetObject => !!rs && specReplicas(rs) > 0)
}

/**
 * FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active (the new one if
 * any), or undefined when several are active (then they are scaled proportionally).
 */
export function findActiveOrLatest(newRS: ReplicaSetObject | undefined, oldRSs: ReplicaSetObject[]): ReplicaSetObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined
  const olds = [...oldRSs].sort((a, b) => byCreation(b, a))
  const active = activeReplicaSets([...olds, newRS])
  if (active.length === 0) return newRS ?? olds[0]
  if (active.length === 1) return active[0]
  return undefined
}

// ---- templates ----

/**
 * EqualIgnoreHash: two pod templates are the same revision when they are equal once the
 * pod-template-hash label is removed (an emptied label map counts as no map, as Go's semantic
 * equality treats nil and empty maps alike).
 */
export function equalIgnoreHash(t1: PodTemplateSpec | undefined, t2: PodTemplateSpec | undefined): boolean {
  const a = hashlessView(t1)
  const b = hashlessView(t2)
  return jsonEqual(a, b) || semanticEqual(a, b)
}

/**
 * apiequality.Semantic.DeepEqual's view of JSON: a null, an empty list and an empty object are
 * each as good as the field being absent (Go's nil and empty slices and maps compare equal), so a
 * template stored before capstan read requests as Go does (`env: []`, `annotations: {}`) still
 * equals its ReplicaSet's, and an unrelated write does not start a rollout.
 */
function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v as object).length === 0)
  if (empty(a) && empty(b)) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((x, i) => semanticEqual(x, b[i]))
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (!semanticEqual(x[k], y[k])) return false
  return true
}

/**
 * What withoutHash returns, as a read-only view: the template itself when it has no hash label,
 * else shallow copies down to the labels (the rest shared) — no deep copy of every template
 * compared on every sync.
 */
function hashlessView(t: PodTemplateSpec | undefined): PodTemplateSpec {
  if (!t) return {}
  const labels = t.metadata?.labels
  if (!labels || !(POD_TEMPLATE_HASH_LABEL in labels)) return t
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...rest } = labels
  const metadata = { ...t.metadata }
  if (Object.keys(rest).length) metadata.labels = rest
  else delete metadata.labels
  return { ...t, metadata }
}

/** A copy of a template without the pod-template-hash label (and without an emptied labels map). */
export function withoutHash(t: PodTemplateSpec | undefined): PodTemplateSpec {
  const c = clone(t ?? {})
  const labels = c.metadata?.labels
  if (labels && POD_TEMPLATE_HASH_LABEL in labels) {
    delete labels[POD_TEMPLATE_HASH_LABEL]
    if (Object.keys(labels).length === 0) delete c.metadata!.labels
  }
  return c
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template matches the Deployment's. */
export function findNewReplicaSet(d: DeploymentObject, rsList: ReadonlyArray<ReplicaSetObject>): ReplicaSetObject | undefined {
  // One ReplicaSet (most Deployments between rollouts): nothing to order.
  if (rsList.length <= 1) return rsList.length === 1 && equalIgnoreHash(rsList[0].spec.template, d.spec.template) ? rsList[0] : undefined
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template))
}

/** FindOldReplicaSets: every ReplicaSet but the new one (`newRS`: what FindNewReplicaSet gives, when the caller has it already). */
export function findOldReplicaSets(d: DeploymentObject, rsList: ReadonlyArray<ReplicaSetObject>, newRS = findNewReplicaSet(d, rsList)): ReplicaSetObject[] {
  return rsList.filter((rs) => !newRS || rs.metadata.uid !== newRS.metadata.uid)
}

// ---- revisions ----

/** The revision annotation as a number: 0 when absent, undefined when not an integer. */
export function revisionOf(o: { metadata: { annotations?: Record<string, string> } }): number | undefined {
  const v = o.metadata.annotations?.[REVISION_ANNOTATION]
  if (v === undefined) return 0
  return /^[+-]?\d+$/.test(v) ? Number(v) : undefined
}

/** MaxRevision: the highest revision among the ReplicaSets (unparseable ones skipped). */
export function maxRevision(rss: ReadonlyArray<ReplicaSetObject>): number {
  let max = 0
  for (const rs of rss) {
    const v = revisionOf(rs)
    if (v !== undefined && v > max) max = v
  }
  return max
}

/** LastRevision: the second highest revision (the one `rollout undo` goes back to). */
export function lastRevision(rss: ReadonlyArray<ReplicaSetObject>): number {
  let max = 0
  let second = 0
  for (const rs of rss) {
    const v = revisionOf(rs)
    if (v === undefined) continue
    if (v >= max) {
      second = max
      max = v
    } else if (v > second) second = v
  }
  return second
}

/** SetDeploymentRevision: sets the Deployment's revision annotation; true if it changed. */
export function setDeploymentRevision(d: DeploymentObject, revision: string): boolean {
  const a = (d.metadata.annotations ??= {})
  if (a[REVISION_ANNOTATION] === revision) return false
  a[REVISION_ANNOTATION] = revision
  return true
}

// ---- annotations ----

const ANNOTATIONS_TO_SKIP = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
])

/** Whether an annotation stays where it is instead of being copied Deployment ⇄ ReplicaSet. */
export function skipCopyAnnotation(key: string): boolean {
  return ANNOTATIONS_TO_SKIP.has(key)
}

/**
 * copyDeploymentAnnotationsToReplicaSet: every Deployment annotation but the skipped ones
 * (kubernetes.io/change-cause included) onto the ReplicaSet; true if any changed. Annotations the
 * ReplicaSet has and the Deployment does not are kept.
 */
export function copyDeploymentAnnotationsToReplicaSet(d: DeploymentObject, rs: ReplicaSetObject): boolean {
  const ra = (rs.metadata.annotations ??= {})
  let changed = false
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipCopyAnnotation(k) || ra[k] === v) continue
    ra[k] = v
    changed = true
  }
  return changed
}

/** SetDeploymentAnnotationsTo: the Deployment keeps its skipped annotations and takes the rest from the ReplicaSet (rollback). */
export function setDeploymentAnnotationsTo(d: DeploymentObject, rs: ReplicaSetObject): void {
  const kept: Record<string, string> = {}
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (skipCopyAnnotation(k)) kept[k] = v
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!skipCopyAnnotation(k)) kept[k] = v
  d.metadata.annotations = kept
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true if either changed. */
export function setReplicasAnnotations(rs: ReplicaSetObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {})
  let changed = false
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired)
    changed = true
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max)
    changed = true
  }
  return changed
}

/** ReplicasAnnotationsNeedUpdate: whether desired-replicas or max-replicas differ. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSetObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations
  if (!a) return true
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max)
}

/** The revision-history annotation is capped at this many characters (oldest entries dropped). */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000

/**
 * SetNewReplicaSetAnnotations: copy the Deployment's annotations, raise the revision to
 * `newRevision` when it is lower, and, when a revision was already there (a rollback to this
 * ReplicaSet), append the old one to revision-history. Example: an RS at revision 1 becomes new again
 * when revisions 2 and 3 exist → revision 4, revision-history "1"; again later at 6 → "1,4". A new
 * RS (`exists` false) also gets desired-replicas and max-replicas. True if any annotation changed.
 */
export function setNewReplicaSetAnnotations(
  d: DeploymentObject,
  rs: ReplicaSetObject,
  newRevision: string,
  exists: boolean,
  limitChars = MAX_REV_HISTORY_LENGTH_IN_CHARS,
): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs)
  const a = (rs.metadata.annotations ??= {})
  const hadRevision = Object.hasOwn(a, REVISION_ANNOTATION)
  const oldRevision = a[REVISION_ANNOTATION] ?? ''
  let oldInt = 0
  if (oldRevision !== '') {
    if (!/^[+-]?\d+$/.test(oldRevision)) return false
    oldInt = Number(oldRevision)
  }
  if (!/^[+-]?\d+$/.test(newRevision)) return false
  const newInt = Number(newRevision)
  if (oldInt < newInt) {
    a[REVISION_ANNOTATION] = newRevision
    changed = true
  }
  if (hadRevision && oldInt < newInt) {
    const history = a[REVISION_HISTORY_ANNOTATION] ?? ''
    let olds = history.split(',')
    if (olds[0].length === 0) a[REVISION_HISTORY_ANNOTATION] = oldRevision
    else {
      let total = history.length + oldRevision.length + 1
      let start = 0
      while (total > limitChars && start < olds.length) {
        total -= olds[start].length + 1
        start++
      }
      if (total <= limitChars) {
        olds = [...olds.slice(start), oldRevision]
        a[REVISION_HISTORY_ANNOTATION] = olds.join(',')
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true
  return changed
}

// ---- conditions ----

/** A new condition with both times set to `now`. */
export function newDeploymentCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: Date): DeploymentCondition {
  const t = formatTime(now)
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message }
}

/** GetDeploymentCondition: the condition of that type, if any. */
export function getDeploymentCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type)
}

/**
 * SetDeploymentCondition: replace the condition of that type (moved to the end), unless one with
 * the same status and reason is there (then nothing changes, not even lastUpdateTime). When only the
 * reason changes, lastTransitionTime is kept.
 */
export function setDeploymentCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const current = getDeploymentCondition(status, cond.type)
  if (current && current.status === cond.status && current.reason === cond.reason) return
  const next = { ...cond }
  if (current && current.status === cond.status) next.lastTransitionTime = current.lastTransitionTime
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next]
}

/** RemoveDeploymentCondition. */
export function removeDeploymentCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type)
  if (rest.length) status.conditions = rest
  else delete status.conditions
}

/** HasProgressDeadline: progressDeadlineSeconds set and not MaxInt32. */
export function hasProgressDeadline(d: DeploymentObject): boolean {
  const s = d.spec.progressDeadlineSeconds
  return s !== undefined && s !== null && s !== MAX_INT32
}

/** HasRevisionHistoryLimit: revisionHistoryLimit set and not MaxInt32. */
export function hasRevisionHistoryLimit(d: DeploymentObject): boolean {
  const l = d.spec.revisionHistoryLimit
  return l !== undefined && l !== null && l !== MAX_INT32
}

/** DeploymentComplete: every desired replica updated and available, no old pods, generation observed. */
export function deploymentComplete(d: DeploymentObject, s: DeploymentStatus): boolean {
  const r = specReplicas(d)
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
}

/**
 * DeploymentProgressing: compared with the stored status, more updated, ready or available pods, or
 * fewer old pods.
 */
export function deploymentProgressing(d: DeploymentObject, s: DeploymentStatus): boolean {
  const old = d.status ?? {}
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0)
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0)
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  )
}

/**
 * DeploymentTimedOut: the Progressing condition's lastUpdateTime + progressDeadlineSeconds is before
 * `now` (already ProgressDeadlineExceeded stays timed out; NewReplicaSetAvailable never times out).
 * Example: last update 00:00:00, deadline 600 s → timed out from 00:10:01 on.
 */
export function deploymentTimedOut(d: DeploymentObject, s: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false
  const c = getDeploymentCondition(s, 'Progressing')
  if (!c) return false
  if (c.reason === Reasons.NewReplicaSetAvailable) return false
  if (c.reason === Reasons.ProgressDeadlineExceeded) return true
  const from = Date.parse(c.lastUpdateTime ?? '')
  if (Number.isNaN(from)) return false
  return from + d.spec.progressDeadlineSeconds! * 1000 < now.getTime()
}
