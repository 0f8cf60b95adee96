/** Which file holds each desired identity of the last sync: finds duplicates and prune candidates of a one-file change. */
import type { Storage, TxnOp } from '../../storage/types.js'
import type { ObjectId } from '../identity.js'
import { ID_PREFIX, idIndexKey } from './keys.js'

/** Where an identity was written. */
export interface IdEntry {
  file: string
  doc: number
}

/** The index entry of `id`, if the last sync had it. */
export async function readIdEntry(storage: Storage, id: Pick<ObjectId, 'group' | 'kind' | 'namespace' | 'name'>): Promise<IdEntry | undefined> {
  const kv = await storage.get(idIndexKey(id))
  return kv ? (JSON.parse(kv.value) as IdEntry) : undefined
}

/** Ops that make the index hold `entries` after removing `removed` (a full sync passes every entry and removes what is not among them). */
export async function indexOps(
  storage: Storage,
  { put, removed, replaceAll = false }: { put: Array<{ id: ObjectId; entry: IdEntry }>; removed: ObjectId[]; replaceAll?: boolean },
): Promise<TxnOp[]> {
  const ops: TxnOp[] = []
  const keep = new Set<string>()
  for (const { id, entry } of put) {
    const key = idIndexKey(id)
    keep.add(key)
    ops.push({ type: 'put', key, value: JSON.stringify(entry) })
  }
  if (replaceAll) {
    const { items } = await storage.range(ID_PREFIX)
    for (const kv of items) if (!keep.has(kv.key)) ops.push({ type: 'delete', key: kv.key })
  } else {
    for (const id of removed) {
      const key = idIndexKey(id)
      if (!keep.has(key)) ops.push({ type: 'delete', key })
    }
  }
  return ops
}
