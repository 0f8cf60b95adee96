/**
 * `capstan serve [--listen 127.0.0.1:7070] [--token-file F] [--log-requests]`: the Kubernetes REST
 * API over the embedded state, with the controllers on the wall clock, until SIGTERM or SIGINT.
 * Logs one JSON line per event to stderr; the `listening` line carries the URL (and the real port
 * when `--listen` asks for port 0).
 */
import { readFileSync } from 'node:fs'
import { ListenError, parseTokens } from '../../server/listen-address.js'
import { startServe, type ServeHandle } from '../../server/start-serve.js'
import { flag, flagBool, UsageError } from '../args.js'
import { commandContext, statePath } from '../context.js'
import type { CliIO } from '../io.js'
import type { Command } from '../run.js'

const FLAGS = [{ name: 'listen' }, { name: 'token-file' }, { name: 'log-requests', boolean: true }]

/** The tokens of a token file (one per line); a missing or empty file is a usage error. */
export function readTokenFile(path: string): string[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read --token-file ${path}: ${(err as Error).message}`)
  }
  const tokens = parseTokens(text)
  if (!tokens.length) throw new UsageError(`--token-file ${path} holds no token (one token per line)`)
  return tokens
}

export const serveCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, FLAGS, io)
    if (ctx.args.positionals.length) throw new UsageError(`Unexpected args: [${ctx.args.positionals.join(' ')}]`)
    if (flag(ctx.args, 'server')) throw new UsageError('capstan serve runs the server; --server names one to talk to')
    const tokenFile = flag(ctx.args, 'token-file')
    const log = (line: Record<string, unknown>): void => io.stderr(JSON.stringify({ time: new Date().toISOString(), ...line }) + '\n')
    let handle: ServeHandle
    try {
      handle = await startServe({
        state: statePath(ctx.args, io),
        listen: flag(ctx.args, 'listen'),
        tokens: tokenFile ? readTokenFile(tokenFile) : undefined,
        logRequests: flagBool(ctx.args, 'log-requests'),
        log,
      })
    } catch (err) {
      if (err instanceof ListenError) throw new UsageError(err.message)
      throw err
    }
    await stopRequested(io)
    await handle.close()
    return 0
  },
}

/** Resolves on SIGTERM or SIGINT (or when `io.signal` aborts). */
function stopRequested(io: CliIO): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done)
      process.off('SIGTERM', done)
      resolve()
    }
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
    if (io.signal) {
      if (io.signal.aborted) done()
      else io.signal.addEventListener('abort', done, { once: true })
    }
  })
}
