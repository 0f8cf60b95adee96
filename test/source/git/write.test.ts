import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { commitFile, isSourceError, openRepo, readCommit, revertOf } from '../../../reconciler/source/git/index.js'
import { gitLib } from '../../../reconciler/source/git/git-lib.js'
import { tempDir } from '../../helpers/tmp.js'
import { makeRepo, runGit } from './make-repo.js'

const cm = (name: string, data = 'x') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: ${data}\n`
const author = { name: 'capstan', email: 'capstan@example.com', time: new Date('2026-02-03T04:05:06Z') }
const script = [{ files: { 'apps/web.yaml': cm('web'), 'apps/db.yaml': cm('db'), 'top.yaml': cm('top') }, message: 'initial' }]

let tmp: ReturnType<typeof tempDir>
const write = suite('commitFile')
write.before(() => {
  tmp = tempDir('capstan-write-')
})
write.after(() => tmp.remove())

write('in a work tree on the branch: commits the one file; work tree, index and branch agree', async () => {
  const made = makeRepo(join(tmp.dir, 'work'), script)
  // Another file's staged change must stay staged, not slip into our commit.
  writeFileSync(join(made.dir, 'top.yaml'), cm('top', 'staged'))
  made.git('add', 'top.yaml')
  const repo = await openRepo(made.dir)
  const r = await commitFile({ repo, branch: 'main', path: 'apps/web.yaml', content: cm('web', 'undone'), message: 'Undo web to revision 1', author })
  assert.is(r.changed, true)
  assert.is(r.parent, made.commits[0])
  assert.is(made.git('rev-parse', 'main'), r.oid)
  assert.is(made.git('show', `${r.oid}:apps/web.yaml`), cm('web', 'undone').trim())
  assert.is(made.git('diff', '--name-only', `${r.oid}~1`, r.oid), 'apps/web.yaml')
  assert.is(readFileSync(join(made.dir, 'apps/web.yaml'), 'utf8'), cm('web', 'undone'))
  assert.is(made.git('status', '--porcelain'), 'M  top.yaml')
  const c = await readCommit(repo, r.oid)
  assert.is(c.subject, 'Undo web to revision 1')
  assert.equal(c.author, { name: 'capstan', email: 'capstan@example.com', time: '2026-02-03T04:05:06Z', timezoneOffset: 0 })
  made.git('fsck', '--strict')
})

write('killed before the branch moves: the new content is staged on the old commit (git commit finishes it), never the reverse', async () => {
  const made = makeRepo(join(tmp.dir, 'killed'), script)
  const repo = await openRepo(made.dir)
  const git = await gitLib()
  const writeRef = git.writeRef
  git.writeRef = async () => {
    throw new Error('killed')
  }
  try {
    await commitFile({ repo, branch: 'main', path: 'apps/web.yaml', content: cm('web', 'undone'), message: 'Undo web', author }).then(
      () => assert.unreachable('not killed'),
      (err: Error) => assert.is(err.message, 'killed'),
    )
  } finally {
    git.writeRef = writeRef
  }
  assert.is(made.git('rev-parse', 'main'), made.commits[0], 'the branch did not move')
  assert.is(made.git('status', '--porcelain'), 'M  apps/web.yaml')
  assert.is(made.git('diff', '--cached', '--', 'apps/web.yaml').includes('+  k: undone'), true, 'the undo is what is staged')
})

write('the branch moved while the work tree was written: RefMoved, the other commit kept', async () => {
  const made = makeRepo(join(tmp.dir, 'moved'), script)
  const repo = await openRepo(made.dir)
  const git = await gitLib()
  const add = git.add
  let other = ''
  git.add = async (...args: Parameters<typeof add>) => {
    await add(...args)
    // Someone commits meanwhile (another file).
    writeFileSync(join(made.dir, 'top.yaml'), cm('top', 'theirs'))
    made.git('commit', '-q', '-m', 'theirs', '--', 'top.yaml')
    other = made.git('rev-parse', 'main')
  }
  try {
    const err = await commitFile({ repo, branch: 'main', path: 'apps/web.yaml', content: cm('web', 'undone'), message: 'Undo web', author }).then(
      () => undefined,
      (e: unknown) => e,
    )
    assert.ok(isSourceError(err) && err.code === 'RefMoved', String(err))
  } finally {
    git.add = add
  }
  assert.is(made.git('rev-parse', 'main'), other, 'their commit is not overwritten')
})

write('a new file in a new directory', async () => {
  const made = makeRepo(join(tmp.dir, 'newfile'), script)
  const repo = await openRepo(made.dir)
  const r = await commitFile({ repo, branch: 'main', path: 'new/dir/x.yaml', content: cm('x'), message: 'add x', author })
  assert.is(made.git('show', `${r.oid}:new/dir/x.yaml`), cm('x').trim())
  assert.is(made.git('status', '--porcelain'), '')
})

const dirty: Array<{ name: string; change: (dir: string) => void }> = [
  { name: 'an unstaged change', change: (dir) => writeFileSync(join(dir, 'apps/web.yaml'), cm('web', 'local')) },
  {
    name: 'a staged change',
    change: (dir) => {
      writeFileSync(join(dir, 'apps/web.yaml'), cm('web', 'staged'))
      runGit(dir, ['add', 'apps/web.yaml'])
    },
  },
  { name: 'a deletion', change: (dir) => runGit(dir, ['rm', '-q', 'apps/web.yaml']) },
]
for (const c of dirty) {
  write(`refuses with DirtyWorkTree when the file has ${c.name}, changing nothing`, async () => {
    const made = makeRepo(join(tmp.dir, `dirty-${c.name.replace(/\W+/g, '-')}`), script)
    c.change(made.dir)
    const status = made.git('status', '--porcelain')
    const repo = await openRepo(made.dir)
    const err = await commitFile({ repo, branch: 'main', path: 'apps/web.yaml', content: cm('web', 'undone'), message: 'undo', author }).catch((e) => e)
    assert.ok(isSourceError(err, 'DirtyWorkTree'), String(err))
    assert.is(err.data.path, 'apps/web.yaml')
    assert.is(made.git('rev-parse', 'main'), made.commits[0])
    assert.is(made.git('status', '--porcelain'), status)
  })
}

write('a dirty other file does not matter', async () => {
  const made = makeRepo(join(tmp.dir, 'other-dirty'), script)
  writeFileSync(join(made.dir, 'apps/db.yaml'), cm('db', 'local'))
  const repo = await openRepo(made.dir)
  const r = await commitFile({ repo, branch: 'main', path: 'apps/web.yaml', content: cm('web', 'undone'), message: 'undo', author })
  assert.is(r.changed, true)
  assert.is(made.git('status', '--porcelain'), 'M apps/db.yaml')
})

write('in a bare repository: writes blob, trees and commit, and moves the branch', async () => {
  const made = makeRepo(join(tmp.dir, 'bare.git'), script, { bare: true })
  const repo = await openRepo(made.dir)
  const r = await commitFile({ repo, branch: 'refs/heads/main', path: 'apps/web.yaml', content: cm('web', 'bare'), message: 'undo in bare', author })
  assert.is(made.git('rev-parse', 'main'), r.oid)
  assert.is(made.git('show', `${r.oid}:apps/web.yaml`), cm('web', 'bare').trim())
  assert.is(made.git('diff', '--name-only', `${r.oid}~1`, r.oid), 'apps/web.yaml')
  assert.is(made.git('log', '-1', '--format=%s|%an|%ae', r.oid), 'undo in bare|capstan|capstan@example.com')
  made.git('fsck', '--strict')
})

write('a work tree on another branch is left alone: the commit is written directly', async () => {
  const made = makeRepo(join(tmp.dir, 'other-branch'), script)
  made.git('checkout', '-q', '-b', 'feature')
  writeFileSync(join(made.dir, 'apps/web.yaml'), cm('web', 'local'))
  const repo = await openRepo(made.dir)
  const r = await commitFile({ repo, branch: 'main', path: 'apps/web.yaml', content: cm('web', 'undone'), message: 'undo', author })
  assert.is(made.git('rev-parse', 'main'), r.oid)
  assert.is(made.git('rev-parse', 'feature'), made.commits[0])
  assert.is(readFileSync(join(made.dir, 'apps/web.yaml'), 'utf8'), cm('web', 'local'))
})

write('the same content makes no commit; an unknown branch is RefNotFound', async () => {
  const made = makeRepo(join(tmp.dir, 'same'), script)
  const repo = await openRepo(made.dir)
  const r = await commitFile({ repo, branch: 'main', path: 'apps/web.yaml', content: cm('web'), message: 'noop', author })
  assert.equal(r, { oid: made.commits[0], parent: made.commits[0], changed: false })
  const err = await commitFile({ repo, branch: 'nope', path: 'apps/web.yaml', content: cm('web'), message: 'x', author }).catch((e) => e)
  assert.ok(isSourceError(err, 'RefNotFound'))
})

const revert = suite('revertOf')
revert.before(() => {
  tmp = tempDir('capstan-revert-')
})
revert.after(() => tmp.remove())

revert('finds the reverted commit in `git revert` output, and nothing in other messages', async () => {
  const made = makeRepo(join(tmp.dir, 'repo'), [
    { files: { 'web.yaml': cm('web', 'v1') }, message: 'web v1' },
    { files: { 'web.yaml': cm('web', 'v2') }, message: 'web v2' },
  ])
  made.git('revert', '--no-edit', made.commits[1])
  const message = made.git('log', '-1', '--format=%B')
  assert.is(revertOf(message), made.commits[1])
  made.git('revert', '--no-edit', 'HEAD')
  const again = made.git('rev-parse', 'HEAD~1')
  assert.is(revertOf(made.git('log', '-1', '--format=%B')), again)
  assert.is(revertOf('web v2'), undefined)
  assert.is(revertOf('Mentions This reverts commit abcdef1 mid-line'), undefined)
})

write.run()
revert.run()
