import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimitWithScalingRules,
  convertDesiredReplicasWithRules,
  effectiveRules,
  normalizeDesiredReplicas,
  normalizeDesiredReplicasWithBehaviors,
  stabilizeRecommendation,
  storeScaleEvent,
  type Rules,
} from '../../../reconciler/controllers/hpa/normalize.js'

const NOW = 1_000_000_000
const s = (seconds: number): number => NOW - seconds * 1000

const Rules_ = suite('hpa: convertDesiredReplicasWithRules (default behaviour)')
const ruleCases: Array<{ name: string; current: number; desired: number; min: number; max: number; want: number; reason: string }> = [
  { name: 'from 1: at most +4 (max(2 × 1, 4))', current: 1, desired: 100, min: 1, max: 10, want: 4, reason: 'ScaleUpLimit' },
  { name: 'from 4: at most double', current: 4, desired: 100, min: 1, max: 10, want: 8, reason: 'ScaleUpLimit' },
  { name: 'from 8: maxReplicas first', current: 8, desired: 100, min: 1, max: 10, want: 10, reason: 'TooManyReplicas' },
  { name: 'below minReplicas', current: 10, desired: 0, min: 1, max: 10, want: 1, reason: 'TooFewReplicas' },
  { name: 'within range', current: 3, desired: 5, min: 1, max: 10, want: 5, reason: 'DesiredWithinRange' },
  { name: 'a scale-down is not rate limited', current: 10, desired: 2, min: 1, max: 10, want: 2, reason: 'DesiredWithinRange' },
]
for (const c of ruleCases) {
  Rules_(c.name, () => {
    const r = convertDesiredReplicasWithRules(c.current, c.desired, c.min, c.max)
    assert.is(r.replicas, c.want)
    assert.is(r.reason, c.reason)
  })
}
Rules_.run()

const Stab = suite('hpa: stabilizeRecommendation (5-minute window)')
Stab('the highest recommendation of the window wins; a sample exactly at the cutoff counts', () => {
  const recs = [{ replicas: 10, at: s(300) }, { replicas: 3, at: s(100) }]
  assert.is(stabilizeRecommendation(recs, 1, NOW).replicas, 10)
})
Stab('an expired sample no longer counts, and its slot takes the new one', () => {
  const recs = [{ replicas: 10, at: s(301) }, { replicas: 3, at: s(100) }]
  const r = stabilizeRecommendation(recs, 1, NOW)
  assert.is(r.replicas, 3)
  assert.equal(r.recommendations, [{ replicas: 1, at: NOW }, { replicas: 3, at: s(100) }])
})
Stab('normalizeDesiredReplicas: ScaleDownStabilized while a higher recommendation is recent', () => {
  const r = normalizeDesiredReplicas({ recommendations: [{ replicas: 10, at: s(60) }], current: 10, desired: 0, min: 1, max: 10, now: NOW })
  assert.is(r.replicas, 10)
  assert.equal(r.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`), ['AbleToScale=True/ScaleDownStabilized', 'ScalingLimited=False/DesiredWithinRange'])
})
Stab('normalizeDesiredReplicas: ReadyForNewScale, limited by minReplicas', () => {
  const r = normalizeDesiredReplicas({ recommendations: [{ replicas: 10, at: s(400) }], current: 10, desired: 0, min: 1, max: 10, now: NOW })
  assert.is(r.replicas, 1)
  assert.equal(r.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`), ['AbleToScale=True/ReadyForNewScale', 'ScalingLimited=True/TooFewReplicas'])
})
Stab.run()

const rules = (selectPolicy: string, policies: Rules['policies'], stabilizationWindowSeconds = 0): Rules => ({ selectPolicy, policies, stabilizationWindowSeconds })

