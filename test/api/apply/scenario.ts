/** A small runner for multi-step apply/update scenarios, as SMD's merge tests chain operations. */
import { apply } from '../../../reconciler/api/apply/server-side-apply.js'
import { trackUpdate } from '../../../reconciler/api/apply/track-update.js'
import { writeManagedFields, readManagedFields } from '../../../reconciler/api/apply/managed-fields.js'
import type { Conflict } from '../../../reconciler/api/apply/conflicts.js'
import type { TypeNode } from '../../../reconciler/api/schema/type-node.js'

export type Step =
  | { apply: string; config: object; force?: boolean; subresource?: string; wantConflicts?: string[] }
  | { update: string; object: object; subresource?: string }

export interface Outcome {
  live: Record<string, unknown> | undefined
  /** The conflicts of the last step that had any. */
  conflicts: Conflict[]
  /** fieldsV1 by `manager/operation[/subresource]`. */
  managed: Record<string, unknown>
  changed: boolean[]
}

/** Runs the steps from `start`; the clock moves one minute per step from 2024-01-01T00:00:00Z. */
export function runSteps(steps: Step[], typeNode: TypeNode | undefined, start?: object, apiVersion = 'apps/v1'): Outcome {
  let live = start as Record<string, unknown> | undefined
  let conflicts: Conflict[] = []
  const changed: boolean[] = []
  steps.forEach((step, i) => {
    const now = new Date(Date.UTC(2024, 0, 1, 0, i))
    if ('apply' in step) {
      const res = apply({ live, config: step.config, manager: step.apply, force: step.force, typeNode, apiVersion, now, subresource: step.subresource })
      if (step.wantConflicts) {
        if (JSON.stringify(res.conflicts.map((c) => c.field)) !== JSON.stringify(step.wantConflicts)) {
          throw new Error(`step ${i}: conflicts ${JSON.stringify(res.conflicts.map((c) => c.field))}, want ${JSON.stringify(step.wantConflicts)}`)
        }
      } else if (res.conflicts.length) {
        throw new Error(`step ${i}: unexpected conflicts ${res.conflicts.map((c) => c.field).join(', ')}`)
      }
      if (res.conflicts.length) conflicts = res.conflicts
      changed.push(res.changed)
      live = res.object
    } else {
      const mf = trackUpdate({ old: live, updated: step.object, manager: step.update, typeNode, apiVersion, now, subresource: step.subresource })
      changed.push(true)
      live = writeManagedFields(step.object as Record<string, unknown>, mf)
    }
  })
  return { live, conflicts, managed: managedByName(live), changed }
}

/** fieldsV1 of each entry keyed by `manager/operation[/subresource]`. */
export function managedByName(obj: object | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const e of readManagedFields(obj)) out[[e.manager, e.operation, e.subresource].filter(Boolean).join('/')] = e.fieldsV1
  return out
}

/** The object without metadata.managedFields. */
export function body(obj: object | undefined): unknown {
  if (!obj) return obj
  const out = writeManagedFields(obj, []) as Record<string, unknown>
  if (JSON.stringify(out.metadata) === '{}') delete out.metadata
  return out
}
