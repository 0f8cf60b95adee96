/** The prepared statements of the sqlite backend, prepared once per connection. */
import type Database from 'better-sqlite3'
import type { KeyValue } from './types.js'

/** A log row joined with its predecessor, as watch history reads it. */
export interface HistoryRow {
  id: number
  revision: number
  key: string
  value: string
  createRevision: number
  version: number
  deleted: number
  pValue: string | null
  pCreateRevision: number | null
  pModRevision: number | null
  pVersion: number | null
  pDeleted: number | null
}

/** A key's current row: its value and the log row id. */
export type CurrentRow = KeyValue & { id: number }

const KV = `l.key, l.value, l.create_revision AS createRevision, l.revision AS modRevision, l.version`

/** Prepares every statement the backend runs. */
export function prepareStatements(db: Database.Database) {
  return {
    maxRevision: db.prepare(`SELECT COALESCE(MAX(revision), 0) FROM log`).pluck(),
    /** The newest log row id (a write-behind batch assigns the ids after it). */
    maxId: db.prepare(`SELECT COALESCE(MAX(id), 0) FROM log`).pluck(),
    getMeta: db.prepare(`SELECT value FROM meta WHERE name = ?`).pluck(),
    setMeta: db.prepare(`INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`),
    currentRevisionOf: db.prepare(`SELECT revision FROM current WHERE key = ?`).pluck(),
    getCurrent: db.prepare(`SELECT ${KV}, l.id FROM current c JOIN log l ON l.id = c.id WHERE c.key = ?`),
    insertLog: db.prepare(
      `INSERT INTO log (revision, key, create_revision, prev_revision, version, deleted, value) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertCurrent: db.prepare(
      `INSERT INTO current (key, id, revision) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET id = excluded.id, revision = excluded.revision`,
    ),
    deleteCurrent: db.prepare(`DELETE FROM current WHERE key = ?`),
    /** Params: start, end, limit (-1: none). */
    rangeCurrent: db.prepare(`SELECT ${KV} FROM current c JOIN log l ON l.id = c.id WHERE c.key >= ? AND c.key < ? ORDER BY c.key LIMIT ?`),
    /** Params: start, end. */
    countCurrent: db.prepare(`SELECT COUNT(*) FROM current WHERE key >= ? AND key < ?`).pluck(),
    /** Params: start, end, revision, limit (-1: none). */
    rangeAt: db.prepare(
      `SELECT ${KV} FROM (SELECT key, MAX(revision) AS r FROM log WHERE key >= ? AND key < ? AND revision <= ? GROUP BY key) m
       JOIN log l ON l.key = m.key AND l.revision = m.r WHERE l.deleted = 0 ORDER BY l.key LIMIT ?`,
    ),
    /** Params: start, end, revision. */
    countAt: db
      .prepare(
        `SELECT COUNT(*) FROM (SELECT key, MAX(revision) AS r FROM log WHERE key >= ? AND key < ? AND revision <= ? GROUP BY key) m
         JOIN log l ON l.key = m.key AND l.revision = m.r WHERE l.deleted = 0`,
      )
      .pluck(),
    /** Params: from, to (inclusive). Ordered as the log_revision index is, so no sort step. */
    history: db.prepare(
      `SELECT l.id, l.revision, l.key, l.value, l.create_revision AS createRevision, l.version, l.deleted,
              p.value AS pValue, p.create_revision AS pCreateRevision, p.revision AS pModRevision, p.version AS pVersion, p.deleted AS pDeleted
       FROM log l LEFT JOIN log p ON p.key = l.key AND p.revision = l.prev_revision
       WHERE l.revision >= ? AND l.revision <= ? ORDER BY l.revision, l.id`,
    ),
    /** Params: from, to (inclusive), key start, key end: `history` for the keys of one prefix. */
    historyUnder: db.prepare(
      `SELECT l.id, l.revision, l.key, l.value, l.create_revision AS createRevision, l.version, l.deleted,
              p.value AS pValue, p.create_revision AS pCreateRevision, p.revision AS pModRevision, p.version AS pVersion, p.deleted AS pDeleted
       FROM log l LEFT JOIN log p ON p.key = l.key AND p.revision = l.prev_revision
       WHERE l.revision >= ? AND l.revision <= ? AND l.key >= ? AND l.key < ? ORDER BY l.revision, l.id`,
    ),
    /** Params: key start, key end (twice): the log rows of a key range that are not a current value (superseded versions, tombstones). */
    pruneRange: db.prepare(`DELETE FROM log WHERE key >= ? AND key < ? AND id NOT IN (SELECT id FROM current WHERE key >= ? AND key < ?)`),
    /** Params: { r }. Drops tombstones and superseded writes older than r (see compactHistory in memory.ts). */
    compact: db.prepare(
      `DELETE FROM log WHERE revision < @r AND (deleted = 1 OR EXISTS (
         SELECT 1 FROM log n WHERE n.key = log.key AND n.revision > log.revision AND n.revision < @r))`,
    ),
  }
}

/** The statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>
