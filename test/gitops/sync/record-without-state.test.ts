/**
 * A sync killed between its SyncRecord and its GitOps state (the record is written first): the
 * state's sequence then lags the records. The next sync must not fail on the taken record name
 * (it did: "sync-000002 already exists", every sync after, for good); it numbers its record past
 * the highest, and the state follows.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { CliIO } from '../../../reconciler/cli/io.js'
import { printStatus } from '../../../reconciler/cli/commands/status.js'
import { scanDrift } from '../../../reconciler/gitops/drift/index.js'
import { statusReport } from '../../../reconciler/gitops/report/index.js'
import { listSyncRecords, loadGitopsState, putStateOp, STATE_KEY } from '../../../reconciler/gitops/index.js'
import type { Storage, TxnRequest } from '../../../reconciler/storage/types.js'
import type { SyncOptions } from '../../../reconciler/gitops/index.js'
import { commit, harness, type Harness } from '../harness.js'

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

/**
 * A kill -9 at the sync's final state write: that txn, and nothing after it, happens (the first
 * txn that writes the state without writing API objects throws; the apply's, which marks the
 * state pending, goes through).
 */
function killAtStateWrite(storage: Storage): void {
  const txn = storage.txn.bind(storage)
  ;(storage as { txn: Storage['txn'] }).txn = async (req: TxnRequest) => {
    if (req.success.some((op) => op.key === STATE_KEY) && !req.success.some((op) => op.key.startsWith('/registry/'))) {
      ;(storage as { txn: Storage['txn'] }).txn = txn
      throw new Error('killed')
    }
    return txn(req)
  }
}

/** Runs a sync killed at its final state write (see killAtStateWrite). */
async function killedAtStateWrite(h: Harness, o: Partial<SyncOptions> = {}): Promise<void> {
  killAtStateWrite(h.api.storage)
  await h.sync(o).then(
    () => assert.unreachable('not killed'),
    (err: Error) => assert.is(err.message, 'killed'),
  )
}

const cms = (...names: string[]): string => names.map((n) => config('1').replace('name: web', `name: ${n}`)).join('---\n')

test('killed at its state write, a sync leaves no index of its commit: the next syncs plan from the state\'s commit and recover', async () => {
  const h = await harness([{ files: { 'apps/f.yaml': cms('a'), 'apps/g.yaml': cms('g') }, message: 'A' }])
  try {
    assert.is((await h.sync()).result, 'Succeeded')
    // B adds x to f.yaml; the sync applies it and is killed at its bookkeeping and state.
    commit(h, { 'apps/f.yaml': cms('a', 'x') }, 'B')
    await killedAtStateWrite(h)
    assert.is(await h.api.storage.get('/capstan/gitops/ids/core/ConfigMap/default/x'), undefined, 'the index names x under no file')
    // C moves x to g.yaml: x is defined once, so the sync succeeds (it failed for good, "appears twice", when the index was written without the state).
    commit(h, { 'apps/f.yaml': cms('a'), 'apps/g.yaml': cms('g', 'x') }, 'C')
    const c = await h.sync()
    assert.is(c.result, 'Succeeded', `${c.message} ${c.problems.map((p) => p.text).join('; ')}`)
    assert.ok(await h.api.get('configmaps', 'default', 'x'))
    assert.is((await loadGitopsState(h.api.storage)).last?.commit, h.repo.git('rev-parse', 'HEAD'))
  } finally {
    await h.close()
  }
})

test('killed after its apply, a sync leaves its commit pending: the next sync plans in full and prunes what the killed one added and git dropped', async () => {
  const h = await harness([{ files: { 'apps/f.yaml': cms('a') }, message: 'A' }])
  try {
    assert.is((await h.sync({ prune: true })).result, 'Succeeded')
    commit(h, { 'apps/f.yaml': cms('a', 'extra') }, 'B adds extra')
    await killedAtStateWrite(h, { prune: true })
    assert.ok(await h.api.get('configmaps', 'default', 'extra'), 'applied before the kill')
    const state = await loadGitopsState(h.api.storage)
    assert.is(state.pending, h.repo.git('rev-parse', 'HEAD'), 'the apply marked its commit pending')
    // C drops extra again: it is in neither A's files nor C's, so only a full plan finds it.
    commit(h, { 'apps/f.yaml': cms('a') }, 'C drops extra')
    const c = await h.sync({ prune: true })
    assert.is(c.result, 'Succeeded', c.message)
    assert.is(c.mode, 'full')
    assert.is(await h.api.find('configmaps', 'default', 'extra'), undefined, 'pruned')
    assert.is((await loadGitopsState(h.api.storage)).pending, undefined, 'the finished sync clears it')
    // And the next one is incremental again.
    commit(h, { 'apps/f.yaml': cms('a', 'b') }, 'D')
    assert.is((await h.sync({ prune: true })).mode, 'incremental')
  } finally {
    await h.close()
  }
})

const deployment = (image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers: [{name: c, image: "${image}"}]
`

test('after a sync killed past its apply: drift is measured from the applied commit (not rolled back by a heal), and the next sync waits for its rollout', async () => {
  const h = await harness([{ files: { 'apps/a.yaml': deployment('nginx:1.25') }, message: 'A' }])
  try {
    assert.is((await h.sync()).result, 'Succeeded')
    const b = commit(h, { 'apps/a.yaml': deployment('nginx:1.27') }, 'B rolls the image')
    await killedAtStateWrite(h)
    assert.is((await loadGitopsState(h.api.storage)).pending, b)
    // The state's last commit is still A, but live is B's: no drift from B (from A it was "Modified", and a heal went back to A).
    const scan = await scanDrift({ api: h.api, cacheDir: `${h.repo.dir}/../cache`, now: () => h.clock.now() })
    assert.is(scan.source.ref, b)
    const status = await statusReport({ api: h.api, cacheDir: `${h.repo.dir}/../cache`, namespace: 'default', now: () => h.clock.now() })
    assert.is(status.pending, b, 'status says so')
    const out: string[] = []
    printStatus(status, { stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t) } as unknown as CliIO, false)
    assert.match(out.join(''), new RegExp(`^Pending: ${b.slice(0, 7)} applied, its sync did not finish`, 'm'))
    assert.is(scan.report.drifted, 0, JSON.stringify(scan.report.findings))
    // The next sync finds B applied, and still waits for the rollout and records the revision.
    const again = await h.sync()
    assert.is(again.result, 'Succeeded', again.message)
    assert.ok(again.health.some((x) => x.id.kind === 'Deployment' && x.id.name === 'app'), JSON.stringify(again.health))
    assert.equal(again.deployments.map((d) => [d.name, d.revision]), [['app', 2]])
  } finally {
    await h.close()
  }
})

test.run()
