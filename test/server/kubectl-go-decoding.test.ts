/**
 * The real kubectl against capstan, where Go's decoding decides: `kubectl rollout undo` sends the
 * old template with `creationTimestamp: null` (it must scale the old ReplicaSet back up, not make a
 * new one), a merge patch that removes a template's only annotation leaves `annotations: {}` (a
 * no-op: no new generation, no new ReplicaSet), and `kubectl diff` of an unchanged object (its
 * dry-run patch carries `annotations: {}`) finds nothing (exit 0).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { addControllers } from '../../reconciler/controllers/index.js'
import { ControllerManager, VirtualClock } from '../../reconciler/controllers/runtime/index.js'
import type { KObject } from '../../reconciler/api/object.js'
import { HAVE_KUBECTL, startHarness, type Harness } from './harness.js'

const test = suite('kubectl against capstan: nulls and empty maps as Go decodes them')
let h: Harness
let manager: ControllerManager
let clock: VirtualClock

/** Two replicas of nginx:1.25, as JSON (kubectl reads it as it reads YAML). */
const DEPLOYMENT = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
})

test.before(async () => {
  h = await startHarness()
  clock = new VirtualClock(new Date('2024-05-01T12:00:00Z'))
  manager = new ControllerManager({ api: h.api, clock })
  addControllers(manager)
  await manager.start()
})
test.after(async () => {
  await manager?.stop()
  await h?.close()
})

async function kubectl(...args: string[]): Promise<string> {
  const r = await h.kubectl(args)
  assert.is(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`)
  // The rollout runs to its end on the virtual clock (pods start after a few virtual seconds).
  await manager.settle()
  for (let i = 0; i < 100; i++) {
    const next = clock.nextTimer()
    if (!next || next.getTime() - clock.now().getTime() > 60_000) break
    await manager.advanceTo(next)
  }
  return r.stdout
}

const replicaSets = async (): Promise<Array<{ image: string; replicas: number; revision: string }>> =>
  (await h.api.list('replicasets', { namespace: 'default' })).items
    .map((rs: KObject) => ({
      image: (rs.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0].image,
      replicas: (rs.spec as { replicas: number }).replicas,
      revision: rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '',
    }))
    .sort((a, b) => a.image.localeCompare(b.image))

if (!HAVE_KUBECTL) {
  test('kubectl is not installed: skipped', () => console.log('  (kubectl not found on PATH; skipped)'))
} else {
  test('rollout undo scales the old ReplicaSet back up (no third one); a no-op template patch changes nothing', async () => {
    const path = join(h.dir, 'web.json')
    writeFileSync(path, DEPLOYMENT)
    await kubectl('apply', '-f', path)
    await kubectl('set', 'image', 'deployment/web', 'web=nginx:1.26')
    await kubectl('rollout', 'undo', 'deployment/web')
    assert.equal(await replicaSets(), [
      { image: 'nginx:1.25', replicas: 2, revision: '3' },
      { image: 'nginx:1.26', replicas: 0, revision: '2' },
    ])
    const d = await h.api.get('deployments', 'default', 'web')
    const template = d.spec as { template: { metadata: Record<string, unknown> } }
    assert.not.ok('creationTimestamp' in template.template.metadata, 'null is absent, as Go decodes it')
    const generation = d.metadata.generation
    const out = await kubectl('patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"template":{"metadata":{"annotations":{"nothing":null}}}}}')
    assert.match(out, /deployment\.apps\/web patched \(no change\)/)
    const after = await h.api.get('deployments', 'default', 'web')
    assert.is(after.metadata.generation, generation)
    assert.is(after.metadata.resourceVersion, d.metadata.resourceVersion)
    assert.is((await replicaSets()).length, 2)
  })

  test('kubectl diff of an unchanged object created without annotations: nothing, exit 0', async () => {
    const path = join(h.dir, 'cfg.yaml')
    writeFileSync(path, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1"}\n')
    await kubectl('create', '-f', path)
    const r = await h.kubectl(['diff', '-f', path])
    assert.is(r.stdout, '')
    assert.is(r.code, 0, r.stderr)
  })
}

test.run()
