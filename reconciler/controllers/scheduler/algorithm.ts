/**
 * One scheduling decision (pkg/scheduler/schedule_one.go, in our words): filter the nodes, score the
 * feasible ones, pick the best.
 *
 * - Nodes are visited in node-tree order from where the previous pod stopped, and the search stops
 *   once enough feasible nodes are found: all nodes below 100, otherwise (50 − nodes/125)% of them,
 *   at least 5% and at least 100 (numFeasibleNodesToFind). 1,000 nodes → 42% → 420 nodes.
 * - Filters, in the default profile's order: NodeUnschedulable, TaintToleration, NodeAffinity,
 *   NodeResourcesFit, PodTopologySpread (DoNotSchedule). A node is Ready for scheduling when it
 *   has no untolerated not-ready/unreachable taint: the node lifecycle controller keeps those
 *   taints in line with the Ready condition (TaintNodesByCondition).
 * - Scores are weighted and summed; ties are broken by a reservoir draw from a generator seeded
 *   by the pod's key, so the same state always gives the same answer.
 *
 * How it stays fast (the decisions are the same as a plain walk over the nodes, which a pinned
 * digest of mixed scenarios checks): the nodes are rows of the cache's NodeTable (typed arrays in
 * node-tree order, kept current on every change, as upstream's per-cycle Snapshot is); what
 * depends only on the pod — its requests, whether it tolerates the unschedulable taint, its spread
 * constraints' allowed domains per zone (PreFilter/PreScore state) — is computed once per pod, and
 * the per-domain pod counts come from the cache's counters, kept current incrementally; feasible
 * rows, scores and failures go into buffers reused from pod to pod, so the loop over the nodes
 * allocates nothing; a node's resource scores are reused while the node is unchanged and pods
 * keep the same requests.
 */
import type { SchedulerCache } from './cache.js'
import { fitErrorMessage, type NodeFailure } from './fit-error.js'
import { NODE_AFFINITY_REASON, preferredScore, type NodeAffinity } from './node-affinity.js'
import { TAINTED, UNSCHEDULABLE, type NodeTable } from './node-table.js'
import type { Resources } from './resources.js'
import { MAX_NODE_SCORE, WEIGHTS } from './score.js'
import { firstUntoleratedTaint, intolerablePreferNoSchedule, tolerated, untoleratedTaintReason, type Toleration } from './taints.js'
import { SPREAD_LABEL_REASON, SPREAD_MISSING, SPREAD_OK, SPREAD_REASON, spreadCheckRow, spreadFilter, spreadScores, type SpreadConstraint } from './topology-spread.js'

/** What the algorithm needs to know about the pod being scheduled. */
export interface PodToSchedule {
  key: string
  namespace: string
  labels: Record<string, string>
  requests: Resources
  nonZero: Resources
  tolerations: Toleration[]
  matcher: ((labels: Record<string, string>, name: string) => boolean) | undefined
  affinity: NodeAffinity | undefined
  constraints: SpreadConstraint[]
  systemDefaulted: boolean
}

/** The outcome: a node, or the message saying why none fits. */
export type ScheduleResult = { node: string; evaluated: number } | { node?: undefined; message: string; evaluated: number }

/** The node-count threshold below which every node is searched. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100

/** How many feasible nodes to look for among `numAllNodes` (numFeasibleNodesToFind with the adaptive percentage). */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes
  const percentage = Math.max(5, 50 - Math.trunc(numAllNodes / 125))
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.trunc((numAllNodes * percentage) / 100))
}

/** kube-scheduler's message when the cluster has no node at all. */
export const NO_NODES_MESSAGE = 'no nodes available to schedule pods'

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }

/** A small seeded generator (mulberry32). */
export function seededRandom(seed: string): () => number {
  let h = 2166136261
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619)
  let a = h >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The scheduling algorithm over one cache; it remembers where the last search stopped. */
export class Algorithm {
  private nextStart = 0
  /** Reused from pod to pod: feasible rows, their scores, one plugin's raw scores, the failures (first `failed` entries). */
  private feasible = new Int32Array(0)
  private total = new Float64Array(0)
  private plugin = new Float64Array(0)
  private readonly failures: NodeFailure[] = []

  constructor(private readonly cache: SchedulerCache) {}

