/** Read commits: one by id, or the log of a ref (optionally only commits touching a path). */
import type { CommitObject } from 'isomorphic-git'
import { gitLib } from './git-lib.js'
import { directObject, parseCommit } from './direct-read.js'
import { SourceError, gitErrorCode } from './errors.js'
import { gitArgs, withRefresh, type GitRepo } from './repo.js'
import { resolveRef } from './resolve-ref.js'

/** Who wrote or committed a change, and when. */
export interface GitSignature {
  name: string
  email: string
  /** RFC 3339 in UTC, e.g. `2026-01-02T03:04:05Z`. */
  time: string
  /** Minutes east of UTC, as written in the commit (`+0200` → 120). */
  timezoneOffset: number
}

/** One commit, as plain data. */
export interface CommitInfo {
  oid: string
  /** The commit's root tree. */
  tree: string
  parents: string[]
  author: GitSignature
  committer: GitSignature
  message: string
  /** The first paragraph of the message on one line, as `git log --format=%s` prints it. */
  subject: string
}

/** The subject of a commit message: its first paragraph, lines joined by spaces. */
export function subjectOf(message: string): string {
  const lines = message.replace(/\r\n/g, '\n').replace(/^\n+/, '').split('\n')
  const end = lines.findIndex((l) => l.trim() === '')
  return (end < 0 ? lines : lines.slice(0, end)).map((l) => l.trim()).join(' ')
}

function signature(s: CommitObject['author']): GitSignature {
  return {
    name: s.name,
    email: s.email,
    time: new Date(s.timestamp * 1000).toISOString().replace(/\.000Z$/, 'Z'),
    // isomorphic-git stores the offset with JavaScript's sign (minutes *behind* UTC).
    timezoneOffset: s.timezoneOffset === 0 ? 0 : -s.timezoneOffset,
  }
}

function toInfo(oid: string, c: CommitObject): CommitInfo {
  return {
    oid,
    tree: c.tree,
    parents: [...c.parent],
    author: signature(c.author),
    committer: signature(c.committer),
    message: c.message,
    subject: subjectOf(c.message),
  }
}

/** Read the commit `oid` (a full commit id; see `resolveRef` for names): directly when it can (direct-read.ts), else through isomorphic-git. */
export async function readCommit(repo: GitRepo, oid: string): Promise<CommitInfo> {
  const direct = directObject(repo, oid)
  const parsed = direct?.type === 'commit' ? parseCommit(direct.data) : undefined
  if (parsed) return toInfo(oid, parsed)
  try {
    const r = await withRefresh(repo, async () => (await gitLib()).readCommit({ ...gitArgs(repo), oid }))
    return toInfo(r.oid, r.commit)
  } catch (err) {
    const code = gitErrorCode(err)
    if (code === 'NotFoundError') throw new SourceError('RefNotFound', `no commit ${oid} in the repository`, { ref: oid }, { cause: err })
    if (code === 'ObjectTypeError') throw new SourceError('NotACommit', `${oid} is not a commit`, { ref: oid }, { cause: err })
    throw new SourceError('ReadFailed', `cannot read commit ${oid}: ${(err as Error).message}`, { oid }, { cause: err })
  }
}

/** Options of `log`. */
export interface LogOptions {
  /** Only commits that changed this file or directory. */
  path?: string
  /** At most this many commits. */
  depth?: number
}

/** The commits reachable from `ref`, newest first (as `git log`), optionally only those touching `path`. */
export async function log(repo: GitRepo, ref: string, { path, depth }: LogOptions = {}): Promise<CommitInfo[]> {
  const oid = await resolveRef(repo, ref)
  const filepath = path === undefined ? undefined : path.replace(/^\.?\/+/, '').replace(/\/+$/, '')
  repo.refresh()
  const results = await (await gitLib()).log({
    ...gitArgs(repo),
    ref: oid,
    ...(depth !== undefined ? { depth } : {}),
    ...(filepath ? { filepath } : {}),
  })
  return results.map((r) => toInfo(r.oid, r.commit))
}
