/**
 * One proposal per metric, and the HPA's proposal from all of them (horizontal.go:
 * computeReplicasForMetrics, computeReplicasForMetric, computeStatusForResourceMetricGeneric).
 * Pure: the caller lists the pods the target's selector matches and reads the load model.
 *
 * The HPA takes the highest proposal of the metrics that worked. It gives up (proposal −1) when
 * every metric failed, or when some failed and the others would scale down (a missing metric must
 * not shrink the target). Each failure records a Warning event named for its source
 * (FailedGetResourceMetric, …) and, for the first one, the ScalingActive=False condition.
 */
import type { KObject } from '../../api/object.js'
import type { MetricSpec, MetricTarget } from '../../api/generated/types.js'
import type { LoadModel } from '../metrics/load-model.js'
import { formatMilli, milliValue } from '../metrics/milli-quantity.js'
import { getResourceMetric } from '../metrics/resource-metrics.js'
import type { HpaCondition } from './conditions.js'
import { getRawResourceReplicas, getResourceReplicas, type CalculatorOptions } from './replica-calculator.js'
import type { HpaEvent, MetricStatusOut } from './types.js'

/** What the metrics give. */
export interface MetricsOutcome {
  /** The proposal, or −1 when the HPA cannot act on the metrics. */
  replicas: number
  /** The metric that gave the proposal ("cpu resource utilization (percentage of request)"). */
  metric: string
  /** One status per metric spec, `{type: ""}` where the metric failed. */
  statuses: MetricStatusOut[]
  conditions: HpaCondition[]
  events: HpaEvent[]
  /** "invalid metrics (1 invalid out of 2), first error is: …" when any metric failed. */
  error?: string
}

/** The inputs of one computation. */
export interface MetricsInput {
  metrics: readonly MetricSpec[]
  /** scale.spec.replicas. */
  specReplicas: number
  /** The pods the target's selector matches. */
  pods: readonly KObject[]
  model: LoadModel
  now: Date
  options?: CalculatorOptions
}

type One = { replicas: number; metric: string; status: MetricStatusOut } | { error: string; condition: HpaCondition; event: HpaEvent }