  /** Finds a node for the pod. */
  schedule(pod: PodToSchedule): ScheduleResult {
    const t = this.cache.table()
    const all = t.size
    if (!all) return { message: NO_NODES_MESSAGE, evaluated: 0 }
    if (this.feasible.length < all) {
      this.feasible = new Int32Array(all)
      this.total = new Float64Array(all)
      this.plugin = new Float64Array(all)
    }
    const wanted = numFeasibleNodesToFind(all)
    // PreFilter: what depends on the pod only.
    const spread = spreadFilter({ cache: this.cache, table: t, namespace: pod.namespace, podLabels: pod.labels, constraints: pod.constraints, matcher: pod.matcher })
    const single = spread?.length === 1 ? spread[0] : undefined
    const skewed = this.failure(SPREAD_REASON, false)
    const missing = this.failure(SPREAD_LABEL_REASON, true)
    const tolerateUnschedulable = tolerated(pod.tolerations, UNSCHEDULABLE_TAINT)
    const { milliCpu, memory } = pod.requests
    const { flags, podCount, allocPods, allocCpu, reqCpu, allocMem, reqMem } = t
    const matcher = pod.matcher
    const feasible = this.feasible
    const failures = this.failures
    let failed = 0
    let found = 0
    let evaluated = 0
    // Filter, in node-tree order from where the last pod stopped, until enough nodes fit. The
    // filters run in the profile's order; a node's failure is its first failing filter's.
    for (let i = 0, row = this.nextStart % all; i < all && found < wanted; i++, row = row + 1 === all ? 0 : row + 1) {
      evaluated++
      if (flags[row] !== 0 || matcher !== undefined) {
        const f = this.rareFilters(t, row, pod, tolerateUnschedulable)
        if (f !== undefined) {
          failures[failed++] = f
          continue
        }
      }
      const pods = podCount[row] + 1 > allocPods[row]
      const cpu = milliCpu > 0 && milliCpu > allocCpu[row] - reqCpu[row]
      const mem = memory > 0 && memory > allocMem[row] - reqMem[row]
      if (pods || cpu || mem) {
        failures[failed++] = this.resourceFailure(pods, cpu, mem)
        continue
      }
      if (single !== undefined) {
        const d = single.ids[row]
        if (d < 0 || single.ok[d] === 0) {
          failures[failed++] = d < 0 ? missing : skewed
          continue
        }
      } else if (spread !== undefined) {
        const r = spreadCheckRow(spread, row)
        if (r !== SPREAD_OK) {
          failures[failed++] = r === SPREAD_MISSING ? missing : skewed
          continue
        }
      }
      feasible[found++] = row
    }
    this.nextStart = (this.nextStart + evaluated) % all
    if (!found) return { message: fitErrorMessage(all, failures.slice(0, failed)), evaluated }
    if (found === 1) return { node: t.nodes[feasible[0]].name, evaluated }
    this.score(t, pod, found)
    return { node: t.nodes[feasible[this.select(pod.key, found)]].name, evaluated }
  }

  /** NodeUnschedulable, TaintToleration and NodeAffinity: for flagged rows and pods with a node matcher only. */
  private rareFilters(t: NodeTable, row: number, pod: PodToSchedule, tolerateUnschedulable: boolean): NodeFailure | undefined {
    const flag = t.flags[row]
    const node = t.nodes[row]
    if (flag & UNSCHEDULABLE && !tolerateUnschedulable) return this.failure('node(s) were unschedulable', true)
    if (flag & TAINTED) {
      const taint = firstUntoleratedTaint(node.taints, pod.tolerations)
      if (taint) return this.failure(untoleratedTaintReason(taint), true)
    }
    if (pod.matcher && !pod.matcher(node.labels, node.name)) return this.failure(NODE_AFFINITY_REASON, true)
    return undefined
  }

  private readonly failureCache = new Map<string, NodeFailure>()

  /** One shared failure record per distinct reason (no allocation per filtered node). */
  private failure(reason: string, unresolvable: boolean): NodeFailure {
    let f = this.failureCache.get(reason)
    if (!f) this.failureCache.set(reason, (f = { reasons: [reason], unresolvable }))
    return f
  }

  /** NodeResourcesFit reports every shortage of the node, in this order. */
  private resourceFailure(pods: boolean, cpu: boolean, mem: boolean): NodeFailure {
    const id = `${pods ? 1 : 0}${cpu ? 1 : 0}${mem ? 1 : 0}`
    let f = this.failureCache.get(id)
    if (!f) {
      const reasons: string[] = []
      if (pods) reasons.push('Too many pods')
      if (cpu) reasons.push('Insufficient cpu')
      if (mem) reasons.push('Insufficient memory')
      this.failureCache.set(id, (f = { reasons, unresolvable: false }))
    }
    return f
  }

