/**
 * From the metrics' proposal to the replica count the HPA sets (horizontal.go: normalizeDesiredReplicas
 * and normalizeDesiredReplicasWithBehaviors). Pure; times are milliseconds on the controller's clock.
 *
 * Without `behavior` (the default):
 *   1. stabilize: the highest recommendation of the last 5 minutes (downscale stabilization window),
 *      so a drop in load scales down only once it has lasted 5 minutes;
 *   2. clamp to [minReplicas, min(maxReplicas, max(2 × current, 4))] — at most double, or +4 pods,
 *      per 15 s sync. From 1 replica: 1 → 4 → 8 → 16.
 * With `behavior`:
 *   1. stabilize between the lowest recommendation of the scale-up window and the highest of the
 *      scale-down window (the current count when both allow it);
 *   2. limit the rate by the policies over their periods (Pods: +value, Percent: ×(1 + value%),
 *      counted from the replicas at the start of the period), choosing per selectPolicy
 *      (Max: the biggest change, Min: the smallest, Disabled: no change), then [min, max].
 */
import type { HPAScalingRules, HorizontalPodAutoscalerBehavior } from '../../api/generated/types.js'

/** An unstabilized recommendation and when it was made. */
export interface Recommendation {
  replicas: number
  at: number
}

/** A change of replicas the HPA made (positive count) and when. */
export interface ScaleEvent {
  change: number
  at: number
}

/** A condition the normalization sets. */
export interface ConditionChange {
  type: 'AbleToScale' | 'ScalingLimited'
  status: 'True' | 'False'
  reason: string
  message: string
}

/** Where one normalization leaves things: the replicas, the conditions to set, the recommendations to keep. */
export interface Normalized {
  replicas: number
  conditions: ConditionChange[]
  recommendations: Recommendation[]
}

/** --horizontal-pod-autoscaler-downscale-stabilization. */
export const DOWNSCALE_STABILIZATION_MS = 5 * 60_000

/** max(2 × current, 4): the default scale-up limit per sync. */
export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.max(2 * currentReplicas, 4)
}

/** A limit and the ScalingLimited reason and message that go with it. */
export interface Limited {
  replicas: number
  reason: string
  message: string
}

const WITHIN: Omit<Limited, 'replicas'> = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' }
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' }
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' }
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }

/** convertDesiredReplicasWithRules: clamps to minReplicas and to the lower of maxReplicas and the scale-up limit. */
export function convertDesiredReplicasWithRules(current: number, desired: number, min: number, max: number): Limited {
  const upLimit = calculateScaleUpLimit(current)
  const [maxAllowed, maxWhy] = max > upLimit ? [upLimit, UP_LIMIT] : [max, TOO_MANY]
  if (desired < min) return { replicas: min, ...TOO_FEW }
  if (desired > maxAllowed) return { replicas: maxAllowed, ...maxWhy }
  return { replicas: desired, ...WITHIN }
}

/**
 * stabilizeRecommendation: the highest of `desired` and the recommendations not older than the
 * window (a sample exactly at the cutoff still counts); `desired` replaces one expired sample, or
 * is appended.
 */
export function stabilizeRecommendation(recs: readonly Recommendation[], desired: number, now: number, windowMs = DOWNSCALE_STABILIZATION_MS): { replicas: number; recommendations: Recommendation[] } {
  const cutoff = now - windowMs
  let max = desired
  let old = -1
  for (let i = 0; i < recs.length; i++) {
    if (recs[i].at < cutoff) old = i
    else if (recs[i].replicas > max) max = recs[i].replicas
  }
  const next = [...recs]
  if (old >= 0) next[old] = { replicas: desired, at: now }
  else next.push({ replicas: desired, at: now })
  return { replicas: max, recommendations: next }
}

