/** What a plan says: one change per object, in the order they would be made, and notes. */
import type { Operation } from 'fast-json-patch'
import type { ObjectId } from '../identity.js'

/** What happens to one object. A closed set. */
export type ChangeAction =
  /** In git, not live: it will be created. */
  | 'create'
  /** In git and live, and the dry-run apply differs from the live object in a field someone wrote. */
  | 'update'
  /** In git and live, and applying it again would change nothing. */
  | 'unchanged'
  /** Live and managed by capstan, no longer in git: deleted by a sync with `--prune`. */
  | 'prune'

/** One object's change, with where it comes from and what would differ. */
export interface PlanChange {
  action: ChangeAction
  id: ObjectId
  /** The file in the repository (absent for a prune). */
  file?: string
  doc?: number
  line?: number
  /** RFC 6902 operations from the live object to the applied one (noise removed; Secret values masked). Empty for unchanged. */
  patch: Operation[]
  /** A unified diff of the two YAML texts (noise removed; Secret values masked). Empty for unchanged. */
  diff: string
  /** Other field managers whose fields this apply takes over (capstan applies with force: git wins). */
  takesOverFrom?: string[]
}

/** Something the plan says once, not per field. A closed set of kinds. */
export type PlanNoteKind =
  /** spec.replicas of a Deployment belongs to the HPA that targets it: capstan neither applies nor diffs it. */
  | 'ReplicasOwnedByHPA'
  /** The commit renders no objects: nothing is pruned unless `--allow-empty`. */
  | 'EmptyCommitNotPruned'
  /** Managed objects left git but `--prune` was not given: they stay. */
  | 'PruneSkipped'

/** A note of the plan. */
export interface PlanNote {
  kind: PlanNoteKind
  message: string
  id?: ObjectId
}

/** A plan: changes in apply order (creates/updates/unchanged), then prunes in reverse order. */
export interface Plan {
  changes: PlanChange[]
  notes: PlanNote[]
}

/** Counts of a plan's actions. */
export function countActions(changes: ReadonlyArray<{ action: ChangeAction }>): Record<ChangeAction, number> {
  const out: Record<ChangeAction, number> = { create: 0, update: 0, unchanged: 0, prune: 0 }
  for (const c of changes) out[c.action]++
  return out
}
