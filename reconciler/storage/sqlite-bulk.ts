/** Bulk writes of a write-behind batch: multi-row statements of at most CHUNK rows, prepared once per size. */
import type Database from 'better-sqlite3'

/** Rows per multi-row statement: 64 log rows bind 512 parameters, far under sqlite's limit of 32,766. */
export const CHUNK = 64

/** One log row: id, revision, key, create_revision, prev_revision, version, deleted, value. */
export type LogRow = [number, number, string, number, number, number, number, string]

/** One `current` row: key, log row id, revision. */
export type CurrentEntry = [string, number, number]

const LOG = 'INSERT INTO log (id, revision, key, create_revision, prev_revision, version, deleted, value) VALUES '
const CURRENT = 'INSERT INTO current (key, id, revision) VALUES '
const CURRENT_CONFLICT = ' ON CONFLICT (key) DO UPDATE SET id = excluded.id, revision = excluded.revision'

/** Writes rows of the log and the `current` table in chunks; statements are cached by row count. */
export class BulkWriter {
  private readonly cache = new Map<string, Database.Statement>()

  constructor(private readonly db: Database.Database) {}

  /** Inserts log rows (ids given: the batch assigned them). */
  insertLog(rows: LogRow[]): void {
    this.chunked('log', rows, (n) => LOG + values(n, 8))
  }

  /** Points each key's `current` row at its newest log row. */
  upsertCurrent(rows: CurrentEntry[]): void {
    this.chunked('upsert', rows, (n) => CURRENT + values(n, 3) + CURRENT_CONFLICT)
  }

  /** Drops the `current` rows of deleted keys (a key with no row is no error). */
  deleteCurrent(keys: string[]): void {
    this.chunked('delete', keys.map((k) => [k]), (n) => `DELETE FROM current WHERE key IN (${placeholders(n)})`)
  }

  private chunked(kind: string, rows: ReadonlyArray<ReadonlyArray<string | number>>, sql: (n: number) => string): void {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const n = Math.min(CHUNK, rows.length - i)
      const params: Array<string | number> = []
      for (let j = i; j < i + n; j++) for (const v of rows[j]) params.push(v)
      this.statement(kind, n, sql).run(params)
    }
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