/** normalizeDesiredReplicas: the default behaviour (no `behavior` in the spec). */
export function normalizeDesiredReplicas(a: { recommendations: readonly Recommendation[]; current: number; desired: number; min: number; max: number; now: number }): Normalized {
  const { replicas: stabilized, recommendations } = stabilizeRecommendation(a.recommendations, a.desired, a.now)
  const conditions: ConditionChange[] = [
    stabilized !== a.desired
      ? { type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' }
      : { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
  ]
  const limited = convertDesiredReplicasWithRules(a.current, stabilized, a.min, a.max)
  conditions.push({ type: 'ScalingLimited', status: limited.replicas === stabilized ? 'False' : 'True', reason: limited.reason, message: limited.message })
  return { replicas: limited.replicas, conditions, recommendations }
}

/** The behavior with the controller's fill-ins: scale-down's window defaults to the 5-minute stabilization (maybeInitScaleDownStabilizationWindow). */
export interface Rules {
  stabilizationWindowSeconds: number
  selectPolicy: string
  policies: Array<{ type: string; value: number; periodSeconds: number }>
}

/** The scale-up and scale-down rules of a behavior, every field filled (API defaults, then the controller's). */
export function effectiveRules(b: HorizontalPodAutoscalerBehavior): { up: Rules; down: Rules } {
  const fill = (r: HPAScalingRules | undefined, d: Rules): Rules => ({
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? d.stabilizationWindowSeconds,
    selectPolicy: r?.selectPolicy ?? d.selectPolicy,
    policies: r?.policies ?? d.policies,
  })
  return {
    up: fill(b.scaleUp, { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] }),
    down: fill(b.scaleDown, { stabilizationWindowSeconds: DOWNSCALE_STABILIZATION_MS / 1000, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] }),
  }
}

/**
 * stabilizeRecommendationWithBehaviors: the current count brought within [lowest recommendation of
 * the scale-up window, highest of the scale-down window] (each including `desired`); `desired`
 * replaces a sample older than both windows, or is appended. The reason names the direction of
 * `desired` (ScaleUpStabilized / ScaleDownStabilized).
 */
export function stabilizeRecommendationWithBehaviors(recs: readonly Recommendation[], a: { current: number; desired: number; up: Rules; down: Rules; now: number }):
  { replicas: number; reason: string; message: string; recommendations: Recommendation[] } {
  const upCutoff = a.now - a.up.stabilizationWindowSeconds * 1000
  const downCutoff = a.now - a.down.stabilizationWindowSeconds * 1000
  let upRec = a.desired
  let downRec = a.desired
  let old = -1
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i]
    if (r.at > upCutoff) upRec = Math.min(r.replicas, upRec)
    if (r.at > downCutoff) downRec = Math.max(r.replicas, downRec)
    if (r.at < upCutoff && r.at < downCutoff) old = i
  }
  let replicas = a.current
  if (replicas < upRec) replicas = upRec
  if (replicas > downRec) replicas = downRec
  const next = [...recs]
  if (old >= 0) next[old] = { replicas: a.desired, at: a.now }
  else next.push({ replicas: a.desired, at: a.now })
  const up = a.desired >= a.current
  return {
    replicas,
    reason: up ? 'ScaleUpStabilized' : 'ScaleDownStabilized',
    message: up
      ? 'recent recommendations were lower than current one, applying the lowest recent recommendation'
      : 'recent recommendations were higher than current one, applying the highest recent recommendation',
    recommendations: next,
  }
}

/** The replicas changed by events newer than `periodSeconds` (strictly after the cutoff). */
export function replicasChangePerPeriod(periodSeconds: number, events: readonly ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000
  let n = 0
  for (const e of events) if (e.at > cutoff) n += e.change
  return n
}

/**
 * The most replicas the scale-up policies allow now. Each policy counts from the replicas at the
 * start of its period: 10 replicas after +6 in the last 60 s → period start 4; Pods 4 → 8,
 * Percent 100 → 8. selectPolicy Max takes the larger proposal, Min the smaller, Disabled keeps current.
 */
export function calculateScaleUpLimitWithScalingRules(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: Rules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current
  const min = rules.selectPolicy === 'Min'
  let result = min ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER
  for (const p of rules.policies) {
    const start = current - replicasChangePerPeriod(p.periodSeconds, up, now) + replicasChangePerPeriod(p.periodSeconds, down, now)
    // Rounded up: a small percentage of a few pods must still add one.
    const proposed = p.type === 'Pods' ? start + p.value : p.type === 'Percent' ? Math.ceil(start * (1 + p.value / 100)) : start
    result = min ? Math.min(result, proposed) : Math.max(result, proposed)
  }
  return result
}

