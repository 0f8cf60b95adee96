/**
 * `capstan serve [--listen 127.0.0.1:7070] [--token-file F] [--log-requests]`: the Kubernetes REST
 * API over the embedded state, with the controllers on the wall clock, until SIGTERM or SIGINT.
 * `--storage etcd://HOST:PORT[,…] --ha` makes it one of several replicas on one etcd: they elect a
 * leader, which alone runs the controllers and syncs; a replica that loses leadership logs
 * `leader-lost` and exits with code 1, for its supervisor to restart it as a follower.
 * With `--repo PATH|URL [--ref] [--path] [--prune] [--poll 30s] [--drift-schedule CRON] [--self-heal]
 * [--webhook-secret-file F] [--health-timeout 2m]` it is the push-to-deploy daemon (reconciler/daemon).
 * Logs one JSON line per event to stderr; the `listening` line carries the URL (and the real port
 * when `--listen` asks for port 0).
 */
import { readFileSync } from 'node:fs'
import { ListenError, parseTokens } from '../../server/listen-address.js'
import { Cron } from 'croner'
import { parseDuration } from '../../daemon/duration.js'
import { startDaemon } from '../../daemon/daemon.js'
import { startServe } from '../../server/start-serve.js'
import { flag, flagBool, UsageError } from '../args.js'
import { commandContext, statePath } from '../context.js'
import type { CliIO } from '../io.js'
import type { Command } from '../run.js'

const FLAGS = [
  { name: 'listen' },
  { name: 'token-file' },
  { name: 'log-requests', boolean: true },
  { name: 'repo' },
  { name: 'ref' },
  { name: 'path' },
  { name: 'prune', boolean: true },
  { name: 'poll' },
  { name: 'drift-schedule' },
  { name: 'self-heal', boolean: true },
  { name: 'webhook-secret-file' },
  { name: 'health-timeout' },
  { name: 'storage' },
  { name: 'ha', boolean: true },
]

/** The exit code of a replica that lost leadership (its supervisor restarts it as a follower). */
export const LOST_LEADERSHIP_EXIT = 1

/** A duration flag in milliseconds (undefined when not given); a usage error when it does not parse. */
function durationFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const ms = parseDuration(value)
  if (ms === undefined) throw new UsageError(`invalid --${name} "${value}": a duration such as 500ms, 30s, 5m`)
  return ms
}

/** The webhook secret of a file (trimmed); a missing or empty file is a usage error. */
function readSecretFile(path: string): string {
  let text: string
  try {
    text = readFileSync(path, 'utf8').trim()
  } catch (err) {
    throw new UsageError(`cannot read --webhook-secret-file ${path}: ${(err as Error).message}`)
  }
  if (!text) throw new UsageError(`--webhook-secret-file ${path} is empty`)
  return text
}

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
    let handle: { close(): Promise<void> }
    const repo = flag(ctx.args, 'repo')
    const storage = flag(ctx.args, 'storage')
    const explicitState = flag(ctx.args, 'state')
    if (storage !== undefined && explicitState !== undefined && storage !== explicitState) {
      throw new UsageError('--storage and --state name the same thing: give one of them')
    }
    const state = storage ?? statePath(ctx.args, io)
    const ha = flagBool(ctx.args, 'ha')
    if (ha && !state.startsWith('etcd://')) {
      throw new UsageError(`--ha needs a state that replicas share: --storage etcd://HOST:PORT[,HOST:PORT…] (not ${JSON.stringify(state)})`)
    }
    const base = {
      state,
      listen: flag(ctx.args, 'listen'),
      tokens: tokenFile ? readTokenFile(tokenFile) : undefined,
      logRequests: flagBool(ctx.args, 'log-requests'),
      log,
      ...(ha
        ? {
            ha: {
              // Stop at once: the leader-lost line is written; whatever this replica was running
              // (a sync half-way, a reconcile) ends with the process, and the new leader redoes it.
              onStoppedLeading: () => process.exit(LOST_LEADERSHIP_EXIT),
            },
          }
        : {}),
    }
    if (!repo) {
      for (const f of ['ref', 'path', 'prune', 'poll', 'drift-schedule', 'self-heal', 'webhook-secret-file', 'health-timeout']) {
        if (ctx.args.flags.has(f)) throw new UsageError(`--${f} needs --repo`)
      }
    }
    const schedule = flag(ctx.args, 'drift-schedule')
    if (schedule) {
      try {
        new Cron(schedule, { paused: true }).stop()
      } catch (err) {
        throw new UsageError(`invalid --drift-schedule "${schedule}": ${(err as Error).message}`)
      }
    } else if (flagBool(ctx.args, 'self-heal')) throw new UsageError('--self-heal needs --drift-schedule')
    const secretFile = flag(ctx.args, 'webhook-secret-file')
    try {
      handle = repo
        ? await startDaemon({
            ...base,
            repo,
            ref: flag(ctx.args, 'ref'),
            path: flag(ctx.args, 'path'),
            prune: flagBool(ctx.args, 'prune'),
            namespace: ctx.namespaceGiven ? ctx.namespace : undefined,
            pollMs: durationFlag(flag(ctx.args, 'poll'), 'poll'),
            driftSchedule: schedule,
            selfHeal: flagBool(ctx.args, 'self-heal'),
            webhookSecret: secretFile ? readSecretFile(secretFile) : undefined,
            healthTimeoutMs: durationFlag(flag(ctx.args, 'health-timeout'), 'health-timeout'),
          })
        : await startServe(base)
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
