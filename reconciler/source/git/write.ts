/** Write a one-file commit on a branch (for `rollout undo`), and read which commit a revert undid. */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TreeEntry } from 'isomorphic-git'
import { gitLib } from './git-lib.js'
import { SourceError, gitErrorCode } from './errors.js'
import { gitArgs, withRefresh, type GitRepo } from './repo.js'
import { normalizePath, readTreeEntries } from './tree.js'

/** Who makes the commit; `time` defaults to now. */
export interface CommitAuthor {
  name: string
  email: string
  time?: Date
}

/** Options of `commitFile`. */
export interface CommitFileOptions {
  repo: GitRepo
  /** `main` or `refs/heads/main`. */
  branch: string
  /** The file to write, relative to the repository root. */
  path: string
  content: string
  message: string
  author: CommitAuthor
  /** Defaults to the author. */
  committer?: CommitAuthor
}

/** The result of `commitFile`: the branch's commit afterwards, and whether a commit was made. */
export interface CommitFileResult {
  /** The new commit, or the branch's unchanged tip when the file already had that content. */
  oid: string
  parent: string
  changed: boolean
}

function signature(who: CommitAuthor): { name: string; email: string; timestamp: number; timezoneOffset: number } {
  const time = who.time ?? new Date()
  return { name: who.name, email: who.email, timestamp: Math.floor(time.getTime() / 1000), timezoneOffset: 0 }
}

/** Write `oid` at `parts` below tree `treeOid` (absent: an empty tree), returning the new tree's id and the blob it replaced. */
async function replaceInTree(repo: GitRepo, treeOid: string | undefined, parts: string[], blob: string): Promise<{ tree: string; previous?: string }> {
  const entries: TreeEntry[] = treeOid ? [...(await readTreeEntries(repo, treeOid))] : []
  const [name, ...rest] = parts
  const i = entries.findIndex((e) => e.path === name)
  const existing = i >= 0 ? entries[i] : undefined
  let entry: TreeEntry
  let previous: string | undefined
  if (rest.length === 0) {
    const mode = existing?.type === 'blob' && existing.mode !== '120000' ? existing.mode : '100644'
    previous = existing?.type === 'blob' ? existing.oid : undefined
    entry = { mode, path: name, oid: blob, type: 'blob' }
  } else {
    const sub = await replaceInTree(repo, existing?.type === 'tree' ? existing.oid : undefined, rest, blob)
    previous = sub.previous
    entry = { mode: '040000', path: name, oid: sub.tree, type: 'tree' }
  }
  if (i >= 0) entries[i] = entry
  else entries.push(entry)
  return { tree: await (await gitLib()).writeTree({ fs: repo.fs, gitdir: repo.gitdir, tree: entries }), previous }
}

/** Refuse when `path` differs between HEAD, the index and the work tree (or is there untracked). */
async function assertClean(repo: GitRepo, dir: string, path: string): Promise<void> {
  const rows = await withRefresh(repo, async () => (await gitLib()).statusMatrix({ fs: repo.fs, dir, gitdir: repo.gitdir, cache: repo.cache, filepaths: [path] }))
  const row = rows.find((r) => r[0] === path)
  if (!row) return // in none of HEAD, index and work tree
  const [, head, workdir, stage] = row
  if (head === 1 && workdir === 1 && stage === 1) return
  throw new SourceError('DirtyWorkTree', `${path} has uncommitted changes in ${dir}: commit or stash them first`, { path, dir, head, workdir, stage })
}

/**
 * Commit `content` at `path` on `branch`, changing nothing else. When the repository's work tree has
 * that branch checked out, the file must have no uncommitted changes (DirtyWorkTree otherwise), and the
 * work tree and index are updated to the new commit; otherwise (a bare repository, another branch
 * checked out) the blob, trees and commit are written directly and the branch is moved.
 */
export async function commitFile({ repo, branch, path, content, message, author, committer }: CommitFileOptions): Promise<CommitFileResult> {
  const ref = branch.startsWith('refs/') ? branch : `refs/heads/${branch}`
  const filepath = normalizePath(path)
  if (filepath === '') throw new SourceError('PathNotFound', 'commitFile needs a file path', { path })
  let parent: string
  try {
    parent = await (await gitLib()).resolveRef({ fs: repo.fs, gitdir: repo.gitdir, ref })
  } catch (err) {
    if (gitErrorCode(err) === 'NotFoundError') throw new SourceError('RefNotFound', `no branch ${branch}`, { ref: branch }, { cause: err })
    throw err
  }
  const current = repo.dir !== undefined ? await (await gitLib()).currentBranch({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, fullname: true }) : undefined
  const workTree = current === ref ? repo.dir : undefined
  if (workTree !== undefined) await assertClean(repo, workTree, filepath)

  const blob = await (await gitLib()).writeBlob({ fs: repo.fs, gitdir: repo.gitdir, blob: Buffer.from(content, 'utf8') })
  const { tree: parentTree } = (await withRefresh(repo, async () => (await gitLib()).readCommit({ ...gitArgs(repo), oid: parent }))).commit
  const { tree, previous } = await replaceInTree(repo, parentTree, filepath.split('/'), blob)
  if (previous === blob && tree === parentTree) return { oid: parent, parent, changed: false }
  const oid = await (await gitLib()).writeCommit({
    fs: repo.fs,
    gitdir: repo.gitdir,
    commit: {
      tree,
      parent: [parent],
      author: signature(author),
      committer: signature(committer ?? author),
      message: message.endsWith('\n') ? message : `${message}\n`,
    },
  })
  // Move the branch only if nobody moved it meanwhile.
  const now = await (await gitLib()).resolveRef({ fs: repo.fs, gitdir: repo.gitdir, ref })
  if (now !== parent) throw new SourceError('RefMoved', `${branch} moved while committing (${parent} → ${now}); try again`, { ref: branch, expected: parent, found: now })
  // The work tree and index first, the branch last: a process killed in between leaves the new
  // content staged on the old commit (`git commit` finishes it), never the new commit with the old
  // content staged (where `git commit -a` would undo it).
  if (workTree !== undefined) {
    const target = join(workTree, ...filepath.split('/'))
    await mkdir(join(target, '..'), { recursive: true })
    await writeFile(target, content)
    await (await gitLib()).add({ fs: repo.fs, dir: workTree, gitdir: repo.gitdir, cache: repo.cache, filepath })
  }
  // Looked at again right before the move (the work tree's writes took time).
  const still = await (await gitLib()).resolveRef({ fs: repo.fs, gitdir: repo.gitdir, ref })
  if (still !== parent) throw new SourceError('RefMoved', `${branch} moved while committing (${parent} → ${still}); try again`, { ref: branch, expected: parent, found: still })
  await (await gitLib()).writeRef({ fs: repo.fs, gitdir: repo.gitdir, ref, value: oid, force: true })
  return { oid, parent, changed: true }
}

/** The commit a `git revert` commit undid, from its "This reverts commit <sha>." line; undefined for other messages. */
export function revertOf(message: string): string | undefined {
  return /^This reverts commit ([0-9a-f]{7,64})\b/m.exec(message)?.[1]
}
