/** Parses global flags, runs one command, and turns every error into a message and exit code 2. */
import { reportError } from './report-error.js'
import type { CliIO } from './io.js'

export interface Command {
  run(argv: string[], io: CliIO): Promise<number>
}

/** Each command's module, loaded on demand so start-up stays fast. */
const commands: Record<string, () => Promise<Command>> = {
  apply: async () => (await import('./commands/apply.js')).applyCommand,
  get: async () => (await import('./commands/get.js')).getCommand,
  describe: async () => (await import('./commands/describe.js')).describeCommand,
  delete: async () => (await import('./commands/delete.js')).deleteCommand,
  create: async () => (await import('./commands/create.js')).createCommand,
  version: async () => (await import('./commands/version.js')).versionCommand,
  scale: async () => (await import('./commands/scale.js')).scaleCommand,
  rollout: async () => (await import('./commands/rollout.js')).rolloutCommand,
  sim: async () => (await import('./commands/sim.js')).simCommand,
  kubeconfig: async () => (await import('./commands/kubeconfig.js')).kubeconfigCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  route: async () => (await import('./commands/route.js')).routeCommand,
  autoscale: async () => (await import('./commands/autoscale.js')).autoscaleCommand,
  sync: async () => (await import('./commands/sync.js')).syncCommand,
  'init-remote': async () => (await import('./commands/init-remote.js')).initRemoteCommand,
  migrate: async () => (await import('./commands/migrate.js')).migrateCommand,
  diff: async () => (await import('./commands/diff.js')).diffCommand,
  drift: async () => (await import('./commands/drift.js')).driftCommand,
  history: async () => (await import('./commands/history.js')).historyCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  'api-resources': async () => (await import('./commands/api-resources.js')).apiResourcesCommand,
}

export const USAGE = `capstan: a GitOps reconciler with an embedded, Kubernetes-style API server.

Usage: capstan COMMAND [flags]

Commands:
  sync --repo PATH|URL [--ref REF] [--path DIR] [--prune] [--allow-empty] [--dry-run] [--no-wait]
                        Make the live state match a commit (waits for rollouts on virtual time);
                        with --server, the running capstan serve syncs what it follows now
  diff --repo PATH --base REF --head REF [--path DIR] [-o text|markdown|json] [--against live]
                        What merging head would change, each object summarized (offline by default)
  drift [--repo PATH] [--ref REF] [-o text|json] [--heal]
                        Live against git: Modified, Missing, Extra, Tolerated (--heal re-syncs)
  drift history [-o json]
                        Every drift scan: time, commit, findings, healed
  history [-o json|yaml]
                        Every sync: commit, subject, time, result, changes
  status [--diff]       The synced commit, each managed object's health, and whether live matches git
  apply -f FILE|DIR|-   Apply manifests (client-side, or --server-side)
  get TYPE [NAME]       Display objects (-o wide|yaml|json|name|jsonpath=…, -l, -n, -A, -w)
  describe TYPE [NAME]  Show details of objects, with their events
  delete TYPE NAME      Delete objects (or -f FILE, -l SELECTOR, --all)
  create configmap|secret NAME
                        Create a ConfigMap or Secret from literals, files or env files
  scale TYPE/NAME --replicas=N
                        Set the replicas of a Deployment or ReplicaSet
  rollout status|history|undo|pause|resume|restart deployment/NAME
                        Manage a Deployment's rollout (status follows it on virtual time;
                        undo --repo PATH writes a git commit that restores the revision, then syncs)
  autoscale TYPE/NAME --max=N [--min=N] [--cpu-percent=N]
                        Create a HorizontalPodAutoscaler for a Deployment or ReplicaSet
  sim load deployment/NAME|pod/NAME --cpu Q|--total-cpu Q|--memory Q|--clear
                        The simulated cpu and memory load the HPA measures
  sim advance DURATION  Move the simulated cluster's virtual clock forward
  sim status            Virtual time and the controllers' pending work
  sim registry add|remove|list
                        The simulated image registry (an unlisted tag of a listed repository fails to pull)
  sim start-delay DURATION
                        How long a pod takes from its node to Running and Ready
  route [--ingress NAME] URL
                        Which Ingress rule, Service and pods serve a URL; whether TLS terminates
  serve [--listen 127.0.0.1:7070] [--token-file F] [--storage etcd://HOST:PORT[,…] --ha]
        [--repo PATH|URL [--ref] [--path] [--prune] [--poll 30s] [--drift-schedule CRON] [--self-heal] [--webhook-secret-file F]]
                        Serve the Kubernetes API over the state, controllers on the wall clock;
                        with --repo, deploy every push (watch, poll, webhooks) and check drift on a schedule;
                        with --ha, replicas on one etcd elect a leader, which alone runs controllers and syncs
  init-remote DIR       Create a bare git repository to push to, ready for serve --repo
  migrate --from SPEC --to SPEC [--force]
                        Copy a state between backends (sqlite:PATH, etcd://HOST:PORT[,…]) and verify it
  kubeconfig [--server URL] [--token-file F]
                        Print a kubeconfig for a running capstan serve
  api-resources         List the kinds the API serves
  version               Print capstan's version

Global flags:
  --state PATH          The embedded state file (env CAPSTAN_STATE; default ~/.capstan/state.db)
  --server URL          Talk to a running capstan serve instead (env CAPSTAN_SERVER); sync, status
                        and drift then ask the server, which scans and syncs what it follows
  --token T, --token-file F
                        The bearer token for --server (env CAPSTAN_TOKEN)
  -n, --namespace NS    The namespace (default "default")
`

