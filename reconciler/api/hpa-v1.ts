/**
 * autoscaling/v1 HorizontalPodAutoscaler ⇄ autoscaling/v2 (the stored version), as kube-apiserver
 * converts it: v1 holds only a CPU utilization target, so what v2 says beyond it travels in
 * annotations and comes back on the way in — other metrics (`autoscaling.alpha.kubernetes.io/metrics`),
 * the scaling behavior (`…/behavior`), and in status the conditions (`…/conditions`) and the other
 * current metrics (`…/current-metrics`). A v1 client that reads, edits and writes an HPA back loses
 * nothing. The annotations hold v2's own JSON shapes (kube-apiserver writes its older alpha shapes).
 */
import type { KObject } from './object.js'
import { isPlainObject } from './object.js'

export const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics'
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior'
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions'
export const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics'

type Obj = Record<string, unknown>
type Metric = { type?: string; resource?: { name?: string; target?: { type?: string; averageUtilization?: number }; current?: { averageUtilization?: number } } }

const isCpuUtilization = (m: Metric): boolean => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.type === 'Utilization'
const isCpuCurrent = (m: Metric): boolean => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.current?.averageUtilization !== undefined

const ROUND_TRIP = [METRICS_ANNOTATION, BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, CURRENT_METRICS_ANNOTATION]

/** The annotations without the round-trip ones (DropRoundTripHorizontalPodAutoscalerAnnotations): a copy, or the same object when it has none. */
export function withoutRoundTripAnnotations(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!annotations || !ROUND_TRIP.some((k) => k in annotations)) return annotations
  const out = { ...annotations }
  for (const k of ROUND_TRIP) delete out[k]
  return out
}

/** The v1 form of a stored (v2) HPA: a copy; `obj` is not changed. */
export function hpaToV1(obj: KObject): KObject {
  const spec = (isPlainObject(obj.spec) ? obj.spec : {}) as Obj
  const status = isPlainObject(obj.status) ? (obj.status as Obj) : undefined
  // Only what this conversion writes: round-trip annotations a v2 client stored are not v1's to read back.
  const annotations: Record<string, string> = { ...(withoutRoundTripAnnotations(obj.metadata.annotations) ?? {}) }
  const metrics = (Array.isArray(spec.metrics) ? spec.metrics : []) as Metric[]
  const cpu = metrics.find(isCpuUtilization)
  const others = metrics.filter((m) => m !== cpu)
  if (others.length) annotations[METRICS_ANNOTATION] = JSON.stringify(others)
  if (spec.behavior !== undefined) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior)
  const v1Spec: Obj = {}
  for (const f of ['scaleTargetRef', 'minReplicas', 'maxReplicas']) if (spec[f] !== undefined) v1Spec[f] = spec[f]
  if (cpu) v1Spec.targetCPUUtilizationPercentage = cpu.resource!.target!.averageUtilization
  const out: KObject = { ...obj, apiVersion: 'autoscaling/v1', metadata: { ...obj.metadata }, spec: v1Spec }
  if (status) {
    const current = (Array.isArray(status.currentMetrics) ? status.currentMetrics : []) as Metric[]
    const cpuNow = current.find(isCpuCurrent)
    const otherNow = current.filter((m) => m !== cpuNow)
    if (otherNow.length) annotations[CURRENT_METRICS_ANNOTATION] = JSON.stringify(otherNow)
    if (Array.isArray(status.conditions) && status.conditions.length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions)
    const v1Status: Obj = {}
    for (const f of ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas']) if (status[f] !== undefined) v1Status[f] = status[f]
    if (cpuNow) v1Status.currentCPUUtilizationPercentage = cpuNow.resource!.current!.averageUtilization
    out.status = v1Status
  }
  if (Object.keys(annotations).length) out.metadata.annotations = annotations
  else delete out.metadata.annotations
  return out
}

const V1_FIELDS: Record<string, ReadonlySet<string>> = {
  spec: new Set(['scaleTargetRef', 'minReplicas', 'maxReplicas', 'targetCPUUtilizationPercentage']),
  status: new Set(['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas', 'currentCPUUtilizationPercentage']),
}

/** Fields of a v1 HPA's spec and status that v1 does not have (`spec.metrics`): unknown at v1, whatever v2 makes of them. */
export function v1UnknownFields(obj: KObject): string[] {
  const out: string[] = []
  for (const [section, known] of Object.entries(V1_FIELDS)) {
    const v = (obj as Record<string, unknown>)[section]
    if (isPlainObject(v)) for (const f of Object.keys(v)) if (!known.has(f)) out.push(`${section}.${f}`)
  }
  return out
}

/** Reads an annotation's JSON (a list or an object), removing the annotation; undefined when absent or not JSON. */
function takeJson(meta: KObject['metadata'], key: string): unknown {
  const text = meta.annotations?.[key]
  if (text === undefined) return undefined
  delete meta.annotations![key]
  if (Object.keys(meta.annotations!).length === 0) delete meta.annotations
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** A v1 HPA in place as v2: what the annotations carried (which leave the object), then the CPU target, as kube-apiserver orders them. */
export function hpaFromV1(obj: KObject): void {
  const meta = obj.metadata
  const spec = isPlainObject(obj.spec) ? (obj.spec as Obj) : undefined
  const otherMetrics = takeJson(meta, METRICS_ANNOTATION)
  const behavior = takeJson(meta, BEHAVIOR_ANNOTATION)
  const conditions = takeJson(meta, CONDITIONS_ANNOTATION)
  const currentMetrics = takeJson(meta, CURRENT_METRICS_ANNOTATION)
  if (spec) {
    const pct = spec.targetCPUUtilizationPercentage
    delete spec.targetCPUUtilizationPercentage
    const metrics: unknown[] = Array.isArray(otherMetrics) ? [...otherMetrics] : []
    if (pct !== undefined && pct !== null) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: pct } } })
    if (metrics.length) spec.metrics = metrics
    if (isPlainObject(behavior)) spec.behavior = behavior
  }
  const status = isPlainObject(obj.status) ? (obj.status as Obj) : undefined
  if (status) {
    const cur = status.currentCPUUtilizationPercentage
    delete status.currentCPUUtilizationPercentage
    const current: unknown[] = Array.isArray(currentMetrics) ? [...currentMetrics] : []
    if (cur !== undefined && cur !== null) current.push({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cur } } })
    if (current.length) status.currentMetrics = current
    if (Array.isArray(conditions)) status.conditions = conditions
  }
}
