/** NodePool (capstan.dev): zones, node counts and the machine shape. */
import type { StatusCause } from '../../errors.js'
import type { KObject } from '../../object.js'
import { isDNS1123Label } from '../names.js'
import { validateLabels } from '../object-meta.js'
import { arr, child, duplicate, index, invalid, key, nonNegative, notSupported, num, obj, required, str, strMap } from './field.js'
import { validateTaints } from './node.js'
import { parseQuantity, QUANTITY_FORMAT_ERROR } from './quantity.js'

function validatePositiveQuantity(v: unknown, path: string): StatusCause[] {
  if (v === undefined || v === null) return [required(path)]
  const text = String(v)
  const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined
  if (q === undefined) return [invalid(path, text, QUANTITY_FORMAT_ERROR)]
  return q > 0 ? [] : [invalid(path, text, 'must be greater than 0')]
}

/** Validates a NodePool. */
export function validateNodePool(pool: KObject): StatusCause[] {
  const spec = obj(pool.spec) ?? {}
  const errs: StatusCause[] = []
  const zones = arr(spec.zones).map(str)
  if (zones.length === 0) errs.push(required('spec.zones', 'must list at least one zone'))
  const seen = new Set<string>()
  zones.forEach((z, i) => {
    const p = index('spec.zones', i)
    if (!z) errs.push(required(p))
    else for (const msg of isDNS1123Label(z)) errs.push(invalid(p, z, msg))
    if (seen.has(z)) errs.push(duplicate(p, z))
    seen.add(z)
  })
  errs.push(...nonNegative(num(spec.nodesPerZone), 'spec.nodesPerZone'))
  const counts = obj(spec.zoneCounts) ?? {}
  for (const zone of Object.keys(counts).sort()) {
    const p = key('spec.zoneCounts', zone)
    if (!zones.includes(zone)) errs.push(notSupported(p, zone, zones))
    const n = num(counts[zone])
    if (n === undefined || !Number.isInteger(n)) errs.push(invalid(p, String(counts[zone]), 'must be an integer'))
    else errs.push(...nonNegative(n, p))
  }
  const machine = obj(spec.machineType)
  const mp = 'spec.machineType'
  if (!machine) errs.push(required(mp))
  else {
    errs.push(...validatePositiveQuantity(machine.cpu, child(mp, 'cpu')))
    errs.push(...validatePositiveQuantity(machine.memory, child(mp, 'memory')))
    const pods = num(machine.pods)
    if (pods !== undefined && pods < 1) errs.push(invalid(child(mp, 'pods'), pods, 'must be greater than or equal to 1'))
  }
  errs.push(...validateLabels(strMap(spec.labels), 'spec.labels'))
  errs.push(...validateTaints(spec.taints, 'spec.taints'))
  return errs
}
