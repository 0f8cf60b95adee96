/**
 * kubectl's answers to rollout flags, through the command line (in process, a sqlite state):
 * `rollout status --revision=N` checks the running revision; a second `rollout restart` in the same
 * second is refused (its patch would be empty); --revision / --to-revision take integers only.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { CliIO } from '../../reconciler/cli/io.js'
import { runCli } from '../../reconciler/cli/run.js'
import { tempDir } from '../helpers/tmp.js'

const test = suite('e2e: rollout flags as kubectl takes them')

/** The command line over the state at `state`, in process: exit code and what it printed. */
const cli =
  (state: string) =>
  async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = ''
    let err = ''
    const io: CliIO = { stdout: (s) => (out += s), stderr: (s) => (err += s), env: { ...process.env, CAPSTAN_STATE: state }, stdin: async () => '', isTTY: false }
    return { code: await runCli(args, io), out, err }
  }

test('status --revision, a second restart in one second, and bad revision values', async () => {
  const t = tempDir('capstan-rollout-flags-')
  try {
    const capstan = cli(join(t.dir, 'state.db'))
    const file = join(t.dir, 'web.json')
    writeFileSync(file, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } } }))
    assert.is((await capstan('apply', '-f', file)).code, 0)
    assert.is((await capstan('sim', 'advance', '10s')).code, 0)
    let r = await capstan('rollout', 'status', 'deployment/web', '--revision=7')
    assert.equal([r.code, r.err], [1, 'error: desired revision (7) is different from the running revision (1)\n'])
    r = await capstan('rollout', 'status', 'deployment/web', '--revision=1')
    assert.equal([r.code, r.out], [0, 'deployment "web" successfully rolled out\n'])
    assert.is((await capstan('rollout', 'restart', 'deployment/web')).code, 0)
    r = await capstan('rollout', 'restart', 'deployment/web')
    assert.is(r.code, 1)
    assert.match(r.err, /^error: failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another \(on the embedded state, time moves only with commands such as `capstan sim advance 1s`\)\n$/)
    assert.is((await capstan('sim', 'advance', '1s')).code, 0)
    assert.is((await capstan('rollout', 'restart', 'deployment/web')).code, 0, 'a second later it restarts')
    r = await capstan('rollout', 'history', 'deployment/web', '--revision=abc')
    assert.is(r.code, 2)
    assert.match(r.err, /invalid argument "abc" for "--revision" flag: strconv\.ParseInt: parsing "abc": invalid syntax/)
    r = await capstan('rollout', 'history', 'deployment/web', '--revision=-1')
    assert.match(r.err, /revision must be a positive integer: -1/)
    r = await capstan('rollout', 'undo', 'deployment/web', '--to-revision=abc')
    assert.match(r.err, /invalid argument "abc" for "--to-revision" flag/)
  } finally {
    t.remove()
  }
})

test('status of a paused rollout with an HPA re-checking every 15 s: an error at once, not a clock moved on for ever', async () => {
  const t = tempDir('capstan-rollout-paused-')
  try {
    const capstan = cli(join(t.dir, 'state.db'))
    const deployment = (image: string) => JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu: '100m' } } }] } } } })
    const file = join(t.dir, 'web.json')
    writeFileSync(file, deployment('nginx:1.25'))
    assert.is((await capstan('apply', '-f', file)).code, 0)
    const hpa = join(t.dir, 'hpa.json')
    writeFileSync(hpa, JSON.stringify({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] } }))
    assert.is((await capstan('apply', '-f', hpa)).code, 0)
    assert.is((await capstan('rollout', 'pause', 'deployment/web')).code, 0)
    writeFileSync(file, deployment('nginx:1.26'))
    assert.is((await capstan('apply', '-f', file)).code, 0)
    const r = await capstan('rollout', 'status', 'deployment/web')
    assert.is(r.code, 1)
    assert.match(r.err, /deployment "web" is paused: its rollout cannot progress until it is resumed/)
  } finally {
    t.remove()
  }
})

test.run()
