/**
 * The Deployment controller's memory restored by parts (memory.ts, and the ReplicaSet orphan index
 * it holds), differentially: a memory built live is saved, sent through JSON and restored into a
 * fresh one; then random changes (Deployments recorded, changed and forgotten; ReplicaSets' owners
 * set and cleared; orphans seen, adopted and deleted — records changed or removed before anything
 * read them included) and queries run on both, and every answer must agree. A save right after a
 * restore is the data restored; a save taken after random changes, restored again, answers as the
 * live memory. Nothing is ever reported damaged. The controller itself is driven the same way
 * through its checkpoint and watch mappings, against a controller primed from the same objects.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject, OwnerReference } from '../../../reconciler/api/object.js'
import type { LabelSelectorSpec } from '../../../reconciler/api/selectors/index.js'
import type { DeploymentCheckpoint, Known } from '../../../reconciler/controllers/deployment/checkpoint.js'
import { createDeploymentController } from '../../../reconciler/controllers/deployment/controller.js'
import { DeploymentMemory } from '../../../reconciler/controllers/deployment/memory.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { canonRows, json, pick, restoredAgain, restoredFromPrimed, rng } from '../runtime/seeded-random.js'

const test = suite('deployment: lazy restore, differential')


const NAMESPACES = ['a', 'b', '']
const DEPLOYMENTS = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5']
const REPLICASETS = Array.from({ length: 12 }, (_, i) => `rs${i}`)
const APPS = ['x', 'y', 'z']

/** Selector specs as a Deployment may spell them (expressions included; null: none). */
function selectorSpec(r: (n: number) => number): LabelSelectorSpec | null {
  switch (r(6)) {
    case 0:
      return null
    case 1:
      return { matchExpressions: [{ key: 'app', operator: 'In', values: [pick(r, APPS), pick(r, APPS)] }] }
    case 2:
      return { matchLabels: { app: pick(r, APPS) }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }
    case 3:
      return { matchLabels: { app: pick(r, APPS), tier: 'fe' } }
    default:
      return { matchLabels: { app: pick(r, APPS) } }
  }
}

const known = (r: (n: number) => number): Known => [selectorSpec(r), r(3) === 0]

/** A memory's answers to one random question, comparable. */
function answer(m: DeploymentMemory, r: (n: number) => number): unknown {
  switch (r(4)) {
    case 0:
      return { get: m.get(`${pick(r, NAMESPACES)}/${pick(r, DEPLOYMENTS)}`) ?? null }
    case 1:
      return { inNamespace: [...m.inNamespace(pick(r, NAMESPACES))] }
    case 2:
      return { ownerOf: m.ownerOf(`uid-${pick(r, NAMESPACES)}-${pick(r, REPLICASETS)}`) ?? null }
    default:
      return { noneIn: NAMESPACES.map((ns) => m.orphanRSs.noneIn(ns)), incomplete: [...m.incomplete] }
  }
}

function restored(saved: unknown): DeploymentMemory {
  const m = new DeploymentMemory()
  assert.ok(m.restore(json(saved) as Omit<DeploymentCheckpoint, 'format'>), 'restored')
  return m
}

