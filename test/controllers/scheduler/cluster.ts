/**
 * A whole simulated cluster for tests, in process: the real ApiServer over memory storage, a
 * VirtualClock, and every controller capstan runs.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { CONTROLLERS } from '../../../reconciler/controllers/index.js'
import { ControllerManager, VirtualClock } from '../../../reconciler/controllers/runtime/index.js'
import type { Controller, ControllerContext } from '../../../reconciler/controllers/runtime/types.js'
import { projectRoot } from '../../../reconciler/paths.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'

type Spec = { component: string; make(ctx: ControllerContext): Controller }

/** Every controller capstan runs (reconciler/controllers/index.ts). */
export function clusterControllers(): Spec[] {
  return [...CONTROLLERS]
}

/** A manifest file of the repository's manifests/ folder, as objects. */
export function manifest(path: string): KObject[] {
  const text = readFileSync(join(projectRoot(), 'manifests', path), 'utf8')
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KObject | null)
    .filter((o): o is KObject => !!o)
}

/** Starts a cluster; `start` is the virtual time. */
export async function startCluster(start = new Date('2026-01-01T00:00:00Z')) {
  const clock = new VirtualClock(start)
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
  await api.bootstrap()
  const manager = new ControllerManager({ api, clock })
  for (const spec of clusterControllers()) manager.add(spec.make(manager.contextFor(spec.component)))
  await manager.start()
  await manager.settle()
  const apply = async (objs: KObject[]): Promise<void> => {
    for (const o of objs) await api.apply(o, { fieldManager: 'capstan', force: true })
    await manager.settle()
  }
  const events = async (name?: string): Promise<string[]> =>
    (await api.list('events')).items
      .filter((e) => name === undefined || (e as { involvedObject?: { name?: string } }).involvedObject?.name === name)
      .map((e) => `${(e as { reason?: string }).reason}: ${(e as { message?: string }).message}`)
  return { api, clock, manager, apply, events, stop: () => manager.stop() }
}
