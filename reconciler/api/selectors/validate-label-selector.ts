/** metav1.LabelSelector validation as apimachinery's ValidateLabelSelector (Kubernetes 1.32). */
import type { StatusCause } from '../errors.js'
import { childPath, forbidden, invalid, keyPath, required } from '../validation/field-error.js'
import { isQualifiedName, isValidLabelValue } from '../validation/names.js'
import { validateLabels } from '../validation/object-meta.js'
import type { LabelSelectorSpec } from './label-selector.js'

/**
 * Causes for a selector at `field` (e.g. `spec.selector`): matchLabels as labels; each expression's
 * operator known, values present for In/NotIn and absent for Exists/DoesNotExist, key and values valid.
 */
export function validateLabelSelector(sel: LabelSelectorSpec | null | undefined, field: string): StatusCause[] {
  if (!sel) return []
  const errs = validateLabels(sel.matchLabels ?? undefined, childPath(field, 'matchLabels'))
  ;(sel.matchExpressions ?? []).forEach((expr, i) => {
    const at = keyPath(childPath(field, 'matchExpressions'), i)
    const values = expr.values ?? []
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(childPath(at, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"))
        break
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(forbidden(childPath(at, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        }
        break
      default:
        errs.push(invalid(childPath(at, 'operator'), expr.operator ?? '', 'not a valid selector operator'))
    }
    for (const msg of isQualifiedName(expr.key ?? '')) errs.push(invalid(childPath(at, 'key'), expr.key ?? '', msg))
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalid(keyPath(childPath(at, 'values'), j), v, msg))
    })
  })
  return errs
}
