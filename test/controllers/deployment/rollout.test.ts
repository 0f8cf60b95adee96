import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  isRolloutError,
  pauseDeployment,
  restartDeployment,
  resumeDeployment,
  rolloutHistory,
  rolloutStatus,
  undoDeployment,
} from '../../../reconciler/controllers/deployment/rollout.js'
import type { DeploymentObject } from '../../../reconciler/controllers/deployment/types.js'
import { makeHarness } from './harness.js'

const status = suite('rolloutStatus')
function dep(spec: number, st: Record<string, unknown>, generation = 2, conditions: unknown[] = []): DeploymentObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', generation },
    spec: { replicas: spec, selector: { matchLabels: { app: 'web' } }, template: {} },
    status: { observedGeneration: 2, ...st, conditions } as DeploymentObject['status'],
  }
}
const statusCases = [
  { name: 'not observed yet', d: dep(4, {}, 3), want: { done: false, message: 'Waiting for deployment spec update to be observed...' } },
  { name: 'updating', d: dep(4, { replicas: 5, updatedReplicas: 1 }), want: { done: false, message: 'Waiting for deployment "web" rollout to finish: 1 out of 4 new replicas have been updated...' } },
  { name: 'old pods left', d: dep(4, { replicas: 5, updatedReplicas: 4 }), want: { done: false, message: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...' } },
  { name: 'not yet available', d: dep(4, { replicas: 4, updatedReplicas: 4, availableReplicas: 3 }), want: { done: false, message: 'Waiting for deployment "web" rollout to finish: 3 of 4 updated replicas are available...' } },
  { name: 'done', d: dep(4, { replicas: 4, updatedReplicas: 4, availableReplicas: 4 }), want: { done: true, message: 'deployment "web" successfully rolled out' } },
  {
    name: 'deadline exceeded',
    d: dep(4, { replicas: 5, updatedReplicas: 1 }, 2, [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }]),
    want: { done: false, failed: true, message: 'deployment "web" exceeded its progress deadline' },
  },
]
for (const c of statusCases) {
  status(c.name, () => {
    assert.equal(rolloutStatus(c.d), c.want)
  })
}
status('a pod stuck pulling adds a warning', () => {
  const pods = [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: { containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } }] } }]
  assert.is(
    rolloutStatus(dep(4, { replicas: 5, updatedReplicas: 1 }), { pods }).message,
    'Waiting for deployment "web" rollout to finish: 1 out of 4 new replicas have been updated... (Warning: ImagePullBackOff - Back-off pulling image "x")',
  )
})
status('a revision other than the running one is an error', () => {
  const d = dep(4, {})
  d.metadata.annotations = { 'deployment.kubernetes.io/revision': '2' }
  assert.throws(() => rolloutStatus(d, { revision: 3 }), (e: unknown) => isRolloutError(e, 'RevisionMismatch'))
})
status.run()

const history = suite('rollout history and undo')

async function twoRevisions() {
  const h = await makeHarness()
  await h.create('web', { replicas: 2, annotations: { 'kubernetes.io/change-cause': 'first' } })
  await h.rollOut('web')
  await h.edit('web', (d) => {
    d.spec.template.spec!.containers[0].image = 'nginx:2'
    d.metadata.annotations!['kubernetes.io/change-cause'] = 'second'
  })
  await h.rollOut('web')
  return h
}

history('history lists revisions in order with change-cause', async () => {
  const h = await twoRevisions()
  const entries = await rolloutHistory(h.api, 'default', 'web')
  assert.equal(entries.map((e) => [e.revision, e.changeCause]), [
    [1, 'first'],
    [2, 'second'],
  ])
  assert.is(entries[1].template.spec!.containers[0].image, 'nginx:2')
  assert.is(entries[1].template.metadata!.annotations!['kubernetes.io/change-cause'], 'second')
})

