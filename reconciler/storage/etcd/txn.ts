/** A storage transaction as an etcd transaction, and etcd's answer as a storage TxnResult. */
import type { ICompare, IRequestOp, ITxnRequest, ITxnResponse } from 'etcd3'
import type { Compare, KeyValue, TxnRequest, TxnResult } from '../types.js'
import { bytes, fromEtcdRevision, toEtcdRevision, toKeyValue } from './codec.js'

/**
 * Builds the etcd txn: each compare on the key's mod revision (modRevision 0, "must not exist", is
 * etcd's create revision 0); the success branch the puts and deletes; the failure branch a
 * keys-only read of every compared key, so a failed compare reports the current mod revisions.
 * A put asks for the previous key value only when its create revision and version are unknown
 * (a put whose compare says the key is absent creates it: version 1, created now).
 */
export function buildTxn(req: TxnRequest): ITxnRequest {
  const compares = req.compare ?? []
  const absent = new Set(compares.filter((c) => c.modRevision === 0).map((c) => c.key))
  const compare: ICompare[] = compares.map((c) =>
    c.modRevision === 0
      ? { key: bytes(c.key), target: 'Create', result: 'Equal', create_revision: 0 }
      : { key: bytes(c.key), target: 'Mod', result: 'Equal', mod_revision: toEtcdRevision(c.modRevision) },
  )
  const success: IRequestOp[] = req.success.map((op) =>
    op.type === 'put'
      ? { request_put: { key: bytes(op.key), value: bytes(op.value), prev_kv: !absent.has(op.key) } }
      : { request_delete_range: { key: bytes(op.key) } },
  )
  const failure: IRequestOp[] = [...new Set(compares.map((c) => c.key))].map((key) => ({ request_range: { key: bytes(key), keys_only: true } }))
  return compare.length > 0 ? { compare, success, failure } : { success }
}

/** Reads etcd's answer to `buildTxn(req)`. */
export function readTxn(req: TxnRequest, res: ITxnResponse): TxnResult {
  const revision = fromEtcdRevision(res.header.revision)
  if (!res.succeeded) {
    const current = new Map<string, number>()
    for (const r of res.responses) {
      const kv = r.response_range?.kvs?.[0]
      if (kv) current.set(kv.key.toString('utf8'), fromEtcdRevision(kv.mod_revision))
    }
    const failed: Compare[] = []
    for (const c of req.compare ?? []) {
      const mod = current.get(c.key) ?? 0
      if (mod !== c.modRevision) failed.push({ key: c.key, modRevision: mod })
    }
    return { succeeded: false, revision, failed }
  }
  const results: (KeyValue | undefined)[] = req.success.map((op, i) => {
    if (op.type === 'delete') return undefined
    const prev = res.responses[i]?.response_put?.prev_kv
    const before = prev ? toKeyValue(prev) : undefined
    return {
      key: op.key,
      value: op.value,
      createRevision: before?.createRevision ?? revision,
      modRevision: revision,
      version: (before?.version ?? 0) + 1,
    }
  })
  return { succeeded: true, revision, results }
}

/**
 * After an attempt that may have committed, a retry whose compare failed: the first attempt did
 * commit when every put key holds exactly the value written, all at one revision, and every
 * deleted key is gone. Returns that success, or undefined when it did not.
 */
export function recoverCommitted(req: TxnRequest, current: Map<string, KeyValue | undefined>, storeRevision: number): TxnResult | undefined {
  let revision: number | undefined
  const results: (KeyValue | undefined)[] = []
  for (const op of req.success) {
    const kv = current.get(op.key)
    if (op.type === 'delete') {
      if (kv !== undefined) return undefined
      results.push(undefined)
      continue
    }
    if (kv === undefined || kv.value !== op.value) return undefined
    if (revision !== undefined && kv.modRevision !== revision) return undefined
    revision = kv.modRevision
    results.push(kv)
  }
  return { succeeded: true, revision: revision ?? storeRevision, results }
}
