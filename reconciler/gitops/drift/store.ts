/** Drift reports kept in the state, as keys under /capstan/drift/ (outside the API's objects), in scan order. */
import type { Storage } from '../../storage/types.js'
import type { DriftReport } from './types.js'

/** Where reports are kept. */
export const DRIFT_PREFIX = '/capstan/drift/'

/** The key of report number `seq`. */
export function driftKey(seq: number): string {
  return `${DRIFT_PREFIX}${String(seq).padStart(6, '0')}`
}

/** Stores a report as the next one; returns its key. */
export async function saveDriftReport(storage: Storage, report: DriftReport): Promise<string> {
  const counted = await storage.range(DRIFT_PREFIX, { countOnly: true })
  let seq = counted.remaining + counted.items.length + 1
  for (;;) {
    const key = driftKey(seq)
    const res = await storage.txn({ compare: [{ key, modRevision: 0 }], success: [{ type: 'put', key, value: JSON.stringify(report) }] })
    if (res.succeeded) return key
    seq++
  }
}

/** Replaces a stored report. */
export async function updateDriftReport(storage: Storage, key: string, report: DriftReport): Promise<void> {
  await storage.txn({ success: [{ type: 'put', key, value: JSON.stringify(report) }] })
}

/** Every stored report, oldest first, with its key. */
export async function listDriftReports(storage: Storage): Promise<Array<{ key: string; report: DriftReport }>> {
  const { items } = await storage.range(DRIFT_PREFIX)
  return items.map((kv) => ({ key: kv.key, report: JSON.parse(kv.value) as DriftReport })).sort((a, b) => a.key.localeCompare(b.key))
}
