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

const STRIPPED_META_NAMES = new Set(['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'])

/** `set` without STRIPPED_FIELDS: the set itself when it holds none of them (the usual case), else a copy without them. */
export function withoutStripped(set: FieldSet): FieldSet {
  const meta = set.child({ field: 'metadata' })
  let clean = !set.hasMember({ field: 'apiVersion' }) && !set.hasMember({ field: 'kind' }) && !set.hasMember({ field: 'metadata' })
  if (clean && meta) for (const pe of meta.memberElements()) if ('field' in pe && STRIPPED_META_NAMES.has(pe.field)) clean = false
  return clean ? set : set.difference(STRIPPED_FIELDS)
}

/**
 * The fields a write cannot change, which ownership ignores (the strategy's GetResetFields):
 * `status` for the main resource; `spec` and `metadata.labels` for the status subresource, as
 * Deployment's status strategy says. Callers with other rules pass their own paths.
 */
export function resetFieldsFor(subresource?: string, paths?: readonly Path[]): FieldSet {
  if (paths) return FieldSet.of(...paths)
  if (subresource === 'status') return STATUS_RESETS
  if (subresource) return NO_RESETS
  return MAIN_RESETS
}

// Built once (sets are never changed once handed out).
const STATUS_RESETS = FieldSet.of([{ field: 'spec' }], [{ field: 'metadata' }, { field: 'labels' }])
const MAIN_RESETS = FieldSet.of([{ field: 'status' }])
const NO_RESETS = new FieldSet()

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
