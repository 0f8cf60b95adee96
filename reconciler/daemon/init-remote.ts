/** A bare repository a team can push to, ready for `capstan serve --repo DIR`. */
import git from 'isomorphic-git'
import * as fs from 'node:fs'
import { resolve } from 'node:path'

/** Why init-remote refused. */
export class InitRemoteError extends Error {}

/** Creates a bare repository at `dir` whose HEAD is `refs/heads/<branch>` (default main); refuses a non-empty directory. */
export async function initRemote(dir: string, branch = 'main'): Promise<string> {
  const path = resolve(dir)
  if (fs.existsSync(path) && fs.readdirSync(path).length) throw new InitRemoteError(`${dir} exists and is not empty`)
  fs.mkdirSync(path, { recursive: true })
  await git.init({ fs, dir: path, gitdir: path, bare: true, defaultBranch: branch })
  return path
}
