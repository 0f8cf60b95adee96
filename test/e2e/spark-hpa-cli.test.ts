/**
 * `capstan autoscale` and `capstan sim load` run in process (their command objects with a captured
 * CliIO, over a temporary state): kubectl autoscale's object and messages, and the load's edits.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { CliIO } from '../../reconciler/cli/io.js'
import { autoscaleCommand } from '../../reconciler/cli/commands/autoscale.js'
import { simLoadCommand } from '../../reconciler/cli/commands/sim-load.js'
import { applyCommand } from '../../reconciler/cli/commands/apply.js'
import { getCommand } from '../../reconciler/cli/commands/get.js'
import { reportError } from '../../reconciler/cli/report-error.js'
import type { Command } from '../../reconciler/cli/run.js'
import { projectRoot } from '../../reconciler/paths.js'
import { tempDir } from '../helpers/tmp.js'

const test = suite('cli: capstan autoscale and capstan sim load')
let t: ReturnType<typeof tempDir>
let state: string
test.before(() => {
  t = tempDir()
  state = join(t.dir, 'state.db')
})
test.after(() => t.remove())

async function run(cmd: Command, argv: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: { CAPSTAN_STATE: state, HOME: t.dir }, stdin: async () => stdin, isTTY: false }
  let code: number
  try {
    code = await cmd.run(argv, io)
  } catch (err) {
    reportError(err, io)
    code = 2
  }
  return { code, stdout, stderr }
}

const worker = readFileSync(join(projectRoot(), 'manifests', 'spark', 'spark-worker.yaml'), 'utf8')

test('autoscale: kubectl\'s object (v2, named like the target) and message', async () => {
  assert.is((await run(applyCommand, ['-f', '-'], worker)).code, 0)
  const r = await run(autoscaleCommand, ['deployment/spark-worker', '--min=1', '--max=10', '--cpu-percent=80'])
  assert.equal(r, { code: 0, stdout: 'horizontalpodautoscaler.autoscaling/spark-worker autoscaled\n', stderr: '' })
  const got = JSON.parse((await run(getCommand, ['hpa', 'spark-worker', '-o', 'json'])).stdout)
  assert.is(got.apiVersion, 'autoscaling/v2')
  assert.equal(got.spec, {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'spark-worker' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
  })
  assert.ok(got.metadata.managedFields.some((m: { manager: string }) => m.manager === 'kubectl-autoscale'))
})

test('autoscale: --name, dry runs, and kubectl\'s errors', async () => {
  const cases: Array<{ name: string; argv: string[]; code: number; out?: string; err?: RegExp }> = [
    { name: 'client dry run', argv: ['deploy', 'spark-worker', '--max=3', '--name=other', '--dry-run=client'], code: 0, out: 'horizontalpodautoscaler.autoscaling/other autoscaled (dry run)\n' },
    { name: 'server dry run', argv: ['deployment/spark-worker', '--max=3', '--name=other', '--dry-run=server'], code: 0, out: 'horizontalpodautoscaler.autoscaling/other autoscaled (server dry run)\n' },
    { name: 'no --max', argv: ['deployment/spark-worker'], code: 2, err: /^error: --max=MAXPODS is required and must be at least 1, max: -1\n$/ },
    { name: 'max below min', argv: ['deployment/spark-worker', '--min=3', '--max=2'], code: 2, err: /must be larger or equal to --min=MINPODS, max: 2, min: 3/ },
    { name: 'a missing target', argv: ['deployment/nope', '--max=2'], code: 2, err: /^Error from server \(NotFound\): deployments.apps "nope" not found\n$/ },
    { name: 'already there', argv: ['deployment/spark-worker', '--max=2'], code: 2, err: /AlreadyExists/ },
  ]
  for (const c of cases) {
    const r = await run(autoscaleCommand, c.argv)
    assert.is(r.code, c.code, `${c.name}: ${r.stderr}`)
    if (c.out !== undefined) assert.is(r.stdout, c.out, c.name)
    if (c.err) assert.match(r.stderr, c.err, c.name)
  }
  assert.is((await run(getCommand, ['hpa', 'other'])).code, 2, 'dry runs create nothing')
})

test('sim load: set, list, replace, clear; targets must exist; bad values are refused', async () => {
  assert.equal(await run(simLoadCommand, ['deployment/spark-worker', '--total-cpu', '8']), { code: 0, stdout: 'load of deployment/spark-worker: total-cpu=8\n', stderr: '' })
  assert.is((await run(simLoadCommand, ['deployment/spark-worker', '--memory', '1Gi'])).stdout, 'load of deployment/spark-worker: total-cpu=8 memory=1Gi\n')
  assert.is((await run(simLoadCommand, ['deployment/spark-worker', '--cpu', '650m'])).stdout, 'load of deployment/spark-worker: cpu=650m memory=1Gi\n')
  const list = (await run(simLoadCommand, [])).stdout
  assert.match(list, /^NAMESPACE\s+TARGET\s+CPU\s+MEMORY\ndefault\s+deployment\/spark-worker\s+650m\s+1Gi\n$/)
  const bad = await run(simLoadCommand, ['deployment/spark-worker', '--cpu', 'lots'])
  assert.is(bad.code, 2)
  assert.match(bad.stderr, /--cpu: invalid quantity "lots"/)
  assert.match((await run(simLoadCommand, ['deployment/nope', '--cpu', '1'])).stderr, /deployments.apps "nope" not found/)
  assert.match((await run(simLoadCommand, ['service/x', '--cpu', '1'])).stderr, /expected deployment\/NAME or pod\/NAME/)
  assert.is((await run(simLoadCommand, ['--clear'])).stdout, 'all load cleared\n')
  assert.match((await run(simLoadCommand, [])).stdout, /No load set/)
})

test.run()
