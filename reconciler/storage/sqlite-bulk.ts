/** Bulk writes of a write-behind batch: multi-row statements of at most CHUNK rows, prepared once per size. */
import type Database from 'better-sqlite3'

/** Rows per multi-row statement: 64 log rows bind 512 parameters, far under sqlite's limit of 32,766. */
export const CHUNK = 64

/** Values of the log's columns, in this order: id, revision, key, create_revision, prev_revision, version, deleted, value. */
export const LOG_WIDTH = 8

/** Values of the `current` table's columns, in this order: key, log row id, revision. */
export const CURRENT_WIDTH = 3

/**
 * Rows of one width gathered flat, CHUNK rows to an array: each array is one statement's
 * parameters as is, so writing them copies nothing (rows as tuples flattened at the write were a
 * tuple and a copy per row).
 */
export class RowChunks {
  /** Full chunks first; the last one may be partial. */
  readonly chunks: Array<Array<string | number>> = []
  /** Number of rows gathered. */
  rows = 0

  constructor(readonly width: number) {}

  /** The array to push the next row's `width` values into (the caller pushes exactly `width`). */
  row(): Array<string | number> {
    if (this.rows++ % CHUNK === 0) this.chunks.push([])
    return this.chunks[this.chunks.length - 1]
  }
}

const LOG = 'INSERT INTO log (id, revision, key, create_revision, prev_revision, version, deleted, value) VALUES '
const CURRENT = 'INSERT INTO current (key, id, revision) VALUES '
const CURRENT_CONFLICT = ' ON CONFLICT (key) DO UPDATE SET id = excluded.id, revision = excluded.revision'

/** Writes rows of the log and the `current` table in chunks; statements are cached by row count. */
export class BulkWriter {
  private readonly cache = new Map<string, Database.Statement>()

  constructor(private readonly db: Database.Database) {}

  /** Inserts log rows (LOG_WIDTH values each; ids given: the batch assigned them). */
  insertLog(rows: RowChunks): void {
    this.chunked('log', rows, (n) => LOG + values(n, LOG_WIDTH))
  }

  /** Points each key's `current` row at its newest log row (CURRENT_WIDTH values each). */
  upsertCurrent(rows: RowChunks): void {
    this.chunked('upsert', rows, (n) => CURRENT + values(n, CURRENT_WIDTH) + CURRENT_CONFLICT)
  }

  /** Drops the `current` rows of deleted keys (one value each; a key with no row is no error). */
  deleteCurrent(keys: RowChunks): void {
    this.chunked('delete', keys, (n) => `DELETE FROM current WHERE key IN (${placeholders(n)})`)
  }

  private chunked(kind: string, rows: RowChunks, sql: (n: number) => string): void {
    for (const params of rows.chunks) this.statement(kind, params.length / rows.width, sql).run(params)
  }

  private statement(kind: string, n: number, sql: (n: number) => string): Database.Statement {
    const name = `${kind}:${n}`
    let st = this.cache.get(name)
    if (st === undefined) {
      st = this.db.prepare(sql(n))
      this.cache.set(name, st)
    }
    return st
  }
}

function placeholders(width: number): string {
  return new Array<string>(width).fill('?').join(', ')
}

function values(n: number, width: number): string {
  return new Array<string>(n).fill(`(${placeholders(width)})`).join(', ')
}
