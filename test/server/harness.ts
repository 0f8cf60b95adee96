/** A capstan API server on 127.0.0.1 (port 0) over a fresh in-memory ApiServer, and the real kubectl against it. */
import { execFile, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { kubeconfigYaml } from '../../reconciler/cli/commands/kubeconfig.js'
import { createApiHttpServer, type ApiHttpServerOptions } from '../../reconciler/server/index.js'
import { openStorage } from '../../reconciler/storage/index.js'
import { tempDir } from '../helpers/tmp.js'

/** Whether kubectl is installed (the kubectl suites skip, with a message, when it is not). */
export const HAVE_KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0

/** Objects are created at T0; tables are computed at T0 + 5 min, so ages read "5m". */
export const T0 = new Date('2024-05-01T12:00:00Z')
export const NOW = new Date('2024-05-01T12:05:00Z')

export interface Harness {
  api: ApiServer
  server: Server
  url: string
  dir: string
  kubeconfig: string
  kubectl(args: string[], o?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<{ code: number; stdout: string; stderr: string }>
  close(): Promise<void>
}

/** Starts a server; `tokens` turns on bearer auth (the kubeconfig then carries the first). */
export async function startHarness(o: Partial<Omit<ApiHttpServerOptions, 'api'>> = {}): Promise<Harness> {
  const api = new ApiServer({ storage: openStorage('memory:'), now: () => T0 })
  await api.bootstrap()
  const server = createApiHttpServer({ api, now: () => NOW, ...o })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const { dir, remove } = tempDir('capstan-server-')
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(kubeconfig, kubeconfigYaml({ server: url, token: o.tokens?.[0] }))
  return {
    api,
    server,
    url,
    dir,
    kubeconfig,
    kubectl: (args, k = {}) =>
      new Promise((resolve) => {
        // Asynchronous: the server runs in this process and must keep answering while kubectl runs.
        const child = execFile(
          'kubectl',
          ['--cache-dir', join(dir, 'cache'), ...args],
          { encoding: 'utf8', timeout: k.timeoutMs ?? 20_000, env: { ...process.env, KUBECONFIG: kubeconfig, ...k.env } },
          (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
        )
        child.stdin?.end(k.input ?? '')
      }),
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await api.close()
      await api.storage.close()
      remove()
    },
  }
}
