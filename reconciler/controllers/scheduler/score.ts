/**
 * Scores of the default profile (kube-scheduler 1.32), each 0–100, and their weights:
 * TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, NodeResourcesFit (LeastAllocated) 1,
 * NodeResourcesBalancedAllocation 1. (ImageLocality scores 0 everywhere here: simulated nodes hold
 * no images; InterPodAffinity has nothing to score without pod affinity terms.)
 */
import type { NodeInfo } from './node-info.js'
import type { Resources } from './resources.js'

/** The highest score a plugin gives. */
export const MAX_NODE_SCORE = 100

/** Plugin weights of the default profile. */
export const WEIGHTS = { taintToleration: 3, nodeAffinity: 2, podTopologySpread: 2, nodeResourcesFit: 1, balancedAllocation: 1 } as const

/**
 * LeastAllocated: per resource (cpu, memory, weight 1 each) the free share after placing the pod,
 * (allocatable − requested) × 100 / allocatable in integers, averaged. Requests here are the
 * non-zero ones (100m, 200Mi for containers that name none). Example: 2 cores with 1.5 requested
 * and a 100m pod → (2000 − 1600) × 100 / 2000 = 20.
 */
export function leastAllocated(node: NodeInfo, pod: Resources): number {
  const one = (req: number, cap: number): number => (cap === 0 || req > cap ? 0 : Math.trunc(((cap - req) * MAX_NODE_SCORE) / cap))
  const cpu = one(node.nonZeroRequested.milliCpu + pod.milliCpu, node.allocatable.milliCpu)
  const mem = one(node.nonZeroRequested.memory + pod.memory, node.allocatable.memory)
  return Math.trunc((cpu + mem) / 2)
}

/**
 * BalancedAllocation: 100 × (1 − the standard deviation of the cpu and memory fractions), which
 * for two resources is |cpu − memory| / 2. Example: 50% cpu, 10% memory → 100 × (1 − 0.2) = 80.
 */
export function balancedAllocation(node: NodeInfo, pod: Resources): number {
  const frac = (req: number, cap: number): number => (cap === 0 ? 0 : Math.min(1, req / cap))
  const cpu = frac(node.requested.milliCpu + pod.milliCpu, node.allocatable.milliCpu)
  const mem = frac(node.requested.memory + pod.memory, node.allocatable.memory)
  const std = Math.abs(cpu - mem) / 2
  return Math.trunc((1 - std) * MAX_NODE_SCORE)
}

/**
 * DefaultNormalizeScore: scales raw scores so the highest becomes 100 (reversed: the highest
 * becomes 0 and a zero becomes 100); all zeros stay 0, or all become 100 when reversed.
 */
export function normalize(scores: number[], reverse: boolean): number[] {
  let max = 0
  for (const s of scores) if (s > max) max = s
  if (max === 0) return scores.map(() => (reverse ? MAX_NODE_SCORE : 0))
  return scores.map((s) => {
    const v = Math.trunc((MAX_NODE_SCORE * s) / max)
    return reverse ? MAX_NODE_SCORE - v : v
  })
}
