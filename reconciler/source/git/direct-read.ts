/**
 * Objects read by the direct reader (raw-objects.ts: node's zlib, no isomorphic-git overhead)
 * when it can, as isomorphic-git would give them; undefined whenever it cannot or the object is
 * anything unusual, and the caller asks isomorphic-git, with its checks and errors. A one-shot
 * command reads a few commits and trees: through isomorphic-git each first read loads its pack
 * index into a map and inflates with pako, tens of milliseconds in a fresh process.
 */
import type { CommitObject } from 'isomorphic-git'
import { rawObjectReader, type RawObject } from './raw-objects.js'
import type { GitRepo } from './repo.js'

/** Object `oid` from the repository's direct reader (opened on first use), or undefined. */
export function directObject(repo: GitRepo, oid: string): RawObject | undefined {
  try {
    return (repo.raw ??= rawObjectReader(repo.gitdir)).read(oid)
  } catch {
    return undefined // a damaged or unexpected pack entry: isomorphic-git says what is wrong
  }
}

/** The ids of the objects the direct reader finds that start with `prefix` (undefined: it cannot say). */
export function directMatches(repo: GitRepo, prefix: string): string[] | undefined {
  try {
    return (repo.raw ??= rawObjectReader(repo.gitdir)).matching(prefix)
  } catch {
    return undefined
  }
}

/** The object an annotated tag points at, from its content. */
export function tagTarget(data: Buffer): string | undefined {
  const m = /^object ([0-9a-f]{40})\n/.exec(data.toString('latin1', 0, 48))
  return m?.[1]
}

/**
 * A commit's content parsed as isomorphic-git's readCommit parses it (GitCommit): `tree` first,
 * the `parent` lines right after it, the first of each other header (kept by name), author and committer split
 * into name, email, time and offset, the message after the first blank line with carriage returns
 * and outer blank lines taken out. Undefined for anything it would treat otherwise.
 */
export function parseCommit(data: Buffer): CommitObject | undefined {
  const text = data.toString('utf8')
  const end = text.indexOf('\n\n')
  if (end < 0) return undefined
  const headers: string[] = []
  for (const h of text.slice(0, end).split('\n')) {
    if (h[0] === ' ') {
      if (!headers.length) return undefined
      headers[headers.length - 1] += `\n${h.slice(1)}`
    } else headers.push(h)
  }
  const keyOf = (h: string): string => h.slice(0, h.indexOf(' '))
  const valueOf = (h: string): string => h.slice(h.indexOf(' ') + 1)
  if (!headers.length || keyOf(headers[0]) !== 'tree') return undefined
  const parent: string[] = []
  let i = 1
  for (; i < headers.length && keyOf(headers[i]) === 'parent'; i++) parent.push(valueOf(headers[i]))
  const rest = new Map<string, string>()
  for (; i < headers.length; i++) if (!rest.has(keyOf(headers[i]))) rest.set(keyOf(headers[i]), valueOf(headers[i]))
  const author = signatureOf(rest.get('author'))
  const committer = signatureOf(rest.get('committer'))
  if (!author || !committer) return undefined
  // Every other header is kept under its name (`gpgsig`, `encoding`, …), as isomorphic-git keeps them.
  const out: Record<string, unknown> = Object.fromEntries(rest)
  Object.assign(out, { message: normalizeNewlines(text.slice(end + 2)), tree: valueOf(headers[0]), parent, author, committer })
  return out as CommitObject
}

/** `Name <email> 1700000000 +0100` as isomorphic-git keeps it (its offset in minutes behind UTC). */
function signatureOf(s: string | undefined): CommitObject['author'] | undefined {
  const m = s === undefined ? null : /^(.*) <(.*)> (.*) (.*)$/.exec(s)
  const tz = m && /(\+|-)(\d\d)(\d\d)/.exec(m[4])
  if (!m || !tz) return undefined
  const minutes = (tz[1] === '+' ? 1 : -1) * (Number(tz[2]) * 60 + Number(tz[3]))
  return { name: m[1], email: m[2], timestamp: Number(m[3]), timezoneOffset: minutes === 0 ? minutes : -minutes }
}

function normalizeNewlines(s: string): string {
  return `${s.replace(/\r/g, '').replace(/^\n+/, '').replace(/\n+$/, '')}\n`
}
