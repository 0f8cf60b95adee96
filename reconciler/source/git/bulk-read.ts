/**
 * Bulk reads of one commit's trees and blobs: every file under a tree, the files that differ between
 * two trees (both modes kept), and blob contents — through the direct object reader, falling back to
 * isomorphic-git for what it cannot find (alternates, objects written after it was opened).
 */
import { gitLib } from './git-lib.js'
import { SourceError } from './errors.js'
import { parseTree, rawObjectReader, type RawTreeEntry } from './raw-objects.js'
import { readBlobBytes } from './read-blob.js'
import { gitArgs, withRefresh, type GitRepo } from './repo.js'
import { byPath } from './tree.js'

/** A file of a tree with its mode. */
export interface BulkFile {
  path: string
  oid: string
  mode: string
}

/** A file that differs between two trees: the blob and mode on each side (absent where the file is not). */
export interface BulkChange {
  path: string
  old?: { oid: string; mode: string }
  new?: { oid: string; mode: string }
}

/** Reads trees and blobs of one repository in bulk. */
export interface BulkReader {
  /** The entries of tree `oid`. */
  tree(oid: string): Promise<RawTreeEntry[]>
  /** The entries of tree `oid` when the direct reader has it (no waiting), else undefined. */
  treeNow(oid: string): RawTreeEntry[] | undefined
  /** The content of blob `oid`. */
  blob(oid: string): Promise<Buffer>
  /** The content of blob `oid` when the direct reader has it, else undefined. */
  blobNow(oid: string): Buffer | undefined
  /** The type of object `oid` (`blob`, `tree`, …). */
  typeOf(oid: string): Promise<string>
}

/** A BulkReader over `repo`. */
export function bulkReader(repo: GitRepo): BulkReader {
  const raw = rawObjectReader(repo.gitdir)
  const trees = new Map<string, RawTreeEntry[]>()
  const readRaw = (oid: string) => {
    try {
      return raw.read(oid)
    } catch {
      return undefined // a damaged or unexpected pack entry: let isomorphic-git say what is wrong
    }
  }
  const treeNow = (oid: string): RawTreeEntry[] | undefined => {
    const memo = trees.get(oid)
    if (memo) return memo
    const r = readRaw(oid)
    if (r?.type !== 'tree') return undefined
    const entries = parseTree(r.data)
    trees.set(oid, entries)
    return entries
  }
  const blobNow = (oid: string): Buffer | undefined => {
    const r = readRaw(oid)
    return r?.type === 'blob' ? r.data : undefined
  }
  return {
    treeNow,
    blobNow,
    async tree(oid) {
      const now = treeNow(oid)
      if (now) return now
      let entries: RawTreeEntry[]
      try {
        const t = await withRefresh(repo, async () => (await gitLib()).readTree({ ...gitArgs(repo), oid }))
        entries = t.tree.map((e) => ({ name: e.path, mode: e.mode, oid: e.oid, type: e.type }))
      } catch (err) {
        throw new SourceError('ReadFailed', `cannot read tree ${oid}: ${(err as Error).message}`, { oid }, { cause: err })
      }
      trees.set(oid, entries)
      return entries
    },
    async blob(oid) {
      const now = blobNow(oid)
      if (now) return now
      const bytes = await readBlobBytes(repo, oid)
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    },
    async typeOf(oid) {
      const r = readRaw(oid)
      if (r) return r.type
      const o = await withRefresh(repo, async () => (await gitLib()).readObject({ ...gitArgs(repo), oid, format: 'content' }))
      return o.type
    },
  }
}

const join = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`)

/** Walks what the direct reader has without waiting; trees it lacks are left in `later`. */
function collectNow(r: BulkReader, entries: readonly RawTreeEntry[], dir: string, out: BulkFile[], later: Array<{ oid: string; dir: string }>): void {
  for (const e of entries) {
    const path = join(dir, e.name)
    if (e.type === 'blob') out.push({ path, oid: e.oid, mode: e.mode })
    else if (e.type === 'tree') {
      const sub = r.treeNow(e.oid)
      if (sub) collectNow(r, sub, path, out, later)
      else later.push({ oid: e.oid, dir: path })
    }
  }
}

async function collect(r: BulkReader, oid: string, dir: string, out: BulkFile[]): Promise<void> {
  const later = [{ oid, dir }]
  for (let next = later.pop(); next; next = later.pop()) collectNow(r, await r.tree(next.oid), next.dir, out, later)
}

/**
 * Whether `files` are already in byte order of their paths. A walk in git's tree order gives that
 * order (a subtree sorts as `name/`), so the sort is usually a check; UTF-16 order equals byte order
 * below U+D800, so paths with higher characters are always sorted.
 */
function inPathOrder(files: readonly BulkFile[]): boolean {
  for (let i = 0; i < files.length; i++) {
    if (/[\ud800-\uffff]/.test(files[i].path)) return false
    if (i > 0 && !(files[i - 1].path < files[i].path)) return false
  }
  return true
}

/** Every file below tree `oid` (which sits at `dir`), in path order (`git ls-tree -r`); `oid` '' is an empty tree. */
export async function listTreeFiles(r: BulkReader, oid: string, dir = ''): Promise<BulkFile[]> {
  const out: BulkFile[] = []
  if (oid) await collect(r, oid, dir, out)
  return inPathOrder(out) ? out : out.sort((a, b) => byPath(a.path, b.path))
}

/** The files that differ between trees `a` and `b` (both at `dir`; '' is an empty tree), descending only into subtrees whose ids differ; in path order. */
export async function diffTreeFiles(r: BulkReader, a: string, b: string, dir = ''): Promise<BulkChange[]> {
  const out: BulkChange[] = []
  const walk = async (x: string, y: string, at: string): Promise<void> => {
    if (x === y) return
    const left = x ? await r.tree(x) : []
    const right = y ? await r.tree(y) : []
    const byName = new Map<string, { old?: RawTreeEntry; new?: RawTreeEntry }>()
    for (const e of left) byName.set(e.name, { old: e })
    for (const e of right) byName.set(e.name, { ...byName.get(e.name), new: e })
    for (const [name, { old, new: now }] of byName) {
      const path = join(at, name)
      if (old && now && old.oid === now.oid && old.mode === now.mode) continue
      const oldTree = old?.type === 'tree' ? old.oid : ''
      const newTree = now?.type === 'tree' ? now.oid : ''
      if (oldTree || newTree) await walk(oldTree, newTree, path)
      const oldBlob = old?.type === 'blob' ? { oid: old.oid, mode: old.mode } : undefined
      const newBlob = now?.type === 'blob' ? { oid: now.oid, mode: now.mode } : undefined
      if (oldBlob || newBlob) out.push({ path, ...(oldBlob ? { old: oldBlob } : {}), ...(newBlob ? { new: newBlob } : {}) })
    }
  }
  await walk(a, b, dir)
  return out.sort((p, q) => byPath(p.path, q.path))
}
