/** What a new leader does not sync again: a commit the last SyncRecord names while the GitOps state does not. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { putStateOp, writeSyncRecord, type LastSync } from '../../reconciler/gitops/index.js'
import { recordedUnsynced } from '../../reconciler/server/leader/takeover.js'
import { createMemoryStorage } from '../../reconciler/storage/index.js'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const C = 'c'.repeat(40)

const last = (commit: string): LastSync => ({ repo: '/r', ref: 'HEAD', path: '', commit, tree: 't', revision: 1, prune: false, kustomize: false, hpaTargets: {} })

/** `stateSeq`: the state's sequence when it lags the records (default: the last record's). */
/** `results`: a record's reason by its number, when it did not succeed ('DryRun' for a dry run). */
const cases: Array<{ name: string; records: string[]; results?: Record<number, string>; stateLast?: string; stateSeq?: number; head: string | undefined; want: string | undefined }> = [
  { name: 'nothing synced yet: sync', records: [], head: A, want: undefined },
  { name: 'the state names the head (a finished sync; runSync is a no-op): sync', records: [A], stateLast: A, head: A, want: undefined },
  { name: 'the state\'s own record names the head, the state an older commit (its manifests did not validate): skip', records: [A, B], results: { 2: 'ValidationFailed' }, stateLast: A, head: B, want: 'sync-000002' },
  { name: 'the state\'s own record names the head, no commit in the state (invalid objects): skip', records: [B], results: { 1: 'ValidationFailed' }, head: B, want: 'sync-000001' },
  { name: 'the state\'s own record: the head did not render (kustomize may be missing there, or time out): sync', records: [A, B], results: { 2: 'RenderFailed' }, stateLast: A, head: B, want: undefined },
  // Run again: nothing was applied, or what failed may pass now.
  { name: 'the state\'s own record is a dry run of the head: sync', records: [A, B], results: { 2: 'DryRun' }, stateLast: A, head: B, want: undefined },
  { name: 'the state\'s own record: the head\'s apply met another writer: sync', records: [A, B], results: { 2: 'ApplyFailed' }, stateLast: A, head: B, want: undefined },
  { name: 'the state\'s own record: the head could not be fetched: sync', records: [A, B], results: { 2: 'SourceFailed' }, stateLast: A, head: B, want: undefined },
  { name: 'the state\'s own record: the head\'s rollout missed its deadline: sync', records: [A, B], results: { 2: 'HealthCheckFailed' }, stateLast: A, head: B, want: undefined },
  // The old leader died between a sync's record and its state write: the sync runs again, so the
  // state (its last commit, index and revision) moves to the head; skipping it left the drift
  // check comparing the cluster with the older commit, and a self-heal rolled the cluster back.
  { name: 'a record past the state names the head (the old leader died between the record and the state): sync', records: [A, B], stateLast: A, stateSeq: 1, head: B, want: undefined },
  { name: 'the first record, the state never written: sync', records: [B], stateSeq: 0, head: B, want: undefined },
  { name: 'two records past the state, the last one names the head: sync', records: [A, C, B], stateLast: A, stateSeq: 1, head: B, want: undefined },
  { name: 'the head is newer than every record: sync', records: [A, B], stateLast: B, head: C, want: undefined },
  { name: 'an older record names the head, the last one another commit: sync', records: [B, A], stateLast: A, head: B, want: undefined },
  { name: 'the head is unknown (the ref could not be read): sync', records: [A], head: undefined, want: undefined },
]

const s = suite('recordedUnsynced')

for (const c of cases) {
  s(c.name, async () => {
    const storage = createMemoryStorage()
    const api = new ApiServer({ storage })
    await api.bootstrap()
    for (const [i, commit] of c.records.entries()) {
      const reason = c.results?.[i + 1]
      const outcome = reason === undefined ? { result: 'Succeeded', reason: 'Synced' } : reason === 'DryRun' ? { result: 'DryRun', reason: 'Planned' } : { result: 'Failed', reason }
      await writeSyncRecord(api, i + 1, { commit, ...outcome } as Parameters<typeof writeSyncRecord>[2], { create: 0, update: 0, prune: 0, unchanged: 0 })
    }
    await storage.txn({ success: [putStateOp({ seq: c.stateSeq ?? c.records.length, ...(c.stateLast ? { last: last(c.stateLast) } : {}) })] })
    assert.is(await recordedUnsynced(api, c.head), c.want)
    await api.close()
  })
}

s.run()