const Policies = suite('hpa: behavior policies')
const upCases: Array<{ name: string; current: number; up: number[][]; rules: Rules; want: number }> = [
  { name: 'defaults from 1: max(+4, ×2) → 5', current: 1, up: [], rules: effectiveRules({}).up, want: 5 },
  { name: 'defaults from 10: ×2 → 20', current: 10, up: [], rules: effectiveRules({}).up, want: 20 },
  { name: 'counted from the start of the period: 10 after +6 in 60 s → from 4, +4 / ×2 → 8', current: 10, up: [[6, 30]], rules: rules('Max', [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 100, periodSeconds: 60 }]), want: 8 },
  { name: 'an event older than the period does not count', current: 10, up: [[6, 61]], rules: rules('Max', [{ type: 'Pods', value: 4, periodSeconds: 60 }]), want: 14 },
  { name: 'Min takes the smaller proposal', current: 10, up: [], rules: rules('Min', [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 100, periodSeconds: 60 }]), want: 14 },
  { name: 'Percent rounds up: 1 × 110% → 2', current: 1, up: [], rules: rules('Max', [{ type: 'Percent', value: 10, periodSeconds: 60 }]), want: 2 },
  { name: 'Disabled keeps the current count', current: 3, up: [], rules: rules('Disabled', [{ type: 'Pods', value: 4, periodSeconds: 60 }]), want: 3 },
]
for (const c of upCases) {
  Policies(`up: ${c.name}`, () => {
    const events = c.up.map(([change, ago]) => ({ change, at: s(ago) }))
    assert.is(calculateScaleUpLimitWithScalingRules(c.current, events, [], c.rules, NOW), c.want)
  })
}
const downCases: Array<{ name: string; current: number; down: number[][]; rules: Rules; want: number }> = [
  { name: 'Percent 50 of 10 → 5; Pods 3 → 7; Max (the biggest change) → 5', current: 10, down: [], rules: rules('Max', [{ type: 'Percent', value: 50, periodSeconds: 60 }, { type: 'Pods', value: 3, periodSeconds: 60 }]), want: 5 },
  { name: 'Min (the smallest change) → 7', current: 10, down: [], rules: rules('Min', [{ type: 'Percent', value: 50, periodSeconds: 60 }, { type: 'Pods', value: 3, periodSeconds: 60 }]), want: 7 },
  { name: 'Percent rounds the remaining count down: 10 × 85% → 8', current: 10, down: [], rules: rules('Max', [{ type: 'Percent', value: 15, periodSeconds: 60 }]), want: 8 },
  { name: 'from the start of the period: 8 after −2 → from 10, Pods 2 → 8 (no further)', current: 8, down: [[2, 10]], rules: rules('Max', [{ type: 'Pods', value: 2, periodSeconds: 60 }]), want: 8 },
]
for (const c of downCases) {
  Policies(`down: ${c.name}`, () => {
    const events = c.down.map(([change, ago]) => ({ change, at: s(ago) }))
    assert.is(calculateScaleDownLimitWithBehaviors(c.current, [], events, c.rules, NOW), c.want)
  })
}
Policies('normalizeDesiredReplicasWithBehaviors: one pod per minute', () => {
  const behavior = { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } }
  const r = normalizeDesiredReplicasWithBehaviors({ behavior, recommendations: [], upEvents: [{ change: 1, at: s(30) }], downEvents: [], current: 2, desired: 6, min: 1, max: 10, now: NOW })
  assert.is(r.replicas, 2)
  assert.equal(r.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`), ['AbleToScale=True/ReadyForNewScale', 'ScalingLimited=True/ScaleUpLimit'])
})
Policies('normalizeDesiredReplicasWithBehaviors: a scale-up window takes the lowest recent recommendation', () => {
  const behavior = { scaleUp: { stabilizationWindowSeconds: 60 }, scaleDown: { stabilizationWindowSeconds: 0 } }
  const r = normalizeDesiredReplicasWithBehaviors({ behavior, recommendations: [{ replicas: 5, at: s(30) }], upEvents: [], downEvents: [], current: 4, desired: 8, min: 1, max: 10, now: NOW })
  assert.is(r.replicas, 5)
  assert.equal(r.conditions[0].reason, 'ScaleUpStabilized')
})
Policies('normalizeDesiredReplicasWithBehaviors: scale-down window 0 scales down at once; default scale-down window is 300 s', () => {
  const recs = [{ replicas: 10, at: s(60) }]
  const now0 = normalizeDesiredReplicasWithBehaviors({ behavior: { scaleDown: { stabilizationWindowSeconds: 0 } }, recommendations: recs, upEvents: [], downEvents: [], current: 10, desired: 2, min: 1, max: 10, now: NOW })
  assert.is(now0.replicas, 2)
  const deflt = normalizeDesiredReplicasWithBehaviors({ behavior: { scaleDown: {} }, recommendations: recs, upEvents: [], downEvents: [], current: 10, desired: 2, min: 1, max: 10, now: NOW })
  assert.is(deflt.replicas, 10)
  assert.equal(deflt.conditions[0].reason, 'ScaleDownStabilized')
})
Policies('storeScaleEvent: nothing without behavior; an outdated event is replaced', () => {
  assert.equal(storeScaleEvent(undefined, { up: [], down: [] }, 1, 4, NOW), { up: [], down: [] })
  const b = { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] } }
  const r = storeScaleEvent(b, { up: [{ change: 2, at: s(120) }, { change: 1, at: s(30) }], down: [] }, 4, 7, NOW)
  assert.equal(r.up, [{ change: 3, at: NOW }, { change: 1, at: s(30) }])
})
Policies.run()
