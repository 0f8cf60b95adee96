/** Build a temporary git repository with the real `git` from a small script of commits (for tests and benchmarks). */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** One commit of the script: files to write (`null` deletes), the message, and optionally an author and a tag. */
export interface ScriptCommit {
  files: Record<string, string | null>
  message: string
  author?: { name: string; email: string }
  /** A lightweight tag, or an annotated one (`{ name, message }`). */
  tag?: string | { name: string; message: string }
}

/** What `makeRepo` made: the work tree, and each commit's id in script order. */
export interface MadeRepo {
  dir: string
  commits: string[]
  /** Run git in the repository, returning its trimmed output. */
  git: (...args: string[]) => string
}

const BASE_TIME = Date.UTC(2026, 0, 1) / 1000

/** Run git with a fixed identity and clock, so ids are the same on every run. */
export function runGit(cwd: string, args: string[], at = BASE_TIME, author = { name: 'Test Author', email: 'author@example.com' }, input?: string): string {
  const date = `${at} +0000`
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    input,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: 'Test Committer',
      GIT_COMMITTER_EMAIL: 'committer@example.com',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
    maxBuffer: 1024 * 1024 * 1024,
  }).trim()
}

/**
 * Create a repository at `dir` (branch `main`) and make the commits in order, one minute apart.
 * With `bare`, the result is a bare clone at `dir` (the work tree is made next to it and removed).
 */
export function makeRepo(dir: string, commits: ScriptCommit[], { bare = false }: { bare?: boolean } = {}): MadeRepo {
  const work = bare ? `${dir}.work` : dir
  mkdirSync(work, { recursive: true })
  runGit(work, ['init', '-q', '-b', 'main'])
  runGit(work, ['config', 'commit.gpgsign', 'false'])
  const ids: string[] = []
  commits.forEach((c, i) => {
    const at = BASE_TIME + i * 60
    for (const [path, text] of Object.entries(c.files)) {
      const file = join(work, path)
      if (text === null) rmSync(file, { recursive: true, force: true })
      else {
        mkdirSync(dirname(file), { recursive: true })
        writeFileSync(file, text)
      }
    }
    runGit(work, ['add', '-A'], at)
    runGit(work, ['commit', '-q', '--allow-empty', '-m', c.message], at, c.author)
    ids.push(runGit(work, ['rev-parse', 'HEAD'], at))
    if (typeof c.tag === 'string') runGit(work, ['tag', c.tag], at)
    else if (c.tag) runGit(work, ['tag', '-a', c.tag.name, '-m', c.tag.message], at)
  })
  if (bare) {
    execFileSync('git', ['clone', '-q', '--bare', work, dir])
    rmSync(work, { recursive: true, force: true })
  }
  const at = BASE_TIME + commits.length * 60
  return { dir, commits: ids, git: (...args) => runGit(dir, args, at) }
}
