/** The checkpoint tests' reference: a controller primed as the manager primes one at an incremental start without a checkpoint. */
import type { ApiServer } from '../../../reconciler/api/api-server.js'
import type { StoredCheckpoint } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'

/** Primes a fresh `c` as manager.ts does: resumed, prime over its resource, every mapping over every object. Returns what prime asked for. */
export async function primedOldWay(api: ApiServer, c: Controller): Promise<Request[]> {
  c.resumed?.()
  const wanted: Request[] = []
  for (const o of (await api.list(c.resource)).items) {
    if (c.prime?.(o) === true) wanted.push({ resource: c.resource, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name! })
  }
  for (const w of c.watches ?? []) for (const o of (await api.list(w.resource)).items) w.map?.(o, undefined, 'ADDED')
  return wanted
}

/** Memories by controller name as a start reads them from the state (each read when its controller asks). */
export function stored(memories: ReadonlyMap<string, unknown>): Map<string, StoredCheckpoint> {
  return new Map([...memories].map(([name, data]) => [name, { data: () => data }]))
}
