import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { DeploymentObject, ReplicaSetObject } from '../../../reconciler/controllers/deployment/types.js'
import {
  computeHash,
  deploymentProgressing,
  deploymentTimedOut,
  equalIgnoreHash,
  getProportion,
  isSaturated,
  lastRevision,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newDeploymentCondition,
  newRSNewReplicas,
  resolveFenceposts,
  setDeploymentCondition,
  setNewReplicaSetAnnotations,
} from '../../../reconciler/controllers/deployment/util.js'
import { canonicalJson, fnv32a, safeEncodeString } from '../../../reconciler/controllers/deployment/hash.js'
import type { DeploymentStatus } from '../../../reconciler/controllers/deployment/types.js'

function dep(replicas: number, surge: number | string, unavailable: number | string, extra: Partial<DeploymentObject['spec']> = {}): DeploymentObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default', generation: 1, annotations: {} },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'd' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      progressDeadlineSeconds: 600,
      ...extra,
    },
  }
}

function rs(name: string, replicas: number, annotations: Record<string, string> = {}, available = 0): ReplicaSetObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: name, annotations, creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { replicas, selector: { matchLabels: { app: 'd' } } },
    status: { replicas, availableReplicas: available },
  }
}

const fenceposts = suite('resolveFenceposts')
const fencepostCases = [
  { name: '10 replicas, 25%/25% → surge 3 (up), unavailable 2 (down)', replicas: 10, surge: '25%', unavailable: '25%', want: { surge: 3, unavailable: 2 } },
  { name: '4 replicas, 25%/25% → 1/1', replicas: 4, surge: '25%', unavailable: '25%', want: { surge: 1, unavailable: 1 } },
  { name: '1 replica, 25%/25% → surge 1, unavailable 0', replicas: 1, surge: '25%', unavailable: '25%', want: { surge: 1, unavailable: 0 } },
  { name: 'both round to 0 → unavailable 1', replicas: 2, surge: '0%', unavailable: '1%', want: { surge: 0, unavailable: 1 } },
  { name: 'absolute values', replicas: 10, surge: 3, unavailable: 2, want: { surge: 3, unavailable: 2 } },
  { name: 'surge 0, unavailable 0 (ints) → 1', replicas: 5, surge: 0, unavailable: 0, want: { surge: 0, unavailable: 1 } },
  { name: '100% surge', replicas: 3, surge: '100%', unavailable: 0, want: { surge: 3, unavailable: 0 } },
]
for (const c of fencepostCases) {
  fenceposts(c.name, () => {
    assert.equal(resolveFenceposts(c.surge, c.unavailable, c.replicas), c.want)
  })
}
fenceposts('maxUnavailable is capped at replicas and 0 for 0 replicas or Recreate', () => {
  assert.is(maxUnavailable(dep(2, 0, 5)), 2)
  assert.is(maxUnavailable(dep(0, '25%', '25%')), 0)
  const recreate = dep(4, '25%', '25%')
  recreate.spec.strategy = { type: 'Recreate' }
  assert.is(maxUnavailable(recreate), 0)
  assert.is(maxSurge(recreate), 0)
})
fenceposts('a bad percentage throws', () => {
  assert.throws(() => resolveFenceposts('abc', 1, 3))
})
fenceposts.run()

const newReplicas = suite('newRSNewReplicas')
const newReplicasCases = [
  { name: 'fresh rollout: 4 replicas, surge 1, old at 4 → new may have 1', d: dep(4, '25%', '25%'), old: 4, cur: 0, want: 1 },
  { name: 'surge used up → unchanged', d: dep(4, '25%', '25%'), old: 3, cur: 2, want: 2 },
  { name: 'room for 2 more', d: dep(4, '25%', '25%'), old: 1, cur: 2, want: 4 },
  { name: 'never past replicas', d: dep(4, '100%', 0), old: 0, cur: 1, want: 4 },
  { name: 'first RS of a new Deployment gets all replicas', d: dep(10, '25%', '25%'), old: 0, cur: 0, want: 10 },
]
for (const c of newReplicasCases) {
  newReplicas(c.name, () => {
    const n = rs('new', c.cur)
    assert.is(newRSNewReplicas(c.d, [rs('old', c.old), n], n), c.want)
  })
}
newReplicas('Recreate: all replicas', () => {
  const d = dep(5, '25%', '25%')
  d.spec.strategy = { type: 'Recreate' }
  assert.is(newRSNewReplicas(d, [rs('new', 0)], rs('new', 0)), 5)
})
newReplicas.run()

