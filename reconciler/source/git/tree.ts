/** Read trees: list the files under a path, and compare two trees by object id, descending only where they differ. */
import type { TreeEntry } from 'isomorphic-git'
import { gitLib } from './git-lib.js'
import { SourceError, gitErrorCode } from './errors.js'
import { directObject, parseCommit, tagTarget } from './direct-read.js'
import { gitArgs, withRefresh, type GitRepo } from './repo.js'

/** A file of a tree: its path in the repository, blob id and mode (`100644`, `100755`, `120000` for a symlink). */
export interface TreeFile {
  path: string
  oid: string
  mode: string
}

/** One file that differs between two trees. */
export interface TreeChange {
  path: string
  status: 'added' | 'modified' | 'deleted'
  /** The blob before (absent when added). */
  oldOid?: string
  /** The blob after (absent when deleted). */
  newOid?: string
  /** The mode after (before, when deleted). */
  mode: string
}

/** `apps/web`, from `./apps/web/`, `/apps/web` or `apps//web`; `''` for the root (`.`, `/`, `''`). */
export function normalizePath(path: string | undefined): string {
  return (path ?? '')
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/')
}

/** Byte-wise order of full paths: the order of `git ls-tree -r`. */
export function byPath(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b))
}

const join = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`)

/** The entries of tree `oid`, from the repository's memo when it has been read before. */
export function readTreeEntries(repo: GitRepo, oid: string): Promise<readonly TreeEntry[]> {
  const memo = repo.trees.get(oid)
  if (memo) return memo
  repo.stats.treeReads++
  const direct = directTree(repo, oid)
  if (direct) {
    const done = Promise.resolve(direct)
    repo.trees.set(oid, done)
    return done
  }
  const read = withRefresh(repo, async () => (await gitLib()).readTree({ ...gitArgs(repo), oid })).then(
    (r) => r.tree,
    (err: unknown) => {
      repo.trees.delete(oid)
      throw new SourceError('ReadFailed', `cannot read tree ${oid}: ${(err as Error).message}`, { oid }, { cause: err })
    },
  )
  repo.trees.set(oid, read)
  return read
}

/**
 * Tree `oid` read by the direct object reader, or undefined when it cannot — or when an entry has
 * a mode or name isomorphic-git might refuse (an unknown mode, a name that is not plain ASCII or
 * could alias `.git`, `..`, a separator): isomorphic-git reads that tree, with its checks and errors.
 * Entries in isomorphic-git's order: by name (git's own order puts a directory as if it ended in
 * `/`, which differs only for a name that extends a directory's, such as `a.yaml` beside `a/`).
 */
function directTree(repo: GitRepo, oid: string): TreeEntry[] | undefined {
  const r = directObject(repo, oid)
  if (r?.type !== 'tree') return undefined
  const out = entriesIn(r.data, 0, r.data.length)
  if (!out) return undefined
  for (let i = 1; i < out.length; i++) if (out[i - 1].path > out[i].path) return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))
  return out
}

/** The entries of a raw tree between two entry boundaries, in git's order; undefined for any entry directTree leaves to isomorphic-git. */
function entriesIn(data: Buffer, from: number, to: number): TreeEntry[] | undefined {
  const out: TreeEntry[] = []
  for (let i = from; i < to; ) {
    const space = data.indexOf(0x20, i)
    const nul = space < 0 ? -1 : data.indexOf(0, space)
    const mode = nul < 0 || nul + 21 > to ? undefined : MODES.get(data.toString('latin1', i, space))
    if (!mode) return undefined
    // latin1 decodes the plain names (ASCII) as utf8 does; any other byte fails PLAIN_NAME.
    const path = data.toString('latin1', space + 1, nul)
    if (!PLAIN_NAME.test(path)) return undefined
    out.push({ mode, path, oid: data.toString('hex', nul + 1, nul + 21), type: mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob' })
    i = nul + 21
  }
  return out
}

/** The end of the raw tree entry starting at `at` (its id's last byte + 1), or -1. */
function entryEnd(data: Buffer, at: number): number {
  const nul = data.indexOf(0, at)
  return nul < 0 || nul + 21 > data.length ? -1 : nul + 21
}

/**
 * The entries of two raw trees that lie between their identical start and identical end, each
 * side's in git's order: a tree of thousands of entries changed in one is compared by a few
 * native byte comparisons, and only the entries that differ are parsed. Undefined when an entry
 * cannot be read directly (directTree).
 */
export function differingEntries(a: Buffer, b: Buffer): { left: TreeEntry[]; right: TreeEntry[] } | undefined {
  const n = Math.min(a.length, b.length)
  // The longest common prefix and suffix, by halving.
  let lo = 0
  for (let hi = n; lo < hi; ) {
    const mid = (lo + hi + 1) >> 1
    if (a.compare(b, 0, mid, 0, mid) === 0) lo = mid
    else hi = mid - 1
  }
  let same = 0
  for (let hi = n; same < hi; ) {
    const mid = (same + hi + 1) >> 1
    if (a.compare(b, b.length - mid, b.length, a.length - mid, a.length) === 0) same = mid
    else hi = mid - 1
  }
  // The entry holding the first differing byte starts at the same place on both sides (the bytes
  // before it are the same, so are the entries they parse into).
  let start = 0
  while (start < n) {
    const end = entryEnd(a, start)
    if (end < 0) return undefined
    if (end > lo) break
    start = end
  }
  // Walk both sides' entries until what is left of each is the same length and inside the common
  // end: from there on the entries are the same.
  let pa = start
  let pb = start
  while (a.length - pa !== b.length - pb || a.length - pa > same) {
    const moveA = a.length - pa >= b.length - pb
    const moveB = b.length - pb >= a.length - pa
    if (moveA) {
      if ((pa = entryEnd(a, pa)) < 0) return undefined
    }
    if (moveB) {
      if ((pb = entryEnd(b, pb)) < 0) return undefined
    }
  }
  const left = entriesIn(a, start, pa)
  const right = entriesIn(b, start, pb)
  return left && right ? { left, right } : undefined
}

/** Tree entry modes as git writes them, as isomorphic-git gives them. */
const MODES = new Map([
  ['40000', '040000'],
  ['100644', '100644'],
  ['100755', '100755'],
  ['120000', '120000'],
  ['160000', '160000'],
])
/** A name no file system aliases to anything else: no leading dot, no `~`, `:`, slash or non-ASCII. */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9._+@=,-]*$/

/** The root tree of a commit, an annotated tag of one, or a tree itself. */
export async function rootTree(repo: GitRepo, oid: string): Promise<string> {
  const known = repo.rootTrees.get(oid)
  if (known) return known
  let current = oid
  for (let depth = 0; depth < 20; depth++) {
    const direct = directObject(repo, current)
    if (direct?.type === 'tree') break
    const next = direct?.type === 'commit' ? parseCommit(direct.data)?.tree : direct?.type === 'tag' ? tagTarget(direct.data) : undefined
    if (next && direct?.type === 'commit') {
      current = next
      break
    }
    if (next) {
      current = next
      continue
    }
    if (direct && direct.type === 'blob') throw new SourceError('NotACommit', `${oid} is a ${direct.type}, not a commit or a tree`, { ref: oid, type: direct.type })
    let read
    try {
      read = await withRefresh(repo, async () => (await gitLib()).readObject({ ...gitArgs(repo), oid: current, format: 'parsed' }))
    } catch (err) {
      if (gitErrorCode(err) === 'NotFoundError') throw new SourceError('RefNotFound', `no object ${current} in the repository`, { ref: current })
      throw new SourceError('ReadFailed', `cannot read object ${current}: ${(err as Error).message}`, { oid: current }, { cause: err })
    }
    if (read.type === 'tree') break
    if (read.type === 'commit') {
      current = (read.object as { tree: string }).tree
      break
    }
    if (read.type === 'tag') {
      current = (read.object as { object: string }).object
      continue
    }
    throw new SourceError('NotACommit', `${oid} is a ${read.type}, not a commit or a tree`, { ref: oid, type: read.type })
  }
  repo.rootTrees.set(oid, current)
  return current
}

/** What sits at `path` of a commit or tree: a tree, a file, or nothing. */
export type PathEntry = { type: 'tree'; oid: string } | { type: 'blob'; oid: string; mode: string } | undefined

/** The object at `path` (repository-relative) of commit or tree `oid`, reading only the trees on the way. */
export async function entryAt(repo: GitRepo, oid: string, path: string): Promise<PathEntry> {
  let tree = await rootTree(repo, oid)
  const parts = normalizePath(path).split('/').filter(Boolean)
  for (let i = 0; i < parts.length; i++) {
    const entry = (await readTreeEntries(repo, tree)).find((e) => e.path === parts[i])
    if (!entry) return undefined
    if (entry.type === 'tree') tree = entry.oid
    else if (entry.type === 'blob' && i === parts.length - 1) return { type: 'blob', oid: entry.oid, mode: entry.mode }
    else return undefined
  }
  return { type: 'tree', oid: tree }
}

/** Every file below tree `oid` (which sits at `dir`), its subtrees read in parallel, in path order. */
async function filesOfTree(repo: GitRepo, oid: string, dir: string): Promise<TreeFile[]> {
  const entries = await readTreeEntries(repo, oid)
  const parts = await Promise.all(
    entries.map(async (e): Promise<TreeFile[]> => {
      if (e.type === 'tree') return filesOfTree(repo, e.oid, join(dir, e.path))
      if (e.type === 'blob') return [{ path: join(dir, e.path), oid: e.oid, mode: e.mode }]
      return [] // a submodule (a commit entry) has no files here
    }),
  )
  return parts.flat()
}

/**
 * Every file under `path` of commit or tree `oid`, recursively, in path order (`git ls-tree -r`).
 * `path` may name a single file. A path that does not exist is PathNotFound.
 */
export async function listFiles(repo: GitRepo, oid: string, path = ''): Promise<TreeFile[]> {
  const at = normalizePath(path)
  const entry = await entryAt(repo, oid, at)
  if (!entry) throw new SourceError('PathNotFound', `path "${at}" does not exist in ${oid}`, { path: at, oid })
  if (entry.type === 'blob') return [{ path: at, oid: entry.oid, mode: entry.mode }]
  const files = await filesOfTree(repo, entry.oid, at)
  // Tree order puts `a.yaml` before `a/` as ls-tree does, but sort to be sure of byte order across levels.
  return files.sort((a, b) => byPath(a.path, b.path))
}

function asChanges(files: TreeFile[], status: 'added' | 'deleted'): TreeChange[] {
  return files.map((f) =>
    status === 'added' ? { path: f.path, status, newOid: f.oid, mode: f.mode } : { path: f.path, status, oldOid: f.oid, mode: f.mode },
  )
}

/** The files that differ between trees `a` and `b` (both at `dir`), descending only into subtrees whose id differs. */
async function diffTreeOids(repo: GitRepo, a: string, b: string, dir: string): Promise<TreeChange[]> {
  if (a === b) return []
  // Read directly, only the entries between the trees' identical start and end (most of two big trees).
  const ra = directObject(repo, a)
  const rb = ra?.type === 'tree' ? directObject(repo, b) : undefined
  const raw = ra?.type === 'tree' && rb?.type === 'tree' ? differingEntries(ra.data, rb.data) : undefined
  if (raw) repo.stats.treeReads += 2
  const [left, right] = raw ? [raw.left, raw.right] : await Promise.all([readTreeEntries(repo, a), readTreeEntries(repo, b)])
  // The names whose entry differs, found without a promise per entry (trees of thousands of entries
  // usually differ in one).
  const before = new Map<string, TreeEntry>()
  for (const e of left) before.set(e.path, e)
  const differ: Array<[string, { old?: TreeEntry; new?: TreeEntry }]> = []
  for (const e of right) {
    const old = before.get(e.path)
    before.delete(e.path)
    if (!old || old.oid !== e.oid || old.mode !== e.mode) differ.push([e.path, { old, new: e }])
  }
  for (const [name, old] of before) differ.push([name, { old }])
  const parts = await Promise.all(
    differ.map(async ([name, { old, new: now }]): Promise<TreeChange[]> => {
      const path = join(dir, name)
      if (old?.type === 'tree' && now?.type === 'tree') return diffTreeOids(repo, old.oid, now.oid, path)
      if (old?.type === 'blob' && now?.type === 'blob') return [{ path, status: 'modified', oldOid: old.oid, newOid: now.oid, mode: now.mode }]
      const gone = old ? await entryFiles(repo, old, path) : []
      const come = now ? await entryFiles(repo, now, path) : []
      return [...asChanges(gone, 'deleted'), ...asChanges(come, 'added')]
    }),
  )
  return parts.flat()
}

async function entryFiles(repo: GitRepo, e: TreeEntry, path: string): Promise<TreeFile[]> {
  if (e.type === 'tree') return filesOfTree(repo, e.oid, path)
  if (e.type === 'blob') return [{ path, oid: e.oid, mode: e.mode }]
  return []
}

/**
 * The files under `path` that differ between two commits (or trees), in path order. Trees are
 * compared by object id, so equal trees cost one comparison and a one-file change reads only the
 * trees on its path. `from` undefined (nothing synced yet) lists every file as added. A path missing
 * on one side counts as empty there.
 */
export async function diffTrees(repo: GitRepo, from: string | undefined, to: string, path = ''): Promise<TreeChange[]> {
  const at = normalizePath(path)
  const [a, b] = await Promise.all([from === undefined ? undefined : entryAt(repo, from, at), entryAt(repo, to, at)])
  if (a?.oid === b?.oid && (a?.type !== 'blob' || b?.type !== 'blob' || a.mode === b.mode)) return []
  let changes: TreeChange[]
  if (a?.type === 'tree' && b?.type === 'tree') changes = await diffTreeOids(repo, a.oid, b.oid, at)
  else {
    const side = async (e: PathEntry): Promise<TreeFile[]> =>
      !e ? [] : e.type === 'tree' ? filesOfTree(repo, e.oid, at) : [{ path: at, oid: e.oid, mode: e.mode }]
    const [gone, come] = await Promise.all([side(a), side(b)])
    if (a?.type === 'blob' && b?.type === 'blob') changes = [{ path: at, status: 'modified', oldOid: a.oid, newOid: b.oid, mode: b.mode }]
    else changes = [...asChanges(gone, 'deleted'), ...asChanges(come, 'added')]
  }
  return changes.sort((x, y) => byPath(x.path, y.path) || (x.status === 'deleted' ? -1 : 1))
}
