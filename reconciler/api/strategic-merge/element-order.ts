/**
 * The order of a merged list (strategicpatch's normalizeElementOrder): items the patch names come
 * in the patch's order, items only the server has keep their places relative to the original.
 */

type Item = unknown
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The position of `v` in `list`, matching maps by `mergeKey` and scalars by value; -1 if absent. */
export function indexOfItem(list: readonly Item[], v: Item, mergeKey: string | undefined): number {
  if (mergeKey) {
    if (!isMap(v)) return -1
    return list.findIndex((x) => isMap(x) && x[mergeKey] === v[mergeKey])
  }
  return list.findIndex((x) => x === v)
}

/** Splits `merged` into items present in `by` and the rest, keeping their order. */
export function partitionByPresence(merged: readonly Item[], by: readonly Item[], mergeKey: string | undefined): [Item[], Item[]] {
  const inBy: Item[] = []
  const rest: Item[] = []
  for (const v of merged) (indexOfItem(by, v, mergeKey) >= 0 ? inBy : rest).push(v)
  return [inBy, rest]
}

/** Sorts items by their position in `order` (stable; items `order` lacks keep their relative place). */
function sortByOrder(items: Item[], order: readonly Item[], mergeKey: string | undefined): Item[] {
  return items
    .map((v, i) => ({ v, i, at: indexOfItem(order, v, mergeKey) }))
    .sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : 0) || a.i - b.i)
    .map((e) => e.v)
}

/**
 * Interleaves server-only items (sorted by the server's order) with the patch's items (sorted by
 * the patch's order): a server-only item goes first only when both are in the server's list and
 * it came earlier there (strategicpatch's mergeSortedSlice).
 */
export function normalizeElementOrder(
  patchItems: Item[],
  serverOnly: Item[],
  patchOrder: readonly Item[],
  serverOrder: readonly Item[],
  mergeKey: string | undefined,
): Item[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey)
  const left = sortByOrder(serverOnly, serverOrder, mergeKey)
  const out: Item[] = []
  let i = 0
  let j = 0
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++])
    else if (j >= right.length) out.push(left[i++])
    else {
      const li = indexOfItem(serverOrder, left[i], mergeKey)
      const ri = indexOfItem(serverOrder, right[j], mergeKey)
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++])
      else out.push(right[j++])
    }
  }
  return out
}
