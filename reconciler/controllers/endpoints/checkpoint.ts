/**
 * The endpoints controller's checkpoint (see Checkpoint in runtime/types.ts): the selector of every
 * Service that has one, in the order the Services were first seen (the order a pod change wakes
 * them in). Services are namespaced, so each is saved by its namespace and name.
 *
 * Example: { format: 1, services: [['shop', 'web', { app: 'web' }]] }.
 */
import { isPlainObject } from '../../api/object.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const ENDPOINTS_CHECKPOINT_FORMAT = 1

/** The saved data. */
export interface EndpointsCheckpoint {
  format: number
  /** Per Service with a selector: namespace, name, selector (non-empty). */
  services: Array<[string, string, Record<string, string>]>
}

/** The checkpoint in `data`, or undefined when it is not one of this format (never throws). */
export function decodeEndpointsCheckpoint(data: unknown): EndpointsCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== ENDPOINTS_CHECKPOINT_FORMAT || !Array.isArray(data.services)) return undefined
  const services: EndpointsCheckpoint['services'] = []
  const seen = new Set<string>()
  for (const row of data.services) {
    if (!Array.isArray(row) || row.length !== 3) return undefined
    const [ns, name, selector] = row as unknown[]
    if (typeof ns !== 'string' || !ns || typeof name !== 'string' || !name || !isSelector(selector)) return undefined
    const key = `${ns}/${name}`
    if (seen.has(key)) return undefined
    seen.add(key)
    services.push([ns, name, selector])
  }
  return { format: ENDPOINTS_CHECKPOINT_FORMAT, services }
}

/** Whether `v` is a non-empty map of label keys to values. */
function isSelector(v: unknown): v is Record<string, string> {
  return isPlainObject(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => typeof x === 'string')
}