  /** The weighted sum of every plugin's normalised score, per feasible row, into `this.total[0..n)`. */
  private score(t: NodeTable, pod: PodToSchedule, n: number): void {
    const rows = this.feasible
    const total = this.total
    const raw = this.plugin
    const { flags, nodes } = t
    // TaintToleration: fewer untolerated PreferNoSchedule taints is better.
    let tainted = false
    for (let i = 0; i < n && !tainted; i++) if (flags[rows[i]] & TAINTED) tainted = true
    if (tainted) {
      for (let i = 0; i < n; i++) raw[i] = flags[rows[i]] & TAINTED ? intolerablePreferNoSchedule(nodes[rows[i]].taints, pod.tolerations) : 0
      normalizeInPlace(raw, n, true)
      for (let i = 0; i < n; i++) total[i] = WEIGHTS.taintToleration * raw[i]
    } else {
      for (let i = 0; i < n; i++) total[i] = WEIGHTS.taintToleration * MAX_NODE_SCORE
    }
    // NodeAffinity: the weights of the preferred terms matched.
    if (pod.affinity?.preferredDuringSchedulingIgnoredDuringExecution?.length) {
      for (let i = 0; i < n; i++) raw[i] = preferredScore(pod.affinity, nodes[rows[i]].labels, nodes[rows[i]].name)
      normalizeInPlace(raw, n, false)
      for (let i = 0; i < n; i++) total[i] += WEIGHTS.nodeAffinity * raw[i]
    }
    // PodTopologySpread: ScheduleAnyway constraints (or the system defaults).
    const spread = spreadScores({ cache: this.cache, table: t, namespace: pod.namespace, constraints: pod.constraints, systemDefaulted: pod.systemDefaulted, matcher: pod.matcher, rows, n, out: raw })
    if (spread) for (let i = 0; i < n; i++) total[i] += WEIGHTS.podTopologySpread * raw[i]
    // NodeResourcesFit (LeastAllocated) and BalancedAllocation, as score.ts defines them, over the
    // rows; a row unchanged since it was last scored for a pod of this shape keeps its score.
    const { allocCpu, allocMem, nonZeroCpu, nonZeroMem, reqCpu, reqMem, version, resourceScore, scoredVersion } = t
    const nzPodCpu = pod.nonZero.milliCpu
    const nzPodMem = pod.nonZero.memory
    const podCpu = pod.requests.milliCpu
    const podMem = pod.requests.memory
    t.useScoreShape(podCpu, podMem, nzPodCpu, nzPodMem)
    for (let i = 0; i < n; i++) {
      const row = rows[i]
      if (scoredVersion[row] === version[row]) {
        total[i] += resourceScore[row]
        continue
      }
      const capCpu = allocCpu[row]
      const capMem = allocMem[row]
      const usedCpu = nonZeroCpu[row] + nzPodCpu
      const usedMem = nonZeroMem[row] + nzPodMem
      const freeCpu = capCpu === 0 || usedCpu > capCpu ? 0 : Math.trunc(((capCpu - usedCpu) * MAX_NODE_SCORE) / capCpu)
      const freeMem = capMem === 0 || usedMem > capMem ? 0 : Math.trunc(((capMem - usedMem) * MAX_NODE_SCORE) / capMem)
      const fracCpu = capCpu === 0 ? 0 : Math.min(1, (reqCpu[row] + podCpu) / capCpu)
      const fracMem = capMem === 0 ? 0 : Math.min(1, (reqMem[row] + podMem) / capMem)
      // Both terms are integers: their sum adds to the total exactly as the two additions would.
      const score = WEIGHTS.nodeResourcesFit * Math.trunc((freeCpu + freeMem) / 2) + WEIGHTS.balancedAllocation * Math.trunc((1 - Math.abs(fracCpu - fracMem) / 2) * MAX_NODE_SCORE)
      resourceScore[row] = score
      scoredVersion[row] = version[row]
      total[i] += score
    }
  }

  /** The index of a highest score among `total[0..n)`; among equal ones, a reservoir draw seeded by the pod's key. */
  private select(seed: string, n: number): number {
    const scores = this.total
    const rand = seededRandom(seed)
    let best = 0
    let ties = 1
    for (let i = 1; i < n; i++) {
      if (scores[i] > scores[best]) {
        best = i
        ties = 1
      } else if (scores[i] === scores[best]) {
        ties++
        if (Math.floor(rand() * ties) === 0) best = i
      }
    }
    return best
  }
}

/** DefaultNormalizeScore (score.ts `normalize`) over `scores[0..n)`, in place. */
function normalizeInPlace(scores: Float64Array, n: number, reverse: boolean): void {
  let max = 0
  for (let i = 0; i < n; i++) if (scores[i] > max) max = scores[i]
  for (let i = 0; i < n; i++) {
    if (max === 0) scores[i] = reverse ? MAX_NODE_SCORE : 0
    else {
      const v = Math.trunc((MAX_NODE_SCORE * scores[i]) / max)
      scores[i] = reverse ? MAX_NODE_SCORE - v : v
    }
  }
}
