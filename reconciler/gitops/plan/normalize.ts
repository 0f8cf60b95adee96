/**
 * What a plan compares: an object without the fields no one writes from git — status, and the
 * metadata the API server keeps (managedFields, resourceVersion, generation, uid, creation and
 * deletion times). Defaults are not removed: both sides of a plan have them (live from the store,
 * the other from a dry-run apply), so they cancel out.
 */
import { isPlainObject, type KObject } from '../../api/object.js'

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']

/** A copy of `obj` without status and server-kept metadata, keys sorted (apiVersion, kind, metadata first) so texts compare line by line. */
export function normalizeForPlan(obj: KObject): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = obj
  const meta: Record<string, unknown> = { ...metadata }
  for (const f of SERVER_METADATA) delete meta[f]
  const out: Record<string, unknown> = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: sortKeys(meta) }
  for (const key of Object.keys(rest).sort()) if (key !== 'apiVersion' && key !== 'kind') out[key] = sortKeys(rest[key])
  return out
}

/** A deep copy with every map's keys in code-point order. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (!isPlainObject(v)) return v
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(v).sort()) if (v[key] !== undefined) out[key] = sortKeys(v[key])
  return out
}
