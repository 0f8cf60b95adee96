/** The revisioned key-value log every storage backend implements (the etcd v3 model). */

/** One stored key at one revision. Values are opaque text (capstan stores JSON). */
export interface KeyValue {
  key: string
  value: string
  /** Revision of the write that created this key (since its last deletion). */
  createRevision: number
  /** Revision of the last write to this key. */
  modRevision: number
  /** Number of writes to this key since it was created (1 on create). */
  version: number
}

export interface RangeOptions {
  /** At most this many items (0 or undefined: no limit). */
  limit?: number
  /** Opaque token from a previous page's `continue`. */
  continue?: string
  /** Read as of this revision (must not be compacted); default: current. */
  revision?: number
  /** Only count, return no items. */
  countOnly?: boolean
}

export interface RangeResult {
  items: KeyValue[]
  /** The store revision the range was read at. */
  revision: number
  /** Set when more items remain: pass it back as `continue`. */
  continue?: string
  /** Number of keys under the prefix remaining after this page (excluding this page's items), when known. */
  remaining: number
}

/** A condition on one key: its mod revision (0 = the key must not exist). */
export interface Compare {
  key: string
  modRevision: number
}

export type TxnOp =
  | { type: 'put'; key: string; value: string }
  | { type: 'delete'; key: string }

export interface TxnRequest {
  /** All must hold for `success` to run; otherwise nothing is written. */
  compare?: Compare[]
  success: TxnOp[]
}

export interface TxnResult {
  succeeded: boolean
  /** The store revision after the transaction (unchanged when it failed or wrote nothing). */
  revision: number
  /** For a failed compare: the keys whose compare failed, with their current mod revision (0 = absent). */
  failed?: Compare[]
  /** For a success: the resulting key values of every put, in op order (deletes give undefined). */
  results?: (KeyValue | undefined)[]
}

export type WatchEvent =
  | { type: 'put'; kv: KeyValue; prevKv?: KeyValue }
  | { type: 'delete'; key: string; revision: number; prevKv?: KeyValue }

export interface WatchOptions {
  /** Deliver every event with revision >= fromRevision (0 or undefined: only new events). */
  fromRevision?: number
  /** Include the previous value in events. Default true. */
  prevKv?: boolean
}

/** A live watch. Events arrive in revision order, each event exactly once. */
export interface Watch {
  cancel(): void
  /**
   * The revision through which every event under the watch's prefix has been delivered, once
   * caught up with history (undefined before); it moves with every committed transaction,
   * including those with nothing under the prefix. Only in-process backends (`reportsSync`) have it.
   */
  progress?(): number | undefined
}

export interface WatchHandlers {
  onEvents(events: WatchEvent[]): void
  /**
   * Every event up to `revision` — the store's revision when the watch caught up with history —
   * has been delivered. Only backends with `reportsSync` call it (once per watch).
   */
  onSynced?(revision: number): void
  /** The watch ended with an error (e.g. code 'Compacted' when fromRevision is too old). */
  onError?(err: Error): void
}

/** A revisioned key-value store. One global revision counter, as in etcd. */
export interface Storage {
  readonly kind: string
  /** Whether watches call `onSynced` once caught up (the in-process backends). */
  readonly reportsSync?: boolean
  /** The current revision (0 for an empty, never-written store). */
  revision(): Promise<number>
  get(key: string): Promise<KeyValue | undefined>
  range(prefix: string, opts?: RangeOptions): Promise<RangeResult>
  txn(req: TxnRequest): Promise<TxnResult>
  watch(prefix: string, handlers: WatchHandlers, opts?: WatchOptions): Watch
  /** Drop history older than `revision`; later reads and watches of older revisions fail with 'Compacted'. */
  compact(revision: number): Promise<void>
  /** The oldest revision still readable (0 when nothing was compacted). */
  compactedRevision(): Promise<number>
  /**
   * Group commit, where a backend has it: every txn made while `fn` runs is still atomic, ordered,
   * visible and watched at once, but reaches durable storage together when `fn` ends (a crash
   * before that loses the whole group, never part of a txn). For bursts of controller writes.
   */
  batch?<T>(fn: () => Promise<T>): Promise<T>
  close(): Promise<void>
}

/**
 * Closed set of storage error codes. 'InvalidRequest': a malformed request (empty key, a key written
 * twice in one txn, a negative revision, an unknown storage spec) — etcd's InvalidArgument.
 */
export type StorageErrorCode = 'Compacted' | 'FutureRevision' | 'InvalidContinue' | 'TooLarge' | 'Closed' | 'Io' | 'InvalidRequest'

/** An error raised by a storage backend. */
export class StorageError extends Error {
  readonly code: StorageErrorCode
  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = 'StorageError'
  }
}

/** True when `err` is a StorageError with the given code. */
export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code)
}
