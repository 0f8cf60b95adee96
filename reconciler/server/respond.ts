/** Writing responses: JSON bodies, Status errors, and `Warning` headers as kube-apiserver sends them. */
import type { ServerResponse } from 'node:http'
import { ApiError, type Status } from '../api/errors.js'

/** RFC 7234 warning headers with code 299, as k8s.io/apiserver/pkg/warning writes them. */
export function warningHeaders(warnings: readonly string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const w of warnings) {
    if (!w || seen.has(w)) continue
    seen.add(w)
    // Quoted-string: escape backslashes and quotes; no control characters.
    const text = w.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"')
    out.push(`299 - "${text}"`)
  }
  return out
}

/** How a JSON body is sent: warnings, content type, HEAD (no body), extra headers. */
export interface SendOptions {
  warnings?: readonly string[]
  contentType?: string
  head?: boolean
  headers?: Record<string, string>
}

/** Sends a JSON body with a status code (and warnings, if any). */
export function sendJson(res: ServerResponse, code: number, body: unknown, o: SendOptions = {}): void {
  sendJsonText(res, code, JSON.stringify(body), o)
}

/** Sends JSON already serialized (see json-cache.ts). */
export function sendJsonText(res: ServerResponse, code: number, json: string, o: SendOptions = {}): void {
  const text = json + '\n'
  if (o.warnings?.length) res.setHeader('Warning', warningHeaders(o.warnings))
  for (const [k, v] of Object.entries(o.headers ?? {})) res.setHeader(k, v)
  res.writeHead(code, {
    'Content-Type': o.contentType ?? 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  })
  res.end(o.head ? undefined : text)
}

/** A failure Status with the given code, reason and message. */
export function failure(code: number, reason: Status['reason'], message: string, details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code }
}

/** kube-apiserver's 404 for a path it does not serve. */
export function notFoundPath(): Status {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {})
}

/** The Status for an error: an ApiError's own, or a 500 for anything else. */
export function statusOf(err: unknown): Status {
  if (err instanceof ApiError) return err.status
  const msg = err instanceof Error ? err.message : String(err)
  return failure(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ reason: '', message: msg }] })
}

/** Sends a Status error (the HTTP code is the Status's code). */
export function sendStatus(res: ServerResponse, status: Status, warnings?: readonly string[]): void {
  sendJson(res, status.code, status, { warnings })
}

/** Sends plain text (the health endpoints). */
export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' })
  res.end(text)
}
