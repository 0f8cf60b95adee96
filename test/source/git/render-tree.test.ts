import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { findKustomizeCommand, isSourceError, memoryBlobCache, openRepo, resolveRef } from '../../../reconciler/source/git/index.js'
import { fieldLine } from '../../../reconciler/source/render/index.js'
import { renderTree } from '../../../reconciler/source/render-tree.js'
import { tempDir } from '../../helpers/tmp.js'
import { makeRepo, type MadeRepo } from './make-repo.js'

const cm = (name: string, data = 'x') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: ${data}\n`
const names = (objects: Array<{ object: Record<string, unknown> }>) => objects.map((o) => (o.object.metadata as { name: string }).name)

let tmp: ReturnType<typeof tempDir>
let made: MadeRepo
const render = suite('renderTree')

render.before(() => {
  tmp = tempDir('capstan-render-tree-')
  made = makeRepo(join(tmp.dir, 'repo'), [
    {
      files: {
        'apps/b.yaml': `---\n${cm('b1')}---\n# only a comment\n---\n${cm('b2')}`,
        'apps/a.yml': cm('a'),
        'apps/c.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c-json' } }, null, 2),
        'apps/list.yaml': `apiVersion: v1\nkind: List\nitems:\n- ${cm('item0').replace(/\n(?=.)/g, '\n  ')}- ${cm('item1').replace(/\n(?=.)/g, '\n  ')}`,
        'apps/sub/deeper/d.yaml': cm('d'),
        'apps/copy/same.yaml': cm('shared'),
        'apps/copy2/same-again.yaml': cm('shared'),
        'apps/notes.txt': cm('not-read'),
        'apps/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n',
        'other/x.yaml': cm('other'),
      },
      message: 'manifests',
    },
    { files: { 'apps/a.yml': cm('a', 'changed') }, message: 'change a' },
  ])
})
render.after(() => tmp.remove())

render('renders a path recursively: path order, documents in order, Lists expanded, empty documents skipped, JSON', async () => {
  const repo = await openRepo(made.dir)
  const r = await renderTree({ repo, commit: made.commits[0], path: 'apps', cache: memoryBlobCache() })
  assert.equal(names(r.objects), ['a', 'b1', 'b2', 'c-json', 'shared', 'shared', 'item0', 'item1', 'd'])
  assert.equal(
    r.objects.map((o) => [o.file, o.doc, o.line, o.item]),
    [
      ['apps/a.yml', 0, 1, undefined],
      ['apps/b.yaml', 0, 2, undefined],
      ['apps/b.yaml', 2, 11, undefined],
      ['apps/c.json', 0, 1, undefined],
      ['apps/copy/same.yaml', 0, 1, undefined],
      ['apps/copy2/same-again.yaml', 0, 1, undefined],
      ['apps/list.yaml', 0, 4, 0],
      ['apps/list.yaml', 0, 10, 1],
      ['apps/sub/deeper/d.yaml', 0, 1, undefined],
    ],
  )
  assert.is(r.files, 8)
  assert.equal(r.errors.map((e) => [e.file, e.code, e.doc]), [['apps/broken.yaml', 'YamlSyntax', 0]])
})

render('fieldLine finds fields of objects read from git', async () => {
  const repo = await openRepo(made.dir)
  const r = await renderTree({ repo, commit: made.commits[0], path: 'apps', cache: memoryBlobCache() })
  const b2 = r.objects.find((o) => (o.object.metadata as { name: string }).name === 'b2')
  assert.ok(b2)
  assert.is(fieldLine(b2, 'data.k'), 16)
  const item1 = r.objects.find((o) => o.item === 1)
  assert.ok(item1)
  assert.is(fieldLine(item1, 'metadata.name'), 13)
})

render('the parse cache: a blob at two paths is read and parsed once, and a re-render reads only what changed', async () => {
  const repo = await openRepo(made.dir)
  const cache = memoryBlobCache()
  const first = await renderTree({ repo, commit: made.commits[0], path: 'apps', cache })
  assert.is(repo.stats.blobReads, 7) // 8 files, two of them the same blob
  assert.is(cache.size, 7)
  const shared = first.objects.filter((o) => o.file.includes('copy'))
  assert.equal(shared.map((o) => o.file), ['apps/copy/same.yaml', 'apps/copy2/same-again.yaml'])
  const again = await renderTree({ repo, commit: made.commits[0], path: 'apps', cache })
  assert.is(repo.stats.blobReads, 7)
  assert.equal(again.objects.map((o) => [o.file, o.doc, o.line]), first.objects.map((o) => [o.file, o.doc, o.line]))
  const next = await renderTree({ repo, commit: await resolveRef(repo, 'main'), path: 'apps', cache })
  assert.is(repo.stats.blobReads, 8)
  assert.equal((next.objects[0].object.data as { k: string }).k, 'changed')
})

