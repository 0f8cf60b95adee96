/** Objects to and from stored values: JSON without resourceVersion, which is the key's mod revision. */
import type { KeyValue } from '../storage/types.js'
import type { KObject } from './object.js'

/** The text stored for an object (its resourceVersion is not stored: it is the write's revision). */
export function encodeObject(obj: KObject): string {
  const { resourceVersion: _rv, ...meta } = obj.metadata
  return JSON.stringify({ ...obj, metadata: meta })
}

/** The object a stored key value holds, with resourceVersion set from its mod revision. */
export function decodeObject(kv: KeyValue): KObject {
  const obj = JSON.parse(kv.value) as KObject
  obj.metadata.resourceVersion = String(kv.modRevision)
  return obj
}