/** Runs the command line and returns the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = leadingGlobalsLast(argv)
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(USAGE)
    return name ? 0 : 2
  }
  const load = commands[name]
  if (!load) {
    io.stderr(`error: unknown command "${name}" for "capstan"\nRun 'capstan --help' for usage.\n`)
    return 2
  }
  // `capstan serve --help` (anywhere before `--`): the command's usage, and nothing run or opened.
  const end = rest.indexOf('--')
  if ((end < 0 ? rest : rest.slice(0, end)).some((a) => a === '--help' || a === '-h')) {
    io.stdout(commandUsage(name))
    return 0
  }
  try {
    return await (await load()).run(rest, io)
  } catch (err) {
    reportError(err, io)
    return 2
  }
}

/** The usage of one command: its lines of USAGE (with their continuation lines) and the global flags. */
export function commandUsage(name: string): string {
  const lines = USAGE.split('\n')
  const out: string[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith(`  ${name} `) && lines[i] !== `  ${name}`) continue
    out.push(lines[i])
    while (i + 1 < lines.length && /^ {3,}\S/.test(lines[i + 1])) out.push(lines[++i])
  }
  const globals = USAGE.slice(USAGE.indexOf('Global flags:'))
  return out.length ? `Usage:\n${out.join('\n')}\n\n${globals}` : USAGE
}

/** Global flags that take a value, which kubectl also accepts before the command (`capstan --server URL get pods`). */
const GLOBALS_WITH_VALUE = new Set(['--state', '--server', '--token', '--token-file', '--namespace', '-n'])

/** Moves global flags given before the command to after it, where the command's parser reads them. */
export function leadingGlobalsLast(argv: string[]): string[] {
  const moved: string[] = []
  let i = 0
  while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '-h' && argv[i] !== '--help') {
    const a = argv[i]
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a
    if (!GLOBALS_WITH_VALUE.has(name)) break
    moved.push(a)
    if (!a.includes('=') && i + 1 < argv.length) moved.push(argv[++i])
    i++
  }
  if (!moved.length) return argv
  const [name, ...rest] = argv.slice(i)
  return name === undefined ? argv : [name, ...rest, ...moved]
}