render('the same bytes in a .json and a .yaml file are cached apart', async () => {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'twin' } })
  const m = makeRepo(join(tmp.dir, 'twins'), [{ files: { 'a.json': text, 'a.yaml': text }, message: 'twins' }])
  const repo = await openRepo(m.dir)
  const cache = memoryBlobCache()
  const r = await renderTree({ repo, commit: m.commits[0], cache })
  assert.equal(names(r.objects), ['twin', 'twin'])
  assert.is(cache.size, 2)
  assert.is(repo.stats.blobReads, 2)
})

render('a single file as the path; a missing path is PathNotFound', async () => {
  const repo = await openRepo(made.dir)
  const r = await renderTree({ repo, commit: made.commits[0], path: 'other/x.yaml', cache: memoryBlobCache() })
  assert.equal(names(r.objects), ['other'])
  const err = await renderTree({ repo, commit: made.commits[0], path: 'missing', cache: memoryBlobCache() }).catch((e) => e)
  assert.ok(isSourceError(err, 'PathNotFound'))
})

const kustomize = suite('renderTree with kustomize')
let hasKustomize = false
kustomize.before(async () => {
  tmp = tempDir('capstan-kustomize-')
  hasKustomize = (await findKustomizeCommand()) !== undefined
  made = makeRepo(join(tmp.dir, 'repo'), [
    {
      files: {
        'base/deploy.yaml': cm('base-cm'),
        'base/kustomization.yaml': 'resources:\n- deploy.yaml\n',
        'env/prod/kustomization.yaml': 'resources:\n- ../../base\n- extra.yaml\nnamePrefix: prod-\ncommonLabels:\n  env: prod\n',
        'env/prod/extra.yaml': cm('extra'),
        'env/prod/nested/ignored.yaml': cm('not-read-on-its-own'),
        'env/plain.yaml': cm('plain'),
        'broken/kustomization.yaml': 'resources:\n- missing.yaml\n',
      },
      message: 'kustomize',
    },
  ])
})
kustomize.after(() => tmp.remove())

kustomize('a kustomization directory is rendered as a unit, reaching ../ bases; its files are not read on their own', async () => {
  if (!hasKustomize) return console.log('  (skipped: neither kustomize nor kubectl is installed)')
  const repo = await openRepo(made.dir)
  const cache = memoryBlobCache()
  const r = await renderTree({ repo, commit: made.commits[0], path: 'env', cache })
  assert.equal(r.errors, [])
  assert.equal(
    r.objects.map((o) => [o.file, (o.object.metadata as { name: string }).name]),
    [
      ['env/plain.yaml', 'plain'],
      ['env/prod', 'prod-base-cm'],
      ['env/prod', 'prod-extra'],
    ],
  )
  assert.equal((r.objects[1].object.metadata as { labels: unknown }).labels, { env: 'prod' })
  assert.is(fieldLine(r.objects[1], 'metadata.name'), undefined)
  assert.is(fieldLine(r.objects[0], 'metadata.name'), 4)
  assert.is(r.files, 2)
  // Built once: the second render finds kustomize's output in the cache (the command is not run).
  const misses = cache.misses
  const again = await renderTree({ repo, commit: made.commits[0], path: 'env', cache })
  assert.is(cache.misses, misses)
  assert.equal(names(again.objects), names(r.objects))
})

kustomize('a failing kustomization is KustomizeFailed, naming the directory', async () => {
  if (!hasKustomize) return
  const repo = await openRepo(made.dir)
  const err = await renderTree({ repo, commit: made.commits[0], path: 'broken', cache: memoryBlobCache() }).catch((e) => e)
  assert.ok(isSourceError(err, 'KustomizeFailed'), String(err))
  assert.equal((err.data.failures as Array<{ dir: string }>).map((f) => f.dir), ['broken'])
})

kustomize('with neither kustomize nor kubectl, KustomizeMissing names the directories', async () => {
  const repo = await openRepo(made.dir)
  const err = await renderTree({ repo, commit: made.commits[0], cache: memoryBlobCache(), kustomize: { command: null } }).catch((e) => e)
  assert.ok(isSourceError(err, 'KustomizeMissing'), String(err))
  assert.equal(err.data.dirs, ['base', 'broken', 'env/prod'])
  // Nothing to kustomize: no tool needed.
  const plain = await renderTree({ repo, commit: made.commits[0], path: 'env/plain.yaml', cache: memoryBlobCache(), kustomize: { command: null } })
  assert.equal(names(plain.objects), ['plain'])
})

render.run()
kustomize.run()
