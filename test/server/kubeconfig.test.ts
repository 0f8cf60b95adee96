import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parse } from 'yaml'
import { kubeconfigCommand } from '../../reconciler/cli/commands/kubeconfig.js'
import type { CliIO } from '../../reconciler/cli/io.js'
import { tempDir } from '../helpers/tmp.js'

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIO = { stdout: (s) => (out += s), stderr: (s) => (err += s), env: {}, stdin: async () => '', isTTY: false }
  try {
    return { code: await kubeconfigCommand.run(argv, io), out, err }
  } catch (e) {
    return { code: 2, out, err: (e as Error).message }
  }
}

const kc = suite('capstan kubeconfig')
kc('cluster, user and context named capstan; the token from --token-file', async () => {
  const { dir, remove } = tempDir()
  try {
    const tokenFile = join(dir, 'tokens')
    writeFileSync(tokenFile, '\n  abc123  \nother\n')
    const cases = [
      { name: 'defaults', argv: [], server: 'http://127.0.0.1:7070', user: {} },
      { name: 'server and token', argv: ['--server', 'https://10.0.0.5:7070', '--token-file', tokenFile], server: 'https://10.0.0.5:7070', user: { token: 'abc123' } },
      { name: 'bare host:port', argv: ['--server', 'localhost:9000'], server: 'http://localhost:9000', user: {} },
    ]
    for (const c of cases) {
      const r = await run(c.argv)
      assert.is(r.code, 0, c.name)
      const doc = parse(r.out)
      assert.is(doc['current-context'], 'capstan', c.name)
      assert.equal(doc.clusters, [{ name: 'capstan', cluster: { server: c.server } }], c.name)
      assert.equal(doc.contexts, [{ name: 'capstan', context: { cluster: 'capstan', user: 'capstan' } }], c.name)
      assert.equal(doc.users, [{ name: 'capstan', user: c.user }], c.name)
    }
    assert.is((await run(['--token-file', join(dir, 'missing')])).code, 2)
  } finally {
    remove()
  }
})
kc.run()
