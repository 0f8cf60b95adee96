/** Objects to and from stored values: JSON without resourceVersion, which is the key's mod revision. */
import type { KeyValue } from '../storage/types.js'
import { clone, cloneSharing, type KObject } from './object.js'

/**
 * Objects this process just encoded for a write, by storage key: when the store's watch hands the
 * same text back (synchronously, during the write), the watch cache copies the object instead of
 * parsing the JSON again — parsing was a tenth of a busy write path.
 */
const justWritten = new Map<string, { value: string; obj: KObject }>()

/** The text stored for an object (its resourceVersion is not stored: it is the write's revision). */
export function encodeObject(obj: KObject): string {
  const { resourceVersion: _rv, ...meta } = obj.metadata
  return JSON.stringify({ ...obj, metadata: meta })
}

/** Encodes `obj` for a write to `key`, remembering it so the echo of the write decodes cheaply. */
export function encodeForWrite(key: string, obj: KObject): string {
  const value = encodeObject(obj)
  justWritten.set(key, { value, obj })
  return value
}

/** Forgets what encodeForWrite remembered for `key` (after the write, whether or not it happened). */
export function forgetWrite(key: string): void {
  justWritten.delete(key)
}

/**
 * The object a stored key value holds, with resourceVersion set from its mod revision. `prev`, the
 * cached previous version of the object, lends the parts a write kept unchanged (see cloneSharing).
 */
export function decodeObject(kv: KeyValue, prev?: KObject): KObject {
  const hint = justWritten.get(kv.key)
  let obj: KObject
  if (hint && hint.value === kv.value) {
    obj = prev ? cloneSharing(hint.obj, prev) : clone(hint.obj)
    // Managed fields are never changed in place: share them, so their decoded form is reused.
    if (hint.obj.metadata.managedFields) obj.metadata.managedFields = hint.obj.metadata.managedFields
    justWritten.delete(kv.key)
  } else obj = JSON.parse(kv.value) as KObject
  obj.metadata.resourceVersion = String(kv.modRevision)
  return obj
}
