/**
 * The render step: the desired objects of a commit — all of them (a full render through the
 * parsed-blob cache), or only those in files that changed since the last synced commit.
 */
import { formatManifestError, type ManifestObject } from '../../source/render/index.js'
import { blobParser, diffTrees, isKustomizationFile, isSourceError, type GitRepo, type ParsedBlobCache } from '../../source/git/index.js'
import { renderTree } from '../../source/render-tree.js'
import { desiredObjects, type DesiredObject, type SourceProblem } from '../desired.js'
import { SyncFailure } from './errors.js'

const MANIFEST_FILE = /\.(ya?ml|json)$/

/** What rendering gives. */
export interface Rendered {
  desired: DesiredObject[]
  /** Whether a kustomization was rendered (such trees are always rendered whole). */
  kustomize: boolean
}

function fail(problems: SourceProblem[]): never {
  throw new SyncFailure(problems.some((p) => p.field === 'kind' || p.text.includes('appears twice') || p.field === 'metadata.name') ? 'ValidationFailed' : 'RenderFailed', `${problems.length} problem(s) in the manifests`, problems)
}

/** Every object under `path` of `commit`; RenderFailed with every parse problem. */
export async function renderAll({ repo, commit, path, cache, namespace }: { repo: GitRepo; commit: string; path: string; cache: ParsedBlobCache; namespace: string }): Promise<Rendered> {
  let tree
  try {
    tree = await renderTree({ repo, commit, path, cache })
  } catch (err) {
    if (isSourceError(err, 'PathNotFound')) return { desired: [], kustomize: false }
    if (isSourceError(err)) throw new SyncFailure(err.code === 'KustomizeMissing' || err.code === 'KustomizeFailed' ? 'RenderFailed' : 'SourceFailed', err.message, [], { cause: err })
    throw err
  }
  const parseProblems: SourceProblem[] = tree.errors.map((e) => ({ file: e.file, line: e.line, doc: e.doc, field: e.field, text: formatManifestError(e) }))
  const { desired, problems } = desiredObjects(tree.objects, namespace)
  if (parseProblems.length || problems.length) fail([...parseProblems, ...problems])
  return { desired, kustomize: tree.objects.some((o) => !MANIFEST_FILE.test(o.file)) }
}

/** The objects of the files that changed between two commits, old and new. */
export interface ChangedObjects {
  /** Objects of the changed files in the new commit. */
  desired: DesiredObject[]
  /** Identities and places of the objects the changed files held in the old commit. */
  old: DesiredObject[]
  /** Paths of the changed files (old or new side). */
  files: Set<string>
  /** A change that an incremental render cannot follow (a kustomization): render everything. */
  needsFull: boolean
}

/** The objects in files under `path` that differ between `from` and `to` (each blob parsed once, through the cache). */
export async function renderChanged({ repo, from, to, path, cache, namespace }: { repo: GitRepo; from: string; to: string; path: string; cache: ParsedBlobCache; namespace: string }): Promise<ChangedObjects> {
  const changes = await diffTrees(repo, from, to, path)
  const out: ChangedObjects = { desired: [], old: [], files: new Set(), needsFull: false }
  const parser = blobParser(repo, cache)
  const regular = (mode: string) => mode === '100644' || mode === '100755'
  const newObjects: ManifestObject[] = []
  const oldObjects: ManifestObject[] = []
  const problems: SourceProblem[] = []
  for (const c of changes) {
    if (isKustomizationFile(c.path)) {
      out.needsFull = true
      return out
    }
    if (!MANIFEST_FILE.test(c.path)) continue
    out.files.add(c.path)
    if (c.oldOid) {
      const p = await parser.parse(c.oldOid, c.path)
      for (const o of p.objects) oldObjects.push({ ...o, file: c.path })
    }
    if (c.newOid && regular(c.mode)) {
      const p = await parser.parse(c.newOid, c.path)
      for (const o of p.objects) newObjects.push({ ...o, file: c.path })
      for (const e of p.errors) problems.push({ file: c.path, line: e.line, doc: e.doc, field: e.field, text: formatManifestError({ ...e, file: c.path }) })
    }
  }
  const fresh = desiredObjects(newObjects, namespace)
  problems.push(...fresh.problems)
  if (problems.length) fail(problems)
  out.desired = fresh.desired
  // The old side was valid when it was synced; what it cannot name is simply not there.
  out.old = desiredObjects(oldObjects, namespace).desired
  return out
}
