/** OrphanIndex: which namespaces have objects without a controller, as a watch sees them. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { OrphanIndex } from '../../../reconciler/controllers/replicaset/orphan-index.js'

const Orphans = suite('replicaset: orphan index')

type Change = ['ADDED' | 'MODIFIED' | 'DELETED' | undefined, KObject]

function pod(name: string, { namespace = 'default', controller = false, owner = false }: { namespace?: string; controller?: boolean; owner?: boolean } = {}): KObject {
  const metadata: KObject['metadata'] = { name, namespace }
  if (controller || owner) metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', ...(controller ? { controller: true } : {}) }]
  return { apiVersion: 'v1', kind: 'Pod', metadata }
}

const cases: Array<{ name: string; changes: Change[]; none: Record<string, boolean> }> = [
  { name: 'nothing seen yet: nothing is known', changes: [], none: { default: false, other: false } },
  { name: 'only controlled objects: no orphans anywhere', changes: [['ADDED', pod('a', { controller: true })]], none: { default: true, other: true } },
  { name: 'an orphan marks its namespace only', changes: [['ADDED', pod('a')]], none: { default: false, other: true } },
  { name: 'a non-controller owner reference is still an orphan', changes: [['ADDED', pod('a', { owner: true })]], none: { default: false } },
  { name: 'adopted (now controlled): no longer an orphan', changes: [['ADDED', pod('a')], ['MODIFIED', pod('a', { controller: true })]], none: { default: true } },
  { name: 'released (controller removed): an orphan again', changes: [['ADDED', pod('a', { controller: true })], ['MODIFIED', pod('a')]], none: { default: false } },
  { name: 'a deleted orphan is gone', changes: [['ADDED', pod('a')], ['DELETED', pod('a')]], none: { default: true } },
  { name: 'one of two orphans deleted: the namespace still has one', changes: [['ADDED', pod('a')], ['ADDED', pod('b')], ['DELETED', pod('a')]], none: { default: false } },
  { name: 'a replayed ADDED (no type) counts as seen', changes: [[undefined, pod('a', { namespace: 'other' })]], none: { default: true, other: false } },
]

for (const c of cases) {
  Orphans(c.name, () => {
    const index = new OrphanIndex()
    for (const [type, obj] of c.changes) index.observe(type, obj)
    for (const [ns, want] of Object.entries(c.none)) assert.is(index.noneIn(ns), want, ns)
  })
}

Orphans.run()
