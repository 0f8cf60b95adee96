/** ReplicaSet (apps/v1): ValidateReplicaSetSpec and selector immutability on update. */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { nonNegative, num, obj } from './field.js'
import { validateReplicatedSpec, validateSelectorImmutable } from './workload.js'

/** Validates a ReplicaSet; `old` is the stored object on update. */
export function validateReplicaSet(rs: KObject, old?: KObject): StatusCause[] {
  const spec = obj(rs.spec) ?? {}
  const errs = validateReplicatedSpec(spec, 'spec')
  errs.push(...nonNegative(num(spec.minReadySeconds), 'spec.minReadySeconds'))
  errs.push(...validateSelectorImmutable(rs, old))
  return errs
}
