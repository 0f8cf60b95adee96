/** Every controller over an in-process state on its virtual clock, as a sync's RunCluster. */
import type { ApiServer } from '../../api/api-server.js'
import { addControllers } from '../../controllers/index.js'
import { ControllerManager } from '../../controllers/runtime/manager.js'
import type { VirtualClock } from '../../controllers/runtime/virtual-clock.js'
import type { ClusterHandle, RunCluster } from './cluster.js'

/** A ClusterHandle over a manager on a virtual clock. */
export function handleOf(manager: ControllerManager, clock: VirtualClock): ClusterHandle {
  return { settle: () => manager.settle(), advanceTo: (at) => manager.advanceTo(at), nextTimer: () => clock.nextTimer(), now: () => clock.now() }
}

/** Starts the controllers for each call, settles around `fn`, and stops them (a one-shot command's cluster). */
export function virtualClusterRunner(api: ApiServer, clock: VirtualClock): RunCluster {
  return async (fn) => {
    const manager = new ControllerManager({ api, clock })
    addControllers(manager)
    await manager.start()
    try {
      await manager.settle()
      const out = await fn(handleOf(manager, clock))
      await manager.settle()
      return out
    } finally {
      await manager.stop()
    }
  }
}
