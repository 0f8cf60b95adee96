/**
 * The ownership bookkeeping apply and update share (SMD merge/update.go's `update`, plus the
 * fields kube-apiserver never records as owned and the fields each strategy resets).
 */
import { FieldSet } from './field-set.js'
import type { Comparison } from './compare.js'
import type { Managers } from './managed-fields.js'
import type { Path } from './path-element.js'

/** Fields no manager ever owns (stripMetaManager): type meta, identity and bookkeeping metadata. */
export const STRIPPED_FIELDS: FieldSet = FieldSet.of(
  [{ field: 'apiVersion' }],
  [{ field: 'kind' }],
  [{ field: 'metadata' }],
  [{ field: 'metadata' }, { field: 'name' }],
  [{ field: 'metadata' }, { field: 'namespace' }],
  [{ field: 'metadata' }, { field: 'creationTimestamp' }],
  [{ field: 'metadata' }, { field: 'selfLink' }],
  [{ field: 'metadata' }, { field: 'uid' }],
  [{ field: 'metadata' }, { field: 'clusterName' }],
  [{ field: 'metadata' }, { field: 'generation' }],
  [{ field: 'metadata' }, { field: 'managedFields' }],
  [{ field: 'metadata' }, { field: 'resourceVersion' }],
)

/**
 * The fields a write cannot change, which ownership ignores (the strategy's GetResetFields):
 * `status` for the main resource; `spec` and `metadata.labels` for the status subresource, as
 * Deployment's status strategy says. Callers with other rules pass their own paths.
 */
export function resetFieldsFor(subresource?: string, paths?: readonly Path[]): FieldSet {
  if (paths) return FieldSet.of(...paths)
  if (subresource === 'status') return FieldSet.of([{ field: 'spec' }], [{ field: 'metadata' }, { field: 'labels' }])
  if (subresource) return new FieldSet()
  return FieldSet.of([{ field: 'status' }])
}

/**
 * Takes from every manager but `self` the fields the write changed (those are conflicts; they
 * move only when forced) and the fields it removed. Returns the conflicting sets, and the new
 * managers when there are none or `force` is set.
 */
export function takeOwnership(
  managers: Managers,
  cmp: Comparison,
  self: string | undefined,
  force: boolean,
): { managers: Managers; conflicts: Managers } {
  const changed = cmp.modified.union(cmp.added)
  const conflicts: Managers = new Map()
  for (const [key, m] of managers) {
    if (key === self) continue
    const c = m.set.intersection(changed)
    if (!c.empty()) conflicts.set(key, { ...m, set: c })
  }
  if (!force && conflicts.size) return { managers, conflicts }
  const out: Managers = new Map()
  for (const [key, m] of managers) {
    let set = m.set
    if (key !== self) {
      const c = conflicts.get(key)
      if (c) set = set.difference(c.set)
      // Only a set that loses something is replaced: an untouched set keeps its identity, so its
      // encoded fieldsV1 is reused as it is (and decodes for free on the next write).
      if (!cmp.removed.empty() && !set.intersection(cmp.removed).empty()) set = set.difference(cmp.removed)
    }
    if (!set.empty()) out.set(key, set === m.set ? m : { ...m, set })
  }
  return { managers: out, conflicts }
}
