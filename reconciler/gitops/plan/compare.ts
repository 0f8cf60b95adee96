/** Compare a live object with the result of applying git's version to it: the action, a JSON patch and a YAML diff. */
import jsonPatch from 'fast-json-patch'
import { jsonEqual, type KObject, type ManagedFieldsEntry } from '../../api/object.js'
import { FIELD_MANAGER } from '../labels.js'
import { maskSecrets } from './mask-secret.js'
import { normalizeForPlan } from './normalize.js'
import { planYamlText } from './plan-yaml.js'
import type { ChangeAction } from './types.js'
import { unifiedDiff } from './unified-diff.js'
import type { Operation } from 'fast-json-patch'

/** What comparing one pair gives. */
export interface Comparison {
  action: Exclude<ChangeAction, 'prune'>
  patch: Operation[]
  diff: string
  takesOverFrom?: string[]
}

/** The YAML text of a normalized object, as a diff shows it. */
export function planYaml(obj: Record<string, unknown> | undefined): string {
  return obj === undefined ? '' : planYamlText(obj)
}

/**
 * A patch and diff between two normalized (and masked) objects; `label` names the object in the diff
 * headers. Both are computed when first read (a cold sync of 10,000 objects never prints them).
 */
export function describeChange(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, label: string): { patch: Operation[]; diff: string } {
  return describeLazily(() => [before, after], label)
}

/** describeChange of two objects made only when the patch or diff is first read. */
export function describeLazily(sides: () => [Record<string, unknown> | undefined, Record<string, unknown> | undefined], label: string): { patch: Operation[]; diff: string } {
  let patch: Operation[] | undefined
  let diff: string | undefined
  let m: ReturnType<typeof maskSecrets> | undefined
  const masked = () => (m ??= maskSecrets(...sides()))
  const out = {} as { patch: Operation[]; diff: string }
  Object.defineProperty(out, 'patch', { enumerable: true, get: () => (patch ??= ((m) => jsonPatch.compare(m[0] ?? {}, m[1] ?? {}))(masked())) })
  Object.defineProperty(out, 'diff', { enumerable: true, get: () => (diff ??= ((m) => unifiedDiff(planYaml(m[0]), planYaml(m[1]), { from: `live/${label}`, to: `git/${label}` }))(masked())) })
  return out
}

/**
 * The change of an object that is not live (a create: `action`, then `base`'s fields, then a lazy
 * patch and diff from nothing), as `withChange(base, comparePair(undefined, applied, label))` makes
 * it — the same own enumerable properties in the same order — in one object literal, without the
 * property definitions and closures of the general path (a cold sync makes 10,000 of these).
 */
export function createdChange<T extends object>(base: T, applied: KObject, label: string): { action: 'create' } & T & { readonly patch: Operation[]; readonly diff: string } {
  let after: Record<string, unknown> | undefined
  let patch: Operation[] | undefined
  let diff: string | undefined
  const masked = () => (after ??= maskSecrets(undefined, normalizeForPlan(applied))[1])
  return {
    action: 'create' as const,
    ...base,
    get patch() {
      return (patch ??= jsonPatch.compare({}, masked() ?? {}))
    },
    get diff() {
      return (diff ??= unifiedDiff('', planYaml(masked()), { from: `live/${label}`, to: `git/${label}` }))
    },
  }
}

/** Managers (other than capstan) whose owned fields the apply changed: the apply took them over. */
function takeovers(live: ManagedFieldsEntry[] = [], applied: ManagedFieldsEntry[] = []): string[] {
  const out = new Set<string>()
  for (const before of live) {
    if (!before.manager || before.manager === FIELD_MANAGER) continue
    const after = applied.find((e) => e.manager === before.manager && e.operation === before.operation && e.subresource === before.subresource)
    if (!after || !jsonEqual(after.fieldsV1, before.fieldsV1)) out.add(before.manager)
  }
  return [...out].sort()
}

/**
 * The plan of one pair: `live` absent → create; else update when the applied object differs from
 * the live one outside status and server-kept metadata, unchanged otherwise. Fields others own,
 * defaults and status are in both, so they make no noise.
 */
export function comparePair(live: KObject | undefined, applied: KObject, label: string): Comparison {
  if (!live) return withChange({ action: 'create' }, describeLazily(() => [undefined, normalizeForPlan(applied)], label))
  const after = normalizeForPlan(applied)
  const before = normalizeForPlan(live)
  if (jsonEqual(before, after)) return { action: 'unchanged', patch: [], diff: '' }
  const over = takeovers(live.metadata.managedFields, applied.metadata.managedFields)
  return withChange({ action: 'update', ...(over.length ? { takesOverFrom: over } : {}) }, describeChange(before, after, label))
}

/** `base` with the (lazy) patch and diff of `change` attached, still lazy. */
export function withChange<T extends object>(base: T, change: { patch: Operation[]; diff: string }): T & { patch: Operation[]; diff: string } {
  for (const key of ['patch', 'diff'] as const) Object.defineProperty(base, key, { enumerable: true, configurable: true, get: () => change[key] })
  return base as T & { patch: Operation[]; diff: string }
}