/** The fewest replicas the scale-down policies allow now (Percent rounds the remaining count down: 10 × (1 − 15%) → 8). */
export function calculateScaleDownLimitWithBehaviors(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: Rules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current
  const min = rules.selectPolicy === 'Min'
  let result = min ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER
  for (const p of rules.policies) {
    const start = current - replicasChangePerPeriod(p.periodSeconds, up, now) + replicasChangePerPeriod(p.periodSeconds, down, now)
    const proposed = p.type === 'Pods' ? start - p.value : p.type === 'Percent' ? Math.trunc(start * (1 - p.value / 100)) : start
    // The smallest change (Min) keeps the most replicas.
    result = min ? Math.max(result, proposed) : Math.min(result, proposed)
  }
  return result
}

/** convertDesiredReplicasWithBehaviorRate: the policies' rate limits, then minReplicas and maxReplicas. */
export function convertDesiredReplicasWithBehaviorRate(a: { current: number; desired: number; min: number; max: number; up: Rules; down: Rules; upEvents: readonly ScaleEvent[]; downEvents: readonly ScaleEvent[]; now: number }): Limited {
  if (a.desired > a.current) {
    const limit = Math.max(calculateScaleUpLimitWithScalingRules(a.current, a.upEvents, a.downEvents, a.up, a.now), a.current)
    const [maxAllowed, why] = a.max > limit ? [limit, UP_LIMIT] : [a.max, TOO_MANY]
    if (a.desired > maxAllowed) return { replicas: maxAllowed, ...why }
  } else if (a.desired < a.current) {
    const limit = Math.min(calculateScaleDownLimitWithBehaviors(a.current, a.upEvents, a.downEvents, a.down, a.now), a.current)
    const [minAllowed, why] = a.min < limit ? [limit, DOWN_LIMIT] : [a.min, TOO_FEW]
    if (a.desired < minAllowed) return { replicas: minAllowed, ...why }
  }
  return { replicas: a.desired, ...WITHIN }
}

/** normalizeDesiredReplicasWithBehaviors: stabilization windows, then the policies' rates and the bounds. */
export function normalizeDesiredReplicasWithBehaviors(a: {
  behavior: HorizontalPodAutoscalerBehavior
  recommendations: readonly Recommendation[]
  upEvents: readonly ScaleEvent[]
  downEvents: readonly ScaleEvent[]
  current: number
  desired: number
  min: number
  max: number
  now: number
}): Normalized {
  const { up, down } = effectiveRules(a.behavior)
  const s = stabilizeRecommendationWithBehaviors(a.recommendations, { current: a.current, desired: a.desired, up, down, now: a.now })
  const conditions: ConditionChange[] = [
    s.replicas !== a.desired
      ? { type: 'AbleToScale', status: 'True', reason: s.reason, message: s.message }
      : { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
  ]
  const limited = convertDesiredReplicasWithBehaviorRate({ ...a, desired: s.replicas, up, down })
  conditions.push({ type: 'ScalingLimited', status: limited.replicas === s.replicas ? 'False' : 'True', reason: limited.reason, message: limited.message })
  return { replicas: limited.replicas, conditions, recommendations: s.recommendations }
}

/** The longest policy period of some rules, in seconds. */
export function longestPolicyPeriod(rules: Rules): number {
  return rules.policies.reduce((m, p) => Math.max(m, p.periodSeconds), 0)
}

/**
 * storeScaleEvent: records a rescale in the scale-up or scale-down list; an event older than the
 * longest policy period of its direction is replaced by it (upstream reuses outdated slots).
 * Without `behavior` nothing is recorded (nothing reads the events).
 */
export function storeScaleEvent(behavior: HorizontalPodAutoscalerBehavior | undefined, events: { up: ScaleEvent[]; down: ScaleEvent[] }, prev: number, next: number, now: number): { up: ScaleEvent[]; down: ScaleEvent[] } {
  if (!behavior) return events
  const { up, down } = effectiveRules(behavior)
  const goingUp = next > prev
  const list = [...(goingUp ? events.up : events.down)]
  const cutoff = now - longestPolicyPeriod(goingUp ? up : down) * 1000
  let outdated = -1
  for (let i = 0; i < list.length; i++) if (list[i].at < cutoff) outdated = i
  const ev = { change: Math.abs(next - prev), at: now }
  if (outdated >= 0) list[outdated] = ev
  else list.push(ev)
  return goingUp ? { up: list, down: events.down } : { up: events.up, down: list }
}
