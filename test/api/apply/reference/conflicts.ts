/**
 * Apply conflicts and the 409 kube-apiserver answers with (managedfields/internal/conflict.go):
 * one cause per conflicting field, reason FieldManagerConflict, and a message grouped by manager.
 */
import { ApiError, type StatusCause } from '../../../../reconciler/api/errors.js'
import type { FieldSet } from './field-set.js'
import { managerIdentifier, printManager, type ManagerIdentity } from './managed-fields.js'
import { pathString, type Path } from './path-element.js'

/** A field the applier would change that another manager owns. */
export interface Conflict {
  /** The other manager. */
  manager: ManagerIdentity
  path: Path
  /** The path as kube-apiserver prints it: `.spec.replicas`. */
  field: string
}

/** Conflicts from per-manager sets, managers in identifier order and paths in set order. */
export function conflictsFromManagers(sets: ReadonlyMap<string, ManagerIdentity & { set: FieldSet }>): Conflict[] {
  const out: Conflict[] = []
  for (const key of [...sets.keys()].sort()) {
    const v = sets.get(key)!
    for (const path of v.set.paths()) out.push({ manager: identityOnly(v), path, field: pathString(path) })
  }
  return out
}

function identityOnly(id: ManagerIdentity): ManagerIdentity {
  const o: ManagerIdentity = { manager: id.manager, operation: id.operation, apiVersion: id.apiVersion }
  if (id.subresource) o.subresource = id.subresource
  return o
}

/** kube-apiserver's message: `Apply failed with 1 conflict: conflict with "x" using apps/v1: .spec.replicas`. */
export function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]
    return `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${c.field}`
  }
  const byManager = new Map<string, Conflict[]>()
  for (const c of conflicts) {
    const k = managerIdentifier(c.manager)
    const list = byManager.get(k) ?? []
    list.push(c)
    byManager.set(k, list)
  }
  const lines: string[] = []
  for (const k of [...byManager.keys()].sort()) {
    const list = byManager.get(k)!
    lines.push(`conflicts with ${printManager(list[0].manager)}:`)
    for (const c of list) lines.push(`- ${c.field}`)
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`
}

/**
 * The 409 Conflict for an apply (errors.NewApplyConflict). kube-apiserver puts only the causes in
 * the details; `kind` and `name` are accepted for call sites but, as upstream, not added.
 */
export function conflictError(conflicts: readonly Conflict[], _kind?: string, _name?: string): ApiError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: c.field,
  }))
  return new ApiError('Conflict', conflictMessage(conflicts), { causes })
}
