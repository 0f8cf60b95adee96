/** The daemon's pieces: the sync lane's coalescing, webhook verification, durations, init-remote. */
import { execFileSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { initRemoteCommand } from '../../reconciler/cli/commands/init-remote.js'
import { parseDuration } from '../../reconciler/daemon/duration.js'
import { SyncLane, type Trigger } from '../../reconciler/daemon/sync-lane.js'
import { verifyWebhook, webhookEvent } from '../../reconciler/daemon/webhook.js'
import { openRepo, resolveRef } from '../../reconciler/source/git/index.js'
import { tempDir } from '../helpers/tmp.js'
import { makePusher } from './harness.js'

const lane = suite('daemon: sync lane')

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

lane('a trigger during a sync queues exactly one more; later ones coalesce into it', async () => {
  const ran: Array<{ t: Trigger; merged: number }> = []
  const l = new SyncLane({ sync: async (t, merged) => {
      ran.push({ t, merged })
      await sleep(30)
    }, drift: async () => {}, onError: (_, e) => assert.unreachable(String(e)) })
  const got = [l.requestSync({ source: 'watch', commit: 'a' }), l.requestSync({ source: 'watch', commit: 'b' }), l.requestSync({ source: 'watch', commit: 'c' }), l.requestSync({ source: 'webhook', commit: 'd' })]
  // The first is queued and starts on the next tick; b queues behind it; c and d coalesce into b's slot.
  assert.equal(got, ['queued', 'coalesced', 'coalesced', 'coalesced'])
  await l.idle()
  assert.equal(ran.map((r) => r.t.commit), ['d'])
  ran.length = 0
  l.requestSync({ source: 'watch', commit: 'e' })
  await sleep(5) // e is running now
  assert.equal(l.running, 'sync')
  assert.equal([l.requestSync({ source: 'watch', commit: 'f' }), l.requestSync({ source: 'watch', commit: 'g' })], ['queued', 'coalesced'])
  await l.idle()
  assert.equal(ran.map((r) => [r.t.commit, r.merged]), [['e', 0], ['g', 1]])
})

lane('drift jobs share the lane; close waits for the running job and drops the waiting ones', async () => {
  const order: string[] = []
  const l = new SyncLane({ sync: async (t) => {
      order.push(`sync ${t.commit}`)
      await sleep(40)
    }, drift: async () => void order.push('drift'), onError: () => {} })
  l.requestSync({ source: 'api', commit: 'a' })
  await sleep(5)
  l.requestDrift()
  l.requestSync({ source: 'api', commit: 'b' })
  assert.is(await l.close(1000), true)
  assert.equal(order, ['sync a'])
  assert.is(l.requestSync({ source: 'api' }), 'closed')
})

lane('close gives up after its bound', async () => {
  const l = new SyncLane({ sync: async () => {
      await sleep(200)
    }, drift: async () => {}, onError: () => {} })
  l.requestSync({ source: 'api' })
  await sleep(5)
  assert.is(await l.close(20), false)
})

lane.run()

const hook = suite('daemon: webhooks')
const body = Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: 'a'.repeat(40) }))
const sig = (secret: string, b: Buffer) => 'sha256=' + createHmac('sha256', secret).update(b).digest('hex')

for (const c of [
  { name: 'GitHub signature good', headers: { 'x-hub-signature-256': sig('s3cret', body) }, want: { ok: true, provider: 'github' } },
  { name: 'GitHub signature of another secret', headers: { 'x-hub-signature-256': sig('other', body) }, want: { ok: false, reason: 'BadSignature' } },
  { name: 'GitHub signature malformed', headers: { 'x-hub-signature-256': 'sha1=abc' }, want: { ok: false, reason: 'BadSignature' } },
  { name: 'GitLab token good', headers: { 'x-gitlab-token': 's3cret' }, want: { ok: true, provider: 'gitlab' } },
  { name: 'GitLab token bad', headers: { 'x-gitlab-token': 's3cre' }, want: { ok: false, reason: 'BadSignature' } },
  { name: 'no signature', headers: {}, want: { ok: false, reason: 'MissingSignature' } },
]) {
  hook(c.name, () => assert.equal(verifyWebhook(c.headers, body, 's3cret'), c.want))
}

for (const c of [
  { name: 'GitHub push', headers: { 'x-github-event': 'push' }, body, want: { kind: 'push', ref: 'refs/heads/main', commit: 'a'.repeat(40) } },
  { name: 'GitHub ping', headers: { 'x-github-event': 'ping' }, body, want: { kind: 'ping' } },
  { name: 'GitHub issue event', headers: { 'x-github-event': 'issues' }, body, want: { kind: 'other', event: 'issues' } },
  { name: 'GitLab push', headers: { 'x-gitlab-event': 'Push Hook' }, body: Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: 'b'.repeat(40), checkout_sha: 'c'.repeat(40) })), want: { kind: 'push', ref: 'refs/heads/main', commit: 'c'.repeat(40) } },
  { name: 'branch deleted (after all zeros)', headers: { 'x-github-event': 'push' }, body: Buffer.from(JSON.stringify({ ref: 'refs/heads/x', after: '0'.repeat(40) })), want: { kind: 'push', ref: 'refs/heads/x', commit: undefined } },
  { name: 'unreadable body', headers: {}, body: Buffer.from('not json'), want: { kind: 'push', ref: undefined, commit: undefined } },
]) {
  hook(`event: ${c.name}`, () => assert.equal(webhookEvent(c.headers, c.body), c.want))
}
hook.run()

const dur = suite('daemon: durations')
for (const c of [
  { name: 'seconds', text: '30s', want: 30_000 },
  { name: 'bare number is seconds', text: '2', want: 2000 },
  { name: 'milliseconds', text: '250ms', want: 250 },
  { name: 'minutes', text: '5m', want: 300_000 },
  { name: 'hours', text: '1h', want: 3_600_000 },
  { name: 'zero refused', text: '0s', want: undefined },
  { name: 'garbage refused', text: 'soon', want: undefined },
]) {
  dur(c.name, () => assert.is(parseDuration(c.text), c.want))
}
dur.run()

const init = suite('daemon: init-remote')

init('creates a bare repository with main as default branch that git can push to', async () => {
  const t = tempDir()
  try {
    const out: string[] = []
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s), isTTY: false }
    const dir = join(t.dir, 'team.git')
    assert.is(await initRemoteCommand.run([dir], io as never), 0)
    assert.ok(out.join('').includes(`git remote add capstan ${dir}`))
    assert.ok(out.join('').includes(`capstan serve --repo ${dir}`))
    assert.is(readFileSync(join(dir, 'HEAD'), 'utf8').trim(), 'ref: refs/heads/main')
    assert.is(execFileSync('git', ['--git-dir', dir, 'rev-parse', '--is-bare-repository'], { encoding: 'utf8' }).trim(), 'true')
    // A second init into a non-empty directory is refused.
    await initRemoteCommand.run([dir], io as never).then(
      () => assert.unreachable('should refuse'),
      (err: Error) => assert.is(err.name, 'UsageError'),
    )
    const p = await makePusher(join(t.dir, 'p'))
    const c = p.commit({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' }, 'one')
    p.push()
    assert.ok(existsSync(join(p.bare, 'refs', 'heads', 'main')))
    assert.is(await resolveRef(await openRepo(p.bare), 'HEAD'), c)
  } finally {
    t.remove()
  }
})

init.run()
