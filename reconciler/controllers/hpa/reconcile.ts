/**
 * One pass of the HPA over one autoscaler (horizontal.go reconcileAutoscaler), as a straight
 * pipeline: read the target's scale → compute the metrics' proposal → normalize (stabilization,
 * rate limits, bounds) → rescale through the scale subresource → write the status (and the
 * controller's memory, see history.ts) if it changed. Failures become conditions and Warning events,
 * as upstream: the pass returns the error for the log, and the next sync tries again.
 */
import type { HorizontalPodAutoscalerStatus, MetricStatus } from '../../api/generated/types.js'
import { formatTime } from '../../api/api-server.js'
import { kindByName } from '../../api/kinds.js'
import { clone, jsonEqual } from '../../api/object.js'
import { parseLabelSelector } from '../../api/selectors/label-selector.js'
import type { Scale } from '../../api/client.js'
import { readLoadModel } from '../metrics/load-store.js'
import type { ControllerContext } from '../runtime/types.js'
import { computeReplicasForMetrics } from './compute-metrics.js'
import { setCondition, type HpaCondition } from './conditions.js'
import { compactHistory, historyKey, historyText, HISTORY_ANNOTATION, readHistory, type HistoryHorizon, type HpaHistory } from './history.js'
import { DOWNSCALE_STABILIZATION_MS, effectiveRules, longestPolicyPeriod, normalizeDesiredReplicas, normalizeDesiredReplicasWithBehaviors, storeScaleEvent } from './normalize.js'
import { HPA_FIELD_MANAGER, type HpaEvent, type HpaObject, type MetricStatusOut } from './types.js'

