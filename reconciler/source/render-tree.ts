/** Render the manifests under a path of a commit: plain files through the parse cache, kustomizations through kustomize. */
import { posix } from 'node:path'
import { type ParsedBlob, type ParsedBlobCache } from './git/blob-cache.js'
import { SourceError } from './git/errors.js'
import { findKustomizeCommand, isKustomizationFile, renderKustomization, type KustomizeOptions } from './git/kustomize.js'
import { limiter } from './git/limit.js'
import { blobParser } from './git/parse-blob.js'
import type { GitRepo } from './git/repo.js'
import { bulkReader, listTreeFiles, type BulkReader } from './git/bulk-read.js'
import { byPath, entryAt, normalizePath, type TreeFile } from './git/tree.js'
import type { ManifestError, ManifestObject } from './render/index.js'

/** The extensions read as manifests (case-sensitive, as kubectl). */
const MANIFEST_FILE = /\.(ya?ml|json)$/

/** Options of `renderTree`. */
export interface RenderTreeOptions {
  repo: GitRepo
  /** A commit id (see `resolveRef`), or a tree id. */
  commit: string
  /** The directory (or single file) to render, relative to the repository root; the whole tree by default. */
  path?: string
  cache: ParsedBlobCache
  kustomize?: KustomizeOptions
  /** Blob reads in flight (default 16). */
  concurrency?: number
}

/** The rendered objects of a commit, with every problem found. */
export interface RenderedTree {
  /** In path order, then document order. `file` is the path in the repository (a kustomization's directory for its output). */
  objects: ManifestObject[]
  errors: ManifestError[]
  /** How many files were read as manifests (a kustomization directory counts as one). */
  files: number
}

/** One thing to render, in path order: a manifest file, or a kustomization directory with every file below it. */
type Unit = { kind: 'file'; file: TreeFile } | { kind: 'kustomization'; dir: string; files: TreeFile[] }

/** Split the files into units: the topmost directory holding a kustomization takes every file below it. */
function unitsOf(files: TreeFile[]): Unit[] {
  const dirs = [...new Set(files.filter((f) => isKustomizationFile(f.path)).map((f) => posix.dirname(f.path)).map((d) => (d === '.' ? '' : d)))]
  const inside = (path: string, dir: string) => dir === '' || path.startsWith(`${dir}/`)
  const roots = dirs.filter((d) => !dirs.some((o) => o !== d && inside(d, o))).sort(byPath)
  const byDir = new Map(roots.map((dir) => [dir, { kind: 'kustomization' as const, dir, files: [] as TreeFile[] }]))
  const units: Unit[] = [...byDir.values()]
  const unitOf = (path: string) => {
    for (let d = posix.dirname(path); ; d = posix.dirname(d)) {
      const unit = byDir.get(d === '.' ? '' : d)
      if (unit || d === '.' || d === '/') return unit
    }
  }
  for (const file of files) {
    const unit = unitOf(file.path)
    if (unit) unit.files.push(file)
    // Regular files only: a symbolic link's blob is its target's name, not a manifest.
    else if (MANIFEST_FILE.test(file.path) && (file.mode === '100644' || file.mode === '100755')) units.push({ kind: 'file', file })
  }
  const keyOf = (u: Unit) => (u.kind === 'file' ? u.file.path : u.dir)
  return units.sort((a, b) => byPath(keyOf(a), keyOf(b)))
}

/** Place a parsed blob at `file`. */
function placed(parsed: ParsedBlob, file: string, into: RenderedTree): void {
  for (const o of parsed.objects) into.objects.push(o.item === undefined ? { object: o.object, file, doc: o.doc, line: o.line } : { object: o.object, file, doc: o.doc, line: o.line, item: o.item })
  for (const e of parsed.errors) into.errors.push({ file, ...e })
}

/**
 * Render `*.yaml`, `*.yml` and `*.json` under `path` of `commit`, recursively: multi-document files,
 * empty documents skipped, Lists expanded, each blob read and parsed once through `cache`. A
 * directory with a kustomization is rendered by kustomize as a whole (its files are not read on their
 * own). Objects are shared with the cache: clone one before changing it. Throws PathNotFound,
 * KustomizeMissing and KustomizeFailed (every failing directory in `data.failures`).
 */
export async function renderTree({ repo, commit, path, cache, kustomize, concurrency = 16 }: RenderTreeOptions): Promise<RenderedTree> {
  // Trees and blobs read with zlib straight from the packs (several times faster than through
  // isomorphic-git for thousands of small objects); isomorphic-git reads what that reader lacks.
  const reader = bulkReader(repo)
  const files = await listFilesBulk(repo, reader, commit, normalizePath(path))
  const units = unitsOf(files)
  const kustomizations = units.filter((u) => u.kind === 'kustomization')
  const command = kustomizations.length > 0 ? await findKustomizeCommand(kustomize) : undefined
  if (kustomizations.length > 0 && !command) {
    const dirs = kustomizations.map((u) => u.dir || '.')
    throw new SourceError('KustomizeMissing', `${dirs.join(', ')} holds a kustomization, but neither kustomize nor kubectl is installed to render it`, { dirs })
  }
  const parser = blobParser(repo, cache, { concurrency, readNow: (oid) => reader.blobNow(oid) })
  const kustomizeSlots = limiter(2)
  const failures: Array<{ dir: string; message: string }> = []
  const parsed = await Promise.all(
    units.map(async (u): Promise<ParsedBlob | undefined> => {
      if (u.kind === 'file') return parser.parse(u.file.oid, u.file.path)
      try {
        const timeout = kustomize?.timeoutMs ? { timeoutMs: kustomize.timeoutMs } : {}
        return await kustomizeSlots(() => renderKustomization({ repo, commit, dir: u.dir, files: u.files, command: command as readonly string[], cache, ...timeout }))
      } catch (err) {
        if (!(err instanceof SourceError) || err.code !== 'KustomizeFailed') throw err
        failures.push({ dir: u.dir || '.', message: String(err.data.message ?? err.message) })
        return undefined
      }
    }),
  )
  if (failures.length > 0) {
    const message = failures.map((f) => `${f.dir}: ${f.message}`).join('\n')
    throw new SourceError('KustomizeFailed', `kustomize failed for ${failures.length === 1 ? failures[0].dir : `${failures.length} directories`}: ${message}`, { failures })
  }
  const out: RenderedTree = { objects: [], errors: [], files: units.length }
  units.forEach((u, i) => placed(parsed[i] as ParsedBlob, u.kind === 'file' ? u.file.path : u.dir || '.', out))
  return out
}

/** listFiles (every file under `path`, in path order; PathNotFound when absent), the subtrees read by `reader`. */
async function listFilesBulk(repo: GitRepo, reader: BulkReader, oid: string, at: string): Promise<TreeFile[]> {
  const entry = await entryAt(repo, oid, at)
  if (!entry) throw new SourceError('PathNotFound', `path "${at}" does not exist in ${oid}`, { path: at, oid })
  if (entry.type === 'blob') return [{ path: at, oid: entry.oid, mode: entry.mode }]
  return listTreeFiles(reader, entry.oid, at)
}
