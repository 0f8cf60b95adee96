/**
 * The ReplicaSet controller's pure parts (pkg/controller/replicaset and controller_utils): batch
 * sizes, which pods to delete first, the pod a template makes, and the status a set of pods gives.
 */
import type { KObject, OwnerReference } from '../../api/object.js'
import { clone } from '../../api/object.js'
import { isPodActive, isPodAvailable, isPodReady, nodeNameOf, podCondition, podStatus } from './pod-util.js'

/** At most this many pods are created or deleted by one pass (kube-controller-manager's burstReplicas). */
export const BURST_REPLICAS = 500

/** The first batch of pod creations (controller.SlowStartInitialBatchSize). */
export const SLOW_START_INITIAL_BATCH = 1

/**
 * Runs `fn` `count` times in batches of growing size (1, 2, 4, …), each batch at once, stopping
 * after the first batch with an error (slowStartBatch). A quota or admission problem then costs one
 * call instead of `count`. Example: count 10 → batches 1, 2, 4, 3. Returns the successes and the first error.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count
  let successes = 0
  for (let size = Math.min(remaining, initialBatchSize); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()))
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    successes += size - failed.length
    if (failed.length) return { successes, error: failed[0].reason }
    remaining -= size
  }
  return { successes }
}

/** The batch sizes slowStartBatch uses for `count` when nothing fails (for tests and docs). */
export function slowStartBatchSizes(count: number, initial = SLOW_START_INITIAL_BATCH): number[] {
  const out: number[] = []
  let remaining = count
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    out.push(size)
    remaining -= size
  }
  return out
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 }
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost'

/** The pod-deletion-cost annotation as an int32 (0 when absent or invalid). */
export function deletionCost(pod: KObject): number {
  const v = pod.metadata.annotations?.[DELETION_COST]
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0
  const n = Number(v)
  return n >= -2147483648 && n <= 2147483647 ? n : 0
}

function time(s: string | null | undefined): number | undefined {
  if (!s) return undefined
  const t = Date.parse(s)
  return Number.isFinite(t) ? t : undefined
}

/**
 * LogarithmicScaleDown's comparison of two timestamps: their ages at `now` in nanoseconds, bucketed
 * by floor(log2). Example: ages 3 s and 5 s → log2(3e9)≈31.48 and log2(5e9)≈32.2 → buckets 31 and 32 → −1.
 */
export function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const bucket = (t: number): number => {
    const d = (now - t) * 1e6
    return d > 0 ? Math.floor(Math.log2(d)) : -1
  }
  return bucket(t1) - bucket(t2)
}

/** Max restart count over regular containers, and over restartable (sidecar) init containers. */
function maxRestarts(pod: KObject): [number, number] {
  const st = podStatus(pod)
  const regular = Math.max(0, ...(st.containerStatuses ?? []).map((c) => c.restartCount ?? 0))
  const sidecarNames = new Set(
    ((pod.spec as { initContainers?: Array<{ name: string; restartPolicy?: string }> })?.initContainers ?? [])
      .filter((c) => c.restartPolicy === 'Always')
      .map((c) => c.name),
  )
  const sidecar = Math.max(0, ...(st.initContainerStatuses ?? []).filter((c) => sidecarNames.has(c.name)).map((c) => c.restartCount ?? 0))
  return [regular, sidecar]
}

/** `a` sorts first when it is zero, else when it is later (afterOrZero). */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined
  return a > b
}

/** A pod with its rank: how many active related pods share its node. */
export interface RankedPod {
  pod: KObject
  rank: number
}

/**
 * Whether `a` should be deleted before `b` (ActivePodsWithRanks.Less, with PodDeletionCost and
 * LogarithmicScaleDown on, as in 1.32):
 * 1. unassigned < assigned; 2. Pending < Unknown < Running; 3. not ready < ready;
 * 4. lower pod-deletion-cost first; 5. higher rank (more related pods on the node) first;
 * 6. both ready: ready for less time first (log2 buckets; same bucket → by uid);
 * 7. more container restarts first; 8. newer first (log2 buckets; same bucket → by uid).
 */
export function deleteBefore(a: RankedPod, b: RankedPod, now: number): boolean {
  return keyedDeleteBefore(deletionKey(a), deletionKey(b), now)
}

/** What deleteBefore compares of one pod, read once (a sort compares each pod many times). */
interface DeletionKey {
  node: string
  phase: number
  ready: boolean
  cost: number
  rank: number
  uid: string
  /** The Ready condition's lastTransitionTime (ms), when ready and set. */
  readySince: number | undefined
  restarts: number
  sidecarRestarts: number
  created: number | undefined
}

function deletionKey({ pod, rank }: RankedPod): DeletionKey {
  const ready = isPodReady(pod)
  const [restarts, sidecarRestarts] = maxRestarts(pod)
  return {
    node: nodeNameOf(pod),
    phase: PHASE_ORDINAL[podStatus(pod).phase ?? ''] ?? 0,
    ready,
    cost: deletionCost(pod),
    rank,
    uid: pod.metadata.uid ?? '',
    readySince: ready ? time(podCondition(pod, 'Ready')?.lastTransitionTime) : undefined,
    restarts,
    sidecarRestarts,
    created: time(pod.metadata.creationTimestamp),
  }
}

