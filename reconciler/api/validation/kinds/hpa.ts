/** HorizontalPodAutoscaler (autoscaling/v2): replicas bounds, scale target, metrics and behavior. */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { isDNS1123Label } from '../names.js'
import { arr, child, forbidden, index, invalid, notSupported, num, obj, required, str, type Obj } from './field.js'
import { parseQuantity, QUANTITY_FORMAT_ERROR } from './quantity.js'
import { validateResourceName as validateContainerResourceName } from './resources.js'

/** Longest stabilization window, in seconds. */
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600
/** Longest scaling policy period, in seconds. */
export const MAX_PERIOD_SECONDS = 1800
/** Metric source types, sorted as Kubernetes lists them. */
export const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource']
const fieldOfType: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
}

/** `IsValidPathSegmentName`. */
function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`]
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`)
}

/** `ValidateCrossVersionObjectReference`: kind and name required and usable in a URL path. */
function validateObjectReference(ref: Obj, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  for (const f of ['kind', 'name']) {
    const v = str(ref[f])
    if (!v) errs.push(required(child(path, f)))
    else for (const msg of pathSegmentErrors(v)) errs.push(invalid(child(path, f), v, msg))
  }
  return errs
}

function validateMetricIdentifier(id: Obj, path: string): StatusCause[] {
  const name = str(id.name)
  if (!name) return [required(child(path, 'name'), 'must specify a metric name')]
  return pathSegmentErrors(name).map((msg) => invalid(child(path, 'name'), name, msg))
}

/** A positive quantity; Kubernetes prints a Quantity unquoted (it is a Stringer). */
function validatePositiveQuantity(v: unknown, path: string): StatusCause[] {
  if (v === undefined || v === null) return []
  const text = String(v)
  const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined
  if (q === undefined) return [invalid(path, text, QUANTITY_FORMAT_ERROR)]
  return q > 0 ? [] : [invalid(path, { raw: text }, 'must be positive')]
}

/** `validateMetricTarget`. */
function validateMetricTarget(t: Obj, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  const type = str(t.type)
  if (!type) errs.push(required(child(path, 'type'), 'must specify a metric target type'))
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') {
    errs.push(invalid(child(path, 'type'), type, 'must be either Utilization, Value, or AverageValue'))
  }
  errs.push(...validatePositiveQuantity(t.value, child(path, 'value')))
  errs.push(...validatePositiveQuantity(t.averageValue, child(path, 'averageValue')))
  const util = num(t.averageUtilization)
  if (util !== undefined && util < 1) errs.push(invalid(child(path, 'averageUtilization'), util, 'must be greater than 0'))
  return errs
}

const has = (o: Obj, k: string): boolean => o[k] !== undefined && o[k] !== null

function validateSource(kind: string, src: Obj, path: string): StatusCause[] {
  const target = obj(src.target) ?? {}
  const tp = child(path, 'target')
  const errs: StatusCause[] = []
  switch (kind) {
    case 'object':
      errs.push(...validateObjectReference(obj(src.describedObject) ?? {}, child(path, 'describedObject')))
      errs.push(...validateMetricIdentifier(obj(src.metric) ?? {}, child(path, 'metric')))
      errs.push(...validateMetricTarget(target, tp))
      if (!has(target, 'value') && !has(target, 'averageValue')) {
        errs.push(required(child(tp, 'averageValue'), 'must set either a target value or averageValue'))
      }
      break
    case 'external':
      errs.push(...validateMetricIdentifier(obj(src.metric) ?? {}, child(path, 'metric')))
      errs.push(...validateMetricTarget(target, tp))
      if (!has(target, 'value') && !has(target, 'averageValue')) {
        errs.push(required(child(tp, 'averageValue'), 'must set either a target value for metric or a per-pod target'))
      }
      if (has(target, 'value') && has(target, 'averageValue')) {
        errs.push(forbidden(child(tp, 'value'), 'may not set both a target value for metric and a per-pod target'))
      }
      break
    case 'pods':
      errs.push(...validateMetricIdentifier(obj(src.metric) ?? {}, child(path, 'metric')))
      errs.push(...validateMetricTarget(target, tp))
      if (!has(target, 'averageValue')) errs.push(required(child(tp, 'averageValue'), 'must specify a positive target averageValue'))
      break
    case 'resource':
    case 'containerResource': {
      const name = str(src.name)
      if (!name) errs.push(required(child(path, 'name'), 'must specify a resource name'))
      else if (kind === 'containerResource') errs.push(...validateContainerResourceName(name, child(path, 'name')))
      if (kind === 'containerResource') {
        const container = str(src.container)
        if (!container) errs.push(required(child(path, 'container'), 'must specify a container'))
        else for (const msg of isDNS1123Label(container)) errs.push(invalid(child(path, 'container'), container, msg))
      }
      errs.push(...validateMetricTarget(target, tp))
      if (!has(target, 'averageUtilization') && !has(target, 'averageValue')) {
        errs.push(required(child(tp, 'averageUtilization'), 'must set either a target raw value or a target utilization'))
      }
      if (has(target, 'averageUtilization') && has(target, 'averageValue')) {
        errs.push(forbidden(child(tp, 'averageValue'), 'may not set both a target raw value and a target utilization'))
      }
      break
    }
  }
  return errs
}

