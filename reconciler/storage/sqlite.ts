/**
 * The embedded sqlite backend (better-sqlite3, WAL): a kine-like log table, one sqlite transaction
 * per txn (or, inside `batch`, a write-behind overlay flushed in bulk), watch events dispatched
 * in-process right after each txn.
 */
import Database from 'better-sqlite3'
import { encodeContinue } from './continue-token.js'
import { prefixEnd } from './key-order.js'
import { BulkWriter } from './sqlite-bulk.js'
import { KnownKeys } from './sqlite-known-keys.js'
import { BatchOverlay, type FileReads, type OverlayTxnResult } from './sqlite-overlay.js'
import { historyBatches, toKeyValue } from './sqlite-rows.js'
import { ensureSchema } from './sqlite-schema.js'
import { prepareStatements, type CurrentRow, type HistoryRow, type Statements } from './sqlite-statements.js'
import { WalKeeper } from './sqlite-wal-keeper.js'
import { StorageError, type Compare, type KeyValue, type RangeOptions, type RangeResult, type Storage, type TxnRequest, type TxnResult, type Watch, type WatchEvent, type WatchHandlers, type WatchOptions } from './types.js'
import { checkCompact, resolveRange, validateTxn } from './validate-request.js'
import { WatchHub, type EventBatch } from './watch-hub.js'

const PAGE_SIZE = 16384

/** Pending log rows of a batch past which they are written at once (bounds the batch's memory). */
const FLUSH_ROWS = 4096

/** Options of openSqliteStorage. */
export interface SqliteStorageOptions {
  /**
   * 'normal' (default): a committed txn survives a crash of the process (kill -9) and the file is
   * never corrupted; an OS crash or power loss may lose the last commits. 'full': every commit is
   * fsynced, so it survives power loss too, at a cost per commit.
   */
  synchronous?: 'normal' | 'full'
  /** Check for other processes' writes every this many ms and dispatch them to watchers (0: never, the default). */
  pollIntervalMs?: number
  /** How long a write waits for another process's write lock before failing with 'Io' (default 5000 ms). */
  busyTimeoutMs?: number
  /**
   * Checkpoint the WAL on a worker thread, started the first time 1,000 frames wait (where sqlite
   * would checkpoint inside a COMMIT, on this thread); default true. false: sqlite's auto-checkpoint.
   */
  checkpointWorker?: boolean
}

/** A sqlite-backed store; also sees writes other processes make to the same file. */
export interface SqliteStorage extends Storage {
  readonly path: string
  /** The size of the handle's set of keys the file may hold (see KnownKeys); undefined until loaded. For tests and diagnostics. */
  readonly knownKeyCount: number | undefined
  /**
   * Reads log rows newer than the last revision this handle dispatched (written by other processes
   * on the same file) and dispatches them to watchers, in revision order. Returns the number of
   * events dispatched. Cheap when nothing changed (one `PRAGMA data_version`). In-process writes
   * never need it; `pollIntervalMs` calls it on a timer.
   */
  pollExternal(): number
  batch<T>(fn: () => Promise<T>): Promise<T>
}

/** Opens (creating if missing) a sqlite state file at `path` (':memory:' works for tests). */
export function openSqliteStorage(path: string, opts: SqliteStorageOptions = {}): SqliteStorage {
  return new SqliteStore(path, opts)
}

/**
 * Key prefixes whose old versions the log does not keep: the controllers' checkpoints and the
 * watch caches' index snapshots, megabytes rewritten by every one-shot command and only ever read
 * at their latest version. Keeping their history would grow the state by that much per command
 * (there is no automatic compaction); a read of them at an older revision finds nothing.
 */
const HISTORY_LESS_PREFIXES = ['/capstan/checkpoints/', '/capstan/cache-index/']

function isHistoryLess(key: string): boolean {
  return HISTORY_LESS_PREFIXES.some((p) => key.startsWith(p))
}

class SqliteStore implements SqliteStorage {
  readonly kind = 'sqlite'
  readonly reportsSync = true
  /** Whether a write since the last prune touched a history-less key. */
  private historyLessWritten = false
  readonly path: string
  private readonly db: Database.Database
  private readonly st: Statements
  private readonly hub: WatchHub
  private readonly runTxn: (req: TxnRequest) => OverlayTxnResult
  private readonly readRangeTxn: (prefix: string, opts: RangeOptions) => RangeResult
  private readonly dataVersion: Database.Statement
  private lastDataVersion: number
  private timer: NodeJS.Timeout | undefined
  private closed = false
  private batchDepth = 0
  private readonly bulk: BulkWriter
  private readonly fileReads: FileReads
  /** Keys the file may hold, so a batch's creates skip reading absent keys (see KnownKeys). */
  private readonly known: KnownKeys

