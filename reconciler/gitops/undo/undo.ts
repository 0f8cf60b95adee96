/**
 * `rollout undo --repo`: git stays the source of truth, so an undo is a commit. It finds the commit
 * whose sync produced the revision, takes the Deployment's document from that commit's file, puts it
 * in place of the current one (nothing else in the file changes), and commits that on the branch.
 * The caller then syncs the new commit; a later sync keeps it, since it is what git says.
 */
import type { ApiClient } from '../../api/client.js'
import { REVISION_ANNOTATION, type DeploymentObject } from '../../controllers/deployment/types.js'
import { commitFile, entryAt, resolveRef, type CommitAuthor, type CommitFileResult, type GitRepo } from '../../source/git/index.js'
import { readBlobBytes } from '../../source/git/read-blob.js'
import { SOURCE_ANNOTATION } from '../labels.js'
import { rolloutHistoryWithCommits } from '../revisions/history.js'
import { UndoError } from './errors.js'
import { findRevision, undoMessage, type CommittedRevision } from './find-revision.js'
import { restoreDocument } from './restore-document.js'

/** Options of `undoThroughGit`. */
export interface UndoOptions {
  api: ApiClient
  repo: GitRepo
  namespace: string
  name: string
  /** The revision to go back to; 0 or absent: the one before the current revision. */
  toRevision?: number
  /** The branch to commit on (`main` or `refs/heads/main`). */
  branch: string
  author: CommitAuthor
  committer?: CommitAuthor
}

/** What an undo did: the revision and commit it restored, the file, and the commit it wrote (changed false: the file already had it). */
export interface UndoOutcome {
  target: CommittedRevision
  file: string
  message: string
  commit: CommitFileResult
}

async function fileAt(repo: GitRepo, commit: string, file: string): Promise<string | undefined> {
  const entry = await entryAt(repo, commit, file)
  if (entry?.type !== 'blob') return undefined
  return Buffer.from(await readBlobBytes(repo, entry.oid, file)).toString('utf8')
}

/** Writes the commit that restores the Deployment's document as of revision `toRevision`. */
export async function undoThroughGit(o: UndoOptions): Promise<UndoOutcome> {
  const { api, repo, namespace, name } = o
  const d = (await api.get('deployments', namespace, name)) as DeploymentObject
  const rows = await rolloutHistoryWithCommits(api, namespace, name)
  const current = Number(d.metadata.annotations?.[REVISION_ANNOTATION]) || undefined
  const target = findRevision(rows, current, o.toRevision ?? 0)
  const liveFile = d.metadata.annotations?.[SOURCE_ANNOTATION]
  const oldFile = target.file ?? liveFile
  const file = liveFile ?? target.file
  if (!oldFile || !file) throw new UndoError('DocumentNotFound', `deployment "${name}" names no source file (${SOURCE_ANNOTATION}): it is not managed by a sync`, { name })
  // A sync of a kustomization names its directory: the Deployment is kustomize's output, not a document in a file.
  for (const [commit, path] of [[target.commit, oldFile], [await resolveRef(repo, o.branch), file]] as const) {
    if ((await entryAt(repo, commit, path))?.type === 'tree') {
      throw new UndoError('RenderedByKustomize', `deployment "${name}" is rendered by kustomize from ${path}/: rollout undo --repo restores a document of a YAML file; revert the commit that changed it (git revert) and sync instead`, { name, path })
    }
  }
  const previous = await fileAt(repo, target.commit, oldFile)
  if (previous === undefined) throw new UndoError('DocumentNotFound', `${oldFile} is not in commit ${target.commit.slice(0, 7)}`, { file: oldFile, commit: target.commit })
  const tip = await resolveRef(repo, o.branch)
  const now = await fileAt(repo, tip, file)
  if (now === undefined) throw new UndoError('DocumentNotFound', `${file} is not on ${o.branch} any more`, { file, branch: o.branch })
  const match = { kind: 'Deployment', name, namespace, defaultNamespace: namespace }
  const { text } = restoreDocument({ current: now, previous, match, files: { current: file, previous: oldFile } })
  const message = `${undoMessage(name, target)}\n\nRestores the Deployment's document in ${file} as of commit ${target.commit}.\n`
  const commit = await commitFile({ repo, branch: o.branch, path: file, content: text, message, author: o.author, ...(o.committer ? { committer: o.committer } : {}) })
  return { target, file, message: undoMessage(name, target), commit }
}