/** deleteBefore over keys read beforehand: the same rules in the same order. */
function keyedDeleteBefore(a: DeletionKey, b: DeletionKey, now: number): boolean {
  if (a.node !== b.node && (a.node === '' || b.node === '')) return a.node === ''
  if (a.phase !== b.phase) return a.phase < b.phase
  if (a.ready !== b.ready) return !a.ready
  if (a.cost !== b.cost) return a.cost < b.cost
  if (a.rank !== b.rank) return a.rank > b.rank
  if (a.ready && b.ready && a.readySince !== b.readySince) {
    if (a.readySince === undefined || b.readySince === undefined) return afterOrZero(a.readySince, b.readySince)
    const diff = logarithmicRankDiff(a.readySince, b.readySince, now)
    return diff === 0 ? a.uid < b.uid : diff < 0
  }
  if (a.restarts !== b.restarts) return a.restarts > b.restarts
  if (a.sidecarRestarts !== b.sidecarRestarts) return a.sidecarRestarts > b.sidecarRestarts
  if (a.created !== b.created) {
    if (a.created === undefined || b.created === undefined) return afterOrZero(a.created, b.created)
    const diff = logarithmicRankDiff(a.created, b.created, now)
    return diff === 0 ? a.uid < b.uid : diff < 0
  }
  return false
}

/**
 * The `diff` pods to delete from `pods` (getPodsToDelete): all of them unsorted when every one
 * goes, else the first `diff` by deleteBefore, ranked by how many active `related` pods (the pods
 * of every ReplicaSet with the same owner) share each pod's node.
 */
export function podsToDelete(pods: KObject[], related: KObject[], diff: number, now: number): KObject[] {
  if (diff >= pods.length) return pods.slice(0, diff)
  const onNode = new Map<string, number>()
  for (const p of related) if (isPodActive(p)) onNode.set(nodeNameOf(p), (onNode.get(nodeNameOf(p)) ?? 0) + 1)
  const keyed = pods.map((pod) => ({ pod, key: deletionKey({ pod, rank: onNode.get(nodeNameOf(pod)) ?? 0 }) }))
  keyed.sort((a, b) => (keyedDeleteBefore(a.key, b.key, now) ? -1 : keyedDeleteBefore(b.key, a.key, now) ? 1 : 0))
  return keyed.slice(0, diff).map((r) => r.pod)
}

/** The controller reference a ReplicaSet puts on its pods. */
export function replicaSetControllerRef(rs: KObject): OwnerReference {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: rs.metadata.name!,
    uid: rs.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  }
}

interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }
  spec?: Record<string, unknown>
}

/** The pod a ReplicaSet creates (GetPodFromTemplate): `<rs>-` plus 5 characters, the template's labels, annotations, finalizers and spec. */
export function podFromTemplate(rs: KObject): KObject {
  const template = ((rs.spec as { template?: Template } | undefined)?.template ?? {}) as Template
  const meta = template.metadata ?? {}
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      ownerReferences: [replicaSetControllerRef(rs)],
    },
    spec: clone(template.spec ?? {}),
  }
  if (meta.labels) pod.metadata.labels = { ...meta.labels }
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations }
  if (meta.finalizers?.length) pod.metadata.finalizers = [...meta.finalizers]
  return pod
}

/** Whether the pod carries every label of the template (fullyLabeledReplicas). */
export function isFullyLabeled(pod: KObject, templateLabels: Record<string, string>): boolean {
  const labels = pod.metadata.labels ?? {}
  return Object.entries(templateLabels).every(([k, v]) => labels[k] === v)
}

/** The ReplicaSet status counters the active pods give (calculateStatus without conditions). */
export interface ReplicaCounts {
  replicas: number
  fullyLabeledReplicas: number
  readyReplicas: number
  availableReplicas: number
}

/** Counts the active pods: all, fully labelled, ready, available (ready for minReadySeconds at `now`). */
export function countReplicas(pods: KObject[], templateLabels: Record<string, string>, minReadySeconds: number, now: Date): ReplicaCounts {
  const counts: ReplicaCounts = { replicas: pods.length, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0 }
  for (const p of pods) {
    if (isFullyLabeled(p, templateLabels)) counts.fullyLabeledReplicas++
    if (isPodReady(p)) {
      counts.readyReplicas++
      if (isPodAvailable(p, minReadySeconds, now)) counts.availableReplicas++
    }
  }
  return counts
}

/**
 * Milliseconds until the next ready pod becomes available (undefined: none waiting). A pod ready
 * since 12:00:00 with minReadySeconds 10 is available from just after 12:00:10: at 12:00:04 → 6001.
 */
export function nextAvailableInMs(pods: KObject[], minReadySeconds: number, now: Date): number | undefined {
  if (minReadySeconds <= 0) return undefined
  let next: number | undefined
  for (const p of pods) {
    if (!isPodReady(p) || isPodAvailable(p, minReadySeconds, now)) continue
    const t = time(podCondition(p, 'Ready')?.lastTransitionTime)
    if (t === undefined) continue
    const wait = t + minReadySeconds * 1000 - now.getTime() + 1
    next = next === undefined ? wait : Math.min(next, wait)
  }
  return next === undefined ? undefined : Math.max(1, next)
}
