/**
 * The replica calculator (pkg/controller/podautoscaler/replica_calculator.go) for resource metrics:
 * from the pods a target's selector matches and their metrics, the replica count that brings the
 * average to the target. Pure; every rule is upstream's, in our words:
 *
 * - Pods being deleted or Failed are ignored. Pending pods count as "unready". Pods without a
 *   metric are "missing". For cpu, a pod is also unready when it has no Ready condition or start
 *   time, or — within its first 5 minutes (cpu initialization period) — when it is not ready or
 *   became ready less than one metric window before the sample; after that, when it is not ready
 *   and never was (its readiness last changed within 30 s of its start).
 * - The ratio is computed over the pods with metrics. Within the tolerance (|1 − ratio| ≤ 0.1) the
 *   count stays as it is. Without unready or missing pods the answer is ceil(ratio × ready pods).
 * - Otherwise the ratio is recomputed pessimistically: on a scale-down, missing pods count as using
 *   100% of their request (or the target, if higher); on a scale-up, missing pods and unready pods
 *   count as 0. If that flips the direction or lands within the tolerance, the count stays.
 *
 * Worked example: 4 replicas, target 50%, three pods at 40m of a 100m request and one missing.
 * ratio 40/50 = 0.8 (scale down); the missing pod counts at 100m: (120+100)/400 = 55% → 1.1,
 * within the tolerance → stay at 4 (without the missing pod it would be ceil(0.8 × 3) = 3).
 */
import type { KObject } from '../../api/object.js'
import { milliValue } from '../metrics/milli-quantity.js'
import type { PodMetricsInfo, ResourceMetricResult } from '../metrics/resource-metrics.js'
import { podCondition, podStatus } from '../replicaset/pod-util.js'

/** The calculator's settings (kube-controller-manager's defaults). */
export interface CalculatorOptions {
  /** --horizontal-pod-autoscaler-tolerance. */
  tolerance: number
  /** --horizontal-pod-autoscaler-cpu-initialization-period. */
  cpuInitializationPeriodMs: number
  /** --horizontal-pod-autoscaler-initial-readiness-delay. */
  delayOfInitialReadinessStatusMs: number
}

/** 0.1 tolerance, 5 min cpu initialization period, 30 s initial readiness delay. */
export const DEFAULT_CALCULATOR_OPTIONS: CalculatorOptions = {
  tolerance: 0.1,
  cpuInitializationPeriodMs: 5 * 60_000,
  delayOfInitialReadinessStatusMs: 30_000,
}

/** Pods sorted the way the calculator treats them (groupPods). */
export interface PodGroups {
  readyPodCount: number
  unready: Set<string>
  missing: Set<string>
  ignored: Set<string>
}

const time = (s: string | undefined | null): number => (s ? Date.parse(s) : NaN)

/** Sorts pods into ready (counted), unready, missing (no metric) and ignored (deleting or Failed). */
export function groupPods(pods: readonly KObject[], metrics: PodMetricsInfo, resource: string, now: Date, opts: CalculatorOptions = DEFAULT_CALCULATOR_OPTIONS): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() }
  for (const pod of pods) {
    const name = pod.metadata.name ?? ''
    const phase = podStatus(pod).phase
    if (pod.metadata.deletionTimestamp || phase === 'Failed') {
      g.ignored.add(name)
      continue
    }
    if (phase === 'Pending') {
      g.unready.add(name)
      continue
    }
    const metric = metrics.get(name)
    if (!metric) {
      g.missing.add(name)
      continue
    }
    if (resource === 'cpu') {
      const ready = podCondition(pod, 'Ready')
      const start = time((pod.status as { startTime?: string } | undefined)?.startTime)
      let unready: boolean
      if (!ready || Number.isNaN(start)) unready = true
      else {
        const transition = time(ready.lastTransitionTime)
        if (start + opts.cpuInitializationPeriodMs > now.getTime()) {
          // Still initializing: not ready, or no full metric window since readiness last changed.
          unready = ready.status === 'False' || metric.timestamp.getTime() < transition + metric.windowMs
        } else {
          // Not ready and never been ready.
          unready = ready.status === 'False' && start + opts.delayOfInitialReadinessStatusMs > transition
        }
      }
      if (unready) {
        g.unready.add(name)
        continue
      }
    }
    g.readyPodCount++
  }
  return g
}

