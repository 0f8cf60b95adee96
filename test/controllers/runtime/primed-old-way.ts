/** The checkpoint tests' helpers, and their reference: a controller primed as the manager primes one at an incremental start without a checkpoint. */
import { ApiServer } from '../../../reconciler/api/api-server.js'
import { CONTROLLERS } from '../../../reconciler/controllers/index.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { ControllerManager, type StoredCheckpoint } from '../../../reconciler/controllers/runtime/manager.js'
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

/** A fresh API over memory storage at 2026-01-01 and a started manager running every controller; returns the one named `name`. */
export async function everyController<C extends Controller = Controller>(name: string): Promise<{ api: ApiServer; clock: VirtualClock; manager: ControllerManager; controller: C }> {
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
  await api.bootstrap()
  const manager = new ControllerManager({ api, clock })
  let found: Controller | undefined
  for (const spec of CONTROLLERS) {
    const c = spec.make(manager.contextFor(spec.component))
    if (c.name === name) found = c
    manager.add(c)
  }
  if (!found) throw new Error(`no controller ${name}`)
  await manager.start()
  return { api, clock, manager, controller: found as C }
}