  get knownKeyCount(): number | undefined {
    return this.known.size
  }
  /** The write-behind state while a batch holds the write lock (created at its first write). */
  private overlay: BatchOverlay | undefined
  /** Set when writing a batch's rows failed mid-batch: the batch was rolled back and is lost. */
  private batchError: StorageError | undefined
  private readonly wal: WalKeeper

  constructor(path: string, { synchronous = 'normal', pollIntervalMs = 0, busyTimeoutMs = 5000, checkpointWorker = true }: SqliteStorageOptions) {
    this.path = path
    try {
      this.db = new Database(path, { timeout: busyTimeoutMs })
      // Only takes effect on a new file: 16 KiB pages hold ~10 objects of 1.5 KB, which made a
      // 30,000-object txn and a full range about a third faster than 4 KiB pages.
      this.db.pragma(`page_size = ${PAGE_SIZE}`)
      this.db.pragma('journal_mode = WAL')
      this.db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`)
      this.db.pragma('cache_size = -65536')
      this.db.pragma('temp_store = MEMORY')
      this.db.pragma('journal_size_limit = 67108864')
      ensureSchema(this.db)
      this.wal = new WalKeeper({ db: this.db, busyTimeoutMs, synchronous: synchronous === 'full' ? 'FULL' : 'NORMAL', worker: checkpointWorker })
    } catch (err) {
      throw ioError(`cannot open sqlite storage at ${path}`, err)
    }
    this.st = prepareStatements(this.db)
    this.bulk = new BulkWriter(this.db)
    this.dataVersion = this.db.prepare('PRAGMA data_version').pluck()
    const allKeys = this.db.prepare('SELECT key FROM current').pluck()
    const known = (this.known = new KnownKeys({ keys: () => allKeys.all() as string[], dataVersion: () => this.dataVersion.get() as number }))
    this.fileReads = {
      current: (key) => {
        if (!known.mayHave(key)) return undefined
        const row = this.st.getCurrent.get(key) as CurrentRow | undefined
        if (row === undefined) {
          known.missed()
          return undefined
        }
        return toKeyValue(row)
      },
      modRevision: (key) => {
        if (!known.mayHave(key)) return 0
        const mod = this.st.currentRevisionOf.get(key) as number | undefined
        if (mod !== undefined) return mod
        known.missed()
        return 0
      },
    }
    this.lastDataVersion = this.dataVersion.get() as number
    this.hub = new WatchHub(
      {
        compactedRevision: () => this.readCompacted(),
        read: (from, to, prefix) => {
          this.flush()
          return this.readHistory(from, to, prefix)
        },
      },
      this.readRevision(),
    )
    this.runTxn = this.db.transaction((req: TxnRequest) => {
      const out = this.writeTxn(req)
      this.pruneHistoryLess()
      return out
    }).immediate
    this.readRangeTxn = this.db.transaction((prefix: string, opts: RangeOptions) => this.readRange(prefix, opts))
    if (pollIntervalMs > 0) {
      this.timer = setInterval(() => this.pollExternal(), pollIntervalMs)
      this.timer.unref()
    }
  }

  async revision(): Promise<number> {
    this.checkOpen()
    this.checkBatch()
    return this.overlay !== undefined ? this.overlay.revision : this.readRevision()
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen()
    this.checkBatch()
    const known = this.overlay?.lookup(key)
    if (known !== undefined) return known.kv
    const row = this.io(() => this.st.getCurrent.get(key) as CurrentRow | undefined)
    return row === undefined ? undefined : toKeyValue(row)
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    this.checkOpen()
    this.flush()
    // One read transaction: the page, the count and the revision come from one snapshot.
    return this.io(() => this.readRangeTxn(prefix, opts))
  }

  async txn(req: TxnRequest): Promise<TxnResult> {
    this.checkOpen()
    validateTxn(req)
    const inBatch = this.batchDepth > 0
    let out: OverlayTxnResult
    if (!this.historyLessWritten && req.success.some((op) => isHistoryLess(op.key))) this.historyLessWritten = true
    try {
      out = inBatch ? this.batchState().txn(req, this.fileReads) : this.runTxn(req)
    } catch (err) {
      // As io(), without a closure per write.
      throw err instanceof StorageError ? err : ioError(`sqlite storage ${this.path}`, err)
    }
    const { result, events } = out
    if (events !== undefined) {
      // Outside a batch the txn is committed: a deletion leaves the set; in a batch, at its COMMIT.
      for (const ev of events) if (ev.type === 'put') this.known.add(ev.kv.key)
      else if (!inBatch) this.known.forget(ev.key)
      if (inBatch && this.overlay !== undefined) this.known.maybeLoad(this.overlay.writtenKeys())
      // A txn of many ops is worth a look at the WAL's size at once (see WalKeeper).
      if (!inBatch) this.wal.afterCommit(req.success.length >= 64)
      // Another process may have committed revisions this handle has not dispatched yet: they come first.
      if (result.revision > this.hub.lastRevision + 1) this.dispatchExternal(result.revision - 1)
      this.hub.dispatch({ revision: result.revision, events })
      // Written now rather than at the end; a failure here surfaces at the end of the batch.
      if (inBatch && (this.overlay?.pendingRows ?? 0) >= FLUSH_ROWS) this.flush(false)
    }
    return result
  }

  /**
   * One sqlite transaction (BEGIN IMMEDIATE: the write lock) around everything `fn` writes. Holding
   * the lock, a txn inside is decided and applied in memory (BatchOverlay), atomic and seen at
   * once by this handle's readers and watchers; its rows reach the file in bulk when `fn` ends, or
   * earlier when something reads the file (range, watch history, compact). The WAL commit happens
   * once, when `fn` ends: other processes see the writes then, and wait (busy timeout) to write
   * meanwhile. A failed write or COMMIT rolls the whole batch back.
   */
  async batch<T>(fn: () => Promise<T>): Promise<T> {
    this.checkOpen()
    if (this.batchDepth === 0) {
      this.overlay = undefined
      this.batchError = undefined
      // Counted only once BEGIN succeeded: a handle that failed to take the write lock (busy) must
      // not believe it holds it, nor trust a revision it remembers while others write.
      this.io(() => this.db.exec('BEGIN IMMEDIATE'))
      this.known.checkFresh()
    }
    this.batchDepth++
    try {
      return await fn()
    } finally {
      if (--this.batchDepth === 0 && !this.closed) this.endBatch()
    }
  }

  watch(prefix: string, handlers: WatchHandlers, opts?: WatchOptions): Watch {
    this.checkOpen()
    return this.hub.watch(prefix, handlers, opts)
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen()
    this.flush()
    this.io(() =>
      this.db
        .transaction(() => {
          const compacted = this.readCompacted()
          checkCompact(revision, this.readRevision(), compacted)
          if (revision === compacted) return
          this.st.compact.run({ r: revision })
          this.st.setMeta.run('compacted_revision', revision)
        })
        .immediate(),
    )
    if (!this.db.inTransaction) this.wal.afterCommit(true)
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen()
    return this.readCompacted()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.timer !== undefined) clearInterval(this.timer)
    this.hub.closeAll()
    try {
      // A batch still open when the handle closes is committed: its txns were acknowledged.
      if (this.batchDepth > 0 && this.db.inTransaction) this.commitBatch()
    } finally {
      // The checkpoint worker's connection closes first, so this one is the file's last in this
      // process and sqlite checkpoints and removes the WAL as it closes (as without the worker).
      const stopping = this.wal.close()
      if (stopping === undefined) this.db.close()
      else await stopping.finally(() => this.db.close())
    }
  }

  pollExternal(): number {
    // A batch whose writing failed reports that at its end; a timer's poll must not throw it.
    if (this.closed || this.batchError !== undefined) return 0
    this.flush()
    const version = this.dataVersion.get() as number
    if (version === this.lastDataVersion) return 0
    this.lastDataVersion = version
    return this.dispatchExternal(this.readRevision())
  }

  /** Dispatches the log rows in (hub.lastRevision, to]; fails every watch if some were compacted away. */
  private dispatchExternal(to: number): number {
    const from = this.hub.lastRevision + 1
    if (to < from) return 0
    this.flush()
    // Read in one snapshot, then dispatch outside it: handlers may write.
    const batches = this.io(() =>
      this.db.transaction(() => (from < this.readCompacted() ? undefined : this.readHistory(from, to)))(),
    )
    if (batches === undefined) {
      this.hub.lastRevision = to
      this.hub.failAll(new StorageError('Compacted', `revisions from ${from} were compacted by another process before this handle saw them`))
      return 0
    }
    let count = 0
    for (const batch of batches) {
      count += batch.events.length
      this.hub.dispatch(batch)
    }
    this.hub.lastRevision = Math.max(this.hub.lastRevision, to)
    return count
  }

  private readRange(prefix: string, opts: RangeOptions): RangeResult {
    const r = resolveRange(prefix, opts, this.readRevision(), this.readCompacted())
    // A text key always sorts below a blob, so an empty blob is "no upper bound".
    const end: string | Buffer = prefixEnd(prefix) ?? Buffer.alloc(0)
    let items: KeyValue[] = []
    let total: number
    if (r.current) {
      if (!r.countOnly) items = this.st.rangeCurrent.all(r.start, end, r.limit > 0 ? r.limit : -1) as KeyValue[]
      total = r.countOnly || (r.limit > 0 && items.length === r.limit) ? (this.st.countCurrent.get(r.start, end) as number) : items.length
    } else {
      if (!r.countOnly) items = this.st.rangeAt.all(r.start, end, r.revision, r.limit > 0 ? r.limit : -1) as KeyValue[]
      total = r.countOnly || (r.limit > 0 && items.length === r.limit) ? (this.st.countAt.get(r.start, end, r.revision) as number) : items.length
    }
    const remaining = total - items.length
    const result: RangeResult = { items, revision: r.revision, remaining }
    if (remaining > 0 && items.length > 0) result.continue = encodeContinue({ lastKey: items[items.length - 1].key, revision: r.revision })
    return result
  }

  /** The body of one txn, inside an IMMEDIATE sqlite transaction (compares and writes atomic). */
  private writeTxn(req: TxnRequest): OverlayTxnResult {
    const st = this.st
    const current = st.maxRevision.get() as number
    // A key's current row, read once for both its compare and its write (the common txn: one key).
    const rows = new Map<string, CurrentRow | undefined>()
    const currentRow = (key: string): CurrentRow | undefined => {
      if (rows.has(key)) return rows.get(key)
      const row = st.getCurrent.get(key) as CurrentRow | undefined
      rows.set(key, row)
      return row
    }
    const written = new Set(req.success.map((op) => op.key))
    const failed: Compare[] = []
    for (const c of req.compare ?? []) {
      const mod = written.has(c.key) ? (currentRow(c.key)?.modRevision ?? 0) : ((st.currentRevisionOf.get(c.key) as number | undefined) ?? 0)
      if (mod !== c.modRevision) failed.push({ key: c.key, modRevision: mod })
    }
    if (failed.length > 0) return { result: { succeeded: false, revision: current, failed } }

    const revision = current + 1
    const results: (KeyValue | undefined)[] = []
    const events: WatchEvent[] = []
    for (const op of req.success) {
      // A key written twice in one txn is refused by validateTxn, so each row is read before its write.
      const row = currentRow(op.key)
      const prev = row === undefined ? undefined : toKeyValue(row)
      if (op.type === 'put') {
        const createRevision = prev?.createRevision ?? revision
        const version = (prev?.version ?? 0) + 1
        const id = st.insertLog.run(revision, op.key, createRevision, prev?.modRevision ?? 0, version, 0, op.value).lastInsertRowid
        st.upsertCurrent.run(op.key, id, revision)
        const kv: KeyValue = { key: op.key, value: op.value, createRevision, modRevision: revision, version }
        results.push(kv)
        events.push(prev === undefined ? { type: 'put', kv } : { type: 'put', kv, prevKv: prev })
      } else {
        results.push(undefined)
        if (prev === undefined) continue
        st.insertLog.run(revision, op.key, prev.createRevision, prev.modRevision, prev.version, 1, '')
        st.deleteCurrent.run(op.key)
        // A second delete of the key in this txn (allowed) is a no-op.
        rows.set(op.key, undefined)
        events.push({ type: 'delete', key: op.key, revision, prevKv: prev })
      }
    }
    if (events.length === 0) return { result: { succeeded: true, revision: current, results } }
    return { result: { succeeded: true, revision, results }, events }
  }

  /**
   * Drops the superseded versions of history-less keys (HISTORY_LESS_PREFIXES) written since the
   * last time, inside the transaction that wrote them.
   */
  private pruneHistoryLess(): void {
    if (!this.historyLessWritten) return
    this.historyLessWritten = false
    for (const prefix of HISTORY_LESS_PREFIXES) {
      const end = prefixEnd(prefix) as string
      this.st.pruneRange.run(prefix, end, prefix, end)
    }
  }

  /** The batch's overlay, created at its first write from the file's newest revision and row id. */
  private batchState(): BatchOverlay {
    this.checkBatch()
    if (this.overlay === undefined) {
      this.overlay = this.io(() => new BatchOverlay(this.st.maxRevision.get() as number, this.st.maxId.get() as number))
    }
    return this.overlay
  }

  /**
   * Writes the batch's pending rows to the file (inside its sqlite transaction). On failure the whole
   * batch is rolled back, and the error thrown (`rethrow`) or left for the end of the batch.
   */
  private flush(rethrow = true): void {
    this.checkBatch()
    const overlay = this.overlay
    if (overlay === undefined) return
    try {
      overlay.flush(this.bulk)
    } catch (err) {
      const e = err instanceof StorageError ? err : ioError(`sqlite storage ${this.path}: writing a batch`, err)
      this.abandonBatch()
      this.batchError = e
      if (rethrow) throw e
    }
  }

  /** Ends the outermost batch: writes what is pending and commits; on failure the batch is lost. */
  private endBatch(): void {
    const failed = this.batchError
    this.batchError = undefined
    if (failed !== undefined) throw failed
    const wrote = this.overlay !== undefined && this.overlay.revision > this.overlay.baseRevision
    this.commitBatch()
    // lastDataVersion stays: sqlite's data_version moves only for other connections' commits, so
    // this commit leaves it as it was, and a commit by another process before the batch, which a
    // batch that wrote nothing did not dispatch, is still news to the next poll.
    if (wrote) this.wal.afterCommit(true)
  }

  private commitBatch(): void {
    try {
      const overlay = this.overlay
      overlay?.flush(this.bulk)
      this.pruneHistoryLess()
      this.db.exec('COMMIT')
      this.overlay = undefined
      if (overlay !== undefined) for (const key of overlay.deletedKeys()) this.known.forget(key)
    } catch (err) {
      this.abandonBatch()
      throw err instanceof StorageError ? err : ioError(`sqlite storage ${this.path}: committing a batch`, err)
    }
  }

  /**
   * Drops the overlay and rolls the sqlite transaction back (when sqlite has not already). Watchers
   * were handed the lost batch's events, revisions that now never happened: their watches end with
   * 'Io', so they read the store again (the API server's watch caches reopen on that).
   */
  private abandonBatch(): void {
    const wrote = this.overlay !== undefined && this.overlay.revision > this.overlay.baseRevision
    this.overlay = undefined
    if (this.db.inTransaction) {
      try {
        this.db.exec('ROLLBACK')
      } catch {
        // Nothing more to undo: sqlite already ended the transaction.
      }
    }
    if (!wrote) return
    try {
      this.hub.lastRevision = this.st.maxRevision.get() as number
    } catch {
      // The file cannot be read either; the next call reports that.
    }
    this.hub.failAll(new StorageError('Io', `sqlite storage ${this.path}: a batch was rolled back after its events were delivered`))
  }

  /** Inside a batch whose writing failed, every call fails with that error until the batch ends. */
  private checkBatch(): void {
    if (this.batchError !== undefined) throw this.batchError
  }

  /**
   * Reads committed transactions with from <= revision <= to as event batches; with a `prefix`,
   * only the events under it (their values, and big values of other keys, are never read).
   */
  private readHistory(from: number, to: number, prefix = ''): EventBatch[] {
    const end = prefixEnd(prefix)
    if (prefix === '' || prefix === '/' || end === undefined) return historyBatches(this.st.history.all(from, to) as HistoryRow[])
    return historyBatches(this.st.historyUnder.all(from, to, prefix, end) as HistoryRow[])
  }

  private readRevision(): number {
    return this.io(() => this.st.maxRevision.get() as number)
  }

  private readCompacted(): number {
    return this.io(() => (this.st.getMeta.get('compacted_revision') as number | undefined) ?? 0)
  }

  private io<T>(fn: () => T): T {
    try {
      return fn()
    } catch (err) {
      if (err instanceof StorageError) throw err
      throw ioError(`sqlite storage ${this.path}`, err)
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('Closed', 'storage is closed')
  }
}

function ioError(context: string, err: unknown): StorageError {
  return new StorageError('Io', `${context}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
}
