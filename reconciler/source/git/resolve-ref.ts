/** Turn what a user types (a branch, remote branch, tag, HEAD, full or short sha) into a commit id. */
import git from 'isomorphic-git'
import { SourceError, gitErrorCode } from './errors.js'
import { gitArgs, withRefresh, type GitRepo } from './repo.js'

const FULL_SHA = /^[0-9a-f]{40}$/i
const SHORT_SHA = /^[0-9a-f]{4,39}$/i

/** The commit `oid` names, peeling annotated tags; undefined when the object does not exist; NotACommit for a tree or blob. */
async function peelToCommit(repo: GitRepo, oid: string, ref: string): Promise<string | undefined> {
  let current = oid
  for (let depth = 0; depth < 20; depth++) {
    let read
    try {
      read = await withRefresh(repo, () => git.readObject({ ...gitArgs(repo), oid: current, format: 'parsed' }))
    } catch (err) {
      if (gitErrorCode(err) === 'NotFoundError') return undefined
      throw new SourceError('ReadFailed', `cannot read object ${current}: ${(err as Error).message}`, { oid: current }, { cause: err })
    }
    if (read.type === 'commit') return current
    if (read.type === 'tag') {
      current = (read.object as { object: string }).object
      continue
    }
    throw new SourceError('NotACommit', `${ref} names a ${read.type}, not a commit`, { ref, oid: current, type: read.type })
  }
  throw new SourceError('NotACommit', `${ref}: tags nested too deeply`, { ref })
}

/** The full name of a ref as git looks it up (ref, refs/ref, tags, heads, remotes, remotes/ref/HEAD), if one exists. */
async function expandName(repo: GitRepo, ref: string): Promise<string | undefined> {
  try {
    return await git.expandRef({ fs: repo.fs, gitdir: repo.gitdir, ref })
  } catch (err) {
    if (gitErrorCode(err) === 'NotFoundError') return undefined
    throw err
  }
}

/** The commit a short sha names: the only object it matches, or the only commit (or tag of one) among several. */
async function expandShort(repo: GitRepo, ref: string): Promise<string | undefined> {
  try {
    return await withRefresh(repo, () => git.expandOid({ ...gitArgs(repo), oid: ref.toLowerCase() }))
  } catch (err) {
    const code = gitErrorCode(err)
    if (code === 'NotFoundError') return undefined
    if (code !== 'AmbiguousError') throw err
    const matches = ((err as { data?: { matches?: string[] } }).data?.matches ?? []).slice().sort()
    // As git does for a commit-ish: when only one of the candidates is (or peels to) a commit, it is meant.
    const commits: string[] = []
    for (const m of matches) {
      const c = await peelToCommit(repo, m, ref).catch(() => undefined)
      if (c) commits.push(m)
    }
    if (commits.length === 1) return commits[0]
    throw new SourceError('AmbiguousRef', `short sha ${ref} is ambiguous: it matches ${matches.join(', ')}`, { ref, matches })
  }
}

/**
 * The commit id `ref` names, looked up as git does: a full sha first, then a ref name (`HEAD`,
 * `main`, `refs/heads/main`, `origin/main`, `v1.0`), then a short sha of at least 4 digits.
 * Annotated tags are peeled to their commit. Unknown → RefNotFound; ambiguous → AmbiguousRef.
 */
export async function resolveRef(repo: GitRepo, ref: string): Promise<string> {
  const name = ref.trim()
  const notFound = () => new SourceError('RefNotFound', `unknown revision "${ref}": no branch, tag or commit has that name`, { ref })
  if (name === '') throw notFound()
  if (FULL_SHA.test(name)) {
    const commit = await peelToCommit(repo, name.toLowerCase(), ref)
    if (!commit) throw notFound()
    return commit
  }
  const full = await expandName(repo, name)
  if (full) {
    let oid: string
    try {
      oid = await git.resolveRef({ fs: repo.fs, gitdir: repo.gitdir, ref: full })
    } catch (err) {
      // HEAD of a repository with no commits yet, or a symbolic ref to a missing branch.
      if (gitErrorCode(err) === 'NotFoundError') throw notFound()
      throw err
    }
    const commit = await peelToCommit(repo, oid, ref)
    if (!commit) throw new SourceError('ReadFailed', `${ref} points at ${oid}, which is missing from the repository`, { ref, oid })
    return commit
  }
  if (SHORT_SHA.test(name)) {
    const oid = await expandShort(repo, name)
    const commit = oid && (await peelToCommit(repo, oid, ref))
    if (commit) return commit
  }
  throw notFound()
}
