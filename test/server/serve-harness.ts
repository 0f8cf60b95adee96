/** `capstan serve` in process (port 0, a temporary sqlite state, controllers on the wall clock) and kubectl against it. */
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HttpClient } from '../../reconciler/api/http-client.js'
import { kubeconfigYaml } from '../../reconciler/cli/commands/kubeconfig.js'
import { readSimConfig, writeSimConfig } from '../../reconciler/controllers/sim/index.js'
import { startServe, type ServeHandle, type ServeOptions } from '../../reconciler/server/start-serve.js'
import { eventually as poll } from '../helpers/eventually.js'
import { tempDir } from '../helpers/tmp.js'

export interface ServeHarness {
  serve: ServeHandle
  url: string
  dir: string
  kubeconfig: string
  /** An HttpClient for the server (with the token, if any). */
  client: HttpClient
  kubectl(args: string[], o?: { input?: string; timeoutMs?: number }): Promise<{ code: number; stdout: string; stderr: string }>
  close(): Promise<void>
}

/** Starts `capstan serve`; pods start at once (sim start delay 0) so rollouts finish in wall-clock milliseconds. */
export async function startServeHarness(o: Partial<ServeOptions> = {}): Promise<ServeHarness> {
  const { dir, remove } = tempDir('capstan-serve-')
  const serve = await startServe({ state: join(dir, 'state.db'), listen: '127.0.0.1:0', ...o })
  const token = o.tokens?.[0]
  const client = new HttpClient({ server: serve.url, token })
  const cfg = await readSimConfig(client)
  await writeSimConfig(client, { ...cfg, settings: { ...cfg.settings, startDelaySeconds: 0 } })
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(kubeconfig, kubeconfigYaml({ server: serve.url, token }))
  return {
    serve,
    url: serve.url,
    dir,
    kubeconfig,
    client,
    kubectl: (args, k = {}) =>
      new Promise((resolve) => {
        const child = execFile(
          'kubectl',
          ['--cache-dir', join(dir, 'cache'), ...args],
          { encoding: 'utf8', timeout: k.timeoutMs ?? 30_000, env: { ...process.env, KUBECONFIG: kubeconfig } },
          (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
        )
        child.stdin?.end(k.input ?? '')
      }),
    close: async () => {
      await client.close()
      await serve.close()
      remove()
    },
  }
}

/** Polls `check` every 25 ms until it returns a value other than undefined (or fails after `ms`). */
export const eventually = <T>(what: string, check: () => Promise<T | undefined>, ms = 10_000): Promise<T> => poll(what, check, ms, 25)
