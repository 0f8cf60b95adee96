/**
 * Every controller over an in-process state on its virtual clock: the one runner behind one-shot
 * commands (the CLI's withCluster), the sync's RunCluster, preview's throwaway state, the GitOps
 * test harness and the bench.
 *
 * A run starts incrementally when the state holds a resume point (see
 * controllers/runtime/resume-point.ts): only objects written since the controllers last settled
 * are reconciled, and their delayed work comes back on the clock. It falls back to the full resync
 * when there is none, it is of another format, or the history since it was compacted. A run that
 * ends settled saves a new resume point.
 */
import type { ApiServer } from '../../api/api-server.js'
import { decodeObject } from '../../api/codec.js'
import { resolveResource } from '../../api/kinds.js'
import { kindPrefix } from '../../api/keys.js'
import { addControllers } from '../../controllers/index.js'
import { ControllerManager, type IncrementalStart } from '../../controllers/runtime/manager.js'
import { loadCheckpoints, type CheckpointRefs } from '../../controllers/runtime/checkpoint-store.js'
import { changesOf, changesSince, clearResumePoint, loadResumePoint, saveResumePoint } from '../../controllers/runtime/resume-point.js'
import type { LogFn } from '../../controllers/runtime/event-recorder.js'
import type { VirtualClock } from '../../controllers/runtime/virtual-clock.js'
import type { ClusterHandle, RunCluster } from './cluster.js'

/** A ClusterHandle over a manager on a virtual clock. */
export function handleOf(manager: ControllerManager, clock: VirtualClock): ClusterHandle {
  return { settle: () => manager.settle(), advanceTo: (at) => manager.advanceTo(at), nextTimer: () => clock.nextTimer(), now: () => clock.now() }
}

/** Options of runVirtualCluster. */
export interface VirtualClusterOptions {
  api: ApiServer
  clock: VirtualClock
  log?: LogFn
  /** Start incrementally when the state allows it (default true; false: always the full resync). */
  incremental?: boolean
}

/** The incremental start the state allows, and the checkpoints stored with its resume point. */
async function resumeOf(api: ApiServer): Promise<{ start: IncrementalStart; checkpoints?: CheckpointRefs } | undefined> {
  const point = await loadResumePoint(api.storage)
  if (!point) return undefined
  const changes = await changesSince(api.storage, point.revision)
  if (!changes) return undefined
  const memories = point.checkpoints && (await loadCheckpoints(api.storage, point.checkpoints))
  const start: IncrementalStart = {
    delayed: point.delayed,
    changes: (resource) => {
      const k = resolveResource(resource)
      return k ? changesOf(changes, kindPrefix(k), k.namespaced, decodeObject) : new Map()
    },
    ...(memories?.size ? { memories: { byController: memories, revision: changes.revision } } : {}),
  }
  return { start, ...(point.checkpoints ? { checkpoints: point.checkpoints } : {}) }
}

/**
 * Starts the controllers (incrementally when the state allows), settles, runs `fn` (which may
 * advance time), settles again, saves the resume point, and stops. The controllers' writes are
 * committed as one group (Storage.batch). The clock is the caller's to save.
 */
export async function runVirtualCluster<T>(o: VirtualClusterOptions, fn: (manager: ControllerManager) => Promise<T>): Promise<T> {
  const { api, clock } = o
  const storage = api.storage
  const grouped = <R>(f: () => Promise<R>): Promise<R> => (storage.batch ? storage.batch(f) : f())
  return grouped(async () => {
    const fresh = (): ControllerManager => {
      const m = new ControllerManager({ api, clock, log: o.log })
      addControllers(m)
      return m
    }
    let manager = fresh()
    try {
      let resume = o.incremental === false ? undefined : await resumeOf(api)
      try {
        await manager.start(resume?.start)
      } catch (err) {
        // An incremental start that cannot follow the store from its resume point: every object.
        if (!resume) throw err
        o.log?.({ level: 'error', msg: 'incremental start failed; resyncing every object', error: err instanceof Error ? err.message : String(err) })
        await manager.stop()
        manager = fresh()
        resume = undefined
        await manager.start()
      }
      await manager.settle()
      const out = await fn(manager)
      await manager.settle()
      // Settled: every write so far is processed; what is left is delayed work. The caches' index
      // snapshots first: the next command opens its caches from them.
      await api.saveCacheIndexes()
      // Memories that may have missed something are not carried on: the next start resyncs.
      if (manager.degraded) {
        o.log?.({ level: 'error', msg: 'the controllers may have missed changes; the next start resyncs every object' })
        await clearResumePoint(storage)
        return out
      }
      // Checkpoints a controller restored and did not touch since are kept as they are stored.
      const { changed, unchanged } = manager.checkpoints()
      const kept: CheckpointRefs = {}
      for (const name of unchanged) if (resume?.checkpoints?.[name]) kept[name] = resume.checkpoints[name]
      await saveResumePoint(storage, { revision: await storage.revision(), delayed: manager.resumableWork() }, undefined, { changed, kept })
      return out
    } finally {
      await manager.stop()
    }
  })
}

/** Starts the controllers for each call, settles around `fn`, and stops them (a one-shot command's cluster). */
export function virtualClusterRunner(api: ApiServer, clock: VirtualClock, opts: { incremental?: boolean } = {}): RunCluster {
  return (fn) => runVirtualCluster({ api, clock, ...opts }, (manager) => fn(handleOf(manager, clock)))
}