/** What a pass leaves: the memory to keep for the next one, and the error to log, if any. */
export interface PassResult {
  history: HpaHistory
  error?: string
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** Why a scale's selector string does not parse (undefined: it does), remembered per string. */
const selectorErrors = new Map<string, string | undefined>()
function selectorError_(selector: string): string | undefined {
  if (selectorErrors.has(selector)) return selectorErrors.get(selector)
  let error: string | undefined
  try {
    parseLabelSelector(selector)
  } catch (err) {
    error = errorText(err)
  }
  if (selectorErrors.size > 10_000) selectorErrors.clear()
  selectorErrors.set(selector, error)
  return error
}

/** The comparison key of the memory an object carries ('' when none), parsed once per object version. */
const storedKeys = new WeakMap<object, string>()
function storedHistoryKey(obj: HpaObject): string {
  let key = storedKeys.get(obj)
  if (key === undefined) {
    const stored = readHistory(obj, 0)
    key = stored ? historyKey(stored) : ''
    storedKeys.set(obj, key)
  }
  return key
}

/** How far back the memory of this HPA can matter. */
function horizonOf(hpa: HpaObject): HistoryHorizon {
  const b = hpa.spec.behavior
  if (!b) return { windowMs: DOWNSCALE_STABILIZATION_MS, upPeriodMs: 0, downPeriodMs: 0 }
  const { up, down } = effectiveRules(b)
  return {
    windowMs: Math.max(up.stabilizationWindowSeconds, down.stabilizationWindowSeconds) * 1000,
    upPeriodMs: longestPolicyPeriod(up) * 1000,
    downPeriodMs: longestPolicyPeriod(down) * 1000,
  }
}

/** The scale subresource's resource for a scaleTargetRef: `no matches for kind …` as the REST mapper says it. */
function targetResource(ref: { apiVersion?: string; kind: string }): { resource: string } | { error: string } {
  const gv = ref.apiVersion ?? ''
  const parts = gv.split('/')
  if (parts.length > 2) return { error: `unexpected GroupVersion string: ${gv}` }
  const group = parts.length === 2 ? parts[0] : ''
  const k = kindByName(ref.kind)
  if (!k || k.group !== group) return { error: `no matches for kind "${ref.kind}" in group "${group}"` }
  return { resource: k.plural }
}

/**
 * Runs one pass. `memory` is what this process remembers of the HPA (undefined: read it from the
 * object). Events are recorded through ctx.events; scale and status are written with fieldManager
 * kube-controller-manager.
 */
export async function reconcileAutoscaler(ctx: ControllerContext, shared: HpaObject, memory: HpaHistory | undefined): Promise<PassResult> {
  const now = ctx.clock.now()
  const nowMs = now.getTime()
  // Read-only views of the shared object: the status is rebuilt (setCondition returns new lists), never mutated.
  const hpa = shared
  const statusOriginal: HorizontalPodAutoscalerStatus = shared.status ?? { desiredReplicas: 0 }
  const status: HorizontalPodAutoscalerStatus = { ...statusOriginal }
  const set = (c: HpaCondition): void => {
    status.conditions = setCondition(status.conditions, c, now)
  }
  const events: HpaEvent[] = []
  const history: HpaHistory = memory ?? readHistory(shared, nowMs) ?? { recommendations: [], up: [], down: [] }
  const ref = hpa.spec.scaleTargetRef
  const reference = `${ref.kind}/${hpa.metadata.namespace}/${ref.name}`

  // Write the status (and the memory) if they changed, then the events, in upstream's order.
  const finish = async (error?: string): Promise<PassResult> => {
    const compact = compactHistory(history, nowMs, horizonOf(hpa))
    const memoryChanged = storedHistoryKey(shared) !== historyKey(compact)
    if (!jsonEqual(status, statusOriginal) || memoryChanged) {
      const next = clone(shared)
      next.status = status
      if (memoryChanged) next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [HISTORY_ANNOTATION]: historyText(compact) }
      try {
        await ctx.api.updateStatus(next, { fieldManager: HPA_FIELD_MANAGER })
      } catch (err) {
        events.push({ type: 'Warning', reason: 'FailedUpdateStatus', message: errorText(err) })
        error ??= `failed to update status for ${hpa.metadata.name}: ${errorText(err)}`
      }
    }
    for (const e of events) await ctx.events.event(shared, e.type, e.reason, e.message)
    return { history, error }
  }
  const failedGetScale = (message: string, error: string): Promise<PassResult> => {
    events.push({ type: 'Warning', reason: 'FailedGetScale', message })
    set({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${message}` })
    return finish(error)
  }

  // Scale: the target's current replicas and selector, through its scale subresource.
  const target = targetResource(ref)
  if ('error' in target) return failedGetScale(target.error, `unable to determine resource for scale target reference: ${target.error}`)
  let scale: Scale
  try {
    scale = await ctx.api.getScale(target.resource, hpa.metadata.namespace, ref.name)
  } catch (err) {
    return failedGetScale(errorText(err), `failed to query scale subresource for ${reference}: ${errorText(err)}`)
  }
  set({ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" })
  const currentReplicas = scale.spec.replicas
  // recordInitialRecommendation: the first pass remembers the current size as a recommendation.
  if (history.recommendations.length === 0) history.recommendations.push({ replicas: currentReplicas, at: nowMs })

  const minReplicas = hpa.spec.minReplicas ?? 1
  const maxReplicas = hpa.spec.maxReplicas
  let desiredReplicas = 0
  let rescaleReason = ''
  let rescale = true
  let metricStatuses: MetricStatusOut[] | undefined
  let passError: string | undefined

  const writeStatus = (desired: number, scaled: boolean): void => {
    const next: HorizontalPodAutoscalerStatus = { desiredReplicas: desired }
    if (currentReplicas) next.currentReplicas = currentReplicas
    const lastScaleTime = scaled ? formatTime(now) : status.lastScaleTime
    if (lastScaleTime) next.lastScaleTime = lastScaleTime
    if (metricStatuses?.length) next.currentMetrics = metricStatuses as MetricStatus[]
    if (status.conditions?.length) next.conditions = status.conditions
    for (const k of Object.keys(status) as Array<keyof HorizontalPodAutoscalerStatus>) delete status[k]
    Object.assign(status, next)
  }

  if (currentReplicas === 0 && minReplicas !== 0) {
    // Autoscaling is off while the target is scaled to zero.
    desiredReplicas = 0
    rescale = false
    set({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' })
  } else if (currentReplicas > maxReplicas) {
    rescaleReason = 'Current number of replicas above Spec.MaxReplicas'
    desiredReplicas = maxReplicas
  } else if (currentReplicas < minReplicas) {
    rescaleReason = 'Current number of replicas below Spec.MinReplicas'
    desiredReplicas = minReplicas
  } else {
    // Metrics: the selector, the pods it matches, and each metric's proposal.
    const selector = scale.status.selector ?? ''
    let selectorError: { event: HpaEvent; condition: HpaCondition; error: string } | undefined
    if (selector === '') {
      selectorError = {
        event: { type: 'Warning', reason: 'SelectorRequired', message: 'selector is required' },
        condition: { type: 'ScalingActive', status: 'False', reason: 'InvalidSelector', message: "the HPA target's scale is missing a selector" },
        error: 'selector is required',
      }
    } else {
      const parseError = selectorError_(selector)
      if (parseError !== undefined) {
        const msg = `couldn't convert selector into a corresponding internal selector object: ${parseError}`
        selectorError = { event: { type: 'Warning', reason: 'InvalidSelector', message: msg }, condition: { type: 'ScalingActive', status: 'False', reason: 'InvalidSelector', message: msg }, error: msg }
      }
    }
    let outcome: ReturnType<typeof computeReplicasForMetrics> | undefined
    if (selectorError) {
      events.push(selectorError.event)
      set(selectorError.condition)
    } else {
      const pods = (await ctx.api.list('pods', { namespace: hpa.metadata.namespace, labelSelector: selector })).items
      const model = await readLoadModel(ctx.api)
      outcome = computeReplicasForMetrics({ metrics: hpa.spec.metrics ?? [], specReplicas: currentReplicas, pods, model, now })
      events.push(...outcome.events)
      for (const c of outcome.conditions) set(c)
      metricStatuses = outcome.statuses
    }
    if (!outcome || outcome.replicas === -1) {
      const err = outcome ? outcome.error ?? '' : selectorError!.error
      writeStatus(status.desiredReplicas ?? 0, false)
      events.push({ type: 'Warning', reason: 'FailedComputeMetricsReplicas', message: err })
      return finish(`failed to compute desired number of replicas based on listed metrics for ${reference}: ${err}`)
    }
    // Some metrics failed but the others scale up: act on them, and report the failure.
    passError = outcome.error

    let rescaleMetric = ''
    if (outcome.replicas > desiredReplicas) {
      desiredReplicas = outcome.replicas
      rescaleMetric = outcome.metric
    }
    if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`
    if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target'

    // Normalize: stabilization windows, the scale rate, minReplicas and maxReplicas.
    const norm = hpa.spec.behavior
      ? normalizeDesiredReplicasWithBehaviors({ behavior: hpa.spec.behavior, recommendations: history.recommendations, upEvents: history.up, downEvents: history.down, current: currentReplicas, desired: desiredReplicas, min: minReplicas, max: maxReplicas, now: nowMs })
      : normalizeDesiredReplicas({ recommendations: history.recommendations, current: currentReplicas, desired: desiredReplicas, min: minReplicas, max: maxReplicas, now: nowMs })
    history.recommendations = norm.recommendations
    for (const c of norm.conditions) set(c)
    desiredReplicas = norm.replicas
    rescale = desiredReplicas !== currentReplicas
  }

  // Rescale through the scale subresource.
  if (rescale) {
    try {
      await ctx.api.updateScale(target.resource, hpa.metadata.namespace, ref.name, desiredReplicas, { fieldManager: HPA_FIELD_MANAGER })
    } catch (err) {
      events.push({ type: 'Warning', reason: 'FailedRescale', message: `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${errorText(err)}` })
      set({ type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${errorText(err)}` })
      writeStatus(status.desiredReplicas ?? 0, false)
      return finish(`failed to rescale ${reference}: ${errorText(err)}`)
    }
    set({ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desiredReplicas}` })
    events.push({ type: 'Normal', reason: 'SuccessfulRescale', message: `New size: ${desiredReplicas}; reason: ${rescaleReason}` })
    const stored = storeScaleEvent(hpa.spec.behavior, history, currentReplicas, desiredReplicas, nowMs)
    history.up = stored.up
    history.down = stored.down
    ctx.log({ msg: 'Successfully rescaled', hpa: `${hpa.metadata.namespace}/${hpa.metadata.name}`, currentReplicas, desiredReplicas, reason: rescaleReason })
  } else {
    desiredReplicas = currentReplicas
  }

  // Status: current and desired replicas, the metrics, lastScaleTime when it rescaled.
  writeStatus(desiredReplicas, rescale)
  return finish(passError)
}
