/** Pair desired objects with live ones by identity: a live object with no desired one is a prune candidate. */
import { idKey, type ObjectId } from '../identity.js'

/** One identity with its desired side, its live side, or both. */
export interface Pair<D, L> {
  id: ObjectId
  desired?: D
  live?: L
}

/** Pairs `desired` and `live` by group, kind, namespace and name; desired order first, then live-only ones in their order. */
export function pairObjects<D, L>(desired: ReadonlyArray<{ id: ObjectId; value: D }>, live: ReadonlyArray<{ id: ObjectId; value: L }>): Array<Pair<D, L>> {
  const byKey = new Map<string, Pair<D, L>>()
  for (const d of desired) byKey.set(idKey(d.id), { id: d.id, desired: d.value })
  for (const l of live) {
    const key = idKey(l.id)
    const found = byKey.get(key)
    if (found) found.live = l.value
    else byKey.set(key, { id: l.id, live: l.value })
  }
  return [...byKey.values()]
}
