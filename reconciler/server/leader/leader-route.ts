/** GET /capstan/v1/leader: who leads (read from the shared store, so every replica gives the same answer). */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { bearerAuth } from '../auth.js'
import type { LeaderElector } from './elector.js'

/** The path of the leader endpoint. */
export const LEADER_PATH = '/capstan/v1/leader'

/** The answer of GET /capstan/v1/leader. */
export interface LeaderStatus {
  /** The leader's identity; null while nobody leads (between a leader's death and its successor). */
  holder: string | null
  /** When it started leading (RFC 3339); null while nobody leads. */
  since: string | null
  /** The leader's API URL, when it recorded one. */
  url?: string
  /** The identity of the replica that answered. */
  self: string
  /** Whether the replica that answered leads. */
  leading: boolean
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2) + '\n'
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

/** A route for startServe: answers LEADER_PATH (bearer auth when tokens are set), false for any other path. */
export function leaderRoute(o: { elector: LeaderElector; tokens?: string[] }): (req: IncomingMessage, res: ServerResponse) => boolean {
  const authorized = o.tokens?.length ? bearerAuth(o.tokens) : undefined
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '')
    if (path !== LEADER_PATH) return false
    if (authorized && !authorized(req)) {
      send(res, 401, { error: 'Unauthorized' })
      return true
    }
    if (req.method !== 'GET') {
      send(res, 405, { error: 'GET only' })
      return true
    }
    o.elector.current().then(
      (rec) => {
        const body: LeaderStatus = { holder: rec?.holder ?? null, since: rec?.since ?? null, ...(rec?.url ? { url: rec.url } : {}), self: o.elector.identity, leading: o.elector.leading }
        send(res, 200, body)
      },
      (err: unknown) => send(res, 503, { error: `cannot read the leader: ${String((err as Error)?.message ?? err)}` }),
    )
    return true
  }
}
