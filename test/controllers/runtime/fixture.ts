/** A fresh API server over memory storage, on a virtual clock, for the runtime suites. */
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'

/** The instant every suite starts at. */
export const START = new Date('2024-01-01T00:00:00Z')

/** An API server whose timestamps come from a new VirtualClock at START. */
export async function makeWorld(): Promise<{ api: ApiServer; clock: VirtualClock }> {
  const clock = new VirtualClock(START)
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
  await api.bootstrap()
  return { api, clock }
}

/** A ConfigMap in `default`. */
export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, data }
}

/** Milliseconds after START. */
export const at = (ms: number): Date => new Date(START.getTime() + ms)