/** `validateMetricSpec`: a known type, its source populated, and no other source beside it. */
function validateMetricSpec(m: Obj, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  const type = str(m.type)
  if (!type) errs.push(required(child(path, 'type'), 'must specify a metric source type'))
  if (!METRIC_SOURCE_TYPES.includes(type)) errs.push(notSupported(child(path, 'type'), type, METRIC_SOURCE_TYPES))
  const present: string[] = []
  for (const f of ['object', 'external', 'pods', 'resource', 'containerResource']) {
    const src = obj(m[f])
    if (!src) continue
    present.push(f)
    if (present.length === 1) errs.push(...validateSource(f, src, child(path, f)))
  }
  const expected = fieldOfType[type]
  if (expected === undefined) errs.push(notSupported(child(path, 'type'), type, METRIC_SOURCE_TYPES))
  else if (!present.includes(expected)) errs.push(required(child(path, expected), 'must populate information for the given metric source'))
  if (present.length !== 1) {
    for (const f of present) if (f !== expected) errs.push(forbidden(child(path, f), 'must populate the given metric source only'))
  }
  return errs
}

function validateScalingRules(rules: Obj | undefined, path: string): StatusCause[] {
  if (!rules) return []
  const errs: StatusCause[] = []
  const window = num(rules.stabilizationWindowSeconds)
  const wp = child(path, 'stabilizationWindowSeconds')
  if (window !== undefined && window < 0) errs.push(invalid(wp, window, 'must be greater than or equal to zero'))
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(invalid(wp, window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`))
  }
  if (typeof rules.selectPolicy === 'string' && !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy)) {
    errs.push(notSupported(child(path, 'selectPolicy'), rules.selectPolicy, ['Disabled', 'Max', 'Min']))
  }
  const pp = child(path, 'policies')
  const policies = arr(rules.policies)
  if (policies.length === 0) errs.push(required(pp, 'must specify at least one Policy'))
  policies.forEach((raw, i) => {
    const p = obj(raw) ?? {}
    const ip = index(pp, i)
    const type = str(p.type)
    if (type !== 'Pods' && type !== 'Percent') errs.push(notSupported(child(ip, 'type'), type, ['Percent', 'Pods']))
    const value = num(p.value) ?? 0
    if (value <= 0) errs.push(invalid(child(ip, 'value'), value, 'must be greater than zero'))
    const period = num(p.periodSeconds) ?? 0
    if (period <= 0) errs.push(invalid(child(ip, 'periodSeconds'), period, 'must be greater than zero'))
    if (period > MAX_PERIOD_SECONDS) errs.push(invalid(child(ip, 'periodSeconds'), period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`))
  })
  return errs
}

/** Validates a HorizontalPodAutoscaler (minReplicas ≥ 1: HPAScaleToZero is off in 1.32). */
export function validateHpa(hpa: KObject, old?: KObject): StatusCause[] {
  const spec = obj(hpa.spec) ?? {}
  const errs: StatusCause[] = []
  const oldMin = old ? num(obj(old.spec)?.minReplicas) : undefined
  const lowerBound = oldMin === 0 ? 0 : 1
  const min = num(spec.minReplicas)
  const max = num(spec.maxReplicas) ?? 0
  if (min !== undefined && min < lowerBound) errs.push(invalid('spec.minReplicas', min, `must be greater than or equal to ${lowerBound}`))
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'))
  if (min !== undefined && max < min) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'))
  errs.push(...validateObjectReference(obj(spec.scaleTargetRef) ?? {}, 'spec.scaleTargetRef'))
  arr(spec.metrics).forEach((m, i) => errs.push(...validateMetricSpec(obj(m) ?? {}, index('spec.metrics', i))))
  const behavior = obj(spec.behavior)
  if (behavior) {
    errs.push(...validateScalingRules(obj(behavior.scaleUp), 'spec.behavior.scaleUp'))
    errs.push(...validateScalingRules(obj(behavior.scaleDown), 'spec.behavior.scaleDown'))
  }
  return errs
}
