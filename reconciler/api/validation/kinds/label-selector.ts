/** metav1 LabelSelector validation (ValidateLabelSelector, strict values) and matching. */
import type { StatusCause } from '../../errors.js'
import { isQualifiedName, isValidLabelValue } from '../names.js'
import { validateLabels } from '../object-meta.js'
import { arr, child, forbidden, index, invalid, obj, required, str, strMap } from './field.js'

/** `ValidateLabelName`: a label key is a qualified name. */
export function validateLabelName(name: string, field: string): StatusCause[] {
  return isQualifiedName(name).map((msg) => invalid(field, name, msg))
}

/** matchLabels as labels; each matchExpression with a known operator, values as the operator needs. */
export function validateLabelSelector(selector: unknown, field: string): StatusCause[] {
  const s = obj(selector)
  if (!s) return []
  const errs = validateLabels(strMap(s.matchLabels), child(field, 'matchLabels'))
  arr(s.matchExpressions).forEach((e, i) => {
    const r = obj(e) ?? {}
    const p = index(child(field, 'matchExpressions'), i)
    const values = arr(r.values).map(str)
    const op = str(r.operator)
    switch (op) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"))
        break
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        break
      default:
        errs.push(invalid(child(p, 'operator'), op, 'not a valid selector operator'))
    }
    errs.push(...validateLabelName(str(r.key), child(p, 'key')))
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalid(index(child(p, 'values'), j), v, msg))
    })
  })
  return errs
}

/** True when the selector has no requirement (matches everything). */
export function selectorIsEmpty(selector: unknown): boolean {
  const s = obj(selector)
  if (!s) return true
  return Object.keys(strMap(s.matchLabels) ?? {}).length + arr(s.matchExpressions).length === 0
}

/** True when `labels` satisfy every matchLabels entry and matchExpression. */
export function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  const s = obj(selector)
  if (!s) return true
  const l = labels ?? {}
  for (const [k, v] of Object.entries(strMap(s.matchLabels) ?? {})) if (l[k] !== v) return false
  for (const e of arr(s.matchExpressions)) {
    const r = obj(e) ?? {}
    const k = str(r.key)
    const values = arr(r.values).map(str)
    const has = Object.prototype.hasOwnProperty.call(l, k)
    switch (str(r.operator)) {
      case 'In':
        if (!has || !values.includes(l[k])) return false
        break
      case 'NotIn':
        if (has && values.includes(l[k])) return false
        break
      case 'Exists':
        if (!has) return false
        break
      case 'DoesNotExist':
        if (has) return false
        break
      default:
        return false
    }
  }
  return true
}
