/** Opens a storage backend from a spec string (the `--state` flag and CAPSTAN_STATE take one). */
import { createMemoryStorage } from './memory.js'
import { openSqliteStorage, type SqliteStorageOptions } from './sqlite.js'
import { StorageError, type Storage } from './types.js'

/**
 * Opens the backend a spec names: `memory:` (a fresh in-memory store), `sqlite:PATH`, or a bare
 * file path (sqlite). Any other `scheme:` is refused with StorageError('InvalidRequest').
 */
export function openStorage(spec: string, opts: { sqlite?: SqliteStorageOptions } = {}): Storage {
  if (spec === 'memory:' || spec === 'memory') return createMemoryStorage()
  if (spec.startsWith('sqlite:')) return openSqliteStorage(requirePath(spec, spec.slice('sqlite:'.length)), opts.sqlite)
  // A scheme is two or more letters before the colon, so a Windows drive letter (C:\x) is a path.
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(spec)
  if (scheme !== null) {
    throw new StorageError('InvalidRequest', `unknown storage scheme ${JSON.stringify(scheme[1])} in ${JSON.stringify(spec)}: use memory:, sqlite:PATH or a file path`)
  }
  return openSqliteStorage(requirePath(spec, spec), opts.sqlite)
}

function requirePath(spec: string, path: string): string {
  if (path === '') throw new StorageError('InvalidRequest', `storage spec ${JSON.stringify(spec)} names no file`)
  return path
}
