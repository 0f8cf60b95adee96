/** Deployment (apps/v1): ValidateDeploymentSpec, the strategy rules, and selector immutability on update. */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { child, forbidden, invalid, nonNegative, notSupported, num, obj, required, str, type Obj } from './field.js'
import {
  intOrPercentValue,
  intOrStringText,
  isNotMoreThan100Percent,
  validatePositiveIntOrPercent,
} from './int-or-percent.js'
import { validateReplicatedSpec, validateSelectorImmutable } from './workload.js'

function validateRollingUpdate(ru: Obj, path: string): StatusCause[] {
  const unavailPath = child(path, 'maxUnavailable')
  const errs = validatePositiveIntOrPercent(ru.maxUnavailable, unavailPath)
  errs.push(...validatePositiveIntOrPercent(ru.maxSurge, child(path, 'maxSurge')))
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(invalid(unavailPath, intOrStringText(ru.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'))
  }
  errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, unavailPath))
  return errs
}

/** `ValidateDeploymentStrategy`. */
function validateStrategy(strategy: Obj, path: string): StatusCause[] {
  const type = str(strategy.type)
  const ru = obj(strategy.rollingUpdate)
  switch (type) {
    case 'Recreate':
      return strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null
        ? [forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")]
        : []
    case 'RollingUpdate':
      return ru
        ? validateRollingUpdate(ru, child(path, 'rollingUpdate'))
        : [required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil')]
    default:
      // Kubernetes passes the whole strategy struct here; we show its type, the part that is wrong.
      return [notSupported(path, type, ['Recreate', 'RollingUpdate'])]
  }
}

/** Validates a Deployment; `old` is the stored object on update. */
export function validateDeployment(obj1: KObject, old?: KObject): StatusCause[] {
  const spec = obj(obj1.spec) ?? {}
  const errs = validateReplicatedSpec(spec, 'spec')
  errs.push(...validateStrategy(obj(spec.strategy) ?? {}, 'spec.strategy'))
  const minReadySeconds = num(spec.minReadySeconds) ?? 0
  errs.push(...nonNegative(minReadySeconds, 'spec.minReadySeconds'))
  errs.push(...nonNegative(num(spec.revisionHistoryLimit), 'spec.revisionHistoryLimit'))
  const pds = num(spec.progressDeadlineSeconds)
  if (pds !== undefined) {
    errs.push(...nonNegative(pds, 'spec.progressDeadlineSeconds'))
    if (pds <= minReadySeconds) errs.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'))
  }
  errs.push(...validateSelectorImmutable(obj1, old))
  return errs
}
