/**
 * The ReplicaSet controller's memory restored by parts (selector-index.ts, orphan-index.ts),
 * differentially: indexes built live are saved, sent through JSON and restored into fresh ones;
 * then random changes (ReplicaSets recorded, given a new selector and forgotten; pods seen,
 * adopted, released and deleted — namespaces changed before anything read them included) and
 * queries run on both, and every answer must agree, order and all. A save right after a restore
 * is the data restored; a save taken after random changes, restored again, answers as the live
 * indexes. Nothing is ever reported damaged. The controller itself is driven the same way through
 * its checkpoint, pod watch mapping and the reconciles of deleted ReplicaSets, against a controller
 * primed from the same objects.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject, OwnerReference } from '../../../reconciler/api/object.js'
import type { LabelSelectorSpec } from '../../../reconciler/api/selectors/index.js'
import { createReplicaSetController } from '../../../reconciler/controllers/replicaset/controller.js'
import { OrphanIndex, type OrphanMap } from '../../../reconciler/controllers/replicaset/orphan-index.js'
import { SelectorIndex, type SelectorMap } from '../../../reconciler/controllers/replicaset/selector-index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { json, pick, restoredAgain, restoredFromPrimed, rng } from '../runtime/seeded-random.js'

const test = suite('replicaset: lazy restore, differential')


const NAMESPACES = ['a', 'b', '']
const REPLICASETS = Array.from({ length: 8 }, (_, i) => `rs${i}`)
const PODS = Array.from({ length: 12 }, (_, i) => `p${i}`)
const APPS = ['x', 'y', 'z']

/** Selector specs as a ReplicaSet may spell them (null: none; one that does not parse matches nothing). */
function selectorSpec(r: (n: number) => number): LabelSelectorSpec | null {
  switch (r(7)) {
    case 0:
      return null
    case 1:
      return { matchExpressions: [{ key: 'app', operator: 'In', values: [pick(r, APPS), pick(r, APPS)] }] }
    case 2:
      return { matchLabels: { app: pick(r, APPS) }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }
    case 3:
      return {}
    case 4:
      return { matchExpressions: [{ key: 'app', operator: 'Nope' }] }
    default:
      return { matchLabels: { app: pick(r, APPS) } }
  }
}

function labels(r: (n: number) => number): Record<string, string> {
  const out: Record<string, string> = {}
  if (r(5)) out.app = pick(r, APPS)
  if (r(3) === 0) out.tier = 'fe'
  return out
}

function pod(r: (n: number) => number, ns: string, name: string): KObject {
  const refs: OwnerReference[] = []
  const owner = r(3)
  if (owner === 0) refs.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: pick(r, REPLICASETS), uid: 'u', controller: true })
  else if (owner === 1 && r(2)) refs.push({ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'n', controller: r(2) === 0 })
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(ns ? { namespace: ns } : {}), labels: labels(r), ...(refs.length ? { ownerReferences: refs } : {}) } }
}

interface Indexes {
  selectors: SelectorIndex
  orphans: OrphanIndex
}

const save = (x: Indexes): unknown => json({ selectors: x.selectors.save(), orphans: x.orphans.entries() })

function restored(data: unknown): Indexes {
  const d = json(data) as { selectors: Array<[string, Array<[string, LabelSelectorSpec | null]>]>; orphans: Array<[string, string[]]> }
  const x: Indexes = { selectors: new SelectorIndex(), orphans: new OrphanIndex() }
  x.selectors.restore(new Map(d.selectors) as SelectorMap)
  x.orphans.restore(new Map(d.orphans) as OrphanMap)
  return x
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`indexes, seed ${seed}: restored indexes answer and change as the live ones, and save what the live ones do`, () => {
    const r = rng(seed)
    const live: Indexes = { selectors: new SelectorIndex(), orphans: new OrphanIndex() }
    const pods = new Map<string, KObject>()
    const podChange = (xs: Indexes[]): void => {
      const ns = pick(r, NAMESPACES)
      const p = pod(r, ns, pick(r, PODS))
      const k = `${ns}/${p.metadata.name}`
      const old = pods.get(k)
      if (old && r(4) === 0) {
        pods.delete(k)
        for (const x of xs) x.orphans.observe('DELETED', old)
      } else {
        pods.set(k, p)
        for (const x of xs) x.orphans.observe(old ? 'MODIFIED' : 'ADDED', p)
      }
    }
    for (let i = 0; i < 16; i++) live.selectors.setSpec(pick(r, NAMESPACES), pick(r, REPLICASETS), selectorSpec(r))
    for (let i = 0; i < 24; i++) podChange([live])
    const first = save(live)
    let x = restored(first)
    assert.equal(save(x), first, 'a save before any read is the data restored, order and all')
    for (let step = 0; step < 400; step++) {
      const op = r(10)
      const ns = pick(r, NAMESPACES)
      if (op <= 1) {
        const name = pick(r, REPLICASETS)
        const spec = selectorSpec(r)
        for (const y of [live, x]) y.selectors.setSpec(ns, name, json(spec))
      } else if (op === 2) {
        const name = pick(r, REPLICASETS)
        for (const y of [live, x]) y.selectors.delete(ns || undefined, name)
      } else if (op <= 4) podChange([live, x])
      else if (op === 5 && r(3) === 0) {
        assert.equal(save(x), save(live), `step ${step}: saves the same, order and all`)
        const again = save(x)
        x = restored(again)
        assert.equal(save(x), again, `step ${step}: round trip`)
      } else if (op <= 7) {
        const l = labels(r)
        assert.equal(x.selectors.matching(ns || undefined, l), live.selectors.matching(ns || undefined, l), `step ${step}: ReplicaSets matching ${JSON.stringify(l)} in ${ns}`)
      } else assert.is(x.orphans.noneIn(ns || undefined), live.orphans.noneIn(ns || undefined), `step ${step}: no orphans in ${ns}`)
      assert.is(x.selectors.damaged || x.orphans.damaged, false, `step ${step}: not damaged`)
    }
    assert.equal(save(x), save(live), 'the indexes end equal')
  })
}

