/**
 * Conversions between capstan's storage model and etcd's wire model: keys and values as UTF-8
 * bytes, prefixes as etcd key ranges, and revisions shifted by one.
 *
 * etcd numbers its revisions from 1 (an empty etcd is at revision 1, its first write makes 2);
 * the storage contract numbers them from 0 (an empty store is at 0, its first write makes 1). So
 * a capstan revision is etcd's revision minus one, for every revision of every key, and the
 * mapping is one-to-one: the etcd revision of resourceVersion N is N + 1.
 */
import type { IKeyValue } from 'etcd3'
import type { KeyValue } from '../types.js'

/** The gap between an etcd revision and the capstan revision it stands for. */
export const REVISION_OFFSET = 1

/** The capstan revision of an etcd revision (int64s arrive as decimal strings). */
export function fromEtcdRevision(rev: string | number): number {
  return Number(rev) - REVISION_OFFSET
}

/** The etcd revision of a capstan revision (0 stays 0: "current"/"none"). */
export function toEtcdRevision(rev: number): number {
  return rev === 0 ? 0 : rev + REVISION_OFFSET
}

/** A key or value as etcd bytes. */
export function bytes(s: string): Buffer {
  return Buffer.from(s, 'utf8')
}

/** The etcd key range [key, rangeEnd) of every key that starts with `prefix` (all keys for ''). */
export function prefixRange(prefix: string): { key: Buffer; rangeEnd: Buffer } {
  const start = bytes(prefix)
  if (start.length === 0) return { key: Buffer.from([0]), rangeEnd: Buffer.from([0]) }
  return { key: start, rangeEnd: rangeEndOf(start) }
}

/** etcd's "prefix end": the prefix with its last byte below 0xff incremented ("\0" = no end). */
export function rangeEndOf(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix)
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++
      return end.subarray(0, i + 1)
    }
  }
  return Buffer.from([0])
}

/** A capstan KeyValue from an etcd one. */
export function toKeyValue(kv: IKeyValue): KeyValue {
  return {
    key: kv.key.toString('utf8'),
    value: kv.value.toString('utf8'),
    createRevision: fromEtcdRevision(kv.create_revision),
    modRevision: fromEtcdRevision(kv.mod_revision),
    version: Number(kv.version),
  }
}
