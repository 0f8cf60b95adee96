/** The flags every command shares, and opening the API the command talks to. */
import { mkdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import type { ApiClient } from '../api/client.js'
import type { VirtualClock } from '../controllers/runtime/virtual-clock.js'
import { flag, flagBool, parseArgs, UsageError, type FlagSpec, type ParsedArgs } from './args.js'
import type { CliIO } from './io.js'

/** Flags every command accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'state' },
  { name: 'server' },
  { name: 'token' },
  { name: 'token-file' },
  { name: 'namespace', short: 'n' },
  { name: 'help', short: 'h', boolean: true },
]

export interface Context {
  args: ParsedArgs
  io: CliIO
  /** The namespace the command addresses (`-n`, default `default`). */
  namespace: string
  /** Whether `-n` was given explicitly. */
  namespaceGiven: boolean
  /** The running `capstan serve` the command talks to (--server or CAPSTAN_SERVER), if any. */
  server: string | undefined
  /** Opens the API: an HttpClient with --server, else the embedded state named by --state / CAPSTAN_STATE. */
  client(): Promise<ApiClient>
  /**
   * The state's virtual clock (opens the state). With --server: a clock standing at the wall
   * clock's now, for ages in tables; the server's controllers run on their own wall clock.
   */
  clock(): Promise<VirtualClock>
  /** Closes the API if the command opened it. */
  close(): Promise<void>
}

/** Where the embedded state lives unless told: `~/.capstan/state.db`, like kubectl's ~/.kube. */
export function statePath(args: ParsedArgs, io: CliIO): string {
  return flag(args, 'state') ?? io.env.CAPSTAN_STATE ?? join(io.env.HOME ?? homedir(), '.capstan', 'state.db')
}

/** `--server` as given, with `http://` added to a bare host:port. */
export function serverUrl(s: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`
  try {
    new URL(url)
  } catch {
    throw new UsageError(`invalid --server URL: ${JSON.stringify(s)}`)
  }
  return url.replace(/\/+$/, '')
}

/** The bearer token: --token, else the first line of --token-file, else CAPSTAN_TOKEN. */
export function bearerToken(args: ParsedArgs, io: CliIO): string | undefined {
  const file = flag(args, 'token-file')
  if (file) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new UsageError(`cannot read --token-file ${file}: ${(err as Error).message}`)
    }
    const token = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#'))
    if (!token) throw new UsageError(`--token-file ${file} holds no token`)
    return token
  }
  return flag(args, 'token') ?? io.env.CAPSTAN_TOKEN
}

/** Parses a command's flags together with the global ones. */
export function commandContext(argv: string[], specs: FlagSpec[], io: CliIO): Context {
  const args = parseArgs(argv, [...GLOBAL_FLAGS, ...specs])
  const ns = flag(args, 'namespace')
  const serverFlag = flag(args, 'server') ?? io.env.CAPSTAN_SERVER
  const server = serverFlag ? serverUrl(serverFlag) : undefined
  let opened: Promise<{ client: ApiClient; clock: VirtualClock }> | undefined
  const open = (): Promise<{ client: ApiClient; clock: VirtualClock }> =>
    (opened ??= (async () => {
      if (server) {
        const [{ HttpClient }, { VirtualClock }] = await Promise.all([import('../api/http-client.js'), import('../controllers/runtime/virtual-clock.js')])
        return { client: new HttpClient({ server, token: bearerToken(args, io) }), clock: new VirtualClock(new Date()) }
      }
      const path = statePath(args, io)
      if (!path.startsWith('memory:')) mkdirSync(dirname(path.replace(/^sqlite:/, '')), { recursive: true })
      const [{ openStorageAsync }, { LocalClient }, { loadStateClock }] = await Promise.all([
        import('../storage/open-storage.js'),
        import('../api/local-client.js'),
        import('../controllers/state-clock.js'),
      ])
      const storage = await openStorageAsync(path)
      const clock = await loadStateClock(storage)
      const client = new LocalClient({ storage, now: () => clock.now() })
      await client.bootstrap()
      return { client, clock }
    })())
  return {
    args,
    io,
    namespace: ns || 'default',
    namespaceGiven: ns !== undefined,
    server,
    client: async () => (await open()).client,
    clock: async () => (await open()).clock,
    close: async () => {
      if (opened) await opened.then(({ client }) => client.close(), () => undefined)
    },
  }
}

export { flag, flagBool }
