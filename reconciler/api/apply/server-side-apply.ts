/**
 * Server-side apply of one configuration to one object (SMD's Updater.Apply wrapped the way
 * kube-apiserver's FieldManager wraps it): merge the configuration into the live object, make the
 * applied fields this manager's set, remove what it applied last time and no longer applies
 * (unless someone else owns it), and report fields other managers own whose value would change.
 */
import { ApiError, badRequest } from '../errors.js'
import { jsonEqual, type ManagedFieldsEntry } from '../object.js'
import type { TypeNode } from '../schema/type-node.js'
import { compareTyped, excludeFields } from './compare.js'
import { conflictsFromManagers, type Conflict } from './conflicts.js'
import { FieldSet } from './field-set.js'
import {
  decodeManagedFields,
  encodeManagedFields,
  managerIdentifier,
  readManagedFields,
  withoutManagedFields,
  writeManagedFields,
  type ManagerIdentity,
  type Managers,
} from './managed-fields.js'
import { applyCreate, createsDirectly } from './apply-create.js'
import { mergeTyped } from './merge.js'
import { formatTime } from '../strategy.js'
import { resetFieldsFor, STRIPPED_FIELDS, takeOwnership } from './ownership.js'
import type { Json, Path } from './path-element.js'
import { removeItems } from './remove-items.js'
import { ensureNamedFieldsAreMembers, fieldSetOf } from './to-field-set.js'
import { isObject, type JsonObject } from './typed-value.js'

/** What apply needs. */
export interface ApplyOptions {
  /** The current object with its metadata.managedFields; undefined when the apply creates it. */
  live?: object
  /** The applied configuration (the request body). */
  config: object
  /** The field manager; `unknown` when empty, as kube-apiserver does. */
  manager: string
  /** Take fields other managers own instead of failing with conflicts. */
  force?: boolean
  /** The type of the object; undefined means untyped. */
  typeNode?: TypeNode
  /** The apiVersion being applied (`apps/v1`). */
  apiVersion: string
  now: Date
  /** `status` for an apply to the status subresource. */
  subresource?: string
  /** Paths the strategy resets (default: resetFieldsFor(subresource)). */
  resetFields?: readonly Path[]
}

/** What apply produces. */
export interface ApplyResult {
  /** The new object with its managedFields; on conflicts, the live object unchanged. */
  object: JsonObject
  /** The new managedFields (already set on `object`). */
  managedFields: ManagedFieldsEntry[]
  /** Non-empty only when `force` is not set; then nothing was applied. */
  conflicts: Conflict[]
  /** Whether `object` differs from `live` (a no-op apply needs no write). */
  changed: boolean
}

/**
 * Applies `config` to `live` as `manager`. Throws a BadRequest for a configuration it cannot take.
 * An apply that creates its object (of the main resource) takes the direct path of apply-create.ts.
 */
export function apply(opts: ApplyOptions): ApplyResult {
  checkConfig(opts)
  if (!opts.live && opts.subresource === undefined && opts.resetFields === undefined && createsDirectly(opts.typeNode)) {
    return applyCreate({ config: opts.config as JsonObject, manager: opts.manager, typeNode: opts.typeNode, apiVersion: opts.apiVersion, now: opts.now })
  }
  return merge(opts)
}

/** `apply` by the general path only (the merge, comparison and ownership of any apply): what the direct paths are tested against. */
export function applyGeneral(opts: ApplyOptions): ApplyResult {
  checkConfig(opts)
  return merge(opts)
}

/** The checks of a configuration before anything is merged (kube-apiserver's, in its order). */
function checkConfig({ config, apiVersion }: ApplyOptions): void {
  const cfg = config as JsonObject
  if (isObject(cfg.metadata) && cfg.metadata.managedFields !== undefined && cfg.metadata.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil')
  }
  if (typeof cfg.apiVersion === 'string' && cfg.apiVersion !== apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${cfg.apiVersion}, expected: ${apiVersion}`,
    )
  }
}

function merge(opts: ApplyOptions): ApplyResult {
  const { live, config, force = false, typeNode, apiVersion, now, subresource } = opts
  const cfg = config as JsonObject

  let managers: Managers
  try {
    managers = decodeManagedFields(readManagedFields(live))
  } catch (err) {
    throw new ApiError('InternalError', `failed to decode managed fields: ${(err as Error).message}`, {}, { cause: err })
  }
  const liveObj = (live ? withoutManagedFields(live) : {}) as JsonObject
  const ignored = resetFieldsFor(subresource, opts.resetFields)

  const id: ManagerIdentity = { manager: opts.manager || 'unknown', operation: 'Apply', apiVersion }
  if (subresource) id.subresource = subresource
  const key = managerIdentifier(id)

  const configSet = fieldSetOf(cfg as Json, typeNode, { strict: true }).recursiveDifference(ignored)
  const previous = managers.get(key)
  const lastSet = previous?.set
  const next: Managers = new Map(managers)
  next.set(key, { ...id, time: previous?.time, set: configSet })

  let merged = (mergeTyped(liveObj as Json, cfg as Json, typeNode) ?? {}) as JsonObject
  merged = prune(merged, next, lastSet, typeNode)

  const cmp = excludeFields(compareTyped(liveObj as Json, merged as Json, typeNode), ignored)
  const taken = takeOwnership(next, cmp, key, force)
  if (taken.conflicts.size && !force) {
    return {
      object: (live ?? {}) as JsonObject,
      managedFields: readManagedFields(live),
      conflicts: conflictsFromManagers(taken.conflicts),
      changed: false,
    }
  }

  const result = taken.managers
  const mine = result.get(key)
  if (mine) {
    const set = mine.set.difference(STRIPPED_FIELDS)
    const objectChanged = !jsonEqual(merged, liveObj)
    const time = objectChanged ? formatTime(now) : mine.time
    if (set.empty()) result.delete(key)
    else result.set(key, { ...mine, apiVersion, time, set })
  }
  const managedFields = encodeManagedFields(result)
  const object = writeManagedFields(merged, managedFields)
  return { object, managedFields, conflicts: [], changed: !jsonEqual(object, live ?? {}) }
}

/**
 * Removes what the manager applied last time and no longer applies, unless another manager (or
 * this apply) owns it; a list item or struct goes whole when nobody owns anything in it
 * (SMD's prune, addBackOwnedItems, addBackDanglingItems).
 */
function prune(merged: JsonObject, managers: Managers, lastSet: FieldSet | undefined, node: TypeNode | undefined): JsonObject {
  if (!lastSet || lastSet.empty()) return merged
  const named = (s: FieldSet): FieldSet => ensureNamedFieldsAreMembers(s, node)
  const setOf = (v: Json | undefined): FieldSet => named(fieldSetOf(v, node))
  const last = named(lastSet)

  const pruned = removeItems(merged as Json, last, node)
  let managed = new FieldSet()
  for (const m of managers.values()) managed = managed.union(m.set)
  const mergedSet = setOf(merged as Json)
  const ownedKept = removeItems(merged as Json, mergedSet.difference(setOf(pruned).union(named(managed))), node)
  const dangling = mergedSet.difference(setOf(ownedKept)).intersection(last)
  return (removeItems(merged as Json, dangling, node) ?? {}) as JsonObject
}
