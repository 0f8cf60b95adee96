/** A fresh API server over memory storage, on a virtual clock, for the runtime suites. */
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, ControllerContext, Request } from '../../../reconciler/controllers/runtime/types.js'
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

/**
 * A manager over a fresh world with one controller added (not started), wrapped to record each
 * request it reconciles as `label` names it (`resource/name` by default; undefined: not recorded).
 */
export async function recordingManager(
  make: (ctx: ControllerContext) => Controller,
  component: string,
  label: (req: Request) => string | undefined = (req) => `${req.resource}/${req.name}`,
): Promise<{ api: ApiServer; clock: VirtualClock; manager: ControllerManager; reconciled: string[] }> {
  const { api, clock } = await makeWorld()
  const manager = new ControllerManager({ api, clock })
  const reconciled: string[] = []
  const c = make(manager.contextFor(component))
  manager.add({
    ...c,
    reconcile(req: Request) {
      const l = label(req)
      if (l !== undefined) reconciled.push(l)
      return c.reconcile(req)
    },
  })
  return { api, clock, manager, reconciled }
}
