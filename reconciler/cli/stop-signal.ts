/** Waiting in a long-running command (`get -w`) until interrupted, following other processes' writes meanwhile. */
import { ApiServer } from '../api/api-server.js'
import type { ApiClient } from '../api/client.js'
import type { CliIO } from './io.js'

interface Pollable {
  pollExternal(): number
}

function isPollable(s: unknown): s is Pollable {
  return typeof (s as Partial<Pollable>)?.pollExternal === 'function'
}

/**
 * Resolves on SIGINT or SIGTERM (or when `io.signal` aborts). Over an embedded sqlite state, the
 * store is polled for writes made by other capstan processes, so watches see them.
 */
export function waitForStop(io: CliIO, client: ApiClient, pollMs = 200): Promise<void> {
  const storage = client instanceof ApiServer ? client.storage : undefined
  return new Promise((resolve) => {
    const timer = isPollable(storage) ? setInterval(() => storage.pollExternal(), pollMs) : undefined
    const done = (): void => {
      if (timer) clearInterval(timer)
      process.off('SIGINT', done)
      process.off('SIGTERM', done)
      resolve()
    }
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
    if (io.signal) {
      if (io.signal.aborted) done()
      else io.signal.addEventListener('abort', done, { once: true })
    }
  })
}
