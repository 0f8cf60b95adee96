/**
 * `capstan serve` as a function: the embedded state behind the Kubernetes REST API, with every
 * controller running on the wall clock. The command and the daemon call it; tests run it in process.
 *
 * With `ha` (an etcd state shared by several replicas) the replica campaigns for leadership once it
 * listens: every replica serves the API from the shared store, and only the leader runs the
 * controllers (the daemon gates its syncs the same way, through `ha.onStartedLeading`).
 */
import { mkdirSync } from 'node:fs'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname } from 'node:path'
import { ApiServer } from '../api/api-server.js'
import { isApiError } from '../api/errors.js'
import { addControllers } from '../controllers/index.js'
import { ControllerManager } from '../controllers/runtime/manager.js'
import { clearResumePoint } from '../controllers/runtime/resume-point.js'
import { WallClock } from '../controllers/runtime/wall-clock.js'
import { openStorageAsync } from '../storage/open-storage.js'
import type { Storage } from '../storage/types.js'
import { createApiHttpServer } from './http-server.js'
import { LeaderElector } from './leader/elector.js'
import { leaderRoute } from './leader/leader-route.js'
import type { ElectionTiming, LeaderRecord, LeaseStore, LostReason } from './leader/types.js'
import { checkExposure, DEFAULT_LISTEN, formatAddress, parseListen } from './listen-address.js'

/** One structured log line (written as one JSON line by the command). */
export type ServeLog = (line: Record<string, unknown>) => void

export interface ServeOptions {
  /** The state: a file path, `sqlite:PATH` or `memory:`. */
  state: string
  /** `HOST:PORT` (default 127.0.0.1:7070; port 0 picks a free one). */
  listen?: string
  /** Bearer tokens; required unless the address is loopback. */
  tokens?: string[]
  log?: ServeLog
  /** Log every request (method, path, code, duration). */
  logRequests?: boolean
  /** Do not run the controllers (the API alone). */
  noControllers?: boolean
  /** How often another process's writes to a sqlite state are picked up (default 200 ms). */
  pollIntervalMs?: number
  /** Seconds in-flight requests get to finish when closing (default 5). */
  drainSeconds?: number
  /** More routes, tried before the Kubernetes API (the daemon's /capstan/ endpoints): true when handled. */
  routes?: (req: IncomingMessage, res: ServerResponse) => boolean
  /** High availability: replicas on one etcd state elect a leader; only it runs the controllers. */
  ha?: HaOptions
}

/** Options of a highly available replica (`capstan serve --ha`). */
export interface HaOptions {
  /** This replica's identity (default: `<hostname>_<pid>_<random>`). */
  identity?: string
  timing?: Partial<ElectionTiming>
  /** The lease store (default: the etcd cluster of `state`). */
  store?: LeaseStore
  /** Called once this replica leads, after its controllers started. */
  onStartedLeading?: (record: LeaderRecord) => void
  /**
   * Called once when this replica stops leading (its lease or key is gone, or renewals failed for
   * the renew deadline), after its controllers were told to stop. The command exits non-zero here.
   */
  onStoppedLeading?: (reason: LostReason) => void
}

/** A running server. */
export interface ServeHandle {
  /** `http://HOST:PORT` as clients reach it (the real port when 0 was asked for). */
  url: string
  api: ApiServer
  manager: ControllerManager | undefined
  /** The leader elector, with `ha` (`leading` says whether this replica leads). */
  elector: LeaderElector | undefined
  /** The HTTP server (listening). */
  server: Server
  /** Stops accepting, ends watches, stops the controllers and closes the state. Idempotent. */
  close(): Promise<void>
}

