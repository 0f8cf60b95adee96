/** Read a blob's bytes from the repository, counted in the repository's stats. */
import { gitLib } from './git-lib.js'
import { SourceError } from './errors.js'
import { directObject } from './direct-read.js'
import { gitArgs, withRefresh, type GitRepo } from './repo.js'

/** The content of blob `oid` (`path` only names it in errors), directly when the direct reader has it. */
export async function readBlobBytes(repo: GitRepo, oid: string, path?: string): Promise<Uint8Array> {
  repo.stats.blobReads++
  // The direct reader first (direct-read.ts); isomorphic-git for what it cannot read, with its errors.
  const direct = directObject(repo, oid)
  if (direct?.type === 'blob') return direct.data
  try {
    return (await withRefresh(repo, async () => (await gitLib()).readBlob({ ...gitArgs(repo), oid }))).blob
  } catch (err) {
    throw new SourceError('ReadFailed', `cannot read ${path ?? 'blob'} (${oid}): ${(err as Error).message}`, { oid, path }, { cause: err })
  }
}
