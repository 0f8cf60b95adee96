/** Namespace: `spec.finalizers` are qualified names, and a bare name must be a standard one. */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { isQualifiedName } from '../names.js'
import { validateBuiltinFinalizerName } from '../object-meta.js'
import { arr, invalid, obj, str } from './field.js'

/** Validates a Namespace (its name, a DNS label, is metadata's concern). */
export function validateNamespace(ns: KObject): StatusCause[] {
  const errs: StatusCause[] = []
  for (const raw of arr(obj(ns.spec)?.finalizers)) {
    const f = str(raw)
    for (const msg of isQualifiedName(f)) errs.push(invalid('spec.finalizers', f, msg))
    errs.push(...validateBuiltinFinalizerName(f, 'spec.finalizers'))
  }
  return errs
}