/** Opens the state, bootstraps it, starts the controllers and listens. */
export async function startServe(o: ServeOptions): Promise<ServeHandle> {
  const log: ServeLog = o.log ?? (() => {})
  const addr = parseListen(o.listen ?? DEFAULT_LISTEN)
  checkExposure(addr, o.tokens)
  const etcd = o.state.startsWith('etcd://')
  if (o.ha && !etcd) throw new Error(`high availability needs an etcd state (etcd://HOST:PORT[,…]), not ${JSON.stringify(o.state)}`)
  if (!o.state.startsWith('memory') && !etcd) mkdirSync(dirname(o.state.replace(/^sqlite:/, '')), { recursive: true })
  const storage: Storage = await openStorageAsync(o.state, { sqlite: { pollIntervalMs: o.pollIntervalMs ?? 200 } })
  const clock = new WallClock()
  const api = new ApiServer({ storage, now: () => clock.now() })
  let manager: ControllerManager | undefined
  let server: Server | undefined
  let store: LeaseStore | undefined
  try {
    await bootstrap(api, !!o.ha)
    if (!o.noControllers) {
      manager = new ControllerManager({ api, clock, log: (line) => log({ level: 'info', ...line }) })
      addControllers(manager)
      // The server's controllers keep their timers in memory only: a one-shot command after it
      // must resync everything rather than resume from an older point.
      await clearResumePoint(storage)
      // A replica opens its informers only once it leads (a follower's controllers never run).
      if (!o.ha) await manager.start()
    }
    if (o.ha) store = o.ha.store ?? (await etcdLeaseStore(o.state))
    server = createApiHttpServer({
      api,
      tokens: o.tokens,
      log: (line) => {
        if (line.startsWith('error: ')) log({ level: 'error', msg: 'request failed', error: line.slice(7) })
        else if (o.logRequests) log({ level: 'info', msg: 'request', request: line })
      },
    })
    if (o.routes) withRoutes(server, o.routes)
    // The leader endpoint answers once the elector exists (it is made when the URL is known).
    let elector: LeaderElector | undefined
    let leaderEndpoint: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined
    if (o.ha) withRoutes(server, (req, res) => leaderEndpoint?.(req, res) ?? false)
    const inFlight = trackRequests(server)
    await listen(server, addr.host, addr.port)
    const a = server.address() as AddressInfo
    const url = `http://${formatAddress({ host: addr.host === '0.0.0.0' || addr.host === '::' ? '127.0.0.1' : a.address, port: a.port })}`
    log({ level: 'info', msg: 'listening', url, address: formatAddress({ host: a.address, port: a.port }), state: o.state, auth: o.tokens?.length ? 'bearer' : 'none', ...(o.ha ? { ha: true } : {}) })
    const runManager = (): Promise<void> | undefined =>
      manager && Promise.resolve().then(() => manager!.run()).catch((err: unknown) => log({ level: 'error', msg: 'controller manager stopped', error: String((err as Error)?.stack ?? err) }))
    let running: Promise<void> | undefined
    if (!o.ha) running = runManager()
    else {
      const ha = o.ha
      elector = new LeaderElector({
        store: store!,
        identity: ha.identity,
        url,
        timing: ha.timing,
        log,
        onStartedLeading: (record) => {
          running = runManager()
          ha.onStartedLeading?.(record)
        },
        onStoppedLeading: (reason) => {
          // Stop at once: the workers finish the reconcile they are in and take no more.
          void manager?.stop()
          ha.onStoppedLeading?.(reason)
        },
      })
      leaderEndpoint = leaderRoute({ elector, tokens: o.tokens })
      elector.start()
    }
    const srv = server
    let closing: Promise<void> | undefined
    return {
      url,
      api,
      manager,
      elector,
      server: srv,
      close: () =>
        (closing ??= (async () => {
          log({ level: 'info', msg: 'shutting down' })
          // A replica that does not lead stops campaigning first, so it cannot start leading while closing.
          if (elector && !elector.leading) await elector.stop()
          const closed = new Promise<void>((resolve) => srv.close(() => resolve()))
          srv.closeIdleConnections()
          await inFlight.drain((o.drainSeconds ?? 5) * 1000)
          // Watches never end by themselves: cut them (clients resume elsewhere, as from a restarted apiserver).
          srv.closeAllConnections()
          await closed
          await manager?.stop()
          await running
          // Only now that nothing it led still runs: release the lease, so a follower takes over at once.
          await elector?.stop()
          await store?.close()
          await api.close()
          await storage.close()
          log({ level: 'info', msg: 'stopped' })
        })()),
    }
  } catch (err) {
    server?.closeAllConnections()
    server?.close()
    await manager?.stop()
    await store?.close()
    await api.close()
    await storage.close()
    throw err
  }
}

/** The lease store on the etcd cluster of an `etcd://` state (the etcd client is loaded only here). */
async function etcdLeaseStore(state: string): Promise<LeaseStore> {
  const [{ parseEtcdSpec }, { openEtcdLeaseStore }] = await Promise.all([import('../storage/etcd/parse-spec.js'), import('./leader/etcd-lease-store.js')])
  return openEtcdLeaseStore(parseEtcdSpec(state))
}

/**
 * Bootstraps the state. Replicas starting together may both create a system namespace: the one
 * that loses the race gets AlreadyExists, and the other replica is creating the rest.
 */
async function bootstrap(api: ApiServer, shared: boolean): Promise<void> {
  try {
    await api.bootstrap()
  } catch (err) {
    if (!(shared && isApiError(err) && err.reason === 'AlreadyExists')) throw err
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/** Puts `routes` in front of the server's request handler. */
function withRoutes(server: Server, routes: (req: IncomingMessage, res: ServerResponse) => boolean): void {
  const inner = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>
  server.removeAllListeners('request')
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (routes(req, res)) return
    for (const l of inner) l(req, res)
  })
}

const isWatch = (req: IncomingMessage): boolean => /[?&]watch=(true|1)(&|$)|^\/apis?\/(?:[^/]+\/)?[^/]+\/watch\//.test(req.url ?? '')

/** Counts requests in flight (watches excepted), so closing can let them finish. */
function trackRequests(server: Server): { drain(maxMs: number): Promise<void> } {
  let n = 0
  let idle: (() => void) | undefined
  server.on('request', (req: IncomingMessage, res) => {
    if (isWatch(req)) return
    n++
    res.on('close', () => {
      n--
      if (n === 0) idle?.()
    })
  })
  return {
    drain: (maxMs) =>
      new Promise<void>((resolve) => {
        if (n === 0) return resolve()
        const t = setTimeout(resolve, maxMs)
        idle = () => {
          clearTimeout(t)
          resolve()
        }
      }),
  }
}
