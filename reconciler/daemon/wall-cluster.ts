/**
 * The sync's view of the controllers when they already run on the wall clock (in `capstan serve`):
 * no second manager; `settle` waits until the work queues are empty, time moves by itself, and the
 * health wait polls until every object is final or the health timeout passes.
 */
import type { ControllerManager } from '../controllers/runtime/manager.js'
import type { RunCluster } from '../gitops/sync/cluster.js'

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Waits until no controller has work queued (twice in a row), at most `maxMs`. */
export async function quiet(manager: ControllerManager | undefined, maxMs = 2000): Promise<void> {
  if (!manager) return
  const end = Date.now() + maxMs
  let calm = 0
  while (calm < 2 && Date.now() < end) {
    await sleep(10)
    calm = manager.pending().queued.length === 0 ? calm + 1 : 0
  }
}

/** A RunCluster over running controllers: health is polled every `pollMs` until `healthTimeoutMs` has passed. */
export function wallCluster(o: { manager: ControllerManager | undefined; healthTimeoutMs: number; pollMs?: number }): RunCluster {
  const pollMs = o.pollMs ?? 100
  return async (fn) => {
    const deadline = Date.now() + o.healthTimeoutMs
    return fn({
      settle: () => quiet(o.manager),
      advanceTo: async (at) => {
        await sleep(Math.max(0, at.getTime() - Date.now()))
        await quiet(o.manager, 500)
      },
      // Past the timeout nothing more is "scheduled": the health wait reports what is still progressing as failed.
      nextTimer: () => (Date.now() < deadline ? new Date(Date.now() + pollMs) : undefined),
      now: () => new Date(),
    })
  }
}
