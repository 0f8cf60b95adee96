import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import git from 'isomorphic-git'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { diffTrees, isSourceError, listFiles, openRepo, readCommit, resolveRef, type GitRepo } from '../../../reconciler/source/git/index.js'
import { differingEntries, entryAt, readTreeEntries } from '../../../reconciler/source/git/tree.js'
import { readBlobBytes } from '../../../reconciler/source/git/read-blob.js'
import { directObject, parseCommit, tagTarget } from '../../../reconciler/source/git/direct-read.js'
import { tempDir } from '../../helpers/tmp.js'
import { makeRepo, type MadeRepo } from './make-repo.js'

const cm = (name: string, data = 'x') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: ${data}\n`

let tmp: ReturnType<typeof tempDir>
let made: MadeRepo
const many: Record<string, string> = {}
for (let i = 0; i < 50; i++) {
  const d = `apps/app-${String(i).padStart(2, '0')}`
  many[`${d}/deploy.yaml`] = cm(`d${i}`)
  many[`${d}/svc.yaml`] = cm(`s${i}`)
}

/** A fresh handle: nothing memoized, so its counters show every tree read. */
const fresh = (): Promise<GitRepo> => openRepo(made.dir)

const list = suite('listFiles')
const diff = suite('diffTrees')

const setup = () => {
  tmp = tempDir('capstan-tree-')
  made = makeRepo(join(tmp.dir, 'repo'), [
    { files: { ...many, 'a.yaml': cm('a'), 'a/b.yaml': cm('ab'), 'README.md': '# hi\n', 'deep/x/y/z.yaml': cm('z') }, message: 'many' },
    { files: {}, message: 'empty commit' },
    { files: { 'apps/app-07/deploy.yaml': cm('d7', 'changed') }, message: 'one file' },
    { files: { 'apps/app-08/svc.yaml': null, 'apps/app-99/new.yaml': cm('new'), 'deep/x': null }, message: 'add and delete' },
  ])
  made.git('update-index', '--chmod=+x', 'a.yaml')
  made.git('commit', '-q', '-m', 'exec bit')
  made.commits.push(made.git('rev-parse', 'HEAD'))
}
list.before(setup)
list.after(() => tmp.remove())

list('every file below the root, in `git ls-tree -r` order, with ids and modes', async () => {
  const repo = await fresh()
  const files = await listFiles(repo, made.commits[0])
  const want = made.git('ls-tree', '-r', made.commits[0]).split('\n').map((l) => {
    const [meta, path] = l.split('\t')
    const [mode, , oid] = meta.split(' ')
    return { path, oid, mode }
  })
  assert.equal(files, want)
})

const paths: Array<{ name: string; path: string; count: number; first: string }> = [
  { name: 'a directory', path: 'apps', count: 100, first: 'apps/app-00/deploy.yaml' },
  { name: 'a directory written ./x/', path: './apps/app-03/', count: 2, first: 'apps/app-03/deploy.yaml' },
  { name: 'a nested directory', path: 'deep/x', count: 1, first: 'deep/x/y/z.yaml' },
  { name: 'a single file', path: 'a/b.yaml', count: 1, first: 'a/b.yaml' },
  { name: 'the root as .', path: '.', count: 104, first: 'README.md' },
]
for (const c of paths) {
  list(`under ${c.name}`, async () => {
    const files = await listFiles(await fresh(), made.commits[0], c.path)
    assert.is(files.length, c.count)
    assert.is(files[0].path, c.first)
  })
}

list('a path that does not exist is PathNotFound', async () => {
  const err = await listFiles(await fresh(), made.commits[0], 'nope/here').catch((e) => e)
  assert.ok(isSourceError(err, 'PathNotFound'))
})

list('a second listing reads no tree again', async () => {
  const repo = await fresh()
  await listFiles(repo, made.commits[0])
  const reads = repo.stats.treeReads
  assert.ok(reads > 50)
  await listFiles(repo, made.commits[2])
  // Only the trees on the changed file's path are new: root, apps, apps/app-07.
  assert.is(repo.stats.treeReads - reads, 3)
})

diff.before(setup)
diff.after(() => tmp.remove())

diff('a no-op (same tree, different commits) reads no tree at all', async () => {
  const repo = await fresh()
  assert.equal(await diffTrees(repo, made.commits[0], made.commits[1]), [])
  assert.is(repo.stats.treeReads, 0)
})

diff('a no-op under a path reads only the root trees on the way', async () => {
  const repo = await fresh()
  assert.equal(await diffTrees(repo, made.commits[0], made.commits[1], 'apps'), [])
  assert.is(repo.stats.treeReads, 1) // both commits share one root tree
})

diff('a one-file change reads only the trees on its path', async () => {
  const repo = await fresh()
  const changes = await diffTrees(repo, made.commits[1], made.commits[2])
  assert.equal(changes, [
    {
      path: 'apps/app-07/deploy.yaml',
      status: 'modified',
      oldOid: made.git('rev-parse', `${made.commits[1]}:apps/app-07/deploy.yaml`),
      newOid: made.git('rev-parse', `${made.commits[2]}:apps/app-07/deploy.yaml`),
      mode: '100644',
    },
  ])
  assert.is(repo.stats.treeReads, 6) // root, apps, apps/app-07 on each side
})

diff('added and deleted files and directories, in path order', async () => {
  const changes = await diffTrees(await fresh(), made.commits[2], made.commits[3])
  assert.equal(
    changes.map((c) => [c.status, c.path]),
    [
      ['deleted', 'apps/app-08/svc.yaml'],
      ['added', 'apps/app-99/new.yaml'],
      ['deleted', 'deep/x/y/z.yaml'],
    ],
  )
})

diff('a mode change is a modification; diffs agree with git diff --name-status', async () => {
  const repo = await fresh()
  const changes = await diffTrees(repo, made.commits[3], made.commits[4])
  assert.equal(changes.map((c) => [c.status, c.path, c.mode]), [['modified', 'a.yaml', '100755']])
  const all = await diffTrees(repo, made.commits[0], made.commits[4])
  const git = made.git('diff', '--name-status', '--no-renames', made.commits[0], made.commits[4]).split('\n').map((l) => l.split('\t'))
  const letter = { added: 'A', modified: 'M', deleted: 'D' }
  assert.equal(all.map((c) => [letter[c.status], c.path]), git)
})

diff('under a path, and from nothing (first sync: every file added)', async () => {
  const repo = await fresh()
  assert.equal((await diffTrees(repo, made.commits[1], made.commits[3], 'deep')).map((c) => c.path), ['deep/x/y/z.yaml'])
  const first = await diffTrees(repo, undefined, made.commits[0], 'apps/app-01')
  assert.equal(first.map((c) => [c.status, c.path]), [['added', 'apps/app-01/deploy.yaml'], ['added', 'apps/app-01/svc.yaml']])
  // A path that exists on neither side is simply empty.
  assert.equal(await diffTrees(repo, made.commits[0], made.commits[3], 'nowhere'), [])
})

const direct = suite('trees read directly')
direct.before(setup)
direct.after(() => tmp.remove())

/** Every tree id reachable from the commits, with isomorphic-git's reading of it. */
async function everyTree(repo: GitRepo): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>()
  for (const c of made.commits) {
    for (const line of made.git('ls-tree', '-r', '-t', c).split('\n')) {
      const [meta] = line.split('\t')
      const [, type, oid] = meta.split(' ')
      if (type === 'tree' && !out.has(oid)) out.set(oid, (await git.readTree({ fs: repo.fs, gitdir: repo.gitdir, oid })).tree)
    }
    const root = made.git('rev-parse', `${c}^{tree}`)
    if (!out.has(root)) out.set(root, (await git.readTree({ fs: repo.fs, gitdir: repo.gitdir, oid: root })).tree)
  }
  return out
}

direct('loose and packed trees and blobs read as isomorphic-git reads them, without it', async () => {
  for (const packed of [false, true]) {
    if (packed) made.git('gc', '-q', '--aggressive')
    const repo = await fresh()
    const want = await everyTree(repo)
    const mine = await fresh()
    for (const [oid, entries] of want) assert.equal(await readTreeEntries(mine, oid), entries, `${packed ? 'packed' : 'loose'} tree ${oid}`)
    for (const entries of want.values()) {
      for (const e of entries as Array<{ oid: string; type: string }>) {
        if (e.type !== 'blob') continue
        const bytes = await readBlobBytes(mine, e.oid)
        assert.ok(Buffer.from(bytes).equals(Buffer.from((await git.readBlob({ fs: repo.fs, gitdir: repo.gitdir, oid: e.oid })).blob)), `blob ${e.oid}`)
      }
    }
    // The direct reader answered (isomorphic-git was not asked: its pack cache stayed empty).
    assert.ok(mine.raw, 'the direct reader was opened')
    assert.equal(Object.getOwnPropertySymbols(mine.cache).length + Object.keys(mine.cache).length, 0)
  }
})

direct('a tree isomorphic-git refuses is still refused (its checks and error), a name it accepts still read', async () => {
  const blob = made.git('hash-object', '-w', '--stdin')
  const mktree = (name: string) => execFileSync('git', ['mktree', '--missing'], { cwd: made.dir, input: `100644 blob ${blob}\t${name}\n`, encoding: 'utf8' }).trim()
  const bad = mktree('.GIT')
  const err = await readTreeEntries(await fresh(), bad).catch((e: unknown) => e)
  assert.ok(isSourceError(err, 'ReadFailed'), String(err))
  const odd = mktree('.hidden~x')
  assert.equal((await readTreeEntries(await fresh(), odd)).map((e) => e.path), ['.hidden~x'])
})

direct('commits (and tags, and roots) read directly as isomorphic-git reads them, odd ones too', async () => {
  const repo = await fresh()
  const tree = made.git('rev-parse', `${made.commits[0]}^{tree}`)
  const raw = (text: string) => execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin', '--literally'], { cwd: made.dir, input: text, encoding: 'utf8' }).trim()
  const who = 'A U Thor <a@example.com> 1700000000 +0530'
  const odd = [
    raw(`tree ${tree}\nparent ${made.commits[0]}\nauthor ${who}\ncommitter C <c@example.com> 1700000001 -0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n line two\n -----END PGP SIGNATURE-----\nextra x\nauthor Second <s@example.com> 1 +0000\n\n\r\n\nTitle\r\n\r\nbody\n\n\n`),
    raw(`tree ${tree}\nauthor ${who}\ncommitter ${who}\nparent ${made.commits[1]}\n\nparent after a header\n`),
  ]
  const tag = made.git('tag', '-a', 'annotated', '-m', 'a tag', made.commits[2]) || made.git('rev-parse', 'annotated')
  for (const oid of [...made.commits, ...odd]) {
    const want = (await git.readCommit({ fs: repo.fs, gitdir: repo.gitdir, oid })).commit
    const r = directObject(repo, oid)!
    assert.equal(parseCommit(r.data), want, oid)
    const info = await readCommit(repo, oid)
    assert.is(info.tree, want.tree)
    assert.equal(info.parents, want.parent)
  }
  assert.is(await resolveRef(repo, 'annotated'), made.commits[2], 'a tag peeled directly')
  assert.is(tagTarget(directObject(repo, tag)!.data), made.commits[2])
  assert.equal((await entryAt(repo, tag, 'a/b.yaml'))?.type, 'blob', 'a tag to its root tree')
  const blob = made.git('rev-parse', `${made.commits[0]}:a.yaml`)
  assert.ok(isSourceError(await resolveRef(repo, blob).catch((e: unknown) => e), 'NotACommit'), 'a blob is no commit')
  assert.ok(isSourceError(await entryAt(repo, blob, '').catch((e: unknown) => e), 'NotACommit'), 'nor a root')
})

direct('two raw trees compared by their identical start and end: the differing entries, as a full comparison finds them', () => {
  let seed = 5
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n)
  // Ids full of the bytes the entry format uses as delimiters (space, NUL), to trip a careless walk.
  const id = () => Buffer.from(Array.from({ length: 20 }, () => [0, 0x20, 0x30, 0xff, rand(256)][rand(5)]))
  type E = { mode: string; name: string; oid: Buffer }
  // Git's order: a directory sorts as if its name ended in `/`.
  const gitKey = (e: E) => (e.mode === '40000' ? `${e.name}/` : e.name)
  const rawTree = (es: E[]) => Buffer.concat([...es].sort((x, y) => (gitKey(x) < gitKey(y) ? -1 : 1)).flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`), e.oid]))
  const names = ['a', 'a.yaml', 'a-b', 'b', 'c0', 'c1', 'config.yaml', 'd', 'deploy.yaml', 'e', 'z']
  for (let round = 0; round < 300; round++) {
    const base = new Map<string, E>()
    for (const name of names) if (rand(3) > 0) base.set(name, { mode: rand(4) === 0 ? '40000' : '100644', name, oid: id() })
    const next = new Map([...base].map(([k, e]) => [k, { ...e }]))
    for (let k = 0; k < 1 + rand(3); k++) {
      const name = names[rand(names.length)]
      const op = rand(3)
      if (op === 0) next.delete(name)
      else if (op === 1) next.set(name, { mode: next.get(name)?.mode ?? '100644', name, oid: id() })
      else next.set(name, { mode: rand(2) ? '40000' : '100755', name, oid: next.get(name)?.oid ?? id() })
    }
    const a = rawTree([...base.values()])
    const b = rawTree([...next.values()])
    const same = (x?: E, y?: E) => !!x && !!y && x.mode === y.mode && x.oid.equals(y.oid)
    const want = names.filter((n) => (base.has(n) || next.has(n)) && !same(base.get(n), next.get(n))).sort()
    const got = differingEntries(a, b)
    assert.ok(got, `round ${round}`)
    // The entries outside the identical start and end hold every difference (an unchanged entry
    // between two changes is there too, on both sides alike).
    const left = new Map(got!.left.map((e) => [e.path, e]))
    const right = new Map(got!.right.map((e) => [e.path, e]))
    const differing = [...new Set([...left.keys(), ...right.keys()])].filter((n) => left.get(n)?.oid !== right.get(n)?.oid || left.get(n)?.mode !== right.get(n)?.mode)
    assert.equal(differing.sort(), want, `round ${round}`)
    for (const e of got!.right) assert.is(e.oid, next.get(e.path)!.oid.toString('hex'))
    for (const e of got!.left) assert.is(e.oid, base.get(e.path)!.oid.toString('hex'))
  }
})

list.run()
diff.run()
direct.run()
