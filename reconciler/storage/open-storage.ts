/** Opens a storage backend from a spec string (the `--state` flag and CAPSTAN_STATE take one). */
import type { EtcdTls } from './etcd/index.js'
import { createMemoryStorage } from './memory.js'
import { openSqliteStorage, type SqliteStorageOptions } from './sqlite.js'
import { StorageError, type Storage } from './types.js'

export interface OpenStorageOptions {
  sqlite?: SqliteStorageOptions
  etcdTls?: EtcdTls
}

/**
 * Opens the backend a spec names: `memory:` (a fresh in-memory store), `sqlite:PATH`,
 * `etcd://host:port[,host:port…][?ca=&cert=&key=]` (TLS files in the query, or `opts.etcdTls`), or
 * a bare file path (sqlite). Any other `scheme:` is refused with StorageError('InvalidRequest').
 * The etcd client (gRPC, protobuf) is loaded only when an etcd spec is opened, so commands on the
 * embedded state start fast.
 */
export async function openStorageAsync(spec: string, opts: OpenStorageOptions = {}): Promise<Storage> {
  if (spec.startsWith('etcd://')) {
    const { openEtcdStorage, parseEtcdSpec } = await import('./etcd/index.js')
    const etcd = parseEtcdSpec(spec)
    return openEtcdStorage(opts.etcdTls ? { ...etcd, tls: opts.etcdTls } : etcd)
  }
  return openStorage(spec, opts)
}

/** openStorageAsync for the embedded backends (memory, sqlite); an etcd spec needs openStorageAsync. */
export function openStorage(spec: string, opts: OpenStorageOptions = {}): Storage {
  if (spec === 'memory:' || spec === 'memory') return createMemoryStorage()
  if (spec.startsWith('etcd://')) {
    throw new StorageError('InvalidRequest', `an etcd state (${JSON.stringify(spec)}) is opened with openStorageAsync`)
  }
  if (spec.startsWith('sqlite:')) return openSqliteStorage(requirePath(spec, spec.slice('sqlite:'.length)), opts.sqlite)
  // A scheme is two or more letters before the colon, so a Windows drive letter (C:\x) is a path.
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(spec)
  if (scheme !== null) {
    throw new StorageError('InvalidRequest', `unknown storage scheme ${JSON.stringify(scheme[1])} in ${JSON.stringify(spec)}: use memory:, sqlite:PATH, etcd://host:port or a file path`)
  }
  return openSqliteStorage(requirePath(spec, spec), opts.sqlite)
}

function requirePath(spec: string, path: string): string {
  if (path === '') throw new StorageError('InvalidRequest', `storage spec ${JSON.stringify(spec)} names no file`)
  return path
}
