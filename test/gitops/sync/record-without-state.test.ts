/**
 * A sync killed between its SyncRecord and its GitOps state (the record is written first): the
 * state's sequence then lags the records. The next sync must not fail on the taken record name
 * (it did: "sync-000002 already exists", every sync after, for good); it numbers its record past
 * the highest, and the state follows.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { listSyncRecords, loadGitopsState, putStateOp } from '../../../reconciler/gitops/index.js'
import { commit, harness } from '../harness.js'

const test = suite('gitops sync: a record written without its state')

const config = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata:\n  a: "${v}"\n`

test('the next syncs go on numbering past the records, and apply as usual', async () => {
  const h = await harness([{ files: { 'apps/config.yaml': config('1') }, message: 'one' }])
  try {
    assert.is((await h.sync()).result, 'Succeeded')
    const before = await loadGitopsState(h.api.storage)
    commit(h, { 'apps/config.yaml': config('2') }, 'two')
    assert.is((await h.sync()).result, 'Succeeded')
    // The crash: the second sync's record stays, its state write never happened.
    await h.api.storage.txn({ success: [putStateOp(before)] })
    assert.is((await loadGitopsState(h.api.storage)).seq, 1)

    commit(h, { 'apps/config.yaml': config('3') }, 'three')
    const third = await h.sync()
    assert.is(third.result, 'Succeeded', third.message)
    assert.is(third.record?.metadata.name, 'sync-000003')
    assert.is(((await h.api.get('configmaps', 'default', 'web')).data as Record<string, string>).a, '3')
    assert.is((await loadGitopsState(h.api.storage)).seq, 3)

    // A failed sync (a dry run here) moves the sequence to its own record too.
    commit(h, { 'apps/config.yaml': config('4') }, 'four')
    await h.api.storage.txn({ success: [putStateOp({ ...(await loadGitopsState(h.api.storage)), seq: 2 })] })
    const dry = await h.sync({ dryRun: true })
    assert.is(dry.record?.metadata.name, 'sync-000004')
    assert.is((await loadGitopsState(h.api.storage)).seq, 4)
    assert.equal((await listSyncRecords(h.api)).map((r) => [r.metadata.name, r.spec.result]), [
      ['sync-000001', 'Succeeded'],
      ['sync-000002', 'Succeeded'],
      ['sync-000003', 'Succeeded'],
      ['sync-000004', 'DryRun'],
    ])
  } finally {
    await h.close()
  }
})

test.run()
