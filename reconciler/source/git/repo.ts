/** Open a local git repository (with a work tree, or bare) as a handle the other source functions take. */
import { readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { PromiseFsClient, TreeEntry } from 'isomorphic-git'
import { SourceError, gitErrorCode } from './errors.js'
import { Lru } from './lru.js'
import { objectFs } from './object-fs.js'
import type { RawObjectReader } from './raw-objects.js'

/** Counters of real object reads (memo hits are not counted): for tests and benchmarks. */
export interface RepoStats {
  treeReads: number
  blobReads: number
}

/** An open repository. Keep one per repository: its caches make later reads cheap. */
export interface GitRepo {
  /** isomorphic-git's file-system client: node's `fs`, remembering which object files exist (see object-fs.ts). */
  fs: PromiseFsClient
  /** Forget which object files exist (after objects were written by someone else). */
  refresh(): void
  /** The work tree, absent for a bare repository. */
  dir?: string
  /** The git directory (`.git`, or the bare repository itself). */
  gitdir: string
  bare: boolean
  /** isomorphic-git's cache (pack indexes, packfiles): pass it to every isomorphic-git call. */
  cache: object
  /**
   * The direct object reader (raw-objects.ts), opened on first use and dropped by `refresh`: trees
   * are read through it (node's zlib, no isomorphic-git overhead), isomorphic-git reads what it
   * cannot find.
   */
  raw?: RawObjectReader
  /** Parsed trees by object id, as promises so that one tree wanted twice at once is read once (trees never change). */
  trees: Lru<string, Promise<readonly TreeEntry[]>>
  /** The root tree of a commit, tag or tree id (an id always names the same object). */
  rootTrees: Map<string, string>
  stats: RepoStats
}

/** Options of `openRepo`. */
export interface OpenRepoOptions {
  /** How many parsed trees to keep (default 50,000: a 10,000-file repository has a few thousand). */
  maxTrees?: number
}

async function isDir(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false
}

async function isFile(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isFile() ?? false
}

/** A git directory has HEAD, objects/ and refs/. */
async function looksLikeGitdir(p: string): Promise<boolean> {
  return (await isFile(join(p, 'HEAD'))) && (await isDir(join(p, 'objects'))) && (await isDir(join(p, 'refs')))
}

/**
 * Open the repository at `path`: a work tree with a `.git` directory (or a `.git` file pointing at a
 * git directory elsewhere, as submodules and `--separate-git-dir` write), or a bare repository.
 * Linked work trees (`git worktree add`) are refused.
 */
export async function openRepo(path: string, { maxTrees = 50_000 }: OpenRepoOptions = {}): Promise<GitRepo> {
  const root = resolve(path)
  const make = (gitdir: string, dir?: string): GitRepo => {
    const objects = objectFs(gitdir)
    const repo: GitRepo = {
      fs: objects.client,
      refresh: () => {
        objects.refresh()
        repo.raw = undefined
      },
      ...(dir !== undefined ? { dir } : {}),
      gitdir,
      bare: dir === undefined,
      cache: {},
      trees: new Lru(maxTrees),
      rootTrees: new Map(),
      stats: { treeReads: 0, blobReads: 0 },
    }
    return repo
  }
  const dotGit = join(root, '.git')
  if ((await isDir(dotGit)) && (await looksLikeGitdir(dotGit))) return make(dotGit, root)
  if (await isFile(dotGit)) {
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotGit, 'utf8'))
    const gitdir = m ? resolve(root, m[1]) : undefined
    if (gitdir && (await isFile(join(gitdir, 'commondir')))) {
      // A `git worktree add` work tree: its HEAD and index are apart from the objects and refs, which isomorphic-git cannot follow.
      throw new SourceError('NotARepository', `${path} is a linked work tree (git worktree), which is not supported: use the main work tree or a clone`, { path })
    }
    if (gitdir && (await looksLikeGitdir(gitdir))) return make(gitdir, root)
  }
  if (await looksLikeGitdir(root)) return make(root)
  const exists = await stat(root).catch(() => undefined)
  throw new SourceError('NotARepository', exists ? `${path} is not a git repository` : `${path} does not exist`, { path })
}

/** The location arguments every isomorphic-git call takes. */
export function gitArgs(repo: GitRepo): { fs: PromiseFsClient; dir?: string; gitdir: string; cache: object } {
  return { fs: repo.fs, ...(repo.dir !== undefined ? { dir: repo.dir } : {}), gitdir: repo.gitdir, cache: repo.cache }
}

/** Run `read`; when an object is not found, forget the object listings and try once more (someone may have written or repacked objects). */
export async function withRefresh<T>(repo: GitRepo, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (err) {
    if (gitErrorCode(err) !== 'NotFoundError') throw err
    repo.refresh()
    return read()
  }
}