const proportion = suite('getProportion')
// 10 replicas, maxSurge 3 → scaled to 15 (allowed 18) mid-rollout with old 8 / new 5 annotated max-replicas 13.
const proportionCases = [
  { name: 'larger RS first: round(8*18/13)-8 = 3', rs: rs('old', 8, { 'deployment.kubernetes.io/max-replicas': '13' }), d: dep(15, 3, 2), toAdd: 5, added: 0, want: 3 },
  { name: 'then clamped to what is left: min(round(5*18/13)-5=2, 2)', rs: rs('new', 5, { 'deployment.kubernetes.io/max-replicas': '13' }), d: dep(15, 3, 2), toAdd: 5, added: 3, want: 2 },
  { name: 'scale down: round(8*8/13)-8 = -3, not below what is allowed', rs: rs('old', 8, { 'deployment.kubernetes.io/max-replicas': '13' }), d: dep(5, 3, 2), toAdd: -5, added: 0, want: -3 },
  { name: 'scaling to 0 removes all', rs: rs('old', 8, { 'deployment.kubernetes.io/max-replicas': '13' }), d: dep(0, 3, 2), toAdd: -13, added: 0, want: -8 },
  { name: 'an empty RS gets nothing', rs: rs('old', 0), d: dep(15, 3, 2), toAdd: 5, added: 0, want: 0 },
  { name: 'nothing left to add', rs: rs('old', 8), d: dep(15, 3, 2), toAdd: 5, added: 5, want: 0 },
]
for (const c of proportionCases) {
  proportion(c.name, () => {
    assert.is(getProportion(c.rs, c.d, c.toAdd, c.added), c.want)
  })
}
proportion('isSaturated needs size, desired annotation and availability', () => {
  const d = dep(3, 1, 0)
  assert.is(isSaturated(d, rs('n', 3, { 'deployment.kubernetes.io/desired-replicas': '3' }, 3)), true)
  assert.is(isSaturated(d, rs('n', 3, { 'deployment.kubernetes.io/desired-replicas': '2' }, 3)), false)
  assert.is(isSaturated(d, rs('n', 3, { 'deployment.kubernetes.io/desired-replicas': '3' }, 2)), false)
  assert.is(isSaturated(d, rs('n', 3, {}, 3)), false)
})
proportion.run()

const revisions = suite('revisions')
revisions('max and last revision skip unparseable ones', () => {
  const list = [rs('a', 0, { 'deployment.kubernetes.io/revision': '3' }), rs('b', 0, { 'deployment.kubernetes.io/revision': 'x' }), rs('c', 0, { 'deployment.kubernetes.io/revision': '7' }), rs('d', 0)]
  assert.is(maxRevision(list), 7)
  assert.is(lastRevision(list), 3)
})
const annotationCases: Array<{ name: string; before: Record<string, string>; exists: boolean; rev: string; want: Record<string, string> }> = [
  { name: 'new RS: revision, copied annotations, replica annotations', before: {}, exists: false, rev: '1', want: { 'deployment.kubernetes.io/revision': '1', 'kubernetes.io/change-cause': 'v1', 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5' } },
  { name: 'rolled back to: old revision goes to revision-history', before: { 'deployment.kubernetes.io/revision': '1' }, exists: true, rev: '3', want: { 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1', 'kubernetes.io/change-cause': 'v1' } },
  { name: 'history appended', before: { 'deployment.kubernetes.io/revision': '4', 'deployment.kubernetes.io/revision-history': '1' }, exists: true, rev: '6', want: { 'deployment.kubernetes.io/revision': '6', 'deployment.kubernetes.io/revision-history': '1,4', 'kubernetes.io/change-cause': 'v1' } },
  { name: 'a higher revision is kept', before: { 'deployment.kubernetes.io/revision': '5' }, exists: true, rev: '3', want: { 'deployment.kubernetes.io/revision': '5', 'kubernetes.io/change-cause': 'v1' } },
]
for (const c of annotationCases) {
  revisions(`setNewReplicaSetAnnotations: ${c.name}`, () => {
    const d = dep(4, '25%', '25%')
    d.metadata.annotations = {
      'kubernetes.io/change-cause': 'v1',
      'deployment.kubernetes.io/revision': '9',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    }
    const r = rs('n', 0, { ...c.before })
    setNewReplicaSetAnnotations(d, r, c.rev, c.exists)
    assert.equal(r.metadata.annotations, c.want)
  })
}
revisions('revision-history is capped by dropping the oldest', () => {
  const d = dep(1, 1, 0)
  const r = rs('n', 0, { 'deployment.kubernetes.io/revision': '40', 'deployment.kubernetes.io/revision-history': '10,20,30' })
  setNewReplicaSetAnnotations(d, r, '50', true, 8)
  assert.is(r.metadata.annotations!['deployment.kubernetes.io/revision-history'], '20,30,40')
})
revisions.run()

const templates = suite('templates and hash')
templates('equalIgnoreHash ignores only the hash label', () => {
  const a = { metadata: { labels: { app: 'x', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }
  const b = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }
  const c = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'j' }] } }
  assert.is(equalIgnoreHash(a, b), true)
  assert.is(equalIgnoreHash(a, c), false)
  assert.is(equalIgnoreHash({ metadata: { labels: { 'pod-template-hash': 'z' } } }, { metadata: {} }), true)
})
templates('equalIgnoreHash as Semantic.DeepEqual: null, [] and {} equal an absent field (templates stored before requests were read as Go reads them)', () => {
  const stored = { metadata: { labels: { app: 'x' }, annotations: {}, creationTimestamp: null }, spec: { containers: [{ name: 'c', image: 'i', env: [] }] } }
  const clean = { metadata: { labels: { app: 'x', 'pod-template-hash': 'h' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }
  assert.is(equalIgnoreHash(stored as never, clean), true)
  assert.is(equalIgnoreHash(stored as never, { ...clean, spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'A', value: '1' }] }] } }), false)
  assert.is(equalIgnoreHash(stored as never, { ...clean, spec: { containers: [] } }), false)
})
templates('FNV-32a and the safe alphabet', () => {
  // Known FNV-1a 32-bit vectors.
  assert.is(fnv32a(Buffer.from('')), 0x811c9dc5)
  assert.is(fnv32a(Buffer.from('a')), 0xe40c292c)
  // '0'..'9' are bytes 48..57: 48 % 27 = 21 → '4', 57 % 27 = 3 → 'f'.
  assert.is(safeEncodeString('09'), '4f')
  assert.is(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}')
})
templates('computeHash is stable, key-order free, and changes with collisionCount', () => {
  const t1 = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }
  const t2 = { spec: { containers: [{ image: 'i', name: 'c' }] }, metadata: { labels: { app: 'x' } } }
  const h = computeHash(t1)
  assert.is(h, computeHash(t2))
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/)
  assert.is.not(computeHash(t1, 1), h)
  assert.is.not(computeHash(t1, 1), computeHash(t1, 2))
})
templates.run()

