/**
 * What a sync's outcome says to a person, as plain data: the CLI prints it, and a running
 * `capstan serve` sends it over HTTP so that `capstan sync --server URL` prints the same lines.
 */
import type { ObjectId } from '../identity.js'
import type { ChangeAction, PlanChange } from '../plan/types.js'
import type { SyncOutcome } from '../sync/sync.js'

/** One change of the plan, as printed. */
export interface ChangeView {
  id: ObjectId
  action: ChangeAction
  takesOverFrom?: string[]
  /** The unified YAML diff (Secret values masked). */
  diff: string
}

/** A sync outcome, JSON-safe. */
export interface SyncOutcomeView {
  result: string
  reason: string
  message: string
  mode: string
  inSync: boolean
  commit?: { oid: string; subject: string }
  /** Every change but the unchanged ones, in apply order. */
  changes: ChangeView[]
  notes: Array<{ kind: string; message: string }>
  warnings: string[]
  problems: Array<{ text: string }>
  record?: { name: string; commit?: string; subject?: string }
  health: Array<{ kind: string; namespace: string; name: string; status: string; message: string }>
}

/**
 * The view of one change. Its diff is read when first asked for (printing a dry run, or encoding the
 * view as JSON, which reads it like any property): a sync that prints no diff does not render the
 * YAML of every object it created. Same properties, same order as a plain object literal.
 */
function changeView(c: PlanChange): ChangeView {
  const view = { id: c.id, action: c.action } as ChangeView
  Object.defineProperty(view, 'diff', { enumerable: true, configurable: true, get: () => c.diff })
  if (c.takesOverFrom?.length) view.takesOverFrom = c.takesOverFrom
  return view
}

/** The view of an outcome. */
export function outcomeView(o: SyncOutcome): SyncOutcomeView {
  return {
    result: o.result,
    reason: o.reason,
    message: o.message,
    mode: o.mode,
    inSync: o.inSync,
    commit: o.commit ? { oid: o.commit.oid, subject: o.commit.subject } : undefined,
    changes: (o.plan?.changes ?? []).filter((c) => c.action !== 'unchanged').map(changeView),
    notes: (o.plan?.notes ?? []).map((n) => ({ kind: n.kind, message: n.message })),
    warnings: [...(o.plan?.warnings ?? [])],
    problems: o.problems.map((p) => ({ text: p.text })),
    record: o.record ? { name: o.record.metadata.name, commit: o.record.spec.commit, subject: o.record.spec.subject } : undefined,
    health: o.health.map((h) => ({ kind: h.id.kind, namespace: h.id.namespace, name: h.id.name, status: h.health.status, message: h.health.message })),
  }
}