/**
 * Each pod's request of `resource` in milli-units: the sum over its containers (and restartable
 * init containers), or one container's when `container` is given. A container without the request
 * is an error (utilization needs requests).
 */
export function calculatePodRequests(pods: readonly KObject[], container: string, resource: string): { requests: Map<string, number> } | { error: string } {
  const requests = new Map<string, number>()
  type C = { name: string; restartPolicy?: string; resources?: { requests?: Record<string, unknown> } }
  for (const pod of pods) {
    const spec = (pod.spec ?? {}) as { containers?: C[]; initContainers?: C[] }
    const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')]
    let sum = 0
    for (const c of containers) {
      if (container !== '' && container !== c.name) continue
      const q = c.resources?.requests?.[resource]
      const m = q === undefined ? undefined : milliValue(q)
      if (m === undefined) return { error: `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}` }
      sum += m
    }
    requests.set(pod.metadata.name ?? '', sum)
  }
  return { requests }
}

/**
 * metricsclient.GetResourceUtilizationRatio: utilization = total usage × 100 / total request over
 * the pods that have both (integer division, as upstream), the ratio to the target, and the raw
 * average usage per pod. 3 pods using 100m+100m+100m of 300m each: 300×100/900 = 33% (not 33.3).
 */
export function getResourceUtilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, targetUtilization: number):
  | { usageRatio: number; utilization: number; rawAverage: number }
  | { error: string } {
  let metricsTotal = 0
  let requestsTotal = 0
  let entries = 0
  for (const [name, m] of metrics) {
    const request = requests.get(name)
    if (request === undefined) continue
    metricsTotal += m.value
    requestsTotal += request
    entries++
  }
  if (requestsTotal === 0) return { error: 'no metrics returned matched known pods' }
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal)
  return { usageRatio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / entries) }
}

/** metricsclient.GetMetricUsageRatio: the average usage per pod (integer division) and its ratio to the target. */
export function getMetricUsageRatio(metrics: PodMetricsInfo, targetUsage: number): { usageRatio: number; usage: number } {
  let total = 0
  for (const m of metrics.values()) total += m.value
  const usage = Math.trunc(total / metrics.size)
  return { usageRatio: usage / targetUsage, usage }
}

/** The inputs of one resource metric's calculation. */
export interface ResourceReplicasInput {
  currentReplicas: number
  resource: string
  /** The pods the target's selector matches. */
  pods: readonly KObject[]
  /** What the metrics API answered for those pods. */
  metrics: ResourceMetricResult
  now: Date
  /** '' for the whole pod (Resource metrics), a container name for ContainerResource metrics. */
  container?: string
  options?: CalculatorOptions
}

/** A replica proposal from one metric. */
export interface UtilizationProposal {
  replicas: number
  /** Percent of request (Utilization targets). */
  utilization: number
  /** Average usage per pod in milli-units. */
  rawUtilization: number
  timestamp: Date
}

const withinTolerance = (ratio: number, tolerance: number): boolean => Math.abs(1.0 - ratio) <= tolerance

/** Validates the common part: metrics, pods, and the pods' grouping (with unready and ignored pods' metrics removed). */
function prepare(input: ResourceReplicasInput): { error: string } | { metrics: PodMetricsInfo; groups: PodGroups; timestamp: Date } {
  const { metrics: result, pods, resource, now } = input
  if ('error' in result) return { error: `unable to get metrics for resource ${resource}: ${result.error}` }
  if (pods.length === 0) return { error: 'no pods returned by selector while calculating replica count' }
  const metrics: PodMetricsInfo = new Map(result.metrics)
  const groups = groupPods(pods, metrics, resource, now, input.options)
  for (const n of groups.ignored) metrics.delete(n)
  for (const n of groups.unready) metrics.delete(n)
  if (metrics.size === 0) return { error: 'did not receive metrics for targeted pods (pods might be unready)' }
  return { metrics, groups, timestamp: result.timestamp }
}

