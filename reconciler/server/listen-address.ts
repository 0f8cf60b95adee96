/** The address `capstan serve` listens on: parsing `--listen`, and the rule that protects it. */
import { isIP } from 'node:net'

/** A host and port to listen on. */
export interface ListenAddress {
  host: string
  port: number
}

/** Where `capstan serve` listens unless told otherwise. */
export const DEFAULT_LISTEN = '127.0.0.1:7070'

/** A problem with `--listen` or with listening without tokens (the command exits 2 with its message). */
export class ListenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ListenError'
  }
}

/** Parses `HOST:PORT`, `[::1]:PORT` or `:PORT` (all interfaces). Port 0 picks a free port. */
export function parseListen(s: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(s.trim())
  if (!m) throw new ListenError(`invalid --listen address ${JSON.stringify(s)}: expected HOST:PORT (e.g. 127.0.0.1:7070)`)
  const port = Number(m[3])
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ListenError(`invalid port in --listen ${JSON.stringify(s)}: must be 0–65535`)
  const host = m[1] ?? (m[2] || '0.0.0.0')
  return { host, port }
}

/** Whether a host is a loopback address (only this machine can connect). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase()
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true
  if (isIP(h) === 4) return h.startsWith('127.')
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.')
  return false
}

/** Refuses a non-loopback address without bearer tokens: anyone on the network could change the state. */
export function checkExposure(addr: ListenAddress, tokens: readonly string[] | undefined): void {
  if (isLoopback(addr.host) || (tokens && tokens.length > 0)) return
  throw new ListenError(
    `refusing to listen on ${formatAddress(addr)} without authentication: ` +
      `a non-loopback address needs --token-file (bearer tokens, one per line), or listen on 127.0.0.1`,
  )
}

/** `127.0.0.1:7070`, `[::1]:7070`. */
export function formatAddress(a: ListenAddress): string {
  return isIP(a.host) === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`
}

/** Tokens from a file's text: one per line, blank lines and `#` comments skipped. */
export function parseTokens(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}
