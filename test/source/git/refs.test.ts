import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import git from 'isomorphic-git'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { isSourceError, listFiles, log, openRepo, readCommit, resolveRef, type GitRepo } from '../../../reconciler/source/git/index.js'
import { directMatches } from '../../../reconciler/source/git/direct-read.js'
import { expandRefDirect, resolveRefDirect } from '../../../reconciler/source/git/direct-refs.js'
import { projectRoot } from '../../../reconciler/paths.js'
import { tempDir } from '../../helpers/tmp.js'
import { makeRepo, runGit, type MadeRepo } from './make-repo.js'

const cm = (name: string, data = 'x') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: ${data}\n`
const blobId = (text: string) => createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex')

let tmp: ReturnType<typeof tempDir>
let made: MadeRepo
let repo: GitRepo
/** Two blobs whose ids share their first 4 digits, and a blob sharing the first 4 digits of commit 0. */
let clash: { prefix: string; blobs: string[] }
let likeCommit: string

const refs = suite('resolveRef')

refs.before(async () => {
  tmp = tempDir('capstan-refs-')
  made = makeRepo(join(tmp.dir, 'repo'), [
    { files: { 'apps/web.yaml': cm('web') }, message: 'add web\n\nbody line', tag: 'v1-light' },
    { files: { 'apps/web.yaml': cm('web', 'y') }, message: 'change web', author: { name: 'Ada', email: 'ada@example.com' }, tag: { name: 'v2', message: 'release 2' } },
    { files: { 'apps/db.yaml': cm('db') }, message: 'add db' },
  ])
  made.git('branch', 'feature', made.commits[0])
  made.git('update-ref', 'refs/remotes/origin/staging', made.commits[1])
  // Find, deterministically, blobs whose short ids collide, and write them into the repository.
  const seen = new Map<string, string>()
  for (let i = 0; ; i++) {
    const text = `clash ${i}\n`
    const p = blobId(text).slice(0, 4)
    const other = seen.get(p)
    if (other !== undefined) {
      clash = { prefix: p, blobs: [other, text] }
      break
    }
    seen.set(p, text)
  }
  for (let i = 0; ; i++) {
    const text = `like commit ${i}\n`
    if (blobId(text).slice(0, 4) === made.commits[0].slice(0, 4)) {
      likeCommit = text
      break
    }
  }
  for (const text of [...clash.blobs, likeCommit]) runGit(made.dir, ['hash-object', '-w', '--stdin'], undefined, undefined, text)
  repo = await openRepo(made.dir)
})
refs.after(() => tmp.remove())

const cases: Array<{ name: string; ref: () => string; want: () => string }> = [
  { name: 'HEAD', ref: () => 'HEAD', want: () => made.commits[2] },
  { name: 'a branch', ref: () => 'main', want: () => made.commits[2] },
  { name: 'another branch', ref: () => 'feature', want: () => made.commits[0] },
  { name: 'a full branch ref', ref: () => 'refs/heads/feature', want: () => made.commits[0] },
  { name: 'a remote branch', ref: () => 'origin/staging', want: () => made.commits[1] },
  { name: 'a lightweight tag', ref: () => 'v1-light', want: () => made.commits[0] },
  { name: 'an annotated tag, peeled to its commit', ref: () => 'v2', want: () => made.commits[1] },
  { name: 'a full sha', ref: () => made.commits[1], want: () => made.commits[1] },
  { name: 'a full sha in upper case', ref: () => made.commits[1].toUpperCase(), want: () => made.commits[1] },
  { name: 'a short sha', ref: () => made.commits[1].slice(0, 8), want: () => made.commits[1] },
  { name: 'a short sha that also matches a blob: the commit is meant', ref: () => made.commits[0].slice(0, 4), want: () => made.commits[0] },
  { name: 'the annotated tag object id itself', ref: () => made.git('rev-parse', 'v2'), want: () => made.commits[1] },
  // gitrevisions ancestry, each checked against git rev-parse.
  ...['HEAD~1', 'HEAD~2', 'HEAD~', 'main^', 'HEAD^^', 'HEAD^0', 'v2~1', 'v2^1', 'HEAD~1^', 'origin/staging~'].map((ref) => ({ name: `the ancestry ${ref}`, ref: () => ref, want: () => made.git('rev-parse', `${ref}^{commit}`) })),
  { name: 'a short sha with ancestry', ref: () => `${made.commits[2].slice(0, 8)}~2`, want: () => made.commits[0] },
]
for (const c of cases) {
  refs(`resolves ${c.name}`, async () => {
    assert.is(await resolveRef(repo, c.ref()), c.want())
  })
}

const failures: Array<{ name: string; ref: () => string; code: string }> = [
  { name: 'an unknown name', ref: () => 'no-such-branch', code: 'RefNotFound' },
  { name: 'an unknown full sha', ref: () => '0123456789012345678901234567890123456789', code: 'RefNotFound' },
  { name: 'an unknown short sha', ref: () => 'deadbeef0', code: 'RefNotFound' },
  { name: 'an empty ref', ref: () => ' ', code: 'RefNotFound' },
  { name: 'an ambiguous short sha', ref: () => clash.prefix, code: 'AmbiguousRef' },
  { name: 'a blob id', ref: () => blobId(likeCommit), code: 'NotACommit' },
  { name: 'an ancestor past the root', ref: () => 'HEAD~3', code: 'RefNotFound' },
  { name: 'a second parent of a commit with one', ref: () => 'HEAD^2', code: 'RefNotFound' },
  { name: 'the ancestry of an unknown name', ref: () => 'nope~1', code: 'RefNotFound' },
]
for (const c of failures) {
  refs(`refuses ${c.name} (${c.code}), naming the ref`, async () => {
    try {
      await resolveRef(repo, c.ref())
      assert.unreachable('should have thrown')
    } catch (err) {
      assert.ok(isSourceError(err, c.code as never), String(err))
      assert.is(err.data.ref, c.ref())
    }
  })
}

refs('an ambiguous short sha lists the candidates', async () => {
  const err = await resolveRef(repo, clash.prefix).catch((e) => e)
  assert.equal(err.data.matches, clash.blobs.map(blobId).sort())
})

refs('refs read directly as isomorphic-git reads them: loose, packed, symbolic, and names it finds no other way', async () => {
  const names = ['HEAD', 'main', 'feature', 'v1-light', 'v2', 'origin/staging', 'refs/heads/main', 'refs/tags/v2', 'nope', 'config', 'refs/heads']
  const expected = async (r: GitRepo) => {
    const out: Record<string, [string | undefined, string | undefined]> = {}
    for (const n of names) {
      const full = await git.expandRef({ fs: r.fs, gitdir: r.gitdir, ref: n }).catch(() => undefined)
      const oid = full && (await git.resolveRef({ fs: r.fs, gitdir: r.gitdir, ref: full }).catch(() => undefined))
      out[n] = [full, oid]
    }
    return out
  }
  const direct = async (r: GitRepo) => {
    const out: Record<string, [string | undefined, string | undefined]> = {}
    for (const n of names) {
      const full = await expandRefDirect(r, n)
      out[n] = [full, full && (await resolveRefDirect(r, full))]
    }
    return out
  }
  for (const packedRefs of [false, true]) {
    if (packedRefs) made.git('pack-refs', '--all', '--prune')
    const r = await openRepo(made.dir)
    const want = await expected(r)
    const got = await direct(r)
    for (const n of names) {
      // Where the direct read resolves a ref it agrees with isomorphic-git; where it does not, the
      // caller asks isomorphic-git, so nothing it finds is lost.
      if (got[n][1] !== undefined) assert.equal(got[n], want[n], `${n} (${packedRefs ? 'packed' : 'loose'})`)
    }
    for (const n of ['HEAD', 'main', 'feature', 'v1-light', 'v2', 'origin/staging']) assert.ok(got[n][1], `${n} resolved directly`)
    assert.is(await resolveRef(r, 'v2'), made.commits[1], 'an annotated tag peeled')
  }
  assert.is(await expandRefDirect(repo, '../../etc/passwd'), undefined, 'nothing outside the git directory')
  // The git directory's own files are no refs: a branch of such a name is the branch.
  made.git('branch', 'shallow', made.commits[0])
  writeFileSync(join(made.dir, '.git', 'shallow'), `${made.commits[1]}\n`)
  assert.is(await resolveRef(await openRepo(made.dir), 'shallow'), made.commits[0])
})

refs('ids by prefix, read directly: loose and packed, each once, sorted', async () => {
  const r = await openRepo(made.dir)
  // Every object in the store, reachable or not.
  const all = made.git('cat-file', '--batch-all-objects', '--batch-check=%(objectname)').split('\n')
  for (const id of all.slice(0, 20)) {
    const want = all.filter((x) => x.startsWith(id.slice(0, 4))).sort()
    assert.equal(directMatches(r, id.slice(0, 4)), [...new Set(want)], id)
    assert.equal(directMatches(r, id), [id])
  }
  assert.equal(directMatches(r, clash.prefix)?.length, 2, 'both of two colliding blobs')
  assert.equal(directMatches(r, 'zzzz'), [])
})

refs('ids by prefix see a pack written after the reader opened', async () => {
  const other = makeRepo(join(tmp.dir, 'repacked'), [{ files: { 'a.yaml': cm('a') }, message: 'one' }])
  const r = await openRepo(other.dir)
  assert.is(await resolveRef(r, 'main'), other.commits[0], 'the reader opened (no pack yet)')
  other.git('gc', '-q')
  assert.equal(directMatches(r, other.commits[0].slice(0, 7)), [other.commits[0]], 'found in the new pack')
})

refs('a one-shot read of a branch, a short id, its commit, a path and a diff does not load isomorphic-git', () => {
  const script = `
    const { openRepo, resolveRef, readCommit, diffTrees, entryAt } = await import('./reconciler/source/git/index.js')
    const { gitLibLoaded } = await import('./reconciler/source/git/git-lib.js')
    const r = await openRepo(${JSON.stringify(made.dir)})
    const head = await resolveRef(r, 'main')
    if ((await resolveRef(r, head.slice(0, 7))) !== head) throw new Error('short id')
    const c = await readCommit(r, head)
    await entryAt(r, head, 'apps')
    await diffTrees(r, c.parents[0], head, 'apps')
    console.log(JSON.stringify({ loaded: gitLibLoaded(), head }))`
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot(), encoding: 'utf8' })
  const res = JSON.parse(out.trim().split('\n').pop()!) as { loaded: boolean; head: string }
  assert.is(res.head, made.commits[2])
  assert.is(res.loaded, false)
})

const open = suite('openRepo')
open.before(() => {
  tmp = tempDir('capstan-open-')
})
open.after(() => tmp.remove())

open('a work tree, a bare repository, and not a repository', async () => {
  const work = makeRepo(join(tmp.dir, 'work'), [{ files: { 'a.yaml': cm('a') }, message: 'one' }])
  const bare = makeRepo(join(tmp.dir, 'bare.git'), [{ files: { 'a.yaml': cm('a') }, message: 'one' }], { bare: true })
  const w = await openRepo(work.dir)
  assert.is(w.bare, false)
  assert.is(w.dir, work.dir)
  assert.is(w.gitdir, join(work.dir, '.git'))
  const b = await openRepo(bare.dir)
  assert.is(b.bare, true)
  assert.is(b.dir, undefined)
  assert.is(await resolveRef(b, 'main'), work.commits[0])
  mkdirSync(join(tmp.dir, 'plain'))
  writeFileSync(join(tmp.dir, 'plain', 'x.yaml'), 'a: 1\n')
  for (const path of [join(tmp.dir, 'plain'), join(tmp.dir, 'missing')]) {
    const err = await openRepo(path).catch((e) => e)
    assert.ok(isSourceError(err, 'NotARepository'), String(err))
  }
})

open('a work tree whose .git is a file pointing at the git directory; a linked work tree is refused', async () => {
  const sep = join(tmp.dir, 'separate')
  mkdirSync(sep)
  runGit(sep, ['init', '-q', '-b', 'main', '--separate-git-dir', join(tmp.dir, 'elsewhere.git')])
  const opened = await openRepo(sep)
  assert.is(opened.bare, false)
  assert.is(opened.dir, sep)
  assert.is(opened.gitdir, join(tmp.dir, 'elsewhere.git'))
  const main = makeRepo(join(tmp.dir, 'main'), [{ files: { 'a.yaml': cm('a') }, message: 'one' }])
  main.git('worktree', 'add', '-q', join(tmp.dir, 'linked'), '-b', 'other')
  const err = await openRepo(join(tmp.dir, 'linked')).catch((e) => e)
  assert.ok(isSourceError(err, 'NotARepository'), String(err))
})

open('objects written by git after the handle was opened are found', async () => {
  const m = makeRepo(join(tmp.dir, 'later'), [{ files: { 'a.yaml': cm('a') }, message: 'one' }])
  const r = await openRepo(m.dir)
  assert.is(await resolveRef(r, 'main'), m.commits[0])
  assert.equal((await listFiles(r, m.commits[0])).map((f) => f.path), ['a.yaml'])
  writeFileSync(join(m.dir, 'b.yaml'), cm('b'))
  runGit(m.dir, ['add', 'b.yaml'])
  runGit(m.dir, ['commit', '-q', '-m', 'two'])
  const head = runGit(m.dir, ['rev-parse', 'HEAD'])
  assert.is(await resolveRef(r, 'main'), head)
  assert.is((await readCommit(r, head)).subject, 'two')
  assert.equal((await listFiles(r, head)).map((f) => f.path), ['a.yaml', 'b.yaml'])
  // And after the loose objects are packed away.
  runGit(m.dir, ['gc', '-q', '--prune=now'])
  assert.is((await readCommit(r, m.commits[0])).subject, 'one')
  runGit(m.dir, ['commit', '-q', '--allow-empty', '-m', 'three'])
  runGit(m.dir, ['gc', '-q', '--prune=now'])
  assert.is((await readCommit(r, await resolveRef(r, 'HEAD'))).subject, 'three')
})

const commits = suite('readCommit and log')
commits.before(async () => {
  tmp = tempDir('capstan-log-')
  made = makeRepo(join(tmp.dir, 'repo'), [
    { files: { 'apps/web.yaml': cm('web') }, message: 'add web\nsecond line of subject\n\nbody line' },
    { files: { 'apps/web.yaml': cm('web', 'y') }, message: 'change web', author: { name: 'Ada', email: 'ada@example.com' } },
    { files: { 'db/db.yaml': cm('db') }, message: 'add db' },
  ])
  repo = await openRepo(made.dir)
})
commits.after(() => tmp.remove())

commits('readCommit gives ids, parents, people, times, message and subject', async () => {
  const c = await readCommit(repo, made.commits[1])
  assert.is(c.oid, made.commits[1])
  assert.is(c.tree, made.git('rev-parse', `${made.commits[1]}^{tree}`))
  assert.equal(c.parents, [made.commits[0]])
  assert.equal(c.author, { name: 'Ada', email: 'ada@example.com', time: '2026-01-01T00:01:00Z', timezoneOffset: 0 })
  assert.equal(c.committer.name, 'Test Committer')
  assert.is(c.subject, 'change web')
  const first = await readCommit(repo, made.commits[0])
  assert.equal(first.parents, [])
  assert.is(first.subject, 'add web second line of subject')
  assert.is(first.subject, made.git('log', '-1', '--format=%s', made.commits[0]))
})

commits('readCommit of a missing commit is RefNotFound', async () => {
  const err = await readCommit(repo, '0123456789012345678901234567890123456789').catch((e) => e)
  assert.ok(isSourceError(err, 'RefNotFound'))
})

const logCases = [
  { name: 'the whole history, newest first', ref: 'main', opts: {}, want: [2, 1, 0] },
  { name: 'with a depth', ref: 'main', opts: { depth: 2 }, want: [2, 1] },
  { name: 'only commits touching a directory', ref: 'main', opts: { path: 'apps' }, want: [1, 0] },
  { name: 'only commits touching a file', ref: 'HEAD', opts: { path: './db/db.yaml' }, want: [2] },
  { name: 'from an older commit', ref: 'HEAD~1', opts: {}, want: [1, 0] },
]
for (const c of logCases) {
  commits(`log: ${c.name}`, async () => {
    const ref = c.ref === 'HEAD~1' ? made.commits[1] : c.ref
    const got = await log(repo, ref, c.opts)
    assert.equal(got.map((x) => x.oid), c.want.map((i) => made.commits[i]))
  })
}

refs.run()
open.run()
commits.run()
