/**
 * `rollout history` and `rollout undo` when git is the source of truth. History names the commit
 * and subject that produced each revision ("5 (was 2)" for a revision that brought back an older
 * ReplicaSet). `rollout undo deployment/NAME [--to-revision N] --repo PATH` writes a commit that
 * restores the Deployment's document as of revision N, then syncs it: exit 0 when synced, 1 when the
 * rollout failed, 2 when the undo was refused (a dirty work tree, no such revision).
 */
import { ApiServer } from '../../api/api-server.js'
import { loadGitopsState, runSync } from '../../gitops/index.js'
import { rolloutHistoryWithCommits, type RevisionRow } from '../../gitops/revisions/index.js'
import { isUndoError, undoThroughGit } from '../../gitops/undo/index.js'
import { isSourceError, openRepo, type CommitAuthor } from '../../source/git/index.js'
import git from 'isomorphic-git'
import { flag, flagBool, flagRevision, UsageError } from '../args.js'
import { handleOf } from '../../gitops/sync/virtual-cluster.js'
import { withCluster } from '../cluster.js'
import { commandContext, type Context } from '../context.js'
import type { CliIO } from '../io.js'
import { tabwrite } from '../print/tabwriter.js'
import type { Command } from '../run.js'
import { parseResourceArgs } from './get.js'
import { printOutcome, repoCacheDir, requestRemoteSync } from './sync.js'
import { followedSource, sameRepo } from '../daemon-client.js'
import { outcomeView } from '../../gitops/report/index.js'

const FLAGS = [
  { name: 'repo' },
  { name: 'to-revision' },
  { name: 'ref' },
  { name: 'path' },
  { name: 'no-wait', boolean: true },
]

/** `5 (was 2)` for a revision that brought back an older ReplicaSet, else `5`. */
export function revisionLabel(row: RevisionRow): string {
  return row.wasRevision !== undefined ? `${row.revision} (was ${row.wasRevision})` : String(row.revision)
}

/** The subject, naming the reverted commit when the commit was a `git revert`. */
export function subjectLabel(row: RevisionRow): string {
  if (!row.commit) return '<none>'
  const subject = (row.subject ?? '').replace(/\t/g, ' ')
  return row.revertOf ? `${subject} (reverts ${row.revertOf.slice(0, 7)})` : subject || '<none>'
}

/** The output of `rollout history` for `id` (`deployment.apps/NAME`): kubectl's layout, with COMMIT and SUBJECT before CHANGE-CAUSE. */
export function historyTable(id: string, rows: readonly RevisionRow[]): string {
  if (!rows.length) return 'No rollout history found.\n'
  const lines = [
    'REVISION\tCOMMIT\tSUBJECT\tCHANGE-CAUSE',
    ...rows.map((r) => `${revisionLabel(r)}\t${r.commit ? r.commit.slice(0, 7) : '<none>'}\t${subjectLabel(r)}\t${r.changeCause || '<none>'}`),
  ]
  return `${id} \n${tabwrite(lines.join('\n') + '\n', { minWidth: 0, padding: 2 })}\n`
}

/** Whether `rollout` arguments ask for the git undo (they carry --repo). */
export function wantsGitUndo(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--repo' || a.startsWith('--repo='))
}

/** Who commits: GIT_AUTHOR_* / GIT_COMMITTER_*, else the repository's user.name and user.email, else capstan. */
async function identities(io: CliIO, repo: Awaited<ReturnType<typeof openRepo>>): Promise<{ author: CommitAuthor; committer: CommitAuthor }> {
  const cfg = async (path: string) => (await git.getConfig({ fs: repo.fs, gitdir: repo.gitdir, path }).catch(() => undefined)) as string | undefined
  const name = (await cfg('user.name')) ?? 'capstan'
  const email = (await cfg('user.email')) ?? 'capstan@localhost'
  const author = { name: io.env.GIT_AUTHOR_NAME ?? name, email: io.env.GIT_AUTHOR_EMAIL ?? email }
  const committer = { name: io.env.GIT_COMMITTER_NAME ?? author.name, email: io.env.GIT_COMMITTER_EMAIL ?? author.email }
  return { author, committer }
}

/**
 * The branch to commit on: --ref when given (HEAD: the branch checked out); else the branch the
 * last sync of this repository (or the server) followed, so the undo lands where the deployed
 * commits come from, whatever is checked out; a tag synced is no branch to commit on (--ref then);
 * else (nothing synced from here, or a commit synced by its id, as a drift heal does) the branch
 * HEAD is on.
 */
