/**
 * End to end with the real bin: `capstan serve --repo BARE` follows pushes, refuses bad flags, and on
 * SIGTERM during a sync lets the sync finish (its `sync end` line comes before `stopped`), exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { capstan, capstanBin } from '../helpers/capstan.js'
import { tempDir } from '../helpers/tmp.js'
import { demoWith, eventually, makePusher } from '../daemon/harness.js'

const test = suite('e2e: capstan serve --repo (the bin)')

test('bad flags are usage errors (exit 2)', async () => {
  const t = tempDir()
  try {
    const state = join(t.dir, 'state.db')
    for (const c of [
      { name: 'git flag without --repo', args: ['serve', '--poll', '5s'], want: /--poll needs --repo/ },
      { name: 'bad duration', args: ['serve', '--repo', t.dir, '--poll', 'soon'], want: /invalid --poll/ },
      { name: 'bad cron', args: ['serve', '--repo', t.dir, '--drift-schedule', 'every day'], want: /invalid --drift-schedule/ },
      { name: 'self-heal without schedule', args: ['serve', '--repo', t.dir, '--self-heal'], want: /--self-heal needs --drift-schedule/ },
    ]) {
      const r = await capstan(state, c.args)
      assert.is(r.code, 2, c.name)
      assert.match(r.stderr, c.want, c.name)
    }
  } finally {
    t.remove()
  }
})

test('follows pushes; SIGTERM during a sync waits for it, then exits 0', async () => {
  const t = tempDir()
  let child: ChildProcess | undefined
  try {
    const p = await makePusher(t.dir)
    const first = p.commit({ 'update-demo/deployment.yaml': demoWith('nautilus') }, 'first')
    p.push()
    const secret = join(t.dir, 'secret')
    writeFileSync(secret, 'x\n')
    const lines: Array<Record<string, unknown>> = []
    const state = join(t.dir, 'state.db')
    assert.is((await capstan(state, ['sim', 'start-delay', '0s'])).code, 0)
    child = spawn(process.execPath, [capstanBin(), 'serve', '--state', state, '--listen', '127.0.0.1:0', '--repo', p.bare, '--webhook-secret-file', secret, '--health-timeout', '1500ms'], { stdio: ['ignore', 'ignore', 'pipe'] })
    let buf = ''
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString()
      let i
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 1)
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>)
        } catch {
          lines.push({ raw: line })
        }
      }
    })
    const exited = new Promise<number | null>((r) => child!.on('exit', (code) => r(code)))
    const started = await eventually('the first sync', () => lines.find((l) => l.event === 'sync-end' && l.commit === first), 15_000)
    assert.is(started.result, 'Succeeded')
    assert.ok(typeof started.time === 'string')
    // A stalling push: its health wait lasts 1.5 s; SIGTERM arrives while it runs.
    const stall = p.commit({ 'update-demo/deployment.yaml': demoWith('kitty') }, 'stall')
    p.push()
    await eventually('the stalling sync', () => lines.find((l) => l.event === 'sync-start' && l.commit === stall), 5000)
    child.kill('SIGTERM')
    assert.is(await exited, 0)
    const end = lines.findIndex((l) => l.event === 'sync-end' && l.commit === stall)
    const stopped = lines.findIndex((l) => l.msg === 'stopped')
    assert.ok(end >= 0 && stopped > end, JSON.stringify(lines.slice(-6)))
    assert.is(lines[end].result, 'Failed')
  } finally {
    child?.kill('SIGKILL')
    t.remove()
  }
})

test.run()
