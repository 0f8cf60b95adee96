/** End to end: the `capstan sim` commands drive the simulated cluster's clock, registry and start delay. */
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { capstan } from '../helpers/capstan.js'
import { tempDir } from '../helpers/tmp.js'

const test = suite('e2e: sim commands')
let t: ReturnType<typeof tempDir>
let state: string
test.before.each(() => {
  t = tempDir()
  state = join(t.dir, 'state.db')
})
test.after.each(() => t.remove())

const deploy = (image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "${image}"}]
`

async function run(args: string[], input?: string): Promise<string> {
  const r = await capstan(state, args, { input })
  assert.is(r.code, 0, `capstan ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

test('pods start after the start delay, on virtual time; sim status lists the pending work', async () => {
  await run(['apply', '-f', '-'], deploy('nginx:1.27'))
  const status = await run(['sim', 'status'])
  assert.match(status, /^Start delay:\s+3s$/m)
  assert.match(status, /kubelet\s+pods\/default\/web-[a-z0-9]+-[a-z0-9]{5}\s+in 3s/)
  const before = await run(['get', 'pods', '-o', 'jsonpath={.items[*].status.phase}'])
  assert.is(before, 'Pending Pending')
  const adv = await run(['sim', 'advance', '3s'])
  assert.match(adv, /^virtual time: \S+ \(advanced 3s from \S+\)$/m)
  assert.is(await run(['get', 'pods', '-o', 'jsonpath={.items[*].status.phase}']), 'Running Running')
  assert.match(await run(['sim', 'status']), /^Pending work:\s+<none>$/m)
})

test('start delay 0 runs pods at once', async () => {
  assert.is(await run(['sim', 'start-delay', '0s']), 'start delay: 0s\n')
  await run(['apply', '-f', '-'], deploy('nginx:1.27'))
  assert.is(await run(['get', 'pods', '-o', 'jsonpath={.items[*].status.phase}']), 'Running Running')
})

test('registry add/remove/list: an unlisted tag of a listed repository fails to pull until added', async () => {
  await run(['sim', 'start-delay', '0s'])
  assert.is(await run(['sim', 'registry', 'add', 'example.com/shop:v1']), 'example.com/shop:v1 added\n')
  assert.match(await run(['sim', 'registry', 'list']), /^example\.com\/shop:v1$/m)
  await run(['apply', '-f', '-'], deploy('example.com/shop:v2'))
  const waiting = await run(['get', 'pods', '-o', 'jsonpath={.items[*].status.containerStatuses[0].state.waiting.reason}'])
  assert.match(waiting, /ErrImagePull|ImagePullBackOff/)
  await run(['sim', 'registry', 'add', 'example.com/shop:v2'])
  await run(['sim', 'advance', '5m'])
  assert.is(await run(['get', 'pods', '-o', 'jsonpath={.items[*].status.phase}']), 'Running Running')
  assert.is(await run(['sim', 'registry', 'remove', 'example.com/shop:v1']), 'example.com/shop:v1 removed\n')
  const bad = await capstan(state, ['sim', 'advance', 'soon'])
  assert.is(bad.code, 2)
  assert.match(bad.stderr, /invalid duration "soon"/)
})

test('an event that repeats over several commands is one Event whose count goes up, as in one process', async () => {
  await run(['apply', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers: [{name: c, image: nginx, resources: {requests: {cpu: "100"}}}]\n')
  for (let i = 0; i < 3; i++) await run(['sim', 'advance', '5m'])
  const counts = await run(['get', 'events', '--field-selector', 'involvedObject.name=big,reason=FailedScheduling', '-o', 'jsonpath={.items[*].count}'])
  assert.is(counts.split(' ').length, 1, `one Event: counts ${counts}`)
  assert.ok(Number(counts) >= 4, `counted across commands: ${counts}`)
  assert.match(await run(['describe', 'pod', 'big']), /FailedScheduling\s+\S+ \(x\d+ over 15m\)\s+default-scheduler/)
})

test.run()