function replicaSet(r: (n: number) => number, ns: string, name: string, rv: number): KObject {
  const refs: OwnerReference[] = []
  const owner = r(4)
  if (owner <= 1) refs.push({ apiVersion: 'apps/v1', kind: 'Deployment', name: pick(r, DEPLOYMENTS), uid: 'u', controller: true })
  else if (owner === 2) refs.push({ apiVersion: 'example.com/v1', kind: 'Other', name: 'o', uid: 'o', controller: r(2) === 0 })
  const labels: Record<string, string> = r(6) ? { app: pick(r, APPS) } : {}
  if (r(3) === 0) labels.tier = 'fe'
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, ...(ns ? { namespace: ns } : {}), uid: `uid-${ns}-${name}`, resourceVersion: String(rv), labels, ...(refs.length ? { ownerReferences: refs } : {}) } }
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`memory, seed ${seed}: a restored memory answers and changes as the live one, and saves what the live one does`, () => {
    const r = rng(seed)
    const live = new DeploymentMemory()
    const rsKey = (rs: KObject): string => `${rs.metadata.namespace ?? ''}/${rs.metadata.name}`
    const sets = new Map<string, KObject>()
    let rv = 1
    const rsChange = (ms: DeploymentMemory[]): void => {
      const rs = replicaSet(r, pick(r, NAMESPACES), pick(r, REPLICASETS), rv++)
      const old = sets.get(rsKey(rs))
      const type = r(5) === 0 ? 'DELETED' : old ? 'MODIFIED' : 'ADDED'
      const obj = type === 'DELETED' ? (old ?? rs) : rs
      if (type === 'DELETED') sets.delete(rsKey(rs))
      else sets.set(rsKey(rs), rs)
      const ref = obj.metadata.ownerReferences?.find((x) => x.controller)
      for (const m of ms) {
        m.orphanRSs.observe(type, obj)
        m.setOwner(obj.metadata.uid!, type !== 'DELETED' && ref?.kind === 'Deployment' ? `${obj.metadata.namespace ?? ''}/${ref.name}` : undefined)
      }
    }
    for (let i = 0; i < 20; i++) live.put(`${pick(r, NAMESPACES)}/${pick(r, DEPLOYMENTS)}`, known(r), r(2) === 0)
    for (let i = 0; i < 30; i++) rsChange([live])
    const first = json(live.save())
    let m = restored(first)
    assert.equal(json(m.save()), first, 'a save before any read is the data restored, order and all')
    for (let step = 0; step < 400; step++) {
      const op = r(10)
      const key = `${pick(r, NAMESPACES)}/${pick(r, DEPLOYMENTS)}`
      if (op <= 1) {
        const k = known(r)
        const complete = r(2) === 0
        for (const x of [live, m]) x.put(key, json(k), complete)
      } else if (op === 2) {
        for (const x of [live, m]) x.delete(key)
      } else if (op <= 4) rsChange([live, m])
      else if (op === 5 && r(3) === 0) {
        assert.equal(json(m.save()), json(live.save()), `step ${step}: saves the same, order and all`)
        const again = json(m.save())
        m = restored(again)
        assert.equal(json(m.save()), again, `step ${step}: round trip`)
      } else {
        const q = rng(seed * 7919 + step)
        const q2 = rng(seed * 7919 + step)
        assert.equal(json(answer(m, q)), json(answer(live, q2)), `step ${step}`)
      }
      assert.is(m.damaged || m.orphanRSs.damaged, false, `step ${step}: not damaged`)
    }
    assert.equal(json(m.save()), json(live.save()), 'the memories end equal')
  })
}

/** A Deployment as prime is shown it: complete when its status says so, incomplete when paused or not there yet. */
function deployment(r: (n: number) => number, ns: string, name: string): KObject {
  const complete = r(2) === 0
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(ns ? { namespace: ns } : {}), generation: 1 },
    spec: {
      replicas: 1,
      selector: selectorSpec(r),
      ...(r(3) === 0 ? { strategy: { type: 'Recreate' } } : {}),
      ...(r(8) === 0 ? { paused: true } : {}),
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    },
    status: complete
      ? { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] }
      : {},
  }
}

function pod(rs: KObject, name: string): KObject {
  const ref: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true }
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(rs.metadata.namespace ? { namespace: rs.metadata.namespace } : {}), ownerReferences: [ref] } }
}

const keys = (reqs: Request[] | undefined): string[] => (reqs ?? []).map((q) => `${q.namespace ?? ''}/${q.name}`)
const mapOf = (c: Controller, resource: string) => c.watches!.find((x) => x.resource === resource)!.map!

