/** Pod scheduling fields: tolerations, taint effects and topology spread constraints. */
import type { StatusCause } from '../../errors.js'
import { goQuote } from '../go-format.js'
import { isValidLabelValue } from '../names.js'
import { arr, child, duplicate, index, invalid, notSupported, num, obj, required, str, type Obj } from './field.js'
import { goIntPtr } from './go-values.js'
import { validateLabelName, validateLabelSelector } from './label-selector.js'

/** Taint effects Kubernetes accepts, in its order. */
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute']

/** `validateTaintEffect`. */
export function validateTaintEffect(effect: string, allowEmpty: boolean, path: string): StatusCause[] {
  if (!allowEmpty && effect === '') return [required(path)]
  return TAINT_EFFECTS.includes(effect) ? [] : [notSupported(path, effect, TAINT_EFFECTS)]
}

function goToleration(t: Obj): string {
  return (
    `core.Toleration{Key:${goQuote(str(t.key))}, Operator:${goQuote(str(t.operator))}, Value:${goQuote(str(t.value))}, ` +
    `Effect:${goQuote(str(t.effect))}, TolerationSeconds:${goIntPtr(t.tolerationSeconds)}}`
  )
}

/** `ValidateTolerations`. */
export function validateTolerations(tolerations: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  arr(tolerations).forEach((raw, i) => {
    const t = obj(raw) ?? {}
    const p = index(path, i)
    const key = str(t.key)
    const operator = str(t.operator)
    const value = str(t.value)
    const effect = str(t.effect)
    if (key) errs.push(...validateLabelName(key, child(p, 'key')))
    if (!key && operator !== 'Exists') {
      errs.push(invalid(child(p, 'operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'))
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
      errs.push(invalid(child(p, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
    }
    switch (operator) {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(value)
        if (msgs.length) errs.push(invalid(child(p, 'operator'), value, msgs.join(';')))
        break
      }
      case 'Exists':
        if (value) errs.push(invalid(child(p, 'operator'), { raw: goToleration(t) }, "value must be empty when `operator` is 'Exists'"))
        break
      default:
        errs.push(notSupported(child(p, 'operator'), operator, ['Equal', 'Exists']))
    }
    if (effect) errs.push(...validateTaintEffect(effect, true, child(p, 'effect')))
  })
  return errs
}

const whenUnsatisfiable = ['DoNotSchedule', 'ScheduleAnyway']

/** `validateTopologySpreadConstraints` (maxSkew, topologyKey, whenUnsatisfiable, uniqueness, minDomains). */
export function validateTopologySpreadConstraints(constraints: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  const list = arr(constraints).map((c) => obj(c) ?? {})
  list.forEach((c, i) => {
    const p = index(path, i)
    const maxSkew = num(c.maxSkew) ?? 0
    if (maxSkew <= 0) errs.push(invalid(child(p, 'maxSkew'), maxSkew, 'must be greater than zero'))
    const topologyKey = str(c.topologyKey)
    if (!topologyKey) errs.push(required(child(p, 'topologyKey'), 'can not be empty'))
    const action = str(c.whenUnsatisfiable)
    if (!whenUnsatisfiable.includes(action)) errs.push(notSupported(child(p, 'whenUnsatisfiable'), action, whenUnsatisfiable))
    if (list.slice(i + 1).some((o) => str(o.topologyKey) === topologyKey && str(o.whenUnsatisfiable) === action)) {
      errs.push(duplicate(child(p, '{topologyKey, whenUnsatisfiable}'), `{${topologyKey}, ${action}}`))
    }
    const minDomains = num(c.minDomains)
    if (minDomains !== undefined) {
      if (minDomains <= 0) errs.push(invalid(child(p, 'minDomains'), minDomains, 'must be greater than zero'))
      if (action !== 'DoNotSchedule') {
        errs.push(invalid(child(p, 'minDomains'), minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`))
      }
    }
    errs.push(...validateLabelSelector(c.labelSelector, child(p, 'labelSelector')))
  })
  return errs
}
