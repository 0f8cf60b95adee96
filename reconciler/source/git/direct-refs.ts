/**
 * Refs read directly from the git directory — loose ref files, then `packed-refs` — as
 * isomorphic-git's expandRef and resolveRef read them, so that resolving a branch or HEAD does
 * not load isomorphic-git (see git-lib.ts). Undefined whenever a name is not found this way or
 * anything is unusual (a name that leaves the git directory, a value that is neither an id nor a
 * symbolic ref, a chain too long): the caller asks isomorphic-git, with its rules and errors.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { GitRepo } from './repo.js'

const ID = /^[0-9a-f]{40}$/

/** The names a short ref name may stand for, in the order git tries them. */
const candidates = (ref: string): string[] => [ref, `refs/${ref}`, `refs/tags/${ref}`, `refs/heads/${ref}`, `refs/remotes/${ref}`, `refs/remotes/${ref}/HEAD`]

/** The git directory's own files, never refs (isomorphic-git skips them too). */
const GIT_FILES = new Set(['config', 'description', 'index', 'shallow', 'commondir'])

/** A name that stays inside the git directory and is not one of its own files (git's own check refuses these too). */
const safe = (name: string): boolean => name !== '' && !GIT_FILES.has(name) && !name.startsWith('/') && !name.split('/').includes('..') && !/[\\\0]/.test(name)

/** The content of the loose ref file `name`, trimmed; undefined when there is no such file. */
async function loose(repo: GitRepo, name: string): Promise<string | undefined> {
  try {
    return (await readFile(join(repo.gitdir, name), 'utf8')).trim()
  } catch {
    return undefined
  }
}

/** The packed refs by name (read afresh: another process may pack or push meanwhile). */
async function packed(repo: GitRepo): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  let text: string
  try {
    text = await readFile(join(repo.gitdir, 'packed-refs'), 'utf8')
  } catch {
    return out
  }
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('^')) continue
    const sp = line.indexOf(' ')
    if (sp === 40) out.set(line.slice(41).trim(), line.slice(0, 40))
  }
  return out
}

/** The full name `ref` expands to (the first of git's candidates that is a loose or packed ref). */
export async function expandRefDirect(repo: GitRepo, ref: string): Promise<string | undefined> {
  if (!safe(ref)) return undefined
  let refs: Map<string, string> | undefined
  for (const name of candidates(ref)) {
    if (GIT_FILES.has(name)) continue
    if ((await loose(repo, name)) !== undefined) return name
    if ((refs ??= await packed(repo)).has(name)) return name
  }
  return undefined
}

/** The object id the full ref name `name` points at, following symbolic refs. */
export async function resolveRefDirect(repo: GitRepo, name: string, depth = 5): Promise<string | undefined> {
  if (!safe(name) || depth < 0) return undefined
  const value = (await loose(repo, name)) ?? (await packed(repo)).get(name)
  if (value === undefined) return undefined
  if (ID.test(value)) return value
  if (value.startsWith('ref: ')) return resolveRefDirect(repo, value.slice(5).trim(), depth - 1)
  return undefined
}
