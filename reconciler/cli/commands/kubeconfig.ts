/** `capstan kubeconfig [--server URL] [--token-file F]`: a kubeconfig for kubectl against `capstan serve`. */
import { readFileSync } from 'node:fs'
import { stringify } from 'yaml'
import { UsageError } from '../args.js'
import { commandContext, flag } from '../context.js'
import type { Command } from '../run.js'

/** Where `capstan serve` listens unless told otherwise. */
export const DEFAULT_SERVER = 'http://127.0.0.1:7070'

/** A kubeconfig with cluster, user and context all named `capstan`, and it as the current context. */
export function kubeconfigYaml(o: { server: string; token?: string; namespace?: string }): string {
  const context: Record<string, string> = { cluster: 'capstan', user: 'capstan' }
  if (o.namespace) context.namespace = o.namespace
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'capstan', cluster: { server: o.server } }],
    contexts: [{ name: 'capstan', context }],
    'current-context': 'capstan',
    preferences: {},
    users: [{ name: 'capstan', user: o.token ? { token: o.token } : {} }],
  }
  return stringify(doc)
}

/** `--server` as given, with `http://` added to a bare host:port. */
function serverUrl(s: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`
  try {
    new URL(url)
  } catch {
    throw new UsageError(`invalid --server URL: ${JSON.stringify(s)}`)
  }
  return url
}

export const kubeconfigCommand: Command = {
  async run(argv, io) {
    const ctx = commandContext(argv, [{ name: 'token-file' }], io)
    const tokenFile = flag(ctx.args, 'token-file')
    let token: string | undefined
    if (tokenFile) {
      try {
        token = readFileSync(tokenFile, 'utf8').split('\n').map((l) => l.trim()).find((l) => l !== '')
      } catch (err) {
        throw new UsageError(`cannot read --token-file ${tokenFile}: ${(err as Error).message}`)
      }
      if (!token) throw new UsageError(`--token-file ${tokenFile} holds no token`)
    }
    const server = serverUrl(flag(ctx.args, 'server') ?? DEFAULT_SERVER)
    io.stdout(kubeconfigYaml({ server, token, namespace: ctx.namespaceGiven ? ctx.namespace : undefined }))
    return 0
  },
}
