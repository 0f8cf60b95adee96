/** What Deployment and ReplicaSet share: replicas, selector, a template the selector matches (apps validation). */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { jsonEqual } from '../../object.js'
import { child, forbidden, invalid, nonNegative, notSupported, num, obj, required, str, strMap, type Obj } from './field.js'
import { goLabelSelector, goStringMap } from './go-values.js'
import { selectorIsEmpty, selectorMatches, validateLabelSelector } from './label-selector.js'
import { validatePodTemplateSpec } from './pod-spec.js'

/** `ValidatePodTemplateSpecForReplicaSet`: labels match the selector, a valid pod template, restartPolicy Always. */
function validateTemplateForReplicaSet(template: unknown, selector: unknown, path: string, kind: string): StatusCause[] {
  const t = obj(template)
  if (!t) return [required(path)]
  const errs: StatusCause[] = []
  const labels = strMap(obj(t.metadata)?.labels)
  if (!selectorIsEmpty(selector) && !selectorMatches(selector, labels)) {
    errs.push(invalid(child(path, 'metadata', 'labels'), { raw: goStringMap(labels) }, '`selector` does not match template `labels`'))
  }
  errs.push(...validatePodTemplateSpec(t, path))
  const spec = obj(t.spec) ?? {}
  const restartPolicy = str(spec.restartPolicy)
  if (restartPolicy !== 'Always') errs.push(notSupported(child(path, 'spec', 'restartPolicy'), restartPolicy, ['Always']))
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(child(path, 'spec', 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kind} is not Supported`))
  }
  return errs
}

/** replicas ≥ 0, a non-empty valid selector, and a template it selects. */
export function validateReplicatedSpec(spec: Obj, path: string): StatusCause[] {
  const errs = nonNegative(num(spec.replicas), child(path, 'replicas'))
  const selPath = child(path, 'selector')
  const selector = obj(spec.selector)
  if (!selector) errs.push(required(selPath))
  else {
    errs.push(...validateLabelSelector(selector, selPath))
    if (selectorIsEmpty(selector)) errs.push(invalid(selPath, { raw: goLabelSelector(selector) }, 'empty selector is invalid for deployment'))
  }
  errs.push(...validateTemplateForReplicaSet(spec.template, selector, child(path, 'template'), 'ReplicaSet'))
  return errs
}

/** On update of an apps/v1 Deployment or ReplicaSet, `spec.selector` may not change. */
export function validateSelectorImmutable(obj1: KObject, old: KObject | undefined): StatusCause[] {
  if (!old) return []
  const now = obj(obj1.spec)?.selector
  const before = obj(old.spec)?.selector
  if (jsonEqual(now, before)) return []
  return [invalid('spec.selector', { raw: goLabelSelector(now) }, 'field is immutable')]
}
