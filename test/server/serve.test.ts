/** `capstan serve`: listening (port 0), auth rules, the controllers on the wall clock, and shutdown on SIGTERM. */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { HttpClient } from '../../reconciler/api/http-client.js'
import { ApiError } from '../../reconciler/api/errors.js'
import type { KObject } from '../../reconciler/api/object.js'
import { readTokenFile, serveCommand } from '../../reconciler/cli/commands/serve.js'
import type { CliIO } from '../../reconciler/cli/io.js'
import { writeSimConfig, readSimConfig } from '../../reconciler/controllers/sim/index.js'
import { checkExposure, isLoopback, ListenError, parseListen, parseTokens } from '../../reconciler/server/listen-address.js'
import { startServe } from '../../reconciler/server/start-serve.js'
import { projectRoot } from '../../reconciler/paths.js'
import { tempDir } from '../helpers/tmp.js'

const s = suite('capstan serve')

s('--listen parsing and the loopback rule', () => {
  const cases = [
    { name: 'ipv4', in: '127.0.0.1:7070', out: { host: '127.0.0.1', port: 7070 }, loopback: true },
    { name: 'ipv6', in: '[::1]:0', out: { host: '::1', port: 0 }, loopback: true },
    { name: 'all interfaces', in: ':8080', out: { host: '0.0.0.0', port: 8080 }, loopback: false },
    { name: 'localhost', in: 'localhost:1', out: { host: 'localhost', port: 1 }, loopback: true },
    { name: 'lan', in: '10.0.0.5:7070', out: { host: '10.0.0.5', port: 7070 }, loopback: false },
  ]
  for (const c of cases) {
    assert.equal(parseListen(c.in), c.out, c.name)
    assert.is(isLoopback(c.out.host), c.loopback, c.name)
  }
  for (const bad of ['7070', 'host:', 'h:99999', '[::1]']) assert.throws(() => parseListen(bad), (e: unknown) => e instanceof ListenError, bad)
  assert.throws(() => checkExposure({ host: '0.0.0.0', port: 1 }, undefined), (e: unknown) => e instanceof ListenError)
  checkExposure({ host: '0.0.0.0', port: 1 }, ['t'])
  checkExposure({ host: '127.0.0.1', port: 1 }, undefined)
  assert.equal(parseTokens('\n a \n# comment\nb\r\n\n'), ['a', 'b'])
})

s('refuses a non-loopback address without --token-file (exit 2, clear error)', async () => {
  let err = ''
  const io: CliIO = { stdout: () => {}, stderr: (x) => (err += x), env: {}, stdin: async () => '', isTTY: false }
  const failed = await serveCommand.run(['--listen', '0.0.0.0:0', '--state', 'memory:'], io).then(
    () => undefined,
    (e: unknown) => e as Error,
  )
  assert.is(failed?.name, 'UsageError')
  assert.match(failed!.message, /--token-file/)
  const { dir, remove } = tempDir()
  try {
    writeFileSync(join(dir, 'empty'), '\n\n')
    assert.throws(() => readTokenFile(join(dir, 'empty')), /holds no token/)
  } finally {
    remove()
  }
})

s('serves the API with bearer tokens and runs the controllers on the wall clock', async () => {
  const logs: Array<Record<string, unknown>> = []
  const h = await startServe({ state: 'memory:', listen: '127.0.0.1:0', tokens: ['t0k'], log: (l) => logs.push(l) })
  try {
    assert.match(h.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.ok(!h.url.endsWith(':0'))
    const listening = logs.find((l) => l.msg === 'listening')
    assert.is(listening?.url, h.url)
    const anon = await new HttpClient({ server: h.url }).get('namespaces', undefined, 'default').catch((e: unknown) => e as ApiError)
    assert.is((anon as ApiError).code, 401)
    const c = new HttpClient({ server: h.url, token: 't0k' })
    const cfg = await readSimConfig(c)
    await writeSimConfig(c, { ...cfg, settings: { startDelaySeconds: 0 } })
    await c.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
    })
    // Real time passes: the deployment, replicaset, scheduler and kubelet controllers make two running pods.
    const deadline = Date.now() + 10_000
    let ready = 0
    while (Date.now() < deadline) {
      const d = await c.get('deployments', 'default', 'web')
      ready = ((d.status ?? {}) as { readyReplicas?: number }).readyReplicas ?? 0
      if (ready === 2) break
      await new Promise((r) => setTimeout(r, 50))
    }
    assert.is(ready, 2)
    const pods = await c.list('pods', { namespace: 'default', labelSelector: 'app=web' })
    assert.equal(pods.items.map((p: KObject) => (p.status as { phase?: string }).phase), ['Running', 'Running'])
    await c.close()
  } finally {
    await h.close()
  }
  assert.ok(logs.some((l) => l.msg === 'stopped'))
})

s('the command exits 0 on SIGTERM after closing the state', async () => {
  const { dir, remove } = tempDir()
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot(), 'test', 'server', 'serve-main.ts'), '--listen', '127.0.0.1:0', '--state', join(dir, 'state.db')], {
      cwd: projectRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let err = ''
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no listening line: ${err}`)), 15_000)
      child.stderr.on('data', (d) => {
        err += d
        for (const line of err.split('\n')) {
          if (!line.startsWith('{')) continue
          const l = JSON.parse(line) as { msg?: string; url?: string }
          if (l.msg === 'listening' && l.url) {
            clearTimeout(t)
            resolve(l.url)
          }
        }
      })
    })
    const res = await fetch(`${url}/api/v1/namespaces/default`)
    assert.is(res.status, 200)
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c))
      child.kill('SIGTERM')
    })
    assert.is(code, 0, err)
    assert.match(err, /"msg":"stopped"/)
  } finally {
    remove()
  }
})

s.run()
