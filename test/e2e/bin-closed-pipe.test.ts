/**
 * The `capstan` bin when its reader goes away (`capstan get pods | head -1`): no EPIPE stack trace,
 * the command finishes, exit 0, as kubectl leaves a closed pipe quietly.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { tempDir } from '../helpers/tmp.js'
import { capstanBin } from '../helpers/capstan.js'

const test = suite('e2e: the capstan bin with a closed stdout')

function runClosed(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [capstanBin(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    // The reader goes away before the command writes anything.
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

test('get, version and history write into a closed pipe without an error', async () => {
  const t = tempDir()
  try {
    const state = join(t.dir, 'state.db')
    for (const args of [['get', 'namespaces'], ['version'], ['history']]) {
      const r = await runClosed(['--state', state, ...args])
      assert.is(r.stderr, '', `${args.join(' ')}: ${r.stderr}`)
      assert.is(r.code, 0, args.join(' '))
    }
  } finally {
    t.remove()
  }
})

test.run()
