/**
 * JSON patch (RFC 6902, through fast-json-patch), JSON merge patch (RFC 7386) and strategic merge
 * patch of stored objects.
 */
import jsonpatch from 'fast-json-patch'
import { ApiError, badRequest } from './errors.js'
import { isPlainObject } from './object.js'
import { StrategicPatchError, strategicMergePatch } from './strategic-merge/index.js'

/** The patch types the API accepts, by their short names (`json`, `merge`, `strategic`, `apply`). */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply'

/** RFC 7386: objects merge key by key, `null` deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

/** Applies a JSON or merge patch to `doc` (which it may change) and returns the result. */
export function applyPatch(doc: unknown, type: PatchType, patch: unknown): Record<string, unknown> {
  if (type === 'merge') {
    if (!isPlainObject(patch)) throw badRequest('a JSON merge patch must be a JSON object')
    return mergePatch(doc, patch) as Record<string, unknown>
  }
  if (type === 'strategic') {
    if (!isPlainObject(patch)) throw badRequest('a strategic merge patch must be a JSON object')
    if (!isPlainObject(doc)) throw badRequest('the patched object must be a JSON object')
    try {
      return strategicMergePatch(doc, patch)
    } catch (err) {
      if (err instanceof StrategicPatchError) throw new ApiError('Invalid', err.message)
      throw err
    }
  }
  if (type === 'json') {
    if (!Array.isArray(patch)) throw badRequest('a JSON patch must be an array of operations')
    const problem = jsonpatch.validate(patch as jsonpatch.Operation[], doc)
    if (problem) throw new ApiError('Invalid', `the server rejected our request due to an error in our request: ${problem.message.split('\n')[0]}`)
    try {
      return jsonpatch.applyPatch(doc, patch as jsonpatch.Operation[], false, true).newDocument as Record<string, unknown>
    } catch (err) {
      throw new ApiError('Invalid', `the server rejected our request due to an error in our request: ${(err as Error).message.split('\n')[0]}`)
    }
  }
  throw new ApiError('UnsupportedMediaType', `the patch type "${type}" is not supported here`)
}
