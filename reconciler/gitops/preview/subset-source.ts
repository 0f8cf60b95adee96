/** The source side of a subset preview: both commits resolved, and the objects of the files that differ on each side. */
import { isKustomizationFile, entryAt, normalizePath, openRepo, readCommit, resolveRef } from '../../source/git/index.js'
import type { BulkChange, BulkReader } from '../../source/git/bulk-read.js'
import type { ManifestObject } from '../../source/render/index.js'
import { desiredObjects, type DesiredObject } from '../desired.js'
import { isRemote, resolveSource, type ResolvedSource } from '../sync/source.js'
import { parseFile } from './context-scan.js'
import type { PreviewOptions } from './preview.js'

const MANIFEST_FILE = /\.(ya?ml|json)$/

/** Whether the render step reads `path` with `mode` as a manifest (a regular file named .yaml, .yml or .json). */
export const isManifest = (path: string, mode: string): boolean => MANIFEST_FILE.test(path) && (mode === '100644' || mode === '100755')

/** Whether any of `paths` is a kustomization (kustomize renders a directory as a whole). */
export const hasKustomization = (paths: Iterable<string>): boolean => [...paths].some((p) => isKustomizationFile(p))

/** Base and head as the source step resolves them; a local repository is opened once for both (its pack index read once). */
export async function resolveBoth(o: PreviewOptions): Promise<[ResolvedSource, ResolvedSource]> {
  if (isRemote(o.repo)) {
    return [await resolveSource({ repo: o.repo, ref: o.base, path: o.path, cacheDir: o.cacheDir }), await resolveSource({ repo: o.repo, ref: o.head, path: o.path, cacheDir: o.cacheDir })]
  }
  const repo = await openRepo(o.repo)
  const path = normalizePath(o.path)
  const one = async (ref: string): Promise<ResolvedSource> => {
    const commit = await readCommit(repo, await resolveRef(repo, ref))
    const entry = await entryAt(repo, commit.oid, path)
    return { repo, ref, path, commit, tree: entry?.oid ?? '' }
  }
  return [await one(o.base ?? 'HEAD'), await one(o.head)]
}

/** Whether the source's path is a directory (or absent), not a file. */
export async function treeIsDir(r: BulkReader, src: ResolvedSource): Promise<boolean> {
  return !src.tree || (await r.typeOf(src.tree)) === 'tree'
}

/** The objects of the files that differ, each side, or undefined when a side has a problem. */
export async function changedObjects(r: BulkReader, changes: readonly BulkChange[], namespace: string): Promise<{ base: DesiredObject[]; head: DesiredObject[] } | undefined> {
  const oldObjects: ManifestObject[] = []
  const newObjects: ManifestObject[] = []
  for (const c of changes) {
    for (const [side, into] of [[c.old, oldObjects], [c.new, newObjects]] as const) {
      if (!side || !isManifest(c.path, side.mode)) continue
      const parsed = parseFile((await r.blob(side.oid)).toString('utf8'), c.path)
      if (parsed.problems) return undefined
      into.push(...parsed.objects)
    }
  }
  const base = desiredObjects(oldObjects, namespace)
  const head = desiredObjects(newObjects, namespace)
  if (base.problems.length || head.problems.length) return undefined
  return { base: base.desired, head: head.desired }
}
