/** Parses an `etcd://host:port[,host:port…][?ca=PATH&cert=PATH&key=PATH]` storage spec. */
import { StorageError } from '../types.js'
import type { EtcdStorageOptions } from './client.js'

/**
 * The endpoints (and TLS files, when the query names them: `ca`, `cert`, `key`) of an etcd spec.
 * A member without a port gets etcd's client port, 2379. Throws StorageError('InvalidRequest').
 */
export function parseEtcdSpec(spec: string): EtcdStorageOptions {
  const m = /^etcd:\/\/([^?]*)(?:\?(.*))?$/.exec(spec)
  if (!m) throw new StorageError('InvalidRequest', `storage spec ${JSON.stringify(spec)} is not etcd://host:port[,host:port…]`)
  const endpoints = m[1].split(',').map((e) => e.trim()).filter((e) => e !== '')
  if (endpoints.length === 0) throw new StorageError('InvalidRequest', `storage spec ${JSON.stringify(spec)} names no etcd member`)
  for (const e of endpoints) {
    if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(e)) {
      throw new StorageError('InvalidRequest', `etcd member ${JSON.stringify(e)} in ${JSON.stringify(spec)} is not host:port`)
    }
  }
  const withPorts = endpoints.map((e) => (/:\d+$/.test(e) ? e : `${e}:2379`))
  const query = new URLSearchParams(m[2] ?? '')
  for (const k of query.keys()) {
    if (!['ca', 'cert', 'key'].includes(k)) throw new StorageError('InvalidRequest', `unknown etcd option ${JSON.stringify(k)} in ${JSON.stringify(spec)}: use ca, cert, key`)
  }
  const ca = query.get('ca')
  const cert = query.get('cert') ?? undefined
  const key = query.get('key') ?? undefined
  if (ca === null && (cert !== undefined || key !== undefined)) {
    throw new StorageError('InvalidRequest', `etcd TLS in ${JSON.stringify(spec)} needs ca= with cert= and key=`)
  }
  if ((cert === undefined) !== (key === undefined)) throw new StorageError('InvalidRequest', `etcd TLS in ${JSON.stringify(spec)} needs both cert= and key=`)
  return ca === null ? { endpoints: withPorts } : { endpoints: withPorts, tls: { ca, cert, key } }
}
