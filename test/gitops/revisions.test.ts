/** The revision ledger: history joined with SyncRecords, revert = undo, and the document-preserving undo commit. */
import { readFileSync, writeFileSync } from 'node:fs'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { listSyncRecords } from '../../reconciler/gitops/index.js'
import { revisionOrigins, rolloutHistoryWithCommits } from '../../reconciler/gitops/revisions/index.js'
import { findRevision, isUndoError, restoreDocument, undoThroughGit, type DocumentMatch } from '../../reconciler/gitops/undo/index.js'
import type { SyncRecordObject } from '../../reconciler/gitops/record/types.js'
import { isSourceError, openRepo } from '../../reconciler/source/git/index.js'
import { commit, harness, type Harness } from './harness.js'

const match: DocumentMatch = { kind: 'Deployment', name: 'web', namespace: 'shop', defaultNamespace: 'shop' }
const dep = (image: string, comment = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}${comment}
`
const cm = '# the config first\napiVersion: v1\nkind: ConfigMap # inline\nmetadata:\n  name: web\n  namespace: shop\ndata:\n  a: "1"\n'

const restore = suite('restoreDocument: only the target document changes')
const restoreCases = [
  {
    name: 'middle document: comments and other documents byte-for-byte',
    current: `${cm}---\n# the app, now on 1.28\n${dep('nginx:1.28', '   # bumped')}# after it\n---  # svc\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n`,
    previous: `${cm}---\n${dep('nginx:1.27')}`,
    before: `${cm}---\n# the app, now on 1.28\n`,
    after: `# after it\n---  # svc\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n`,
    body: dep('nginx:1.27'),
  },
  {
    name: 'first document, no marker; the old file laid out differently',
    current: `# head\n${dep('nginx:1.28')}---\n${cm}`,
    previous: `${cm}---\n# old comment inside the file\n${dep('nginx:1.27', ' # pinned')}`,
    before: '# head\n',
    after: `---\n${cm}`,
    body: dep('nginx:1.27', ' # pinned'),
  },
  {
    name: 'last document without a trailing newline',
    current: `${cm}---\n${dep('nginx:1.28').trimEnd()}`,
    previous: dep('nginx:1.27'),
    before: `${cm}---\n`,
    after: '',
    body: dep('nginx:1.27'),
  },
]
for (const c of restoreCases) {
  restore(c.name, () => {
    const out = restoreDocument({ current: c.current, previous: c.previous, match })
    assert.ok(out.changed)
    assert.is(out.text, c.before + c.body + c.after)
  })
}
restore('a document of another namespace or kind is not the target', () => {
  const other = dep('nginx:1.27').replace('namespace: shop', 'namespace: other')
  for (const previous of [other, cm]) {
    try {
      restoreDocument({ current: dep('nginx:1.28'), previous, match })
      assert.unreachable('restored from a document that is not the target')
    } catch (err) {
      assert.ok(isUndoError(err, 'DocumentNotFound'), String(err))
    }
  }
})
restore('the same document: no change', () => {
  const text = `${cm}---\n${dep('nginx:1.27')}`
  assert.equal(restoreDocument({ current: text, previous: dep('nginx:1.27'), match }), { text, changed: false })
})

const find = suite('findRevision')
const rows = [
  { revision: 2, replicaSet: 'b', commit: 'c2'.padEnd(40, '0'), subject: 'two' },
  { revision: 3, replicaSet: 'a', wasRevision: 1, commit: 'c3'.padEnd(40, '0'), subject: 'three' },
  { revision: 4, replicaSet: 'c' },
]
const findCases = [
  { name: 'default: the one before the current', current: 3, to: 0, revision: 2 },
  { name: 'explicit revision', current: 4, to: 3, revision: 3 },
  { name: 'unknown revision', current: 4, to: 9, code: 'RevisionNotFound' },
  { name: 'nothing before the first', current: 2, to: 0, code: 'RevisionNotFound' },
  { name: 'a revision no sync produced', current: 4, to: 4, code: 'NoCommit' },
]
for (const c of findCases) {
  find(c.name, () => {
    try {
      const r = findRevision(rows, c.current, c.to)
      assert.is(r.revision, c.revision)
    } catch (err) {
      assert.ok(c.code && isUndoError(err, c.code as 'NoCommit'), String(err))
    }
  })
}

const origins = suite('revisionOrigins')
const rec = (seq: number, commit: string, deployments: SyncRecordObject['spec']['deployments'], revertOf?: string): SyncRecordObject => ({
  apiVersion: 'capstan.dev/v1alpha1',
  kind: 'SyncRecord',
  metadata: { name: `sync-${String(seq).padStart(6, '0')}` },
  spec: { commit, subject: `s${seq}`, result: 'Succeeded', deployments, ...(revertOf ? { revertOf } : {}), changes: [{ action: 'update', kind: 'Deployment', namespace: 'shop', name: 'web', file: `f${seq}.yaml` }] },
})
origins('the first record reaching a revision produced it; a re-creation starts over', () => {
  const d = (revision: number, replicaSet: string, previousRevision?: number, rollback?: boolean) => ({ namespace: 'shop', name: 'web', revision, replicaSet, ...(previousRevision ? { previousRevision } : {}), ...(rollback ? { rollback } : {}) })
  const records = [
    rec(1, 'old', [d(1, 'z')]),
    rec(2, 'one', [d(1, 'a')]),
    rec(3, 'two', [d(2, 'b', 1)]),
    rec(4, 'two-again', [d(2, 'b', 2)]),
    rec(5, 'revert', [d(3, 'a', 2, true)], 'two'),
    rec(6, 'other', [{ namespace: 'shop', name: 'api', revision: 7 }]),
  ]
  const m = revisionOrigins(records, 'shop', 'web')
  assert.equal([...m.entries()].map(([r, o]) => [r, o.commit, o.replicaSet, o.file, o.revertOf ?? '']), [
    [1, 'one', 'a', 'f2.yaml', ''],
    [2, 'two', 'b', 'f3.yaml', ''],
    [3, 'revert', 'a', 'f5.yaml', 'two'],
  ])
})

