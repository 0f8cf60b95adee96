/**
 * End to end: the Deployments walkthrough of the Kubernetes 1.2 posts ("Using Deployment objects"),
 * with the real capstan command on virtual time: nautilus, scale to 4, the missing `kitty` tag
 * stalls the rollout until its progress deadline, undo returns to the old ReplicaSet, `kitten` rolls
 * out, and the history names every revision.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { projectRoot } from '../../reconciler/paths.js'
import { capstan } from '../helpers/capstan.js'
import { tempDir } from '../helpers/tmp.js'

const test = suite('e2e: the update-demo rollout walkthrough')
let t: ReturnType<typeof tempDir>
let state: string
test.before(() => {
  t = tempDir()
  state = join(t.dir, 'state.db')
})
test.after(() => t.remove())

const manifest = readFileSync(join(projectRoot(), 'manifests', 'update-demo', 'deployment.yaml'), 'utf8')
const withImage = (tag: string): string => manifest.replace(/image: gcr.io\/google_containers\/update-demo:nautilus/, `image: gcr.io/google_containers/update-demo:${tag}`)

async function ok(args: string[], input?: string): Promise<string> {
  const r = await capstan(state, args, { input })
  assert.is(r.code, 0, `capstan ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

/** Pods of update-demo as `name image phase reason` lines. */
async function pods(): Promise<string[]> {
  const out = await ok(['get', 'pods', '-l', 'name=update-demo', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image} {.status.phase} {.status.containerStatuses[0].state.waiting.reason}{"\\n"}{end}'])
  return out.trim().split('\n').map((l) => l.trim()).filter(Boolean).sort()
}

test('nautilus with 1 replica, then scaled to 4', async () => {
  await ok(['apply', '-f', 'manifests/cluster/sim-registry.yaml'])
  await ok(['apply', '-f', 'manifests/update-demo/'])
  const status = await ok(['rollout', 'status', 'deployment/update-demo'])
  assert.match(status, /deployment "update-demo" successfully rolled out\n$/)
  assert.is(await ok(['scale', 'deployment/update-demo', '--replicas=4']), 'deployment.apps/update-demo scaled\n')
  await ok(['rollout', 'status', 'deployment/update-demo'])
  const ready = await ok(['get', 'deployment', 'update-demo', '-o', 'jsonpath={.status.readyReplicas}/{.status.replicas}'])
  assert.is(ready, '4/4')
})

test('kitty does not exist: the rollout stalls in ImagePullBackOff and fails at its deadline', async () => {
  // The scale above belongs to kubectl-scale; the manifest's replicas: 1 would take it back, so apply 4.
  await ok(['apply', '-f', '-'], withImage('kitty').replace('replicas: 1', 'replicas: 4'))
  const r = await capstan(state, ['rollout', 'status', 'deployment/update-demo'])
  assert.is(r.code, 1, r.stderr)
  assert.match(r.stdout, /Waiting for deployment "update-demo" rollout to finish: \d out of 4 new replicas have been updated/)
  assert.match(r.stderr, /error: deployment "update-demo" exceeded its progress deadline/)
  const p = await pods()
  const nautilus = p.filter((l) => l.includes(':nautilus Running'))
  const kitty = p.filter((l) => l.includes(':kitty Pending'))
  // maxUnavailable 25% of 4 → 1: three old pods keep serving; maxSurge 25% → 1: two new pods try.
  assert.is(nautilus.length, 3, p.join('\n'))
  assert.is(kitty.length, 2, p.join('\n'))
  assert.ok(kitty.every((l) => /ImagePullBackOff|ErrImagePull/.test(l)), p.join('\n'))
  const cond = await ok(['get', 'deploy', 'update-demo', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}'])
  assert.is(cond, 'ProgressDeadlineExceeded')
  const desc = await ok(['describe', 'pods', '-l', 'name=update-demo'])
  assert.match(desc, /Failed to pull image "gcr\.io\/google_containers\/update-demo:kitty"/)
})

test('rollout undo returns to the old ReplicaSet, now the newest revision', async () => {
  const before = await ok(['get', 'rs', '-l', 'name=update-demo', '-o', 'name'])
  assert.is(await ok(['rollout', 'undo', 'deployment/update-demo']), 'deployment.apps/update-demo rolled back\n')
  await ok(['rollout', 'status', 'deployment/update-demo'])
  const after = await ok(['get', 'rs', '-l', 'name=update-demo', '-o', 'name'])
  assert.is(after, before, 'no new ReplicaSet')
  const p = await pods()
  assert.is(p.filter((l) => l.includes(':nautilus Running')).length, 4, p.join('\n'))
  assert.is(await ok(['get', 'deploy', 'update-demo', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']), '3')
})

test('kitten rolls out: 4 kittens, all available; history shows every revision', async () => {
  await ok(['apply', '-f', '-'], withImage('kitten').replace('replicas: 1', 'replicas: 4'))
  await ok(['rollout', 'status', 'deployment/update-demo'])
  const p = await pods()
  assert.equal(p, Array(4).fill('gcr.io/google_containers/update-demo:kitten Running'))
  assert.is(await ok(['get', 'deploy', 'update-demo', '-o', 'jsonpath={.status.availableReplicas}']), '4')
  const history = await ok(['rollout', 'history', 'deployment/update-demo'])
  assert.is(history, 'deployment.apps/update-demo \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n4         <none>\n\n')
  const rev2 = await ok(['rollout', 'history', 'deployment/update-demo', '--revision=2'])
  assert.match(rev2, /update-demo:kitty/)
})

test.run()