const unable = (reason: string, err: string): { condition: HpaCondition; event: HpaEvent } => ({
  condition: { type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${err}` },
  event: { type: 'Warning', reason, message: err },
})

/** computeStatusForResourceMetricGeneric for a Resource (container '') or ContainerResource metric. */
function resourceProposal(input: MetricsInput, name: string, target: MetricTarget, container: string): { replicas: number; metric: string; current: Record<string, unknown> } | { error: string } {
  const metrics = getResourceMetric(input.pods, name, input.model, input.now)
  const base = { currentReplicas: input.specReplicas, resource: name, pods: input.pods, metrics, now: input.now, container, options: input.options }
  if (target.averageValue !== undefined && target.averageValue !== null) {
    const targetUsage = milliValue(target.averageValue) ?? 0
    const r = getRawResourceReplicas({ ...base, targetUsage })
    if ('error' in r) return { error: `failed to get ${name} usage: ${r.error}` }
    return { replicas: r.replicas, metric: `${name} resource`, current: { averageValue: formatMilli(r.usage) } }
  }
  if (target.averageUtilization === undefined || target.averageUtilization === null) {
    return { error: 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set' }
  }
  const r = getResourceReplicas({ ...base, targetUtilization: target.averageUtilization })
  if ('error' in r) return { error: `failed to get ${name} utilization: ${r.error}` }
  const metric = container ? `${name} container resource utilization (percentage of request)` : `${name} resource utilization (percentage of request)`
  return { replicas: r.replicas, metric, current: { averageUtilization: r.utilization, averageValue: formatMilli(r.rawUtilization) } }
}

/** computeReplicasForMetric: one metric's proposal and status, or its error, condition and event. */
export function computeReplicasForMetric(input: MetricsInput, spec: MetricSpec): One {
  switch (spec.type) {
    case 'Resource': {
      const src = spec.resource!
      const r = resourceProposal(input, src.name, src.target, '')
      if ('error' in r) return { error: `failed to get ${src.name} resource metric value: ${r.error}`, ...unable('FailedGetResourceMetric', r.error) }
      return { replicas: r.replicas, metric: r.metric, status: { type: 'Resource', resource: { name: src.name, current: r.current } } }
    }
    case 'ContainerResource': {
      // The simulation measures whole pods; a pod of one container is that container.
      const src = spec.containerResource!
      const multi = input.pods.find((p) => ((p.spec as { containers?: unknown[] } | undefined)?.containers?.length ?? 0) > 1)
      const r = multi
        ? { error: `failed to get ${src.name} utilization: unable to get metrics for resource ${src.name}: failed to get container metrics: capstan's simulated metrics do not measure containers separately (Pod ${multi.metadata.name} has several)` }
        : resourceProposal(input, src.name, src.target, src.container)
      if ('error' in r) return { error: `failed to get ${src.container} container metric value: ${r.error}`, ...unable('FailedGetContainerResourceMetric', r.error) }
      return { replicas: r.replicas, metric: r.metric, status: { type: 'ContainerResource', containerResource: { name: src.name, container: src.container, current: r.current } } }
    }
    case 'Pods': {
      const name = spec.pods?.metric.name ?? ''
      const err = `unable to get metric ${name}: unable to fetch metrics from custom metrics API: the server could not find the requested resource (get pods.custom.metrics.k8s.io *)`
      return { error: `failed to get pods metric value: ${err}`, ...unable('FailedGetPodsMetric', err) }
    }
    case 'Object': {
      const name = spec.object?.metric.name ?? ''
      const ref = spec.object?.describedObject
      const err = `unable to get metric ${name}: ${ref?.kind ?? ''} on ${ref?.name ?? ''}: unable to fetch metrics from custom metrics API: the server could not find the requested resource`
      return { error: `failed to get object metric value: ${err}`, ...unable('FailedGetObjectMetric', err) }
    }
    case 'External': {
      const name = spec.external?.metric.name ?? ''
      const err = `failed to get external metric ${name}: unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${name}.external.metrics.k8s.io)`
      return { error: `failed to get ${name} external metric value: ${err}`, ...unable('FailedGetExternalMetric', err) }
    }
    default: {
      const err = `unknown metric source type ${JSON.stringify(String((spec as { type?: unknown }).type ?? ''))}`
      return { error: err, ...unable('InvalidMetricSourceType', err) }
    }
  }
}

/** computeReplicasForMetrics: the highest proposal of the metrics that worked, their statuses, and what failed. */
export function computeReplicasForMetrics(input: MetricsInput): MetricsOutcome {
  const statuses: MetricStatusOut[] = []
  const events: HpaEvent[] = []
  let replicas = 0
  let metric = ''
  let invalid = 0
  let firstError: string | undefined
  let firstCondition: HpaCondition | undefined
  for (const spec of input.metrics) {
    const r = computeReplicasForMetric(input, spec)
    if ('error' in r) {
      statuses.push({ type: '' })
      events.push(r.event)
      if (invalid === 0) {
        firstError = r.error
        firstCondition = r.condition
      }
      invalid++
      continue
    }
    statuses.push(r.status)
    if (replicas === 0 || r.replicas > replicas) {
      replicas = r.replicas
      metric = r.metric
    }
  }
  const error = firstError === undefined ? undefined : `invalid metrics (${invalid} invalid out of ${input.metrics.length}), first error is: ${firstError}`
  if (invalid > 0 && (invalid >= input.metrics.length || replicas < input.specReplicas)) {
    return { replicas: -1, metric: '', statuses, conditions: firstCondition ? [firstCondition] : [], events, error }
  }
  const valid: HpaCondition = { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${metric}` }
  return { replicas, metric, statuses, conditions: [valid], events, error }
}