async function branchOf(ctx: Context, repo: Awaited<ReturnType<typeof openRepo>>, lastRef: string | undefined): Promise<string> {
  const ref = flag(ctx.args, 'ref')
  if (ref && ref !== 'HEAD') return ref
  if (ref === undefined && lastRef !== undefined && lastRef !== 'HEAD') {
    const name = lastRef.replace(/^refs\/heads\//, '')
    if ((await git.listBranches({ fs: repo.fs, gitdir: repo.gitdir })).includes(name)) return name
    const tag = lastRef.replace(/^refs\/tags\//, '')
    if ((await git.listTags({ fs: repo.fs, gitdir: repo.gitdir })).includes(tag)) {
      throw new UsageError(`the last sync of ${repo.dir ?? repo.gitdir} was of the tag "${tag}", which is not a branch: name the branch to commit the undo on with --ref`)
    }
  }
  const current = await git.currentBranch({ fs: repo.fs, gitdir: repo.gitdir, ...(repo.dir !== undefined ? { dir: repo.dir } : {}) })
  if (!current) throw new UsageError(`HEAD of ${repo.dir ?? repo.gitdir} is not on a branch: name one with --ref`)
  return current
}

/** `rollout history|undo deployment/NAME …` through git (argv starts with the verb). */
export const rolloutGitCommand: Command = {
  async run(argv, io) {
    const [verb, ...rest] = argv
    if (verb !== 'history' && verb !== 'undo') throw new UsageError(`rollout ${verb ?? ''}: only history and undo go through git`)
    const ctx = commandContext(rest, FLAGS, io)
    try {
      const targets = parseResourceArgs(ctx.args.positionals).flatMap((r) => r.names.map((name) => ({ kind: r.kind, name })))
      if (targets.length !== 1 || targets[0].kind.kind !== 'Deployment') throw new UsageError('name one deployment: deployment/NAME')
      const name = targets[0].name
      if (verb === 'history') {
        const rows = await rolloutHistoryWithCommits(await ctx.client(), ctx.namespace, name)
        io.stdout(historyTable(`deployment.apps/${name}`, rows))
        return 0
      }
      return await undo(ctx, name)
    } catch (err) {
      if (isUndoError(err) || isSourceError(err, 'DirtyWorkTree') || isSourceError(err, 'RefMoved') || isSourceError(err, 'RefNotFound')) {
        io.stderr(`error: ${err.message}\n`)
        return 2
      }
      throw err
    } finally {
      await ctx.close()
    }
  },
}

async function undo(ctx: Context, name: string): Promise<number> {
  const io = ctx.io
  const repoPath = flag(ctx.args, 'repo')
  if (!repoPath) throw new UsageError('required flag "repo" not set')
  const toRevision = flagRevision(ctx.args, 'to-revision')
  const api = await ctx.client()
  const followedSrc = ctx.server ? await followedSource(ctx) : undefined
  const followed = followedSrc?.repo
  if (!ctx.server && !(api instanceof ApiServer)) throw new UsageError('rollout undo --repo needs the embedded state (--state)')
  const repo = await openRepo(repoPath)
  const last = api instanceof ApiServer ? (await loadGitopsState(api.storage)).last : undefined
  const lastHere = last && sameRepo(last.repo, repoPath) ? last : undefined
  const branch = await branchOf(ctx, repo, followedSrc ? (sameRepo(followedSrc.repo, repoPath) ? followedSrc.ref : undefined) : lastHere?.ref)
  const out = await undoThroughGit({ api, repo, namespace: ctx.namespace, name, toRevision, branch, ...(await identities(io, repo)) })
  if (out.commit.changed) io.stdout(`[${branch.replace(/^refs\/heads\//, '')} ${out.commit.oid.slice(0, 7)}] ${out.message}\n`)
  else io.stdout(`${out.file} already has deployment/${name} as at revision ${out.target.revision}: no commit made\n`)
  if (followed) {
    // A running server rolls out what it follows: sync it now when that is this repository,
    // else the commit has to reach it first.
    if (!sameRepo(followed, repoPath)) {
      io.stdout(`${ctx.server} follows ${followed}: push ${branch.replace(/^refs\/heads\//, '')} there to roll back\n`)
      return 0
    }
    return requestRemoteSync(ctx, io, { wait: !flagBool(ctx.args, 'no-wait'), dryRun: false })
  }
  if (!(api instanceof ApiServer)) throw new UsageError('rollout undo --repo needs the embedded state (--state)')
  // Sync the branch with the last sync's path and prune setting (its prune only for its path): the
  // rollout happens as for any commit, recorded as an undo.
  const path = flag(ctx.args, 'path') ?? lastHere?.path
  const samePath = lastHere !== undefined && (path ?? '') === lastHere.path
  const clock = await ctx.clock()
  const outcome = await runSync({
    api,
    source: { repo: repoPath, ref: branch, path, cacheDir: repoCacheDir(ctx) },
    namespace: ctx.namespace,
    ...(samePath ? { prune: lastHere.prune } : {}),
    wait: !flagBool(ctx.args, 'no-wait'),
    trigger: 'undo',
    now: () => clock.now(),
    runCluster: (fn) => withCluster(ctx, ({ manager, clock: c }) => fn(handleOf(manager, c))),
  })
  return printOutcome(outcomeView(outcome), io, false)
}
