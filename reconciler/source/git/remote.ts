/** Keep a bare mirror of a remote repository in a cache directory: clone the first time, fetch after. */
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import * as fs from 'node:fs'
import { join } from 'node:path'
import { gitLib } from './git-lib.js'
import { SourceError } from './errors.js'
import { openRepo, type GitRepo } from './repo.js'
import { resolveRef } from './resolve-ref.js'

/** Credentials for a remote: a user name and password, or a token (sent as the password). */
export interface RemoteAuth {
  username?: string
  password?: string
  token?: string
  headers?: Record<string, string>
}

/** Options of `syncRemote`. */
export interface SyncRemoteOptions {
  /** `http://` or `https://` URL of the repository. */
  url: string
  /** The directory mirrors are kept in (one bare repository per URL). */
  cacheDir: string
  /** What to resolve after fetching (a branch, tag or sha); the remote's default branch by default. */
  ref?: string
  auth?: RemoteAuth
  /** A handle from an earlier call for the same URL, to keep its caches. */
  repo?: GitRepo
}

/** The mirror after fetching, and the commit `ref` names there. */
export interface SyncRemoteResult {
  repo: GitRepo
  oid: string
  /** The remote's default branch, when it says. */
  defaultBranch?: string
}

/** The URL without user name or password, for messages and directory names. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    u.username = ''
    u.password = ''
    return u.toString()
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//')
  }
}

/** The mirror's directory for `url`: readable, and unique by a hash of the URL. */
export function mirrorDir(cacheDir: string, url: string): string {
  const clean = redactUrl(url)
  const slug = clean.replace(/^[a-z]+:\/\//, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.git$/, '').slice(-60)
  return join(cacheDir, `${slug}-${createHash('sha1').update(clean).digest('hex').slice(0, 12)}.git`)
}

/**
 * Clone (the first time) or fetch (later) `url` into a bare mirror under `cacheDir`: every branch
 * (as local branches, so `resolveRef` finds `main`) and tag. Returns the repository and the commit
 * of `ref`. Network and authentication failures are FetchFailed; an unknown ref is RefNotFound.
 */
export async function syncRemote({ url, cacheDir, ref, auth, repo: previous }: SyncRemoteOptions): Promise<SyncRemoteResult> {
  const gitdir = mirrorDir(cacheDir, url)
  if (!fs.existsSync(join(gitdir, 'HEAD'))) {
    await mkdir(gitdir, { recursive: true })
    await (await gitLib()).init({ fs, gitdir, bare: true, defaultBranch: 'main' })
    await (await gitLib()).setConfig({ fs, gitdir, path: 'remote.origin.url', value: redactUrl(url) })
    await (await gitLib()).setConfig({ fs, gitdir, path: 'remote.origin.fetch', value: '+refs/heads/*:refs/remotes/origin/*' })
  }
  const repo = previous?.gitdir === gitdir ? previous : await openRepo(gitdir)
  const onAuth = auth && (auth.username !== undefined || auth.password !== undefined || auth.token !== undefined)
    ? () => ({ username: auth.username ?? (auth.token ? 'x-access-token' : undefined), password: auth.password ?? auth.token })
    : undefined
  let fetched
  try {
    fetched = await (await gitLib()).fetch({
      fs,
      http: (await import('isomorphic-git/http/node')).default,
      gitdir,
      cache: repo.cache,
      url,
      remote: 'origin',
      singleBranch: false,
      tags: true,
      prune: true,
      ...(onAuth ? { onAuth, onAuthFailure: () => ({ cancel: true }) } : {}),
      ...(auth?.headers ? { headers: auth.headers } : {}),
    })
  } catch (err) {
    throw new SourceError('FetchFailed', `cannot fetch ${redactUrl(url)}: ${(err as Error).message}`, { url: redactUrl(url) }, { cause: err })
  }
  repo.refresh()
  // Mirror the remote's branches as local ones, and HEAD as its default branch.
  const branches = await (await gitLib()).listBranches({ fs, gitdir, remote: 'origin' })
  for (const b of branches) {
    if (b === 'HEAD') continue
    const oid = await (await gitLib()).resolveRef({ fs, gitdir, ref: `refs/remotes/origin/${b}` })
    await (await gitLib()).writeRef({ fs, gitdir, ref: `refs/heads/${b}`, value: oid, force: true })
  }
  const defaultBranch = fetched.defaultBranch?.replace(/^refs\/heads\//, '') ?? undefined
  if (defaultBranch && branches.includes(defaultBranch)) {
    await (await gitLib()).writeRef({ fs, gitdir, ref: 'HEAD', value: `refs/heads/${defaultBranch}`, symbolic: true, force: true })
  }
  const oid = await resolveRef(repo, ref ?? 'HEAD')
  return { repo, oid, ...(defaultBranch ? { defaultBranch } : {}) }
}
