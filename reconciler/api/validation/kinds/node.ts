/** Node: taints, pod CIDRs, status quantities; on update pod CIDRs and providerID are set once. */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { goQuote } from '../go-format.js'
import { isValidLabelValue } from '../names.js'
import { arr, child, forbidden, index, invalid, obj, str, type Obj } from './field.js'
import { parseCIDR, validateCIDR } from './ip.js'
import { validateLabelName } from './label-selector.js'
import { parseQuantity, QUANTITY_FORMAT_ERROR } from './quantity.js'
import { validateTaintEffect } from './scheduling.js'

/** podCIDRs as the v1 conversion fills them: `podCIDRs`, else `[podCIDR]`. */
function podCIDRsOf(spec: Obj): string[] {
  const list = arr(spec.podCIDRs).map(str)
  if (list.length) return list
  const one = str(spec.podCIDR)
  return one ? [one] : []
}

function goTaint(t: Obj): string {
  return `core.Taint{Key:${goQuote(str(t.key))}, Value:${goQuote(str(t.value))}, Effect:${goQuote(str(t.effect))}, TimeAdded:<nil>}`
}

/**
 * `validateNodeTaints`. Kubernetes reports taint problems under `metadata.taints[i]` (it builds the
 * path from the metadata path), and so do we, to read as kube-apiserver does.
 */
export function validateTaints(taints: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = []
  const seen = new Set<string>()
  arr(taints).forEach((raw, i) => {
    const t = obj(raw) ?? {}
    const p = index(path, i)
    errs.push(...validateLabelName(str(t.key), child(p, 'key')))
    const msgs = isValidLabelValue(str(t.value))
    if (msgs.length) errs.push(invalid(child(p, 'value'), str(t.value), msgs.join(';')))
    errs.push(...validateTaintEffect(str(t.effect), false, child(p, 'effect')))
    const k = `${str(t.effect)}\u0000${str(t.key)}`
    if (seen.has(k)) {
      errs.push({
        reason: 'FieldValueDuplicate',
        message: `Duplicate value: ${goTaint(t)}: taints must be unique by key and effect pair`,
        field: p,
      })
      return
    }
    seen.add(k)
  })
  return errs
}

function validatePodCIDRs(cidrs: string[]): StatusCause[] {
  const errs: StatusCause[] = []
  const path = 'spec.podCIDRs'
  cidrs.forEach((c, i) => errs.push(...validateCIDR(c, index(path, i))))
  if (cidrs.length > 1) {
    const families = cidrs.map(parseCIDR)
    const dualStack = cidrs.length === 2 && families.includes(4) && families.includes(6)
    if (!dualStack) errs.push(invalid(path, cidrs, 'may specify no more than one CIDR for each IP family'))
    const seen = new Set<string>()
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${goQuote(c)}`, field: index(path, i) })
      seen.add(c)
    })
  }
  return errs
}

function validateStatusQuantities(status: Obj): StatusCause[] {
  const errs: StatusCause[] = []
  for (const list of ['capacity', 'allocatable']) {
    const o = obj(status[list]) ?? {}
    for (const name of Object.keys(o).sort()) {
      const raw = o[name]
      const text = String(raw)
      const path = child('status', list, name)
      const q = typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(raw) : undefined
      if (q === undefined) errs.push(invalid(path, text, QUANTITY_FORMAT_ERROR))
      else if (q < 0) errs.push(invalid(path, text, 'must be greater than or equal to 0'))
    }
  }
  return errs
}

/** Validates a Node; `old` is the stored object on update. */
export function validateNode(node: KObject, old?: KObject): StatusCause[] {
  const spec = obj(node.spec) ?? {}
  const errs = validateTaints(spec.taints, 'metadata.taints')
  errs.push(...validateStatusQuantities(obj(node.status) ?? {}))
  const cidrs = podCIDRsOf(spec)
  if (!old) {
    errs.push(...validatePodCIDRs(cidrs))
    return errs
  }
  const oldSpec = obj(old.spec) ?? {}
  const oldCidrs = podCIDRsOf(oldSpec)
  const cidrMsg = 'node updates may not change podCIDR except from "" to valid'
  if (oldCidrs.length > 0) {
    if (oldCidrs.length !== cidrs.length) errs.push(forbidden('spec.podCIDRs', cidrMsg))
    else oldCidrs.forEach((c, i) => c !== cidrs[i] && errs.push(forbidden('spec.podCIDRs', cidrMsg)))
  } else {
    errs.push(...validatePodCIDRs(cidrs))
  }
  const oldProvider = str(oldSpec.providerID)
  if (oldProvider && oldProvider !== str(spec.providerID)) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'))
  }
  return errs
}
