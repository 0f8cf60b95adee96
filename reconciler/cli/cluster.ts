/**
 * The simulated cluster behind one-shot commands: the controllers run over the embedded state on
 * its virtual clock until no work is due (settle); time moves only when a command advances it, and
 * the clock is saved back into the state.
 */
import { ApiServer } from '../api/api-server.js'
import type { ApiClient } from '../api/client.js'
import type { ControllerManager } from '../controllers/runtime/manager.js'
import type { VirtualClock } from '../controllers/runtime/virtual-clock.js'
import { saveStateClock } from '../controllers/state-clock.js'
import { runVirtualCluster } from '../gitops/sync/virtual-cluster.js'
import { UsageError } from './args.js'
import type { Context } from './context.js'

export interface Cluster {
  manager: ControllerManager
  clock: VirtualClock
  api: ApiServer
}

/**
 * Starts the controllers (incrementally from the state's resume point, or with a resync of
 * everything), settles, runs `fn` (which may advance time), settles again, stops, and saves the
 * clock (see gitops/sync/virtual-cluster.ts). CAPSTAN_FULL_RESYNC=1 forces the full resync.
 */
export async function withCluster<T>(ctx: Context, fn?: (c: Cluster) => Promise<T>): Promise<T> {
  if (ctx.server) {
    // A running server's controllers act on every change by themselves, on its wall clock.
    if (!fn) return undefined as T
    throw new UsageError(`this command drives the simulated cluster of an embedded state (--state); ${ctx.server} runs its controllers on the wall clock`)
  }
  fn ??= async () => undefined as T
  const api = await ctx.client()
  if (!(api instanceof ApiServer)) throw new UsageError('the simulated cluster runs over the embedded state (--state)')
  const clock = await ctx.clock()
  const run = fn
  try {
    return await runVirtualCluster({ api, clock, log: logger(ctx), incremental: ctx.io.env.CAPSTAN_FULL_RESYNC !== '1' }, (manager) => run({ manager, clock, api }))
  } finally {
    await saveStateClock(api.storage, clock)
  }
}

/** What a command that changes objects needs: the API, and the time to stamp its changes with. */
export interface ApiSession {
  api: ApiClient
  now(): Date
}

/**
 * Runs `fn` against the API the command talks to: over the embedded state, inside withCluster (the
 * controllers then act on what it did, on virtual time); against a running server, directly.
 */
export async function withApi<T>(ctx: Context, fn: (s: ApiSession) => Promise<T>): Promise<T> {
  if (ctx.server) return fn({ api: await ctx.client(), now: () => new Date() })
  return withCluster(ctx, ({ api, clock }) => fn({ api, now: () => clock.now() }))
}

/** Controller logs go to stderr when CAPSTAN_LOG is set (one JSON line each). */
function logger(ctx: Context): ((line: Record<string, unknown>) => void) | undefined {
  if (!ctx.io.env.CAPSTAN_LOG) return undefined
  return (line) => ctx.io.stderr(JSON.stringify(line) + '\n')
}

/** Parses `30s`, `5m`, `1h30m`, `1.5s`, `200ms` (Go's time.ParseDuration subset) into milliseconds. */
export function parseDuration(s: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g
  let total = 0
  let consumed = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(s))) {
    if (m.index !== consumed) break
    consumed += m[0].length
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h']
  }
  if (!s || consumed !== s.length) throw new UsageError(`invalid duration "${s}" (examples: 30s, 5m, 1h30m, 200ms)`)
  return Math.round(total)
}
