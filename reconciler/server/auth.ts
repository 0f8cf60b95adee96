/** Bearer-token authentication: every request carries `Authorization: Bearer <token>`. */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Status } from '../api/errors.js'
import { failure } from './respond.js'

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()

/** A checker for a set of tokens: true when the request carries one of them. */
export function bearerAuth(tokens: readonly string[]): (req: IncomingMessage) => boolean {
  const accepted = tokens.filter((t) => t !== '').map(digest)
  return (req) => {
    const h = req.headers.authorization ?? ''
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h)
    if (!m) return false
    const got = digest(m[1])
    // Compare digests in constant time, against every token (no early exit on a match).
    let ok = false
    for (const t of accepted) ok = timingSafeEqual(got, t) || ok
    return ok
  }
}

/** kube-apiserver's body for a request without valid credentials. */
export function unauthorized(): Status {
  return failure(401, 'Unauthorized', 'Unauthorized')
}
