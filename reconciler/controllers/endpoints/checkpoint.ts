/**
 * The endpoints controller's checkpoint (see Checkpoint in runtime/types.ts): the selector of every
 * Service that has one, with when it was first seen (the order a pod change wakes them in), and
 * the index from a selector term to the Services indexed under it (see ServiceIndex), and the next
 * sequence number. Both maps are PagedMaps (runtime/paged-map.ts), stored by pages, so that a
 * restore keeps the pages: a page of records is read and checked when one of its keys is first
 * used (see Checkpoint.damaged for one that turns out malformed), and a save writes back every
 * page nothing changed as it was.
 *
 * Example (as JSON): { format: 3, next: 1, services: [['shop/web', [{ app: 'web' }, 0]]], terms: [['shop\u0000app=web', ['shop/web']]] }.
 */
import { isPlainObject } from '../../api/object.js'
import { isPairsOrPages } from '../runtime/paged-map.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const ENDPOINTS_CHECKPOINT_FORMAT = 3

/** One Service with a selector, as remembered: its selector (non-empty) and the sequence number of when it was first seen. */
export type ServiceRecord = [selector: Record<string, string>, seq: number]

/** The saved data. */
export interface EndpointsCheckpoint {
  format: number
  /** The sequence number the next Service first seen gets (every record's is below it). */
  next: number
  /** Per Service with a selector: its `namespace/name` → its record (a PagedMap; restored from pairs, or a store's pages). */
  services: unknown
  /** Per selector term (namespace, NUL, `key=value`) → the Services indexed under it (a PagedMap; restored from pairs, or a store's pages). */
  terms: unknown
}

/**
 * The data in `data` when its outline is a checkpoint of this format, else undefined (never
 * throws). The outline only: the records are checked as the controller first reads them.
 */
export function decodeEndpointsCheckpoint(data: unknown): EndpointsCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== ENDPOINTS_CHECKPOINT_FORMAT || !isPairsOrPages(data.services) || !isPairsOrPages(data.terms)) return undefined
  const next = data.next
  if (typeof next !== 'number' || !Number.isSafeInteger(next) || next < 0) return undefined
  return { format: ENDPOINTS_CHECKPOINT_FORMAT, next, services: data.services, terms: data.terms }
}

/** Whether `v` is a record of a Service first seen before `next`: a non-empty map of label keys to values and a sequence number. */
export function isServiceRecord(v: unknown, next: number): v is ServiceRecord {
  return Array.isArray(v) && v.length === 2 && isSelector(v[0]) && Number.isSafeInteger(v[1]) && v[1] >= 0 && v[1] < next
}

/** Whether `v` is a non-empty map of label keys to values. */
function isSelector(v: unknown): v is Record<string, string> {
  return isPlainObject(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => typeof x === 'string')
}
