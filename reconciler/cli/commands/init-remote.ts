/**
 * `capstan init-remote DIR [--branch main]`: creates a bare repository a team can push to (with
 * isomorphic-git: no git installation needed) and prints the next steps.
 */
import { resolve } from 'node:path'
import { initRemote, InitRemoteError } from '../../daemon/init-remote.js'
import { flag, parseArgs, UsageError } from '../args.js'
import type { Command } from '../run.js'

const FLAGS = [{ name: 'branch' }]

export const initRemoteCommand: Command = {
  async run(argv, io) {
    const args = parseArgs(argv, FLAGS)
    if (args.positionals.length !== 1) throw new UsageError('usage: capstan init-remote DIR [--branch main]')
    const dir = args.positionals[0]
    const branch = flag(args, 'branch') ?? 'main'
    if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.includes('..') || branch.startsWith('/') || branch.endsWith('/')) throw new UsageError(`invalid --branch "${branch}"`)
    let path: string
    try {
      path = await initRemote(dir, branch)
    } catch (err) {
      if (err instanceof InitRemoteError) throw new UsageError(err.message)
      throw err
    }
    io.stdout(
      [
        `Initialized empty bare repository in ${path} (default branch ${branch})`,
        '',
        'Next steps:',
        `  git remote add capstan ${resolve(dir)}`,
        `  git push capstan HEAD:${branch}`,
        `  capstan serve --repo ${resolve(dir)}`,
        '',
      ].join('\n'),
    )
    return 0
  },
}
