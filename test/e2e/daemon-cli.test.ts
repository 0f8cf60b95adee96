/**
 * End to end: the GitOps commands with `--server URL` against `capstan serve --repo` (in process,
 * wall clock): status, sync (wait, --no-wait, --dry-run, refused flags), drift (report, history,
 * --heal), diff --against live and rollout undo --repo go through the daemon's own endpoints and print what the
 * embedded commands print; and a daemon following a remote repository over HTTP polls it.
 */
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { CliIO } from '../../reconciler/cli/io.js'
import { runCli } from '../../reconciler/cli/run.js'
import { startDaemon } from '../../reconciler/daemon/daemon.js'
import { HttpClient } from '../../reconciler/api/http-client.js'
import { readSimConfig, writeSimConfig } from '../../reconciler/controllers/sim/index.js'
import { startGitHttpServer } from '../source/git/git-http-server.js'
import { startServeHarness } from '../server/serve-harness.js'
import { tempDir } from '../helpers/tmp.js'
import { demoWith, eventually, makePusher, startDaemonHarness, type DaemonHarness } from '../daemon/harness.js'

/** Runs `capstan ARGS` in process; returns the exit code and what it printed. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: {}, stdin: async () => '', isTTY: false }
  const code = await runCli(args, io)
  return { code, stdout, stderr }
}

const test = suite('e2e: GitOps commands with --server against capstan serve --repo')
let h: DaemonHarness
let first: string

test.before(async () => {
  h = await startDaemonHarness({ first: { 'update-demo/deployment.yaml': demoWith('nautilus', 2) } })
  first = (await eventually('the start-up sync', () => h.lines.find((l) => l.event === 'sync-end' && l.trigger === 'startup'), 10_000)).commit as string
})
test.after(async () => {
  await h?.close()
})

test('status --server prints the synced commit, live against git and each object', async () => {
  const r = await cli(['status', '--server', h.daemon.url])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, new RegExp(`^Synced:  ${first.slice(0, 7)} "first"`))
  assert.match(r.stdout, /Live:    matches git/)
  assert.match(r.stdout, /deployment\.apps\s+default\s+update-demo\s+\w+\s+Synced/, r.stdout)
})

test('sync --server waits for the sync and prints its outcome; --no-wait only queues', async () => {
  const r = await cli(['sync', '--server', h.daemon.url])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /in sync|synced/i)
  const q = await cli(['--server', h.daemon.url, 'sync', '--no-wait'])
  assert.is(q.code, 0, q.stderr)
  assert.match(q.stdout, /^sync (queued|coalesced) for [0-9a-f]{7} on http/)
  await h.daemon.lane.idle()
})

test('sync --server --dry-run plans a pushed change without applying it', async () => {
  const c = h.pusher.commit({ 'update-demo/deployment.yaml': demoWith('kitten', 2) }, 'kitten')
  const before = (await h.client.get('deployments', 'default', 'update-demo')).metadata.generation
  // The ref watcher will sync the push; the dry run may run before or after it. Either way it
  // applies nothing itself and exits 0.
  h.pusher.push()
  const r = await cli(['sync', '--server', h.daemon.url, '--dry-run'])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /planned|in sync/)
  await eventually('the push synced', () => h.lines.find((l) => l.event === 'sync-end' && l.commit === c), 8000)
  await h.daemon.lane.idle()
  assert.ok((await h.client.get('deployments', 'default', 'update-demo')).metadata.generation! > before!)
})

test('sync --server refuses flags the server decides, and another repository', async () => {
  for (const c of [
    { name: '--ref', args: ['--ref', 'main'], want: /--ref cannot be used with --server/ },
    { name: '--prune', args: ['--prune'], want: /--prune cannot be used with --server/ },
    { name: 'other repo', args: ['--repo', '/elsewhere/repo.git'], want: /follows .* not \/elsewhere\/repo\.git/ },
  ]) {
    const r = await cli(['sync', '--server', h.daemon.url, ...c.args])
    assert.is(r.code, 2, c.name)
    assert.match(r.stderr, c.want, c.name)
  }
  const same = await cli(['sync', '--server', h.daemon.url, '--repo', h.pusher.bare + '/'])
  assert.is(same.code, 0, same.stderr)
})

test('drift --server finds a manual scale, keeps the report, and --heal restores git', async () => {
  await h.client.updateScale('deployments', 'default', 'update-demo', 5, { fieldManager: 'kubectl-scale' })
  const found = await cli(['drift', '--server', h.daemon.url])
  assert.is(found.code, 1, found.stderr)
  assert.match(found.stdout, /^Drift from [0-9a-f]{7}: 1 finding/)
  assert.match(found.stdout, /Modified\s+deployment\.apps\/update-demo\s+default\s+spec\.replicas\s+2\s+5\s+kubectl-scale/)
  const json = await cli(['drift', '--server', h.daemon.url, '-o', 'json'])
  assert.is(json.code, 1)
  assert.is((JSON.parse(json.stdout) as { drifted: number }).drifted, 1)
  const diff = await cli(['diff', '--against', 'live', '--server', h.daemon.url, '-o', 'json'])
  assert.is(diff.code, 1, diff.stderr)
  const preview = JSON.parse(diff.stdout) as { against: string; changes: Array<{ object: string; action: string }> } & Record<string, unknown>
  assert.is(preview.against, 'live')
  assert.ok(JSON.stringify(preview).includes('update-demo'), diff.stdout)
  const refused = await cli(['diff', '--against', 'live', '--server', h.daemon.url, '--base', 'HEAD~1'])
  assert.is(refused.code, 2)
  assert.match(refused.stderr, /--base cannot be used with --against live --server/)
  const healed = await cli(['drift', '--server', h.daemon.url, '--heal'])
  assert.is(healed.code, 0, healed.stderr)
  assert.match(healed.stdout, /synced [0-9a-f]{7}/)
  assert.is(((await h.client.get('deployments', 'default', 'update-demo')) as unknown as { spec: { replicas: number } }).spec.replicas, 2)
  const clean = await cli(['drift', '--server', h.daemon.url])
  assert.is(clean.code, 0, clean.stdout)
  const same = await cli(['diff', '--against', 'live', '--server', h.daemon.url])
  assert.is(same.code, 0, same.stdout)
  const hist = await cli(['drift', 'history', '--server', h.daemon.url])
  assert.is(hist.code, 0, hist.stderr)
  const rows = hist.stdout.trim().split('\n')
  assert.match(rows[0], /^TIME\s+COMMIT\s+FINDINGS\s+HEALED/)
  assert.ok(rows.some((l) => /\s1\s+sync-/.test(l) || /\s1\s+\S+$/.test(l)), hist.stdout)
  assert.ok(rows.length >= 5, hist.stdout)
})

test('drift --server refuses --repo; history works over the API', async () => {
  const r = await cli(['drift', '--server', h.daemon.url, '--repo', h.pusher.bare])
  assert.is(r.code, 2)
  assert.match(r.stderr, /--repo cannot be used with --server/)
  const hist = await cli(['history', '--server', h.daemon.url])
  assert.is(hist.code, 0, hist.stderr)
  assert.match(hist.stdout, /^SEQ\s+COMMIT\s+SUBJECT/)
})

test('rollout undo --repo --server commits the revert into the followed repository and waits for its sync', async () => {
  const r = await cli(['rollout', 'undo', 'deployment/update-demo', '--repo', h.pusher.bare, '--server', h.daemon.url])
  assert.is(r.code, 0, r.stderr + r.stdout)
  assert.match(r.stdout, /^\[main [0-9a-f]{7}\] /)
  assert.match(r.stdout, /synced [0-9a-f]{7}|already in sync/)
  const d = (await h.client.get('deployments', 'default', 'update-demo')) as unknown as { spec: { template: { spec: { containers: Array<{ image: string }> } } } }
  assert.match(d.spec.template.spec.containers[0].image, /:nautilus$/)
})

test.run()

const plain = suite('e2e: GitOps commands with --server against a plain capstan serve')

plain('status, sync and drift say the server follows no repository (exit 2)', async () => {
  const s = await startServeHarness()
  try {
    for (const args of [['status'], ['sync'], ['drift'], ['drift', 'history']]) {
      const r = await cli([...args, '--server', s.url])
      assert.is(r.code, 2, args.join(' '))
      assert.match(r.stderr, /does not follow a repository/, args.join(' '))
    }
  } finally {
    await s.close()
  }
})

plain.run()

const remote = suite('e2e: capstan serve --repo http://… polls the remote')

remote('a push to a remote repository served over HTTP is fetched by the poller and deployed', async () => {
  const t = tempDir('capstan-poll-')
  const git = await startGitHttpServer(t.dir)
  let daemon: Awaited<ReturnType<typeof startDaemon>> | undefined
  let client: HttpClient | undefined
  try {
    const p = await makePusher(t.dir)
    const c1 = p.commit({ 'update-demo/deployment.yaml': demoWith('nautilus') }, 'first')
    p.push()
    const lines: Array<Record<string, unknown>> = []
    daemon = await startDaemon({ state: join(t.dir, 'state.db'), listen: '127.0.0.1:0', repo: `${git.url}remote.git`, pollMs: 200, healthTimeoutMs: 3000, shutdownWaitMs: 5000, cacheDir: join(t.dir, 'cache'), log: (l) => lines.push(l) })
    client = new HttpClient({ server: daemon.url })
    const cfg = await readSimConfig(client)
    await writeSimConfig(client, { ...cfg, settings: { ...cfg.settings, startDelaySeconds: 0 } })
    await eventually('the start-up sync', () => lines.find((l) => l.event === 'sync-end' && l.commit === c1), 10_000)
    const c2 = p.commit({ 'update-demo/deployment.yaml': demoWith('kitten') }, 'kitten')
    p.push()
    const end = await eventually('the polled sync', () => lines.find((l) => l.event === 'sync-end' && l.commit === c2), 10_000)
    assert.is(end.trigger, 'poll')
    assert.is(end.result, 'Succeeded')
    const d = (await client.get('deployments', 'default', 'update-demo')) as unknown as { spec: { template: { spec: { containers: Array<{ image: string }> } } } }
    assert.match(d.spec.template.spec.containers[0].image, /:kitten$/)
  } finally {
    await client?.close()
    await daemon?.close()
    await git.close()
    t.remove()
  }
})

remote.run()
