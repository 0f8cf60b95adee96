/** Turn what a user types (a branch, remote branch, tag, HEAD, full or short sha) into a commit id. */
import { expandRefDirect, resolveRefDirect } from './direct-refs.js'
import { gitLib } from './git-lib.js'
import { SourceError, gitErrorCode } from './errors.js'
import { directMatches, directObject, tagTarget } from './direct-read.js'
import { gitArgs, withRefresh, type GitRepo } from './repo.js'

const FULL_SHA = /^[0-9a-f]{40}$/i
const SHORT_SHA = /^[0-9a-f]{4,39}$/i

/** The commit `oid` names, peeling annotated tags; undefined when the object does not exist; NotACommit for a tree or blob. */
async function peelToCommit(repo: GitRepo, oid: string, ref: string): Promise<string | undefined> {
  let current = oid
  for (let depth = 0; depth < 20; depth++) {
    const direct = directObject(repo, current)
    const target = direct?.type === 'tag' ? tagTarget(direct.data) : undefined
    if (direct?.type === 'commit') return current
    if (target) {
      current = target
      continue
    }
    if (direct && direct.type !== 'tag') throw new SourceError('NotACommit', `${ref} names a ${direct.type}, not a commit`, { ref, oid: current, type: direct.type })
    let read
    try {
      read = await withRefresh(repo, async () => (await gitLib()).readObject({ ...gitArgs(repo), oid: current, format: 'parsed' }))
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
    return await (await gitLib()).expandRef({ fs: repo.fs, gitdir: repo.gitdir, ref })
  } catch (err) {
    if (gitErrorCode(err) === 'NotFoundError') return undefined
    throw err
  }
}

/** The commit a short sha names: the only object it matches, or the only commit (or tag of one) among several. */
async function expandShort(repo: GitRepo, ref: string): Promise<string | undefined> {
  try {
    return await withRefresh(repo, async () => (await gitLib()).expandOid({ ...gitArgs(repo), oid: ref.toLowerCase() }))
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
  // `HEAD~2`, `main^`, `v1.0^2~1` (gitrevisions: no ref name may hold `~` or `^`, so the suffix is unambiguous).
  const ancestry = /^(.+?)((?:[~^]\d*)+)$/.exec(ref.trim())
  if (ancestry) return walkAncestry(repo, await resolveName(repo, ancestry[1], ref), ancestry[2], ref)
  return resolveName(repo, ref.trim(), ref)
}

/**
 * Follows a gitrevisions suffix from `start`: `~N` is the N-th first-parent ancestor (`~` is `~1`),
 * `^N` the N-th parent (`^` is `^1`, `^0` the commit itself). A parent that does not exist is RefNotFound.
 */
async function walkAncestry(repo: GitRepo, start: string, suffix: string, ref: string): Promise<string> {
  let oid = start
  for (const [, op, digits] of suffix.matchAll(/([~^])(\d*)/g)) {
    const n = digits === '' ? 1 : Number(digits)
    const steps = op === '~' ? n : n === 0 ? 0 : 1
    const which = op === '~' ? 0 : n - 1
    for (let i = 0; i < steps; i++) {
      let commit
      try {
        ;({ commit } = await withRefresh(repo, async () => (await gitLib()).readCommit({ ...gitArgs(repo), oid })))
      } catch (err) {
        if (gitErrorCode(err) !== 'NotFoundError') throw err
        throw new SourceError('RefNotFound', `unknown revision "${ref}": ${oid.slice(0, 7)} is not in the repository (a shallow clone?)`, { ref }, { cause: err })
      }
      const parent = commit.parent[which]
      if (!parent) throw new SourceError('RefNotFound', `unknown revision "${ref}": ${oid.slice(0, 7)} has no ${op === '~' ? 'parent' : `parent ${n}`}`, { ref })
      oid = parent
    }
  }
  return oid
}

/** A ref name or sha (no ancestry suffix) to its commit; `ref` is what the user typed, for messages. */
async function resolveName(repo: GitRepo, name: string, ref: string): Promise<string> {
  const notFound = () => new SourceError('RefNotFound', `unknown revision "${ref}": no branch, tag or commit has that name`, { ref })
  if (name === '') throw notFound()
  if (FULL_SHA.test(name)) {
    const commit = await peelToCommit(repo, name.toLowerCase(), ref)
    if (!commit) throw notFound()
    return commit
  }
  // Read directly when the ref files say (direct-refs.ts); isomorphic-git for anything else — but
  // a name that can be a short id and is no ref file is taken for one (isomorphic-git would only
  // find a directory of that name).
  const direct = await expandRefDirect(repo, name)
  const full = direct ?? (SHORT_SHA.test(name) ? undefined : await expandName(repo, name))
  if (full) {
    let oid: string | undefined = await resolveRefDirect(repo, full)
    try {
      oid ??= await (await gitLib()).resolveRef({ fs: repo.fs, gitdir: repo.gitdir, ref: full })
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
    // One object found directly is the one; none or several: isomorphic-git says (its errors, its ambiguity).
    const matches = directMatches(repo, name.toLowerCase())
    const oid = matches?.length === 1 ? matches[0] : await expandShort(repo, name)
    const commit = oid && (await peelToCommit(repo, oid, ref))
    if (commit) return commit
  }
  throw notFound()
}
