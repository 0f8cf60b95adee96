/** Managed fields on every write: server-side apply for applies, ownership tracking for the rest. */
import { apply as ssaApply } from './apply/server-side-apply.js'
import { conflictError } from './apply/conflicts.js'
import { trackUpdate } from './apply/track-update.js'
import { apiVersionOf, type KindInfo } from './kinds.js'
import type { KObject, ManagedFieldsEntry } from './object.js'
import { typeNodeFor } from './schema/index.js'

/** The managedFields to store for a create, update or patch by `manager` (kube-apiserver's default: `unknown`). */
export function trackWrite(o: {
  k: KindInfo
  old: KObject | undefined
  obj: KObject
  manager: string | undefined
  now: Date
  subresource?: string
}): ManagedFieldsEntry[] {
  return trackUpdate({
    old: o.old,
    updated: o.obj,
    manager: o.manager || 'unknown',
    typeNode: typeNodeFor(o.k.kind),
    apiVersion: apiVersionOf(o.k),
    now: o.now,
    subresource: o.subresource,
  })
}

/**
 * Merges an apply configuration into the live object (or makes the new object), with managed
 * fields. Conflicts with other managers are a 409 naming each field, unless `force`.
 */
export function applyConfig(o: {
  k: KindInfo
  live: KObject | undefined
  config: KObject
  manager: string
  force: boolean
  now: Date
  subresource?: string
}): KObject {
  const res = ssaApply({
    live: o.live,
    config: o.config,
    manager: o.manager,
    force: o.force,
    typeNode: typeNodeFor(o.k.kind),
    apiVersion: apiVersionOf(o.k),
    now: o.now,
    subresource: o.subresource,
  })
  if (res.conflicts.length) throw conflictError(res.conflicts, o.k.kind, o.config.metadata.name)
  return res.object as unknown as KObject
}
