/** Checks shared by every backend, run before anything is read or written. */
import { decodeContinue } from './continue-token.js'
import { keySuccessor } from './key-order.js'
import { StorageError, type RangeOptions, type TxnOp, type TxnRequest } from './types.js'

/** The largest value a put may carry: etcd's default request size limit (1.5 MiB). */
export const MAX_VALUE_BYTES = 1.5 * 1024 * 1024

/**
 * Validates a transaction: every key non-empty, no value over MAX_VALUE_BYTES ('TooLarge'), and no
 * key written twice (etcd refuses a txn whose puts overlap each other or its deletes; two deletes of
 * one key are allowed, the second is a no-op).
 */
export function validateTxn(req: TxnRequest): void {
  if (!Array.isArray(req.success)) throw new StorageError('InvalidRequest', 'txn.success must be an array')
  for (const c of req.compare ?? []) {
    checkKey(c.key)
    if (!Number.isSafeInteger(c.modRevision) || c.modRevision < 0) {
      throw new StorageError('InvalidRequest', `compare on ${JSON.stringify(c.key)}: modRevision must be an integer >= 0`)
    }
  }
  // What each key is written by so far: a put, or only deletes.
  const seen = req.success.length > 1 ? new Map<string, TxnOp['type']>() : undefined
  for (const op of req.success) {
    checkKey(op.key)
    if (op.type === 'put') {
      if (typeof op.value !== 'string') throw new StorageError('InvalidRequest', `put ${JSON.stringify(op.key)}: value must be a string`)
      // A UTF-8 encoding is at most 3 bytes per UTF-16 unit, so short values skip the exact count.
      if (op.value.length * 3 > MAX_VALUE_BYTES && Buffer.byteLength(op.value, 'utf8') > MAX_VALUE_BYTES) {
        throw new StorageError('TooLarge', `value of ${JSON.stringify(op.key)} is ${Buffer.byteLength(op.value, 'utf8')} bytes; the limit is ${MAX_VALUE_BYTES}`)
      }
    } else if (op.type !== 'delete') {
      throw new StorageError('InvalidRequest', `unknown txn op type ${JSON.stringify((op as { type: unknown }).type)}`)
    }
    if (seen === undefined) continue
    const before = seen.get(op.key)
    if (before === 'put' || (before === 'delete' && op.type === 'put')) {
      throw new StorageError('InvalidRequest', `duplicate key ${JSON.stringify(op.key)} in one txn`)
    }
    seen.set(op.key, op.type)
  }
}

function checkKey(key: unknown): void {
  if (typeof key !== 'string' || key.length === 0) throw new StorageError('InvalidRequest', 'key must be a non-empty string')
}


/** A range request resolved against the store's current and compacted revisions. */
export interface ResolvedRange {
  /** The revision to read at. */
  revision: number
  /** True when reading the current state (no history lookup needed). */
  current: boolean
  /** The first key to include (the prefix, or just after the previous page's last key). */
  start: string
  /** Page size; 0 means no limit. */
  limit: number
  countOnly: boolean
}

/**
 * Resolves range options: decodes `continue`, checks `revision` against the compacted revision
 * ('Compacted') and the current one ('FutureRevision').
 */
export function resolveRange(prefix: string, opts: RangeOptions, currentRevision: number, compactedRevision: number): ResolvedRange {
  let revision = opts.revision ?? 0
  let start = prefix
  if (opts.continue !== undefined && opts.continue !== '') {
    const pos = decodeContinue(opts.continue, prefix)
    if (revision !== 0 && revision !== pos.revision) {
      throw new StorageError('InvalidContinue', `revision ${revision} differs from the continue token's revision ${pos.revision}`)
    }
    revision = pos.revision
    start = keySuccessor(pos.lastKey)
  }
  if (!Number.isSafeInteger(revision) || revision < 0) throw new StorageError('InvalidRequest', 'revision must be an integer >= 0')
  const limit = opts.limit ?? 0
  if (!Number.isSafeInteger(limit) || limit < 0) throw new StorageError('InvalidRequest', 'limit must be an integer >= 0')
  if (revision === 0) revision = currentRevision
  if (revision > currentRevision) {
    throw new StorageError('FutureRevision', `revision ${revision} is newer than the current revision ${currentRevision}`)
  }
  if (revision < compactedRevision) {
    throw new StorageError('Compacted', `revision ${revision} has been compacted (oldest readable: ${compactedRevision})`)
  }
  return { revision, current: revision === currentRevision, start, limit, countOnly: opts.countOnly === true }
}

/** Checks a compaction target: 'FutureRevision' past the current revision, 'Compacted' below the last compaction. */
export function checkCompact(revision: number, currentRevision: number, compactedRevision: number): void {
  if (!Number.isSafeInteger(revision) || revision < 0) throw new StorageError('InvalidRequest', 'compact revision must be an integer >= 0')
  if (revision > currentRevision) {
    throw new StorageError('FutureRevision', `cannot compact to ${revision}: the current revision is ${currentRevision}`)
  }
  if (revision < compactedRevision) {
    throw new StorageError('Compacted', `revision ${revision} is already compacted (oldest readable: ${compactedRevision})`)
  }
}