const ledger = suite('revert = undo, in process (controllers running)')
let h: Harness
const file = 'apps/web.yaml'
const layout = (image: string) => `${cm}---\n# web: the shop front\n${dep(image, '  # the image')}# end of web\n`
let c1 = ''
let c2 = ''
ledger.before(async () => {
  h = await harness([{ files: { [file]: layout('nginx:1.27'), 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n' }, message: 'web on 1.27' }])
  c1 = h.repo.commits[0]
})
ledger.after(async () => h.close())
const history = async () => (await rolloutHistoryWithCommits(h.api, 'shop', 'web')).map((r) => `${r.revision}${r.wasRevision ? ` (was ${r.wasRevision})` : ''} ${r.commit?.slice(0, 7) ?? '-'} ${r.subject ?? ''}${r.revertOf ? ` reverts ${r.revertOf.slice(0, 7)}` : ''}`)
const rsNames = async () => (await h.api.list('replicasets', { namespace: 'shop' })).items.map((r) => `${r.metadata.name}=${r.spec && (r.spec as { replicas?: number }).replicas}`).sort()

ledger('sync, image change, git revert: the old ReplicaSet comes back as revision 3 (was 1)', async () => {
  assert.is((await h.sync()).result, 'Succeeded')
  c2 = commit(h, { [file]: layout('nginx:1.28') }, 'web on 1.28')
  assert.is((await h.sync()).result, 'Succeeded')
  assert.equal(await history(), [`1 ${c1.slice(0, 7)} web on 1.27`, `2 ${c2.slice(0, 7)} web on 1.28`])
  const before = (await h.api.list('replicasets', { namespace: 'shop' })).items.map((r) => r.metadata.name).sort()
  h.repo.git('revert', '--no-edit', 'HEAD')
  const c3 = h.repo.git('rev-parse', 'HEAD')
  const o = await h.sync()
  assert.is(o.result, 'Succeeded', o.message)
  assert.is(o.record!.spec.revertOf, c2)
  assert.equal(o.deployments.map((d) => [d.revision, d.previousRevision, d.rollback]), [[3, 2, true]])
  const after = (await h.api.list('replicasets', { namespace: 'shop' })).items.map((r) => r.metadata.name).sort()
  assert.equal(after, before, 'no new ReplicaSet')
  assert.equal(await history(), [`2 ${c2.slice(0, 7)} web on 1.28`, `3 (was 1) ${c3.slice(0, 7)} Revert "web on 1.28" reverts ${c2.slice(0, 7)}`])
})

ledger('undo to revision 2 refuses a dirty file, then commits only that document and syncs it', async () => {
  const repo = await openRepo(h.repo.dir)
  const path = `${h.repo.dir}/${file}`
  const clean = readFileSync(path, 'utf8')
  writeFileSync(path, clean + '# local edit\n')
  const opts = { api: h.api, repo, namespace: 'shop', name: 'web', toRevision: 2, branch: 'main', author: { name: 'Undo', email: 'undo@example.com' } }
  try {
    await undoThroughGit(opts)
    assert.unreachable('committed over a dirty file')
  } catch (err) {
    assert.ok(isSourceError(err, 'DirtyWorkTree'), String(err))
  }
  writeFileSync(path, clean)
  const out = await undoThroughGit(opts)
  assert.ok(out.commit.changed)
  assert.is(out.message, `Roll back deployment/web to revision 2 (${c2.slice(0, 7)}: web on 1.28)`)
  assert.is(h.repo.git('log', '-1', '--format=%s'), out.message)
  assert.is(readFileSync(path, 'utf8'), layout('nginx:1.28'), 'comments, layout and the other document kept')
  assert.is(h.repo.git('status', '--porcelain'), '')
  const o = await h.sync()
  assert.is(o.result, 'Succeeded', o.message)
  const d = await h.api.get('deployments', 'shop', 'web')
  assert.is((d.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0].image, 'nginx:1.28')
  assert.equal((await history()).map((r) => r.split(' ').slice(0, 4).join(' ')), ['3 (was 1)', '4 (was 2)'].map((s, i) => `${s} ${[h.repo.git('rev-parse', 'HEAD~1'), h.repo.git('rev-parse', 'HEAD')][i].slice(0, 7)}`))
  assert.is((await rsNames()).length, 2, 'no new ReplicaSet')
  const again = await h.sync()
  assert.is(again.mode, 'noop', 'a later sync keeps the undo')
  const records = await listSyncRecords(h.api)
  assert.is(records.length, 4)
})

restore.run()
find.run()
origins.run()
ledger.run()
