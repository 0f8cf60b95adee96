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

/**
 * A RunCluster over running controllers: health is polled until `healthTimeoutMs` has passed, first
 * every 10 ms (a rollout with no start delay is over in tens of milliseconds), the interval growing
 * by half each poll up to `pollMs` (so a long rollout is not polled a hundred times a second).
 */
export function wallCluster(o: { manager: ControllerManager | undefined; healthTimeoutMs: number; pollMs?: number }): RunCluster {
  const maxPollMs = o.pollMs ?? 100
  return async (fn) => {
    const deadline = Date.now() + o.healthTimeoutMs
    let pollMs = Math.min(10, maxPollMs)
    const nextPoll = (): number => {
      const at = Date.now() + pollMs
      pollMs = Math.min(maxPollMs, Math.ceil(pollMs * 1.5))
      return at
    }
    return fn({
      settle: () => quiet(o.manager),
      advanceTo: async (at) => {
        await sleep(Math.max(0, at.getTime() - Date.now()))
        await quiet(o.manager, 500)
      },
      // Past the timeout nothing more is "scheduled": the health wait reports what is still progressing as failed.
      nextTimer: () => (Date.now() < deadline ? new Date(nextPoll()) : undefined),
      now: () => new Date(),
    })
  }
}
