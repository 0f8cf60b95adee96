/** A failed response turned back into the ApiError the server raised: same reason, message and details. */
import { ApiError, type StatusDetails, type StatusReason } from '../errors.js'
import { isPlainObject } from '../object.js'

/** Reasons by HTTP code, for bodies that are not a Status (a proxy's 502, a crash). */
const REASON_BY_CODE: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
}

const KNOWN_REASONS = new Set<string>([...Object.values(REASON_BY_CODE), 'AlreadyExists', 'Gone', 'InternalError'])

/** The ApiError a Status object describes (or, for another body, the one its HTTP code implies). */
export function errorFromStatus(code: number, body: unknown, fallbackText = ''): ApiError {
  if (isPlainObject(body) && body.kind === 'Status') {
    const reason = typeof body.reason === 'string' && KNOWN_REASONS.has(body.reason) ? (body.reason as StatusReason) : reasonFor(code)
    const details = isPlainObject(body.details) ? (body.details as StatusDetails) : {}
    return new ApiError(reason, typeof body.message === 'string' ? body.message : fallbackText, details)
  }
  const text = fallbackText.trim() || `the server responded with HTTP ${code}`
  return new ApiError(reasonFor(code), text)
}

function reasonFor(code: number): StatusReason {
  return REASON_BY_CODE[code] ?? 'InternalError'
}

/** An ApiError for a request that never got an answer (connection refused, reset, aborted by a timeout). */
export function unreachable(url: string, err: unknown): ApiError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause
  const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err))
  return new ApiError('InternalError', `cannot reach the capstan API server at ${url}: ${why}`, {}, { cause: err })
}
