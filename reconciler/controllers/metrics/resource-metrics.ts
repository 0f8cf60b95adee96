/**
 * The resource metrics API as the HPA reads it (metrics.k8s.io PodMetrics through
 * pkg/controller/podautoscaler/metrics): one value per pod with metrics, in milli-units, with the
 * time it was measured and the window it covers.
 */
import type { KObject } from '../../api/object.js'
import type { LoadModel } from './load-model.js'
import { podUsages, type ResourceName } from './pod-usage.js'

/** metrics-server's default resolution: each value covers the last 15 s. */
export const METRIC_WINDOW_MS = 15_000

/** One pod's metric (metricsclient.PodMetric). */
export interface PodMetric {
  /** Milli-units (millicores, milli-bytes). */
  value: number
  timestamp: Date
  windowMs: number
}

/** Pod name → metric (metricsclient.PodMetricsInfo). */
export type PodMetricsInfo = Map<string, PodMetric>

/** What the metrics API answers: the metrics and their time, or the error the HPA reports. */
export type ResourceMetricResult = { metrics: PodMetricsInfo; timestamp: Date } | { error: string }

const isReported = (r: string): r is ResourceName => r === 'cpu' || r === 'memory'

/**
 * The `resource` metric of the pods that have metrics among `pods` (the pods a selector matched).
 * No pod with metrics gives the metrics client's error, "no metrics returned from resource metrics API".
 */
export function getResourceMetric(pods: readonly KObject[], resource: string, model: LoadModel, now: Date): ResourceMetricResult {
  const usages = podUsages(pods, model)
  if (usages.size === 0) return { error: 'no metrics returned from resource metrics API' }
  const metrics: PodMetricsInfo = new Map()
  // metrics-server reports cpu and memory only: a pod without the resource is left out (getPodMetrics).
  if (!isReported(resource)) return { metrics, timestamp: now }
  for (const [name, u] of usages) metrics.set(name, { value: u[resource], timestamp: now, windowMs: METRIC_WINDOW_MS })
  return { metrics, timestamp: now }
}
