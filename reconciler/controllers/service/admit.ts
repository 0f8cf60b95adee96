/**
 * Allocation at write time, as kube-apiserver's Service REST storage does it: for the API server to
 * call on every create and update of a Service (not status), after defaulting and before validation.
 * A chosen cluster IP or node port that is taken answers 422 with the causes returned here.
 */
import type { StatusCause } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import { allocateService, collectAllocations, ownerKey } from './allocate.js'

/** Allocates what `svc` lacks, in place, given every stored Service; returns the 422 causes (then `svc` is unchanged). */
export function allocateOnWrite(svc: KObject, services: readonly KObject[]): StatusCause[] {
  const self = ownerKey(svc)
  const used = collectAllocations(services.filter((s) => ownerKey(s) !== self))
  const r = allocateService(svc, used)
  if (r.causes.length) return r.causes
  if (r.changed) svc.spec = r.spec
  return []
}
