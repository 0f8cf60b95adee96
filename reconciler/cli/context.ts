/** The flags every command shares, and opening the API the command talks to. */
import { mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import type { ApiClient } from '../api/client.js'
import type { LocalClient } from '../api/local-client.js'
import type { VirtualClock } from '../controllers/runtime/virtual-clock.js'
import { flag, flagBool, parseArgs, UsageError, type FlagSpec, type ParsedArgs } from './args.js'
import type { CliIO } from './io.js'

/** Flags every command accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'state' },
  { name: 'server' },
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
  /** Opens the API (the embedded state named by --state / CAPSTAN_STATE). */
  client(): Promise<ApiClient>
  /** The state's virtual clock (opens the state). */
  clock(): Promise<VirtualClock>
  /** Closes the API if the command opened it. */
  close(): Promise<void>
}

/** Where the embedded state lives unless told: `~/.capstan/state.db`, like kubectl's ~/.kube. */
export function statePath(args: ParsedArgs, io: CliIO): string {
  return flag(args, 'state') ?? io.env.CAPSTAN_STATE ?? join(io.env.HOME ?? homedir(), '.capstan', 'state.db')
}

/** Parses a command's flags together with the global ones. */
export function commandContext(argv: string[], specs: FlagSpec[], io: CliIO): Context {
  const args = parseArgs(argv, [...GLOBAL_FLAGS, ...specs])
  const ns = flag(args, 'namespace')
  let opened: Promise<{ client: LocalClient; clock: VirtualClock }> | undefined
  const open = (): Promise<{ client: LocalClient; clock: VirtualClock }> =>
    (opened ??= (async () => {
      if (flag(args, 'server')) throw new UsageError('--server needs a running `capstan serve` (the HTTP API arrives with `capstan serve`)')
      const path = statePath(args, io)
      if (!path.startsWith('memory:')) mkdirSync(dirname(path.replace(/^sqlite:/, '')), { recursive: true })
      const [{ openStorage }, { LocalClient }, { loadStateClock }] = await Promise.all([
        import('../storage/open-storage.js'),
        import('../api/local-client.js'),
        import('../controllers/state-clock.js'),
      ])
      const storage = openStorage(path)
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
    client: async () => (await open()).client,
    clock: async () => (await open()).clock,
    close: async () => {
      if (opened) await opened.then(({ client }) => client.close(), () => undefined)
    },
  }
}

export { flag, flagBool }
