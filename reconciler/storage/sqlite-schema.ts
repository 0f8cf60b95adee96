/** The sqlite schema of the storage log (kine-like) and its creation. */
import type Database from 'better-sqlite3'
import { StorageError } from './types.js'

/** The schema version this code writes; a file with a newer one is refused. */
export const SCHEMA_VERSION = 1

/**
 * `log` holds every write. Every op of one txn shares one `revision` (as in etcd), so the row id
 * `id` orders rows and `revision` groups them; `(key, revision)` is unique because a txn writes a
 * key at most once. `prev_revision` is the revision of the key's previous live value (0: none), for
 * watch prevKv.
 * `current` maps each live key to its latest log row, so reads at the current revision never scan
 * history. `meta` holds the schema version and the compacted revision.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS meta (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS log (
  id              INTEGER PRIMARY KEY,
  revision        INTEGER NOT NULL,
  key             TEXT    NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision   INTEGER NOT NULL,
  version         INTEGER NOT NULL,
  deleted         INTEGER NOT NULL,
  value           TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS log_revision ON log (revision);
CREATE UNIQUE INDEX IF NOT EXISTS log_key_revision ON log (key, revision);
CREATE TABLE IF NOT EXISTS current (
  key      TEXT PRIMARY KEY,
  id       INTEGER NOT NULL,
  revision INTEGER NOT NULL
) WITHOUT ROWID;
`

/**
 * Creates the schema when missing and checks the version of an existing one. An up-to-date file is
 * only read (no write lock), so opening never waits for another process's writes.
 */
export function ensureSchema(db: Database.Database): void {
  if (readVersion(db) === SCHEMA_VERSION) return
  db.transaction(() => {
    db.exec(DDL)
    const version = readVersion(db)
    if (version === undefined) {
      db.prepare(`INSERT INTO meta (name, value) VALUES ('schema_version', ?), ('compacted_revision', 0)`).run(SCHEMA_VERSION)
    } else if (version > SCHEMA_VERSION) {
      throw new StorageError('Io', `storage schema version ${version} is newer than this capstan understands (${SCHEMA_VERSION})`)
    }
  }).immediate()
}

/** The file's schema version, or undefined when it has no meta table (a new file). */
function readVersion(db: Database.Database): number | undefined {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).get()
  if (exists === undefined) return undefined
  const row = db.prepare(`SELECT value FROM meta WHERE name = 'schema_version'`).get() as { value: number } | undefined
  return row?.value
}
