/** A controller's writable copy of an object read from the API (possibly a frozen, shared cache object). */
import { clone, type KObject, type ObjectMeta } from '../../api/object.js'

/**
 * clone(obj), except that metadata.managedFields is shared with `obj` instead of copied: the
 * controllers never change it (the API server keeps it on their writes), and on an object with a
 * few managers it is the largest part of a copy. Keys keep their order. The copy's managedFields
 * must not be changed.
 */
export function writableCopy<T extends KObject>(obj: T): T {
  const managed = obj.metadata.managedFields
  if (!managed) return clone(obj)
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(obj)) {
    if (k !== 'metadata') {
      if (obj[k] !== undefined) out[k] = clone(obj[k])
      continue
    }
    const metadata: ObjectMeta = {}
    for (const m of Object.keys(obj.metadata)) {
      const v = obj.metadata[m]
      if (v !== undefined) metadata[m] = m === 'managedFields' ? managed : clone(v)
    }
    out.metadata = metadata
  }
  return out as T
}
