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
 */
import type { SchedulerCache } from './cache.js'
import { fitErrorMessage, type NodeFailure } from './fit-error.js'
import { NODE_AFFINITY_REASON, preferredScore, type NodeAffinity } from './node-affinity.js'
import type { NodeInfo } from './node-info.js'
import type { Resources } from './resources.js'
import { balancedAllocation, leastAllocated, normalize, WEIGHTS } from './score.js'
import { firstUntoleratedTaint, intolerablePreferNoSchedule, tolerated, untoleratedTaintReason, type Toleration } from './taints.js'
import { spreadFilter, spreadScores, type SpreadConstraint } from './topology-spread.js'

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

  constructor(private readonly cache: SchedulerCache) {}

  /** Finds a node for the pod. */
  schedule(pod: PodToSchedule): ScheduleResult {
    const nodes = this.cache.list()
    const all = nodes.length
    if (!all) return { message: NO_NODES_MESSAGE, evaluated: 0 }
    const wanted = numFeasibleNodesToFind(all)
    const spread = spreadFilter({ cache: this.cache, namespace: pod.namespace, podLabels: pod.labels, constraints: pod.constraints, matcher: pod.matcher })
    const feasible: NodeInfo[] = []
    const failures: NodeFailure[] = []
    const tolerateUnschedulable = tolerated(pod.tolerations, UNSCHEDULABLE_TAINT)
    let evaluated = 0
    for (let i = 0; i < all && feasible.length < wanted; i++) {
      const node = nodes[(this.nextStart + i) % all]
      evaluated++
      const failure = this.filter(node, pod, tolerateUnschedulable, spread)
      if (failure) failures.push(failure)
      else feasible.push(node)
    }
    this.nextStart = (this.nextStart + evaluated) % all
    if (!feasible.length) return { message: fitErrorMessage(all, failures), evaluated }
    if (feasible.length === 1) return { node: feasible[0].name, evaluated }
    const scores = this.score(pod, feasible)
    return { node: feasible[this.select(pod.key, scores)].name, evaluated }
  }

  private readonly failureCache = new Map<string, NodeFailure>()

  /** One shared failure record per distinct reason (no allocation per filtered node). */
  private failure(reason: string, unresolvable: boolean): NodeFailure {
    let f = this.failureCache.get(reason)
    if (!f) this.failureCache.set(reason, (f = { reasons: [reason], unresolvable }))
    return f
  }

  private filter(
    node: NodeInfo,
    pod: PodToSchedule,
    tolerateUnschedulable: boolean,
    spread: ReturnType<typeof spreadFilter>,
  ): NodeFailure | undefined {
    if (node.unschedulable && !tolerateUnschedulable) return this.failure('node(s) were unschedulable', true)
    if (node.taints.length) {
      const taint = firstUntoleratedTaint(node.taints, pod.tolerations)
      if (taint) return this.failure(untoleratedTaintReason(taint), true)
    }
    if (pod.matcher && !pod.matcher(node.labels, node.name)) return this.failure(NODE_AFFINITY_REASON, true)
    const r = pod.requests
    const pods = node.pods.size + 1 > node.allocatable.pods
    const cpu = r.milliCpu > 0 && r.milliCpu > node.allocatable.milliCpu - node.requested.milliCpu
    const mem = r.memory > 0 && r.memory > node.allocatable.memory - node.requested.memory
    if (pods || cpu || mem) {
      // NodeResourcesFit reports every shortage of the node.
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
    if (spread) {
      const f = spread.check(node)
      if (f) return this.failure(f.reason, f.unresolvable)
    }
    return undefined
  }

  /** The weighted sum of every plugin's normalised score, per feasible node. */
  private score(pod: PodToSchedule, feasible: NodeInfo[]): number[] {
    const n = feasible.length
    const total = new Array<number>(n).fill(0)
    // TaintToleration: fewer untolerated PreferNoSchedule taints is better.
    if (feasible.some((node) => node.taints.length)) {
      const taint = normalize(feasible.map((node) => intolerablePreferNoSchedule(node.taints, pod.tolerations)), true)
      for (let i = 0; i < n; i++) total[i] += WEIGHTS.taintToleration * taint[i]
    } else {
      for (let i = 0; i < n; i++) total[i] += WEIGHTS.taintToleration * 100
    }
    // NodeAffinity: the weights of the preferred terms matched.
    if (pod.affinity?.preferredDuringSchedulingIgnoredDuringExecution?.length) {
      const aff = normalize(feasible.map((node) => preferredScore(pod.affinity, node.labels, node.name)), false)
      for (let i = 0; i < n; i++) total[i] += WEIGHTS.nodeAffinity * aff[i]
    }
    // PodTopologySpread: ScheduleAnyway constraints (or the system defaults).
    const spread = spreadScores({ cache: this.cache, namespace: pod.namespace, constraints: pod.constraints, systemDefaulted: pod.systemDefaulted, matcher: pod.matcher, feasible })
    if (spread) for (let i = 0; i < n; i++) total[i] += WEIGHTS.podTopologySpread * spread[i]
    // NodeResourcesFit (LeastAllocated) and BalancedAllocation.
    for (let i = 0; i < n; i++) {
      total[i] += WEIGHTS.nodeResourcesFit * leastAllocated(feasible[i], pod.nonZero)
      total[i] += WEIGHTS.balancedAllocation * balancedAllocation(feasible[i], pod.requests)
    }
    return total
  }

  /** The index of a highest score; among equal ones, a reservoir draw seeded by the pod's key. */
  private select(seed: string, scores: number[]): number {
    const rand = seededRandom(seed)
    let best = 0
    let ties = 1
    for (let i = 1; i < scores.length; i++) {
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