const conditions = suite('conditions and progress')
const t0 = new Date('2024-01-01T00:00:00Z')
const t1 = new Date('2024-01-01T00:05:00Z')
conditions('same status and reason: nothing changes', () => {
  const s: DeploymentStatus = {}
  setDeploymentCondition(s, newDeploymentCondition('Available', 'True', 'MinimumReplicasAvailable', 'm', t0))
  setDeploymentCondition(s, newDeploymentCondition('Available', 'True', 'MinimumReplicasAvailable', 'other', t1))
  assert.equal(s.conditions, [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'm', lastUpdateTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z' }])
})
conditions('same status, new reason: lastTransitionTime kept', () => {
  const s: DeploymentStatus = {}
  setDeploymentCondition(s, newDeploymentCondition('Progressing', 'True', 'NewReplicaSetCreated', 'a', t0))
  setDeploymentCondition(s, newDeploymentCondition('Progressing', 'True', 'ReplicaSetUpdated', 'b', t1))
  assert.is(s.conditions![0].lastTransitionTime, '2024-01-01T00:00:00Z')
  assert.is(s.conditions![0].lastUpdateTime, '2024-01-01T00:05:00Z')
})
conditions('new status: both times move', () => {
  const s: DeploymentStatus = {}
  setDeploymentCondition(s, newDeploymentCondition('Progressing', 'True', 'ReplicaSetUpdated', 'a', t0))
  setDeploymentCondition(s, newDeploymentCondition('Progressing', 'False', 'ProgressDeadlineExceeded', 'b', t1))
  assert.is(s.conditions![0].lastTransitionTime, '2024-01-01T00:05:00Z')
})
const timedOutCases = [
  { name: 'before the deadline', reason: 'ReplicaSetUpdated', now: '2024-01-01T00:10:00Z', want: false },
  { name: 'one second past', reason: 'ReplicaSetUpdated', now: '2024-01-01T00:10:01Z', want: true },
  { name: 'complete never times out', reason: 'NewReplicaSetAvailable', now: '2024-01-02T00:00:00Z', want: false },
  { name: 'already timed out stays so', reason: 'ProgressDeadlineExceeded', now: '2024-01-01T00:00:01Z', want: true },
]
for (const c of timedOutCases) {
  conditions(`deploymentTimedOut: ${c.name}`, () => {
    const d = dep(1, 1, 0)
    const s: DeploymentStatus = { conditions: [newDeploymentCondition('Progressing', 'True', c.reason, '', t0)] }
    assert.is(deploymentTimedOut(d, s, new Date(c.now)), c.want)
  })
}
conditions('deploymentProgressing compares with the stored status', () => {
  const d = dep(4, 1, 1)
  d.status = { replicas: 5, updatedReplicas: 1, readyReplicas: 4, availableReplicas: 4 }
  assert.is(deploymentProgressing(d, { replicas: 5, updatedReplicas: 1, readyReplicas: 4, availableReplicas: 4 }), false)
  assert.is(deploymentProgressing(d, { replicas: 5, updatedReplicas: 2, readyReplicas: 4, availableReplicas: 4 }), true)
  assert.is(deploymentProgressing(d, { replicas: 4, updatedReplicas: 1, readyReplicas: 4, availableReplicas: 4 }), true)
  assert.is(deploymentProgressing(d, { replicas: 5, updatedReplicas: 1, readyReplicas: 5, availableReplicas: 4 }), true)
})
conditions.run()
