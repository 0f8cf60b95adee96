/**
 * End to end: the multi-zone walkthrough of "Building highly available applications using
 * Kubernetes new multi-zone clusters" (2016), with the real capstan command on virtual time: a
 * NodePool of 3 zones × 3 nodes, the guestbook's 3 replicas one per zone, zone b lost, the pods
 * there evicted after their 300 s tolerations and replaced in zones a and c, zone b back.
 */
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { capstan } from '../helpers/capstan.js'
import { tempDir } from '../helpers/tmp.js'

const test = suite('e2e: the multi-zone walkthrough')
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

/** The zone of every node. */
async function zones(): Promise<Map<string, string>> {
  const out = await ok(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.topology\\.kubernetes\\.io/zone}{"\\n"}{end}'])
  return new Map(out.trim().split('\n').map((l) => l.trim().split(' ') as [string, string]))
}

/** Guestbook pods as `zone ready terminating` rows, sorted. */
async function guestbook(): Promise<Array<{ zone: string; ready: boolean; terminating: boolean }>> {
  const z = await zones()
  const out = await ok([
    'get', 'pods', '-l', 'app=guestbook', '-o',
    'jsonpath={range .items[*]}{.spec.nodeName} {.status.conditions[?(@.type=="Ready")].status} {.metadata.deletionTimestamp}{"\\n"}{end}',
  ])
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [node, ready, deleted] = l.trim().split(' ')
      return { zone: z.get(node) ?? '', ready: ready === 'True', terminating: !!deleted }
    })
    .sort((a, b) => a.zone.localeCompare(b.zone))
}

test('3 zones × 3 nodes, labelled as the 2016 post shows them', async () => {
  await ok(['apply', '-f', 'manifests/cluster/nodepool.yaml'])
  const out = await ok(['get', 'nodes', '--show-labels'])
  const lines = out.trim().split('\n')
  assert.match(lines[0], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+LABELS$/)
  assert.is(lines.length, 10)
  const b1 = lines.find((l) => l.startsWith('us-central1-b-1 '))!
  assert.match(b1, /^us-central1-b-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.0\s+/)
  for (const label of [
    'beta.kubernetes.io/instance-type=n1-standard-2',
    'failure-domain.beta.kubernetes.io/region=us-central1',
    'failure-domain.beta.kubernetes.io/zone=us-central1-b',
    'kubernetes.io/hostname=us-central1-b-1',
    'topology.kubernetes.io/zone=us-central1-b',
    'capstan.dev/nodepool=us-central1',
  ]) assert.ok(b1.includes(label), label)
})

test('the guestbook lands one pod per zone', async () => {
  await ok(['apply', '-f', 'manifests/guestbook/'])
  await ok(['rollout', 'status', 'deployment/guestbook'])
  const pods = await guestbook()
  assert.equal(pods.map((p) => p.zone), ['us-central1-a', 'us-central1-b', 'us-central1-c'])
  assert.ok(pods.every((p) => p.ready))
})

test('zone b goes down: its pod is replaced in zones a and c after the 300 s tolerations', async () => {
  const down = await ok(['sim', 'zone', 'down', 'us-central1-b'])
  assert.is(down.trim().split('\n').length, 3)
  const nodes = await ok(['get', 'nodes'])
  assert.match(nodes, /us-central1-b-1\s+NotReady/)
  let pods = await guestbook()
  assert.equal(pods.filter((p) => p.ready).length, 2)
  await ok(['sim', 'advance', '6m'])
  pods = await guestbook()
  const live = pods.filter((p) => !p.terminating)
  assert.is(live.length, 3)
  assert.ok(live.every((p) => p.ready && p.zone !== 'us-central1-b'), JSON.stringify(pods))
  assert.equal([...new Set(live.map((p) => p.zone))], ['us-central1-a', 'us-central1-c'])
  const available = await ok(['get', 'deployment', 'guestbook', '-o', 'jsonpath={.status.availableReplicas}'])
  assert.is(available.trim(), '3')
  const events = await ok(['get', 'events', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}'])
  assert.ok(events.includes('TaintManagerEviction'))
  assert.ok(events.includes('NodeNotReady'))
})

test('zone b comes back', async () => {
  await ok(['sim', 'zone', 'up', 'us-central1-b'])
  await ok(['sim', 'advance', '1m'])
  const nodes = await ok(['get', 'nodes'])
  assert.not.match(nodes, /NotReady/)
  const pods = await guestbook()
  assert.is(pods.length, 3)
  assert.ok(pods.every((p) => p.ready && !p.terminating))
})

test('an unknown zone is an error', async () => {
  const r = await capstan(state, ['sim', 'zone', 'down', 'mars-1'])
  assert.is(r.code, 2)
  assert.match(r.stderr, /no nodes in zone "mars-1"/)
})

test.run()
