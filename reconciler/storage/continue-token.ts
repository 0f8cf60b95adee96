/** The opaque `continue` token of a paged range: the last key returned and the revision read at. */
import { StorageError } from './types.js'

/** What a continue token carries. */
export interface ContinuePosition {
  /** The last key of the previous page; the next page starts strictly after it. */
  lastKey: string
  /** The revision the first page was read at; every page reads at it. */
  revision: number
}

/** Encodes a continue position as base64 JSON (the shape Kubernetes uses: `{v, rv, start}`). */
export function encodeContinue(pos: ContinuePosition): string {
  const body = { v: 'capstan/storage/v1', rv: pos.revision, start: pos.lastKey + '\u0000' }
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64')
}

/** Decodes a continue token for a range over `prefix`; throws StorageError('InvalidContinue'). */
export function decodeContinue(token: string, prefix: string): ContinuePosition {
  let body: unknown
  try {
    body = JSON.parse(Buffer.from(token, 'base64').toString('utf8'))
  } catch (err) {
    throw new StorageError('InvalidContinue', 'continue token is not base64 JSON', { cause: err })
  }
  if (typeof body !== 'object' || body === null) throw invalid('continue token is not an object')
  const { v, rv, start } = body as { v?: unknown; rv?: unknown; start?: unknown }
  if (v !== 'capstan/storage/v1') throw invalid('continue token has an unknown version')
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0) throw invalid('continue token has no valid revision')
  if (typeof start !== 'string' || !start.endsWith('\u0000')) throw invalid('continue token has no valid start key')
  const lastKey = start.slice(0, -1)
  if (!lastKey.startsWith(prefix)) throw invalid('continue token points outside the requested prefix')
  return { lastKey, revision: rv }
}

function invalid(message: string): StorageError {
  return new StorageError('InvalidContinue', message)
}
