/** A throwaway in-memory state with every controller on a virtual clock: where an offline preview syncs base. */
import { LocalClient } from '../../api/local-client.js'
import { VirtualClock } from '../../controllers/runtime/virtual-clock.js'
import { defaultSimConfig } from '../../controllers/sim/sim-config.js'
import { writeSimConfig } from '../../controllers/sim/sim-store.js'
import { openStorage } from '../../storage/index.js'
import type { RunCluster } from '../sync/cluster.js'
import { virtualClusterRunner } from '../sync/virtual-cluster.js'

/** The state, its clock, and the controllers around a function. */
export interface Throwaway {
  api: LocalClient
  clock: VirtualClock
  runCluster: RunCluster
  close(): Promise<void>
}

/** A fresh memory state; pods start at once (sim start delay 0) so rollouts settle in few steps. */
export async function throwawayState(start = new Date('2026-01-01T00:00:00Z')): Promise<Throwaway> {
  const clock = new VirtualClock(start)
  const api = new LocalClient({ storage: openStorage('memory:'), now: () => clock.now() })
  await api.bootstrap()
  const cfg = defaultSimConfig()
  cfg.settings.startDelaySeconds = 0
  await writeSimConfig(api, cfg)
  const runCluster = virtualClusterRunner(api, clock)
  return { api, clock, runCluster, close: () => api.close() }
}