for (const seed of [21, 22, 23]) {
  test(`controller, seed ${seed}: restored through its checkpoint, it maps changes as one primed from the same objects`, async () => {
    const r = rng(seed)
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
    const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
    const controller = (): Controller => createDeploymentController(new ControllerManager({ api, clock }).contextFor('deployment-controller'))
    const deployments = new Map<string, KObject>()
    const sets = new Map<string, KObject>()
    let rv = 1
    for (let i = 0; i < 12; i++) {
      const ns = pick(r, NAMESPACES)
      const name = pick(r, DEPLOYMENTS)
      deployments.set(`${ns}/${name}`, deployment(r, ns, name))
    }
    for (let i = 0; i < 20; i++) {
      const rs = replicaSet(r, pick(r, NAMESPACES), pick(r, REPLICASETS), rv++)
      sets.set(`${rs.metadata.namespace ?? ''}/${rs.metadata.name}`, rs)
    }
    /** As an incremental start primes it: every Deployment (in list order), then the watch over every ReplicaSet. */
    const primeAll = (c: Controller): Request[] => {
      c.resumed?.()
      const wanted: Request[] = []
      for (const k of [...deployments.keys()].sort()) {
        const d = deployments.get(k)!
        if (c.prime!(d)) wanted.push({ resource: 'deployments', namespace: d.metadata.namespace, name: d.metadata.name! })
      }
      for (const k of [...sets.keys()].sort()) mapOf(c, 'replicasets')(sets.get(k)!, undefined, 'ADDED')
      return wanted
    }
    let { c, ref } = restoredFromPrimed(controller, primeAll)
    for (let step = 0; step < 300; step++) {
      const op = r(8)
      if (op <= 3) {
        const rs = replicaSet(r, pick(r, NAMESPACES), pick(r, REPLICASETS), rv++)
        const k = `${rs.metadata.namespace ?? ''}/${rs.metadata.name}`
        const old = sets.get(k)
        if (old && r(5) === 0) {
          sets.delete(k)
          // Live, at the deletion's revision; or replaced since the last run (the informer's DELETED with the last state as both).
          const gone = r(2) ? { ...old, metadata: { ...old.metadata, resourceVersion: String(rv++) } } : old
          assert.equal(keys(mapOf(c, 'replicasets')(gone, old, 'DELETED')), keys(mapOf(ref, 'replicasets')(gone, old, 'DELETED')), `step ${step}: ${k} deleted`)
        } else {
          sets.set(k, rs)
          const type = old ? 'MODIFIED' : 'ADDED'
          assert.equal(keys(mapOf(c, 'replicasets')(rs, old, type)), keys(mapOf(ref, 'replicasets')(rs, old, type)), `step ${step}: ${k} ${type}`)
        }
      } else if (op <= 5) {
        const rs = sets.get(pick(r, [...sets.keys()]))
        if (!rs) continue
        const p = pod(rs, `pod-${step}`)
        assert.equal(keys(mapOf(c, 'pods')(p, p, 'DELETED')), keys(mapOf(ref, 'pods')(p, p, 'DELETED')), `step ${step}: a pod of ${rs.metadata.name} deleted`)
      } else if (op === 6) {
        // A Deployment deleted: its reconcile finds it gone and forgets it.
        const k = pick(r, [...deployments.keys(), 'a/none'])
        deployments.delete(k)
        const slash = k.indexOf('/')
        const req: Request = { resource: 'deployments', namespace: k.slice(0, slash) || undefined, name: k.slice(slash + 1) }
        for (const x of [c, ref]) await x.reconcile(req)
      } else if (r(3) === 0) {
        // A save after random changes, restored again: as a controller primed from the objects now.
        ;({ c, ref } = restoredAgain(c, controller, primeAll, `step ${step}`))
      }
      assert.not.ok(c.checkpoint!.damaged!(), `step ${step}: not damaged`)
      assert.equal(canonRows(c.checkpoint!.save()), canonRows(ref.checkpoint!.save()), `step ${step}: the memories equal`)
    }
  })
}

/**
 * Found by the test above: a ReplicaSet deleted and created again between two runs reaches the
 * mapping as a DELETED of its last state with that same state as `old` (informer.ts, release). The
 * mapping took it for the same state again and returned before forgetting the old ReplicaSet's
 * owner: the memory kept the old uid for good, so what it saved was no longer what a priming
 * gives (and the Deployment was not woken by the deletion).
 */
test('a ReplicaSet replaced since the last run: its old uid is forgotten, and its Deployment woken', async () => {
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
  const controller = (): Controller => createDeploymentController(new ControllerManager({ api, clock }).contextFor('deployment-controller'))
  const ref: OwnerReference = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true }
  const rs = (uid: string, rv: string): KObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'a', uid, resourceVersion: rv, labels: { app: 'x' }, ownerReferences: [ref] } })
  const old = rs('old-uid', '5')
  const c = controller()
  c.resumed?.()
  mapOf(c, 'replicasets')(old, undefined, 'ADDED')
  assert.equal(keys(mapOf(c, 'replicasets')(old, old, 'DELETED')), ['a/web'], 'the Deployment is woken')
  mapOf(c, 'replicasets')(rs('new-uid', '9'), undefined, 'ADDED')
  const primed = controller()
  primed.resumed?.()
  mapOf(primed, 'replicasets')(rs('new-uid', '9'), undefined, 'ADDED')
  assert.equal(json(c.checkpoint!.save()), json(primed.checkpoint!.save()), 'the memory a priming gives: the new uid only')
})


test.run()
