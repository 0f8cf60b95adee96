/** Copy a value produced by yaml's toJS into plain JSON-shaped data. */

/**
 * yaml's `toJS` gives every alias the same JS object as its anchor, so editing one place would
 * silently edit the other (labels shared by `metadata` and `selector`, say). This copies the tree
 * so that no two places share an object.
 */
export function plainData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainData)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = plainData(v)
    return out
  }
  if (typeof value === 'bigint') return Number(value)
  return value
}
