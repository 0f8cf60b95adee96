/**
 * The write-behind state of a sqlite batch. While a batch holds the write lock nobody else can
 * change the file, so a txn is decided and applied here, in memory, and its rows wait to be written
 * to the file in bulk (`flush`): at the end of the batch, or before anything reads the file.
 */
import { CURRENT_WIDTH, LOG_WIDTH, RowChunks, type BulkWriter } from './sqlite-bulk.js'
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
  readonly key: string
  kv: KeyValue | undefined
  id: number
  /** True while its `current` row differs from the file (it is in the overlay's dirty list). */
  dirty: boolean
}

/** A txn's outcome, and the events to dispatch when it wrote something. */
export interface OverlayTxnResult {
  result: TxnResult
  events?: WatchEvent[]
}

/** The keys written in one batch, the newest revision and log row id, and the rows not yet in the file. */
export class BatchOverlay {
  /** The newest revision: the file's when the batch began, then each write's. */
  revision: number
  /** The file's revision when the batch began. */
  readonly baseRevision: number
  private lastId: number
  private readonly entries = new Map<string, OverlayEntry>()
  /** The entries whose `current` row differs from the file, each once (its `dirty` flag). */
  private dirty: OverlayEntry[] = []
  /**
   * Mod revisions read from the file for compares on keys this batch has not written (a namespace
   * every create compares): the file cannot change under the lock, and a write moves the key into
   * `entries`, which is looked at first.
   */
  private readonly fileRevisions = new Map<string, number>()
  private log = new RowChunks(LOG_WIDTH)

  constructor(revision: number, lastId: number) {
    this.revision = revision
    this.baseRevision = revision
    this.lastId = lastId
  }

  /** The key's state when this batch wrote it (undefined: the overlay does not know it; read the file). */
  lookup(key: string): OverlayEntry | undefined {
    return this.entries.get(key)
  }

  /** Every key this batch wrote (deleted ones too). */
  writtenKeys(): Iterable<string> {
    return this.entries.keys()
  }

  /** The keys this batch leaves deleted (its last write of them was a delete). */
  *deletedKeys(): Iterable<string> {
    for (const e of this.entries.values()) if (e.kv === undefined) yield e.key
  }

  /** Number of log rows waiting to be written. */
  get pendingRows(): number {
    return this.log.rows
  }

  /**
   * Decides the txn fully (compares, new values, rows), then applies it: a throw while deciding (a
   * failed file read) leaves the overlay as it was. `req` must have passed validateTxn.
   */
  txn(req: TxnRequest, file: FileReads): OverlayTxnResult {
    // Most txns write one key (every API write): decided without the maps a txn of many keys needs.
    if (req.success.length === 1) return this.txnOne(req, file)
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
    if (failed.length > 0) return { result: { succeeded: false, revision: this.revision, failed } }

    const revision = this.revision + 1
    // This txn's writes, kept apart until the whole txn is decided (two deletes of one key: the
    // second sees the first and is a no-op).
    const staged = new Map<string, { kv: KeyValue | undefined; id: number }>()
    const rows: Array<Array<string | number>> = []
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
    if (events.length === 0) return { result: { succeeded: true, revision: this.revision, results } }

    // Apply: nothing below can fail.
    this.revision = revision
    this.lastId = id
    for (const [key, e] of staged) this.record(this.entries.get(key), key, e.kv, e.id)
    for (const row of rows) {
      const out = this.log.row()
      for (const v of row) out.push(v)
    }
    return { result: { succeeded: true, revision, results }, events }
  }

  /** txn() of a request that writes one key: the same decisions, in the same order. */
  private txnOne(req: TxnRequest, file: FileReads): OverlayTxnResult {
    const op = req.success[0]
    const key = op.key
    const known = this.entries.get(key)
    // The written key's value before this txn, read from the file at most once (for its compare and its write).
    let prev: KeyValue | undefined
    let read = known !== undefined
    if (known !== undefined) prev = known.kv
    const compares = req.compare
    let failed: Compare[] | undefined
    if (compares !== undefined) {
      for (const c of compares) {
        let mod: number
        if (c.key === key) {
          if (!read) {
            prev = file.current(key)
            read = true
          }
          mod = prev?.modRevision ?? 0
        } else {
          const e = this.entries.get(c.key)
          mod = e !== undefined ? (e.kv?.modRevision ?? 0) : this.fileRevision(c.key, file)
        }
        if (mod !== c.modRevision) (failed ??= []).push({ key: c.key, modRevision: mod })
      }
    }
    if (failed !== undefined) return { result: { succeeded: false, revision: this.revision, failed } }
    if (!read) prev = file.current(key)

    const revision = this.revision + 1
    const id = this.lastId + 1
    if (op.type === 'put') {
      const createRevision = prev?.createRevision ?? revision
      const version = (prev?.version ?? 0) + 1
      // Frozen: the overlay, the caller and every watcher share this object.
      const kv: KeyValue = Object.freeze({ key, value: op.value, createRevision, modRevision: revision, version })
      this.revision = revision
      this.lastId = id
      this.record(known, key, kv, id)
      this.log.row().push(id, revision, key, createRevision, prev?.modRevision ?? 0, version, 0, op.value)
      return { result: { succeeded: true, revision, results: [kv] }, events: [prev === undefined ? { type: 'put', kv } : { type: 'put', kv, prevKv: prev }] }
    }
    if (prev === undefined) return { result: { succeeded: true, revision: this.revision, results: [undefined] } }
    this.revision = revision
    this.lastId = id
    this.record(known, key, undefined, id)
    this.log.row().push(id, revision, key, prev.createRevision, prev.modRevision, prev.version, 1, '')
    return { result: { succeeded: true, revision, results: [undefined] }, events: [{ type: 'delete', key, revision, prevKv: prev }] }
  }

  /** Sets the key's entry (`known`: its entry, if it has one) to its newest value and log row. */
  private record(known: OverlayEntry | undefined, key: string, kv: KeyValue | undefined, id: number): void {
    if (known === undefined) {
      const e: OverlayEntry = { key, kv, id, dirty: true }
      this.entries.set(key, e)
      this.dirty.push(e)
      return
    }
    known.kv = kv
    known.id = id
    if (known.dirty) return
    known.dirty = true
    this.dirty.push(known)
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
    if (this.log.rows === 0 && this.dirty.length === 0) return
    const upserts = new RowChunks(CURRENT_WIDTH)
    const deletes = new RowChunks(1)
    for (const e of this.dirty) {
      if (e.kv !== undefined) upserts.row().push(e.key, e.id, e.kv.modRevision)
      else deletes.row().push(e.key)
    }
    writer.insertLog(this.log)
    writer.upsertCurrent(upserts)
    writer.deleteCurrent(deletes)
    this.log = new RowChunks(LOG_WIDTH)
    for (const e of this.dirty) e.dirty = false
    this.dirty = []
  }
}
