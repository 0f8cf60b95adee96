/**
 * The endpoints controller's checkpoint (see Checkpoint in runtime/types.ts): the selector of every
 * Service that has one, with when it was first seen (the order a pod change wakes them in), and
 * the index from a selector term to the Services indexed under it (see ServiceSelectors). Both are
 * saved as the controller holds them, so that a restore is two Map constructions: each record is
 * checked when first read (see Checkpoint.damaged for one that turns out malformed).
 *
 * Example: { format: 2, services: [['shop/web', [{ app: 'web' }, 0]]], terms: [['shop\u0000app=web', ['shop/web']]] }.
 */
import { isPlainObject } from '../../api/object.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const ENDPOINTS_CHECKPOINT_FORMAT = 2

/** One Service with a selector, as remembered: its selector (non-empty) and the sequence number of when it was first seen. */
export type ServiceRecord = [selector: Record<string, string>, seq: number]

/** The saved data. */
export interface EndpointsCheckpoint {
  format: number
  /** Per Service with a selector, in the order first seen: its `namespace/name` and record. */
  services: Array<[string, ServiceRecord]>
  /** Per selector term (namespace, NUL, `key=value`): the Services indexed under it. */
  terms: Array<[string, readonly string[]]>
}

/**
 * The data in `data` when its outline is a checkpoint of this format, else undefined (never
 * throws). The outline only: the records are checked as the controller first reads them.
 */
export function decodeEndpointsCheckpoint(data: unknown): EndpointsCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== ENDPOINTS_CHECKPOINT_FORMAT || !Array.isArray(data.services) || !Array.isArray(data.terms)) return undefined
  return { format: ENDPOINTS_CHECKPOINT_FORMAT, services: data.services as EndpointsCheckpoint['services'], terms: data.terms as EndpointsCheckpoint['terms'] }
}

/** Whether `v` is a record of a Service first seen before `next`: a non-empty map of label keys to values and a sequence number. */
export function isServiceRecord(v: unknown, next: number): v is ServiceRecord {
  return Array.isArray(v) && v.length === 2 && isSelector(v[0]) && Number.isSafeInteger(v[1]) && v[1] >= 0 && v[1] < next
}

/** Whether `v` is a non-empty map of label keys to values. */
function isSelector(v: unknown): v is Record<string, string> {
  return isPlainObject(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => typeof x === 'string')
}
