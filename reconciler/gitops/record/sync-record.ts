/**
 * SyncRecords: one cluster-scoped object per sync, named `sync-NNNNNN` so that names sort in order.
 * The action counts go in an annotation, since a record lists at most MAX_CHANGES changes (a cold
 * sync of 10,000 objects would not fit in one stored object).
 */
import type { ApiClient } from '../../api/client.js'
import { isAlreadyExists } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import { FIELD_MANAGER } from '../labels.js'
import type { ChangeAction, PlanChange } from '../plan/types.js'
import type { SyncRecordObject, SyncRecordSpec } from './types.js'

/** The annotation with every action's count: `create=3,update=1,prune=0,unchanged=9996`. */
export const COUNTS_ANNOTATION = 'capstan.dev/changes'

/** At most this many changes are listed in a record (the counts are always complete). */
export const MAX_CHANGES = 2_000

/** The record name of sequence number `seq`. */
export function recordName(seq: number): string {
  return `sync-${String(seq).padStart(6, '0')}`
}

/** The sequence number in a record name (NaN when it is not one). */
export function recordSeq(name: string): number {
  const m = /^sync-(\d+)$/.exec(name)
  return m ? Number(m[1]) : NaN
}

/** `create=N,update=N,prune=N,unchanged=N`. */
export function countsText(counts: Record<ChangeAction, number>): string {
  return `create=${counts.create},update=${counts.update},prune=${counts.prune},unchanged=${counts.unchanged}`
}

/** The counts of a record, from its annotation (or its listed changes). */
export function recordCounts(rec: SyncRecordObject): Record<ChangeAction, number> {
  const out: Record<ChangeAction, number> = { create: 0, update: 0, unchanged: 0, prune: 0 }
  const text = rec.metadata.annotations?.[COUNTS_ANNOTATION]
  if (text) {
    for (const part of text.split(',')) {
      const [k, v] = part.split('=')
      if (k in out) out[k as ChangeAction] = Number(v) || 0
    }
    return out
  }
  for (const c of rec.spec.changes ?? []) if (c.action in out) out[c.action as ChangeAction]++
  return out
}

/** The record's change entries for a plan's changes (unchanged ones left out), at most MAX_CHANGES. */
export function recordChanges(changes: readonly PlanChange[]): NonNullable<SyncRecordSpec['changes']> {
  return changes
    .filter((c) => c.action !== 'unchanged')
    .slice(0, MAX_CHANGES)
    .map((c) => ({
      action: c.action,
      group: c.id.group,
      version: c.id.version,
      kind: c.id.kind,
      namespace: c.id.namespace,
      name: c.id.name,
      ...(c.file ? { file: c.file } : {}),
    }))
}

/**
 * Writes record `seq`, or the first number past the highest record when `seq` is taken: an earlier
 * sync wrote its record and stopped before its GitOps state did (the process was killed between
 * the two, or a leader lost its lease), so the state's sequence lags the records. Numbering goes
 * on after them; the record returned names the number used.
 */
export async function writeSyncRecord(api: ApiClient, seq: number, spec: SyncRecordSpec, counts: Record<ChangeAction, number>): Promise<SyncRecordObject> {
  for (let attempt = 0; ; attempt++) {
    const rec: SyncRecordObject = {
      apiVersion: 'capstan.dev/v1alpha1',
      kind: 'SyncRecord',
      metadata: { name: recordName(seq), annotations: { [COUNTS_ANNOTATION]: countsText(counts) } },
      spec,
    }
    try {
      return (await api.create(rec as unknown as KObject, { fieldManager: FIELD_MANAGER })) as unknown as SyncRecordObject
    } catch (err) {
      if (!isAlreadyExists(err) || attempt >= 4) throw err
      const highest = (await listSyncRecords(api)).reduce((max, r) => Math.max(max, recordSeq(r.metadata.name) || 0), 0)
      seq = Math.max(seq, highest) + 1
    }
  }
}

/** Every SyncRecord, oldest first. */
export async function listSyncRecords(api: ApiClient): Promise<SyncRecordObject[]> {
  const items = (await api.list('syncrecords')).items as unknown as SyncRecordObject[]
  return [...items].sort((a, b) => (recordSeq(a.metadata.name) || 0) - (recordSeq(b.metadata.name) || 0) || (a.metadata.name < b.metadata.name ? -1 : 1))
}
