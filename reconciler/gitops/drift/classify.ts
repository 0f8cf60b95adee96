/**
 * Drift findings from a plan of the synced commit against live: an update's patch operations are
 * Modified fields (with the manager owning the live value), a create is Missing, a prune is Extra,
 * and spec.replicas of a Deployment an HPA owns is Tolerated.
 */
import type { Operation } from 'fast-json-patch'
import type { KObject } from '../../api/object.js'
import { displayName, idKey, type ObjectId } from '../identity.js'
import { maskSecrets } from '../plan/mask-secret.js'
import { normalizeForPlan } from '../plan/normalize.js'
import type { PlanChange, PlanNote } from '../plan/types.js'
import { fieldManager } from './managers.js'
import type { DriftFinding } from './types.js'

/** The segments of a JSON pointer (`~1` is `/`, `~0` is `~`). */
export function pointerSegments(path: string): string[] {
  return path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function valueAt(obj: unknown, segs: readonly string[]): unknown {
  let v = obj
  for (const s of segs) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[s]
  }
  return v
}

/** `spec.template.spec.containers[0].image` from pointer segments. */
export function fieldPath(segs: readonly string[]): string {
  return segs.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('')
}

const short = (v: unknown) => (v === undefined ? '<none>' : JSON.stringify(v))

/** The Modified findings of one update: one per patch operation. */
export function modifiedFindings(id: ObjectId, patch: readonly Operation[], live: KObject): DriftFinding[] {
  // A Secret's live values are masked as the plan's (the patch's values already are): never printed, never stored.
  const normalized = maskSecrets(normalizeForPlan(live) as Record<string, unknown>, undefined)[0]
  return patch.map((op) => {
    const segs = pointerSegments(op.path)
    const liveValue = valueAt(normalized, segs)
    const gitValue = op.op === 'remove' ? undefined : (op as { value?: unknown }).value
    const manager = fieldManager(live.metadata.managedFields, segs, live)
    const field = fieldPath(segs)
    const f: DriftFinding = { class: 'Modified', id, field, git: gitValue, live: liveValue, message: `${field}: git ${short(gitValue)}, live ${short(liveValue)}${manager ? ` (changed by ${manager})` : ''}` }
    if (manager) f.manager = manager
    return f
  })
}

/** Every finding of a plan; `before` maps identity keys to live objects. */
export function classifyDrift(plan: { changes: readonly PlanChange[]; notes: readonly PlanNote[]; before: ReadonlyMap<string, KObject> }): DriftFinding[] {
  const out: DriftFinding[] = []
  for (const c of plan.changes) {
    if (c.action === 'create') out.push({ class: 'Missing', id: c.id, message: `${displayName(c.id)} is in git but not live` })
    else if (c.action === 'prune') out.push({ class: 'Extra', id: c.id, message: `${displayName(c.id)} is managed by capstan but not in git` })
    else if (c.action === 'update') out.push(...modifiedFindings(c.id, c.patch, plan.before.get(idKey(c.id))!))
  }
  for (const n of plan.notes) {
    if (n.kind !== 'ReplicasOwnedByHPA' || !n.id) continue
    const live = plan.before.get(idKey(n.id))
    const replicas = (live?.spec as { replicas?: number } | undefined)?.replicas
    const owner = /HorizontalPodAutoscaler (\S+);/.exec(n.message)?.[1]
    out.push({ class: 'Tolerated', id: n.id, field: 'spec.replicas', live: replicas, ...(owner ? { manager: `HorizontalPodAutoscaler ${owner}` } : {}), message: `spec.replicas is ${replicas ?? '<unset>'}: owned by HorizontalPodAutoscaler ${owner ?? '?'}, not drift` })
  }
  return out
}
