/**
 * The garbage collector's owner index restored by parts (OwnerIndex), differentially: an index
 * built live is saved, sent through JSON and restored into a fresh one; then random changes
 * (dependents recorded with new, the same or no owners, forgotten — owners whose saved lists were
 * never read included) and queries run on both, and every answer must agree, order and all. A
 * save right after a restore is the data restored; a save taken after random changes, restored
 * again, answers as the live index. Nothing is ever reported damaged.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject, OwnerReference } from '../../../reconciler/api/object.js'
import { objectKeyOf, OwnerIndex } from '../../../reconciler/controllers/gc/dependents.js'
import { json, pick, rng } from '../runtime/seeded-random.js'

/** An index's saved data as JSON (its PagedMaps as `[key, value]` pairs). */
const pairsOf = (ix: OwnerIndex) => json(ix.save()) as unknown as { owned: Array<[string, string[]]>; dependents: Array<[string, string[]]> }

const test = suite('gc: lazy restore, differential')


/** Dependents: namespaced ones in two namespaces, and cluster-scoped Nodes. */
const DEPENDENTS: Array<{ kind: string; resource: string; namespace?: string; name: string }> = [
  ...['a', 'b'].flatMap((ns) => [
    ...Array.from({ length: 8 }, (_, i) => ({ kind: 'ConfigMap', resource: 'configmaps', namespace: ns, name: `cm${i}` })),
    ...Array.from({ length: 6 }, (_, i) => ({ kind: 'Pod', resource: 'pods', namespace: ns, name: `p${i}` })),
    ...Array.from({ length: 3 }, (_, i) => ({ kind: 'ReplicaSet', resource: 'replicasets', namespace: ns, name: `rs${i}` })),
  ]),
  ...Array.from({ length: 4 }, (_, i) => ({ kind: 'Node', resource: 'nodes', name: `n${i}` })),
]

/** Owners a reference may name: other dependents, Deployments, NodePools, and a kind capstan does not serve. */
const OWNERS: Array<{ apiVersion: string; kind: string; name: string }> = [
  ...Array.from({ length: 3 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: `cm${i}` })),
  ...Array.from({ length: 2 }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', name: `p${i}` })),
  ...Array.from({ length: 3 }, (_, i) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs${i}` })),
  ...Array.from({ length: 2 }, (_, i) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name: `d${i}` })),
  ...Array.from({ length: 2 }, (_, i) => ({ apiVersion: 'capstan.dev/v1', kind: 'NodePool', name: `pool${i}` })),
  ...Array.from({ length: 3 }, (_, i) => ({ apiVersion: 'v1', kind: 'Node', name: `n${i}` })),
  { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w' },
]

/** Every owner key a dependent of either namespace may name. */
const OWNER_KEYS = [...new Set(['a', 'b', undefined].flatMap((ns) => OWNERS.map((o) => objectKeyOf(o.kind, ['Node', 'NodePool'].includes(o.kind) ? undefined : ns, o.name))))]

function dependent(r: (n: number) => number): { obj: KObject; resource: string } {
  const d = pick(r, DEPENDENTS)
  const refs: OwnerReference[] = []
  const n = r(4) === 0 ? 0 : 1 + r(3)
  for (let i = 0; i < n; i++) {
    const o = pick(r, OWNERS)
    // Now and then the same owner twice (by name: an old and a new uid).
    if (r(8) === 0 || !refs.some((x) => x.kind === o.kind && x.name === o.name)) refs.push({ ...o, uid: `uid-${o.name}-${r(2)}` })
  }
  const obj: KObject = { apiVersion: 'v1', kind: d.kind, metadata: { name: d.name, ...(d.namespace ? { namespace: d.namespace } : {}), ...(refs.length ? { ownerReferences: refs } : {}) } }
  return { obj, resource: d.resource }
}

function restored(saved: ReturnType<OwnerIndex['save']>): OwnerIndex {
  const data = json(saved)
  const idx = new OwnerIndex()
  idx.restore(data.owned, data.dependents)
  return idx
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`owner index, seed ${seed}: a restored index answers and changes as the live one, and saves what the live one does`, () => {
    const r = rng(seed)
    const live = new OwnerIndex()
    for (let i = 0; i < 40; i++) {
      const { obj, resource } = dependent(r)
      live.record(obj, resource)
    }
    const first = json(live.save())
    let idx = restored(first)
    assert.equal(json(idx.save()), first, 'a save before any read is the data restored, order and all')
    for (let step = 0; step < 400; step++) {
      const op = r(10)
      if (op <= 2) {
        const { obj, resource } = dependent(r)
        for (const x of [live, idx]) x.record(obj, resource)
      } else if (op === 3) {
        // The same owners again (a status write): nothing changes, not even the order.
        const key = pick(r, pairsOf(live).owned.map(([k]) => k).concat(['ConfigMap/a/none']))
        const d = DEPENDENTS.find((x) => objectKeyOf(x.kind, x.namespace, x.name) === key)
        const owners = pairsOf(live).owned.find(([k]) => k === key)?.[1] ?? []
        if (d) for (const x of [live, idx]) x.put(key, { resource: d.resource, namespace: d.namespace, name: d.name }, [...owners])
      } else if (op === 4) {
        const d = pick(r, DEPENDENTS)
        const key = objectKeyOf(d.kind, d.namespace, d.name)
        assert.equal(idx.forget(key), live.forget(key), `step ${step}: forget ${key}`)
      } else if (op === 5 && r(3) === 0) {
        assert.equal(json(idx.save()), json(live.save()), `step ${step}: saves the same, order and all`)
        const again = json(idx.save())
        idx = restored(again)
        assert.equal(json(idx.save()), again, `step ${step}: round trip`)
      } else {
        const owner = pick(r, OWNER_KEYS)
        assert.is(idx.hasDependents(owner), live.hasDependents(owner), `step ${step}: has dependents ${owner}`)
        if (r(2)) assert.equal(idx.dependents(owner), live.dependents(owner), `step ${step}: dependents of ${owner}`)
      }
      assert.is(idx.damaged, false, `step ${step}: not damaged`)
    }
    assert.equal(json(idx.save()), json(live.save()), 'the memories end equal')
    assert.is(idx.damaged, false)
  })
}

test.run()
