/** Pod: ValidatePodSpec on create; on update, only the fields Kubernetes lets a pod change. */
import type { StatusCause } from '../../errors.js'
import { clone, jsonEqual, type KObject } from '../../object.js'
import { arr, forbidden, obj, type Obj } from './field.js'
import { validatePodSpec } from './pod-spec.js'

const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
]

/** The new spec with every field a pod may change set back to the old value, as ValidatePodUpdate munges it. */
function mungeSpec(spec: Obj, oldSpec: Obj): Obj {
  const m = clone(spec)
  for (const list of ['containers', 'initContainers'] as const) {
    const now = arr(m[list])
    const before = arr(oldSpec[list])
    if (now.length !== before.length) continue
    now.forEach((c, i) => {
      const cur = obj(c)
      const prev = obj(before[i])
      if (cur && prev) cur.image = prev.image
    })
  }
  m.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds
  m.tolerations = oldSpec.tolerations
  const grace = oldSpec.terminationGracePeriodSeconds
  if (typeof grace === 'number' && grace < 0 && m.terminationGracePeriodSeconds === 1) m.terminationGracePeriodSeconds = grace
  // capstan has no pods/binding subresource: the scheduler binds a pod by setting nodeName once.
  if (!oldSpec.nodeName) m.nodeName = oldSpec.nodeName
  return m
}

/** Only additions to tolerations (an existing one may change only its tolerationSeconds). */
function validateOnlyAddedTolerations(spec: Obj, oldSpec: Obj): StatusCause[] {
  const strip = (t: unknown): unknown => {
    const o = { ...(obj(t) ?? {}) }
    delete o.tolerationSeconds
    return o
  }
  const now = arr(spec.tolerations).map(strip)
  for (const t of arr(oldSpec.tolerations).map(strip)) {
    if (!now.some((n) => jsonEqual(n, t))) {
      return [forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')]
    }
  }
  return []
}

/**
 * Validates a Pod; `old` is the stored pod on update. On create this is ValidatePodSpec alone, a
 * function of the spec: checkObject's memo of valid pod specs (valid-specs.ts) relies on that, so a
 * create rule that reads anything else must be run outside validateKind there.
 */
export function validatePod(pod: KObject, old?: KObject): StatusCause[] {
  const spec = obj(pod.spec) ?? {}
  const errs = validatePodSpec(spec, 'spec')
  if (!old) return errs
  const oldSpec = obj(old.spec) ?? {}
  errs.push(...validateOnlyAddedTolerations(spec, oldSpec))
  if (!jsonEqual(mungeSpec(spec, oldSpec), oldSpec)) {
    // Kubernetes appends a diff of the two specs to this message; we leave it out.
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}`))
  }
  return errs
}
