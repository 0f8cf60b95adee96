/** Strategic merge patch (application/strategic-merge-patch+json), the patch kubectl sends. */
import { mergeMap } from './merge.js'
import { rootSchema } from './patch-meta.js'

export { StrategicPatchError } from './directives.js'
export { mergeMap } from './merge.js'

/**
 * Applies a strategic merge patch to an object (which it may change) and returns the result. The
 * patch rules come from the schema of the object's kind; a kind without one merges maps and
 * replaces lists.
 */
export function strategicMergePatch(original: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  return mergeMap(original, structuredClone(patch), rootSchema(original.kind))
}