history('undo goes back to the previous revision, which becomes the newest', async () => {
  const h = await twoRevisions()
  const [first] = await h.replicaSets('web')
  const r = await undoDeployment(h.api, 'default', 'web')
  assert.equal([r.message, r.changed], ['rolled back', true])
  let d = await h.get('web')
  assert.is(d.spec.template.spec!.containers[0].image, 'nginx:1')
  assert.is(d.spec.template.metadata!.labels!['pod-template-hash'], undefined)
  assert.is(d.metadata.annotations!['kubernetes.io/change-cause'], 'first')
  await h.rollOut('web')
  d = await h.get('web')
  assert.is(d.metadata.annotations!['deployment.kubernetes.io/revision'], '3')
  const rss = await h.replicaSets('web')
  assert.is(rss.length, 2)
  const reused = rss.find((rs) => rs.metadata.uid === first.metadata.uid)!
  assert.equal([reused.spec.replicas, reused.metadata.annotations!['deployment.kubernetes.io/revision-history']], [2, '1'])
  assert.equal((await rolloutHistory(h.api, 'default', 'web')).map((e) => [e.revision, e.changeCause]), [
    [2, 'second'],
    [3, 'first'],
  ])
  // Undoing to the revision that is live is skipped.
  const skipped = await undoDeployment(h.api, 'default', 'web', 3)
  assert.equal([skipped.message, skipped.changed], ['skipped rollback (current template already matches revision 3)', false])
})

history('undo errors', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 1 })
  await h.rollOut('web')
  const cases = [
    { name: 'no previous revision', to: 0, code: 'NoRolloutHistory', message: 'no rollout history found for deployment "web"' },
    { name: 'unknown revision', to: 9, code: 'RevisionNotFound', message: 'unable to find specified revision 9 in history' },
  ] as const
  for (const c of cases) {
    try {
      await undoDeployment(h.api, 'default', 'web', c.to)
      assert.unreachable(c.name)
    } catch (e) {
      assert.ok(isRolloutError(e, c.code), c.name)
      assert.is((e as Error).message, c.message)
    }
  }
  await h.setImage('web', 'nginx:2')
  await h.rollOut('web')
  await pauseDeployment(h.api, 'default', 'web')
  try {
    await undoDeployment(h.api, 'default', 'web')
    assert.unreachable('paused')
  } catch (e) {
    assert.ok(isRolloutError(e, 'Paused'))
    assert.is((e as Error).message, "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/web' and try again")
  }
  // A client dry run shows the target template and changes nothing.
  const dry = await undoDeployment(h.api, 'default', 'web', 1, { dryRun: true })
  assert.is(dry.template.spec!.containers[0].image, 'nginx:1')
  assert.is((await h.get('web')).spec.template.spec!.containers[0].image, 'nginx:2')
})

history('pause, resume and restart', async () => {
  const h = await makeHarness()
  await h.create('web', { replicas: 1 })
  await h.rollOut('web')
  await pauseDeployment(h.api, 'default', 'web')
  assert.is((await h.get('web')).spec.paused, true)
  await pauseDeployment(h.api, 'default', 'web').then(
    () => assert.unreachable('already paused'),
    (e) => assert.ok(isRolloutError(e, 'AlreadyPaused')),
  )
  await restartDeployment(h.api, 'default', 'web', h.clock.now()).then(
    () => assert.unreachable('paused restart'),
    (e) => assert.ok(isRolloutError(e, 'Paused')),
  )
  await resumeDeployment(h.api, 'default', 'web')
  assert.is((await h.get('web')).spec.paused, undefined)
  await resumeDeployment(h.api, 'default', 'web').then(
    () => assert.unreachable('not paused'),
    (e) => assert.ok(isRolloutError(e, 'NotPaused')),
  )
  const now = h.clock.now()
  await restartDeployment(h.api, 'default', 'web', now)
  const d = await h.get('web')
  assert.is(d.spec.template.metadata!.annotations!['kubectl.kubernetes.io/restartedAt'], now.toISOString().replace(/\.\d{3}Z$/, 'Z'))
  // The restart is a new template: a new ReplicaSet rolls out.
  await h.rollOut('web')
  assert.equal(await h.sizes('web'), [0, 1])
})

history.run()