function replicaSet(r: (n: number) => number, ns: string, name: string): KObject {
  const settled = r(2) === 0
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, ...(ns ? { namespace: ns } : {}), uid: `uid-${ns}-${name}`, generation: 1 },
    spec: { replicas: 1, selector: selectorSpec(r), template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    status: settled ? { observedGeneration: 1, replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1 } : {},
  }
}

const keys = (reqs: Request[] | undefined): string[] => (reqs ?? []).map((q) => `${q.resource}/${q.namespace ?? ''}/${q.name}`)
const mapOf = (c: Controller, resource: string) => c.watches!.find((w) => w.resource === resource)!.map!

for (const seed of [21, 22, 23]) {
  test(`controller, seed ${seed}: restored through its checkpoint, it maps pod changes as one primed from the same objects`, async () => {
    const r = rng(seed)
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
    const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
    const controller = (): Controller => createReplicaSetController(new ControllerManager({ api, clock }).contextFor('replicaset-controller'))
    const sets = new Map<string, KObject>()
    const pods = new Map<string, KObject>()
    for (let i = 0; i < 14; i++) {
      const ns = pick(r, NAMESPACES)
      const name = pick(r, REPLICASETS)
      sets.set(`${ns}/${name}`, replicaSet(r, ns, name))
    }
    for (let i = 0; i < 24; i++) {
      const ns = pick(r, NAMESPACES)
      const p = pod(r, ns, pick(r, PODS))
      pods.set(`${ns}/${p.metadata.name}`, p)
    }
    /** As an incremental start primes it: every ReplicaSet (in list order), then the pod watch over every pod. */
    const primeAll = (c: Controller): Request[] => {
      c.resumed?.()
      const wanted: Request[] = []
      for (const k of [...sets.keys()].sort()) {
        const rs = sets.get(k)!
        if (c.prime!(rs)) wanted.push({ resource: 'replicasets', namespace: rs.metadata.namespace, name: rs.metadata.name! })
      }
      for (const k of [...pods.keys()].sort()) mapOf(c, 'pods')(pods.get(k)!, undefined, 'ADDED')
      return wanted
    }
    let { c, ref } = restoredFromPrimed(controller, primeAll)
    for (let step = 0; step < 300; step++) {
      const op = r(8)
      if (op <= 4) {
        const ns = pick(r, NAMESPACES)
        const p = pod(r, ns, pick(r, PODS))
        const k = `${ns}/${p.metadata.name}`
        const old = pods.get(k)
        if (old && r(4) === 0) {
          pods.delete(k)
          assert.equal(keys(mapOf(c, 'pods')(old, old, 'DELETED')), keys(mapOf(ref, 'pods')(old, old, 'DELETED')), `step ${step}: ${k} deleted`)
        } else {
          pods.set(k, p)
          const type = old ? 'MODIFIED' : 'ADDED'
          assert.equal(keys(mapOf(c, 'pods')(p, old, type)), keys(mapOf(ref, 'pods')(p, old, type)), `step ${step}: ${k} ${type}`)
        }
      } else if (op === 5) {
        // A ReplicaSet deleted: its reconcile finds it gone and forgets it.
        const k = pick(r, [...sets.keys(), 'a/none'])
        sets.delete(k)
        const slash = k.indexOf('/')
        const req: Request = { resource: 'replicasets', namespace: k.slice(0, slash) || undefined, name: k.slice(slash + 1) }
        for (const x of [c, ref]) await x.reconcile(req)
      } else if (op === 6) {
        const k = pick(r, [...sets.keys(), 'b/none'])
        const slash = k.indexOf('/')
        assert.is(c.accepts?.('MODIFIED', sets.get(k) ?? replicaSet(r, k.slice(0, slash), k.slice(slash + 1)), undefined), ref.accepts?.('MODIFIED', sets.get(k) ?? replicaSet(r, k.slice(0, slash), k.slice(slash + 1)), undefined))
        assert.equal(keys(c.checkpoint!.startRequests!()).sort(), keys(ref.checkpoint!.startRequests!()).sort(), `step ${step}: the start requests`)
      } else if (r(3) === 0) {
        // A save after random changes, restored again: as a controller primed from the objects now.
        ;({ c, ref } = restoredAgain(c, controller, primeAll, `step ${step}`))
      }
      assert.not.ok(c.checkpoint!.damaged!(), `step ${step}: not damaged`)
      assert.equal(canon(c.checkpoint!.save()), canon(ref.checkpoint!.save()), `step ${step}: the memories equal`)
    }
  })
}

/** The saved data with the order that only says when things were first seen taken out. */
function canon(data: unknown): unknown {
  const s = json(data) as Record<string, unknown>
  const text = (x: unknown): string => JSON.stringify(x)
  const byText = (a: unknown, b: unknown): number => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0)
  const inner = (y: unknown): unknown => (!Array.isArray(y) ? y : y.every((z) => typeof z === 'string') ? [...y].sort() : [...y].sort(byText))
  const row = (x: unknown): unknown => (Array.isArray(x) ? x.map(inner) : x)
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Array.isArray(v) ? v.map(row).sort(byText) : v]))
}

test.run()
