/** Turns rows of the sqlite backend's log into key values and watch events. */
import type { CurrentRow, HistoryRow } from './sqlite-statements.js'
import type { KeyValue } from './types.js'
import type { EventBatch } from './watch-hub.js'

/** A key's current row without the log row id. */
export function toKeyValue(row: CurrentRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.modRevision, version: row.version }
}

/** Groups log rows (ordered by revision) into one event batch per transaction. */
export function historyBatches(rows: HistoryRow[]): EventBatch[] {
  const batches: EventBatch[] = []
  let batch: EventBatch | undefined
  for (const row of rows) {
    if (batch === undefined || batch.revision !== row.revision) {
      batch = { revision: row.revision, events: [] }
      batches.push(batch)
    }
    // The predecessor is absent when the key was new (prev_revision 0) or that row was compacted.
    const prevKv: KeyValue | undefined =
      row.pModRevision === null || row.pDeleted === 1
        ? undefined
        : { key: row.key, value: row.pValue as string, createRevision: row.pCreateRevision as number, modRevision: row.pModRevision, version: row.pVersion as number }
    if (row.deleted === 1) {
      const ev = { type: 'delete' as const, key: row.key, revision: row.revision }
      batch.events.push(prevKv === undefined ? ev : { ...ev, prevKv })
    } else {
      const kv: KeyValue = { key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.revision, version: row.version }
      batch.events.push(prevKv === undefined ? { type: 'put', kv } : { type: 'put', kv, prevKv })
    }
  }
  return batches
}
