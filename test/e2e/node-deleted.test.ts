/**
 * End to end, one command after another as a user runs them: the node a Deployment's pods run on is
 * deleted; they keep running through PodGC's 40 s quarantine (carried from one command to the next)
 * and are then replaced on the node that remains.
 */
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { capstan } from '../helpers/capstan.js'
import { tempDir } from '../helpers/tmp.js'

const test = suite('e2e: a deleted node')
let t: ReturnType<typeof tempDir>
let state: string
test.before.each(() => {
  t = tempDir()
  state = join(t.dir, 'state.db')
})
test.after.each(() => t.remove())

async function run(args: string[], input?: string): Promise<string> {
  const r = await capstan(state, args, { input })
  assert.is(r.code, 0, `capstan ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
`
const pool = `apiVersion: capstan.dev/v1alpha1
kind: NodePool
metadata: {name: spare}
spec: {region: r1, zones: [r1-a], nodesPerZone: 1, machineType: {name: small, cpu: "4", memory: 16Gi}}
`
/** "name node phase" of each web pod, sorted. */
const pods = async (): Promise<string[]> =>
  (await run(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase}{"\\n"}{end}']))
    .split('\n')
    .filter(Boolean)
    .sort()

test('its pods run through the quarantine, then are replaced on the remaining node', async () => {
  await run(['sim', 'start-delay', '0s'])
  await run(['apply', '-f', '-'], web)
  const first = await pods()
  assert.is(first.length, 2)
  assert.ok(first.every((p) => p.endsWith(' capstan-node-1 Running')), first.join('; '))
  await run(['apply', '-f', '-'], pool)
  await run(['delete', 'node', 'capstan-node-1'])
  assert.equal(await pods(), first, 'still listed as running on the deleted node')
  assert.match(await run(['sim', 'status']), /pod-garbage-collector\s+nodes\/capstan-node-1\s+in 40s/)
  await run(['sim', 'advance', '39s'])
  assert.equal(await pods(), first, 'not before 40 s')
  await run(['sim', 'advance', '1s'])
  const after = await pods()
  assert.is(after.length, 2)
  for (const p of after) assert.match(p, /^web-\S+ spare-a-1 Running$/)
  assert.not.ok(after.some((p) => first.includes(p)), 'new pods')
})

test.run()
