/**
 * `capstan serve` as a function: the embedded state behind the Kubernetes REST API, with every
 * controller running on the wall clock. The command and the daemon call it; tests run it in process.
 */
import { mkdirSync } from 'node:fs'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname } from 'node:path'
import { ApiServer } from '../api/api-server.js'
import { addControllers } from '../controllers/index.js'
import { ControllerManager } from '../controllers/runtime/manager.js'
import { WallClock } from '../controllers/runtime/wall-clock.js'
import { openStorageAsync } from '../storage/open-storage.js'
import type { Storage } from '../storage/types.js'
import { createApiHttpServer } from './http-server.js'
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
}

/** A running server. */
export interface ServeHandle {
  /** `http://HOST:PORT` as clients reach it (the real port when 0 was asked for). */
  url: string
  api: ApiServer
  manager: ControllerManager | undefined
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
  if (!o.state.startsWith('memory')) mkdirSync(dirname(o.state.replace(/^sqlite:/, '')), { recursive: true })
  const storage: Storage = await openStorageAsync(o.state, { sqlite: { pollIntervalMs: o.pollIntervalMs ?? 200 } })
  const clock = new WallClock()
  const api = new ApiServer({ storage, now: () => clock.now() })
  let manager: ControllerManager | undefined
  let server: Server | undefined
  try {
    await api.bootstrap()
    if (!o.noControllers) {
      manager = new ControllerManager({ api, clock, log: (line) => log({ level: 'info', ...line }) })
      addControllers(manager)
      await manager.start()
    }
    server = createApiHttpServer({
      api,
      tokens: o.tokens,
      log: (line) => {
        if (line.startsWith('error: ')) log({ level: 'error', msg: 'request failed', error: line.slice(7) })
        else if (o.logRequests) log({ level: 'info', msg: 'request', request: line })
      },
    })
    if (o.routes) withRoutes(server, o.routes)
    const inFlight = trackRequests(server)
    await listen(server, addr.host, addr.port)
    const a = server.address() as AddressInfo
    const url = `http://${formatAddress({ host: addr.host === '0.0.0.0' || addr.host === '::' ? '127.0.0.1' : a.address, port: a.port })}`
    log({ level: 'info', msg: 'listening', url, address: formatAddress({ host: a.address, port: a.port }), state: o.state, auth: o.tokens?.length ? 'bearer' : 'none' })
    const running = manager?.run().catch((err: unknown) => log({ level: 'error', msg: 'controller manager stopped', error: String((err as Error)?.stack ?? err) }))
    const srv = server
    let closing: Promise<void> | undefined
    return {
      url,
      api,
      manager,
      server: srv,
      close: () =>
        (closing ??= (async () => {
          log({ level: 'info', msg: 'shutting down' })
          const closed = new Promise<void>((resolve) => srv.close(() => resolve()))
          srv.closeIdleConnections()
          await inFlight.drain((o.drainSeconds ?? 5) * 1000)
          // Watches never end by themselves: cut them (clients resume elsewhere, as from a restarted apiserver).
          srv.closeAllConnections()
          await closed
          await manager?.stop()
          await running
          await api.close()
          await storage.close()
          log({ level: 'info', msg: 'stopped' })
        })()),
    }
  } catch (err) {
    server?.closeAllConnections()
    server?.close()
    await manager?.stop()
    await api.close()
    await storage.close()
    throw err
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
