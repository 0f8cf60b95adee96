/**
 * End to end: the Spark walkthrough of the Kubernetes 1.2 posts ("Using Spark and Zeppelin to
 * process big data on Kubernetes 1.2") with the real capstan command on virtual time: the workers'
 * HPA (1–10 replicas, 80% cpu) scales them to 10 under heavy load, never faster than the default
 * scale-up rate, and brings them back to 1 only after the 5-minute stabilization window once the
 * load stops.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { capstan, capstanBin } from '../helpers/capstan.js'
import { tempDir } from '../helpers/tmp.js'

const test = suite('e2e: the Spark HPA walkthrough')
let t: ReturnType<typeof tempDir>
let state: string
test.before(() => {
  t = tempDir()
  state = join(t.dir, 'state.db')
})
test.after(() => t.remove())

async function ok(args: string[]): Promise<string> {
  const r = await capstan(state, args)
  assert.is(r.code, 0, `capstan ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

const replicas = async (): Promise<number> => Number(await ok(['get', 'deployment', 'spark-worker', '-o', 'jsonpath={.spec.replicas}']))
const readyReplicas = async (): Promise<number> => Number((await ok(['get', 'deployment', 'spark-worker', '-o', 'jsonpath={.status.readyReplicas}'])) || 0)
const hpaRow = async (): Promise<string> => (await ok(['get', 'hpa', 'spark-worker'])).split('\n')[1].replace(/\s+/g, ' ')

test('the bin runs the HPA controller and has `autoscale` and `sim load`', () => {
  const cli = dirname(capstanBin())
  const read = (...p: string[]): string => readFileSync(join(cli, ...p), 'utf8')
  assert.ok(read('..', 'controllers', 'index.js').includes('createHpaController'), 'controllers/index.ts: add the HPA controller to CONTROLLERS')
  assert.ok(read('run.js').includes('autoscale'), 'cli/run.ts: register `autoscale`')
  assert.ok(read('commands', 'sim.js').includes('sim-load'), 'cli/commands/sim.ts: dispatch `sim load`')
})

test('apply the Spark manifests: the HPA has no metrics until a worker runs', async () => {
  await ok(['apply', '-f', 'manifests/spark/'])
  assert.is(await replicas(), 1)
  const row = await hpaRow()
  assert.match(row, /^spark-worker Deployment\/spark-worker cpu: <unknown>\/80% 1 10 1 /)
})

test('heavy load: 8 cores shared by the workers scale them to 10, at most max(2×, +4) per 15 s sync', async () => {
  assert.match(await ok(['sim', 'load', 'deployment/spark-worker', '--total-cpu', '8']), /load of deployment\/spark-worker: total-cpu=8/)
  const steps = [await replicas()]
  for (let i = 0; i < 8 && steps[steps.length - 1] < 10; i++) {
    await ok(['sim', 'advance', '15s'])
    steps.push(await replicas())
  }
  assert.is(steps[steps.length - 1], 10, `steps: ${steps.join(' → ')}`)
  for (let i = 1; i < steps.length; i++) {
    assert.ok(steps[i] >= steps[i - 1], `never scales down under load: ${steps.join(' → ')}`)
    assert.ok(steps[i] <= Math.max(2 * steps[i - 1], 4), `scale-up limit per sync: ${steps.join(' → ')}`)
  }
  // 1 → 4 → 8 → 10: each step limited by max(2 × current, 4), the last by maxReplicas.
  assert.equal([...new Set(steps)], [1, 4, 8, 10])
  // Two more syncs: the newest workers have been ready for a full metric window.
  await ok(['sim', 'advance', '30s'])
  assert.is(await readyReplicas(), 10)

  // 8 cores over 10 workers: 800m each, 800% of their 100m request.
  assert.match(await hpaRow(), /^spark-worker Deployment\/spark-worker cpu: 800%\/80% 1 10 10 /)
  const d = await ok(['describe', 'hpa', 'spark-worker'])
  assert.match(d, /resource cpu on pods {2}\(as a percentage of request\): {2}800% \(800m\) \/ 80%/)
  assert.match(d, /AbleToScale\s+True\s+ReadyForNewScale\s+recommended size matches current size/)
  assert.match(d, /ScalingActive\s+True\s+ValidMetricFound\s+the HPA was able to successfully calculate a replica count from cpu resource utilization \(percentage of request\)/)
  assert.match(d, /ScalingLimited\s+True\s+TooManyReplicas\s+the desired replica count is more than the maximum replica count/)
  for (const n of [4, 8, 10]) {
    assert.match(d, new RegExp(`Normal\\s+SuccessfulRescale\\s+.*horizontal-pod-autoscaler\\s+New size: ${n}; reason: cpu resource utilization \\(percentage of request\\) above target`))
  }
})

test('the load stops: 10 replicas for the 5-minute stabilization window, then back to 1', async () => {
  await ok(['sim', 'load', 'deployment/spark-worker', '--cpu', '0'])
  await ok(['sim', 'advance', '4m'])
  assert.is(await replicas(), 10)
  assert.match(await hpaRow(), /cpu: 0%\/80% 1 10 10 /)
  const d = await ok(['describe', 'hpa', 'spark-worker'])
  assert.match(d, /AbleToScale\s+True\s+ScaleDownStabilized\s+recent recommendations were higher than current one, applying the highest recent recommendation/)
  await ok(['sim', 'advance', '55s'])
  assert.is(await replicas(), 10, 'still within 5 minutes of the last high recommendation')
  await ok(['sim', 'advance', '1m'])
  assert.is(await replicas(), 1)
  const after = await ok(['describe', 'hpa', 'spark-worker'])
  assert.match(after, /Normal\s+SuccessfulRescale\s+.*New size: 1; reason: All metrics below target/)
  assert.match(after, /ScalingLimited\s+True\s+TooFewReplicas\s+the desired replica count is less than the minimum replica count/)
})

test('sim load lists and clears the load', async () => {
  assert.match(await ok(['sim', 'load']), /default\s+deployment\/spark-worker\s+0\s+<none>/)
  assert.is(await ok(['sim', 'load', 'deployment/spark-worker', '--clear']), 'load of deployment/spark-worker cleared\n')
  assert.match(await ok(['sim', 'load']), /No load set/)
})

test.run()
