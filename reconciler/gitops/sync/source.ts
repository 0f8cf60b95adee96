/** The source step: open the repository (a local path, or an http(s) URL mirrored into a cache), resolve the ref, read the commit. */
import { isSourceError, openRepo, readCommit, resolveRef, syncRemote, type CommitInfo, type GitRepo } from '../../source/git/index.js'
import { entryAt, normalizePath } from '../../source/git/tree.js'
import { SyncFailure } from './errors.js'

/** Where to sync from. */
export interface SourceSpec {
  /** A local path (work tree or bare) or an http(s) URL. */
  repo: string
  /** Branch, tag or commit (default HEAD). */
  ref?: string
  /** The folder to render (default the whole tree). */
  path?: string
  /** Where remote mirrors are kept. */
  cacheDir: string
}

/** The commit to sync, read. */
export interface ResolvedSource {
  repo: GitRepo
  ref: string
  path: string
  commit: CommitInfo
  /** The tree id at `path` ('' when the path does not exist in the commit). */
  tree: string
}

/** Whether `repo` is a URL rather than a path. */
export function isRemote(repo: string): boolean {
  return /^https?:\/\//i.test(repo)
}

/** Opens the repository, resolves the ref and reads the commit; SourceFailed on any error. */
export async function resolveSource(spec: SourceSpec): Promise<ResolvedSource> {
  const ref = spec.ref ?? 'HEAD'
  const path = normalizePath(spec.path)
  try {
    let repo: GitRepo
    let oid: string
    if (isRemote(spec.repo)) ({ repo, oid } = await syncRemote({ url: spec.repo, cacheDir: spec.cacheDir, ref }))
    else {
      repo = await openRepo(spec.repo)
      oid = await resolveRef(repo, ref)
    }
    const commit = await readCommit(repo, oid)
    const entry = await entryAt(repo, oid, path)
    return { repo, ref, path, commit, tree: entry?.oid ?? '' }
  } catch (err) {
    if (isSourceError(err)) throw new SyncFailure('SourceFailed', err.message, [], { cause: err })
    throw err
  }
}
