/**
 * The write-behind state of a sqlite batch. While a batch holds the write lock nobody else can
 * change the file, so a txn is decided and applied here, in memory, and its rows wait to be written
 * to the file in bulk (`flush`): at the end of the batch, or before anything reads the file.
 */
import type { BulkWriter, CurrentEntry, LogRow } from './sqlite-bulk.js'
import type { Compare, KeyValue, TxnRequest, TxnResult, WatchEvent } from './types.js'

/** Reads of the file for keys the overlay does not know (such keys have no pending rows). */
export interface FileReads {
  /** The key's current value in the file. */
  current(key: string): KeyValue | undefined
  /** The key's mod revision in the file (0: absent). */
  modRevision(key: string): number
}

/** A key written in this batch: its current value (undefined: deleted) and the id of its newest log row. */
export interface OverlayEntry {
  kv: KeyValue | undefined
  id: number
}

/** A txn's outcome, with the events to dispatch when it wrote something. */
export type OverlayTxnResult = TxnResult & { events?: WatchEvent[] }

/** The keys written in one batch, the newest revision and log row id, and the rows not yet in the file. */
export class BatchOverlay {
  /** The newest revision: the file's when the batch began, then each write's. */
  revision: number
  /** The file's revision when the batch began. */
  readonly baseRevision: number
  private lastId: number
  private readonly entries = new Map<string, OverlayEntry>()
  /** Keys whose `current` row differs from the file. */
  private readonly dirty = new Set<string>()
  /**
   * Mod revisions read from the file for compares on keys this batch has not written (a namespace
   * every create compares): the file cannot change under the lock, and a write moves the key into
   * `entries`, which is looked at first.
   */
  private readonly fileRevisions = new Map<string, number>()
  private log: LogRow[] = []

  constructor(revision: number, lastId: number) {
    this.revision = revision
    this.baseRevision = revision
    this.lastId = lastId
  }

  /** The key's state when this batch wrote it (undefined: the overlay does not know it; read the file). */
  lookup(key: string): OverlayEntry | undefined {
    return this.entries.get(key)
  }

  /** Number of log rows waiting to be written. */
  get pendingRows(): number {
    return this.log.length
  }

  /**
   * Decides the txn fully (compares, new values, rows), then applies it: a throw while deciding (a
   * failed file read) leaves the overlay as it was. `req` must have passed validateTxn.
   */
  txn(req: TxnRequest, file: FileReads): OverlayTxnResult {
    // Keys this txn writes that the overlay does not know, read once for their compare and write.
    const fromFile = new Map<string, KeyValue | undefined>()
    const readFile = (key: string): KeyValue | undefined => {
      if (fromFile.has(key)) return fromFile.get(key)
      const kv = file.current(key)
      fromFile.set(key, kv)
      return kv
    }
    const failed: Compare[] = []
    const compares = req.compare ?? []
    const written = compares.length > 0 ? new Set(req.success.map((op) => op.key)) : undefined
    for (const c of compares) {
      const e = this.entries.get(c.key)
      let mod: number
      if (e !== undefined) mod = e.kv?.modRevision ?? 0
      else if (written?.has(c.key)) mod = readFile(c.key)?.modRevision ?? 0
      else mod = this.fileRevision(c.key, file)
      if (mod !== c.modRevision) failed.push({ key: c.key, modRevision: mod })
    }
    if (failed.length > 0) return { succeeded: false, revision: this.revision, failed }

    const revision = this.revision + 1
    // This txn's writes, kept apart until the whole txn is decided (two deletes of one key: the
    // second sees the first and is a no-op).
    const staged = new Map<string, OverlayEntry>()
    const rows: LogRow[] = []
    const results: (KeyValue | undefined)[] = []
    const events: WatchEvent[] = []
    let id = this.lastId
    for (const op of req.success) {
      const known = staged.get(op.key) ?? this.entries.get(op.key)
      const prev = known !== undefined ? known.kv : readFile(op.key)
      if (op.type === 'put') {
        const createRevision = prev?.createRevision ?? revision
        const version = (prev?.version ?? 0) + 1
        // Frozen: the overlay, the caller and every watcher share this object.
        const kv: KeyValue = Object.freeze({ key: op.key, value: op.value, createRevision, modRevision: revision, version })
        rows.push([++id, revision, op.key, createRevision, prev?.modRevision ?? 0, version, 0, op.value])
        staged.set(op.key, { kv, id })
        results.push(kv)
        events.push(prev === undefined ? { type: 'put', kv } : { type: 'put', kv, prevKv: prev })
      } else {
        results.push(undefined)
        if (prev === undefined) continue
        rows.push([++id, revision, op.key, prev.createRevision, prev.modRevision, prev.version, 1, ''])
        staged.set(op.key, { kv: undefined, id })
        events.push({ type: 'delete', key: op.key, revision, prevKv: prev })
      }
    }
    if (events.length === 0) return { succeeded: true, revision: this.revision, results }

    // Apply: nothing below can fail.
    this.revision = revision
    this.lastId = id
    for (const [key, e] of staged) {
      this.entries.set(key, e)
      this.dirty.add(key)
    }
    for (const row of rows) this.log.push(row)
    return { succeeded: true, revision, results, events }
  }

  private fileRevision(key: string, file: FileReads): number {
    let mod = this.fileRevisions.get(key)
    if (mod === undefined) {
      mod = file.modRevision(key)
      this.fileRevisions.set(key, mod)
    }
    return mod
  }

  /**
   * Writes the pending log rows and each dirty key's `current` row (its last value only). A throw
   * leaves the file half-written: the caller must roll the whole batch back.
   */
  flush(writer: BulkWriter): void {
    if (this.log.length === 0 && this.dirty.size === 0) return
    const upserts: CurrentEntry[] = []
    const deletes: string[] = []
    for (const key of this.dirty) {
      const e = this.entries.get(key) as OverlayEntry
      if (e.kv !== undefined) upserts.push([key, e.id, e.kv.modRevision])
      else deletes.push(key)
    }
    writer.insertLog(this.log)
    writer.upsertCurrent(upserts)
    writer.deleteCurrent(deletes)
    this.log = []
    this.dirty.clear()
  }
}
