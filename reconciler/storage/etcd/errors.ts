/** How an error from etcd (or the gRPC channel to it) maps onto the storage contract. */
import { StorageError } from '../types.js'

/**
 * What to do about a failed call. 'retry': the request never reached a member that could run it
 * (no connection, no leader yet, a circuit broken), so sending it again is safe. 'in-doubt': it may
 * or may not have been applied (the connection dropped, the leader changed, a timeout); reads may
 * be retried, a transaction must be checked. 'fatal': the answer stands (a StorageError).
 */
export type Disposition = 'retry' | 'in-doubt' | 'fatal'

const NOT_SENT = [
  'No connection established',
  'ECONNREFUSED',
  'etcdserver: no leader',
  'etcdserver: too many requests',
  'etcdserver: not capable',
  'Breaker is open',
  'circuit',
  'Waiting for LB pick',
]

const IN_DOUBT = [
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
  'ECONNRESET',
  'Connection dropped',
  'RST_STREAM',
  'etcdserver: request timed out',
  'etcdserver: leader changed',
  'etcdserver: server stopped',
  'etcdserver: stopped',
  'Cancelled on client',
  'INTERNAL',
]

/** Classifies an error thrown by an etcd call. */
export function disposition(err: unknown): Disposition {
  if (err instanceof StorageError) return 'fatal'
  const text = describeError(err)
  if (NOT_SENT.some((s) => text.includes(s))) return 'retry'
  if (IN_DOUBT.some((s) => text.includes(s))) return 'in-doubt'
  return 'fatal'
}

/** The StorageError an etcd error stands for ('Io' for anything without a closer code). */
export function toStorageError(err: unknown): StorageError {
  if (err instanceof StorageError) return err
  const text = describeError(err)
  if (text.includes('required revision has been compacted')) return new StorageError('Compacted', `etcd: ${text}`, { cause: err })
  if (text.includes('required revision is a future revision')) return new StorageError('FutureRevision', `etcd: ${text}`, { cause: err })
  if (text.includes('request is too large') || text.includes('larger than max') || text.includes('RESOURCE_EXHAUSTED')) {
    return new StorageError('TooLarge', `etcd refused the request as too large (raise etcd's --max-request-bytes for big transactions): ${text}`, { cause: err })
  }
  if (text.includes('too many operations in txn request')) {
    return new StorageError('TooLarge', `etcd refused a transaction with too many operations (raise etcd's --max-txn-ops): ${text}`, { cause: err })
  }
  if (text.includes('duplicate key given in txn request') || text.includes('INVALID_ARGUMENT')) {
    return new StorageError('InvalidRequest', `etcd: ${text}`, { cause: err })
  }
  return new StorageError('Io', `etcd: ${text}`, { cause: err })
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`
  return String(err)
}