/** GetResourceReplicas: the replica count for a target utilization (percent of request). */
export function getResourceReplicas(input: ResourceReplicasInput & { targetUtilization: number }): UtilizationProposal | { error: string } {
  const { currentReplicas, targetUtilization } = input
  const tolerance = (input.options ?? DEFAULT_CALCULATOR_OPTIONS).tolerance
  const prep = prepare(input)
  if ('error' in prep) return prep
  const { metrics, groups, timestamp } = prep
  const req = calculatePodRequests(input.pods, input.container ?? '', input.resource)
  if ('error' in req) return req
  const ratio = getResourceUtilizationRatio(metrics, req.requests, targetUtilization)
  if ('error' in ratio) return ratio
  const { usageRatio, utilization, rawAverage } = ratio
  const done = (replicas: number): UtilizationProposal => ({ replicas, utilization, rawUtilization: rawAverage, timestamp })

  const scaleUpWithUnready = groups.unready.size > 0 && usageRatio > 1.0
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (withinTolerance(usageRatio, tolerance)) return done(currentReplicas)
    return done(Math.ceil(usageRatio * groups.readyPodCount))
  }
  if (groups.missing.size > 0) {
    if (usageRatio < 1.0) {
      // Scale-down: a missing pod counts as using all of its request (or the target, above 100%).
      const fallback = Math.max(100, targetUtilization)
      for (const n of groups.missing) metrics.set(n, { value: Math.trunc(((req.requests.get(n) ?? 0) * fallback) / 100), timestamp, windowMs: 0 })
    } else if (usageRatio > 1.0) {
      for (const n of groups.missing) metrics.set(n, { value: 0, timestamp, windowMs: 0 })
    }
  }
  if (scaleUpWithUnready) for (const n of groups.unready) metrics.set(n, { value: 0, timestamp, windowMs: 0 })

  const again = getResourceUtilizationRatio(metrics, req.requests, targetUtilization)
  if ('error' in again) return again
  const newRatio = again.usageRatio
  if (withinTolerance(newRatio, tolerance) || (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0)) return done(currentReplicas)
  const newReplicas = Math.ceil(newRatio * metrics.size)
  if ((newRatio < 1.0 && newReplicas > currentReplicas) || (newRatio > 1.0 && newReplicas < currentReplicas)) return done(currentReplicas)
  return done(newReplicas)
}

/** A replica proposal from an AverageValue target. */
export interface UsageProposal {
  replicas: number
  /** Average usage per pod in milli-units. */
  usage: number
  timestamp: Date
}

/** GetRawResourceReplicas (calcPlainMetricReplicas): the replica count for a target average value per pod (milli-units). */
export function getRawResourceReplicas(input: ResourceReplicasInput & { targetUsage: number }): UsageProposal | { error: string } {
  const { currentReplicas, targetUsage } = input
  const tolerance = (input.options ?? DEFAULT_CALCULATOR_OPTIONS).tolerance
  const prep = prepare(input)
  if ('error' in prep) return prep
  const { metrics, groups, timestamp } = prep
  const { usageRatio, usage } = getMetricUsageRatio(metrics, targetUsage)
  const done = (replicas: number): UsageProposal => ({ replicas, usage, timestamp })

  const scaleUpWithUnready = groups.unready.size > 0 && usageRatio > 1.0
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (withinTolerance(usageRatio, tolerance)) return done(currentReplicas)
    return done(Math.ceil(usageRatio * groups.readyPodCount))
  }
  if (groups.missing.size > 0) {
    // Scale-down: a missing pod counts as using exactly the target; scale-up: as using nothing.
    const value = usageRatio < 1.0 ? targetUsage : 0
    if (usageRatio !== 1.0) for (const n of groups.missing) metrics.set(n, { value, timestamp, windowMs: 0 })
  }
  if (scaleUpWithUnready) for (const n of groups.unready) metrics.set(n, { value: 0, timestamp, windowMs: 0 })

  const newRatio = getMetricUsageRatio(metrics, targetUsage).usageRatio
  if (withinTolerance(newRatio, tolerance) || (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0)) return done(currentReplicas)
  const newReplicas = Math.ceil(newRatio * metrics.size)
  if ((newRatio < 1.0 && newReplicas > currentReplicas) || (newRatio > 1.0 && newReplicas < currentReplicas)) return done(currentReplicas)
  return done(newReplicas)
}
