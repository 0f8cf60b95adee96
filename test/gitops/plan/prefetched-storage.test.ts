import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { DesiredObject } from '../../../reconciler/gitops/desired.js'
import { prefetchedStorage } from '../../../reconciler/gitops/plan/prefetched-storage.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { StagedStorage } from '../../../reconciler/storage/staged.js'
import type { Storage } from '../../../reconciler/storage/types.js'

const test = suite('prefetchedStorage: a plan reads each crowded prefix once')

const cm = (ns: string, name: string): DesiredObject =>
  ({ id: { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name }, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns } }, source: { file: `${name}.yaml`, doc: 0, line: 1 } }) as DesiredObject
const ns = (name: string): DesiredObject =>
  ({ id: { group: '', version: 'v1', kind: 'Namespace', namespace: '', name }, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, source: { file: `${name}.yaml`, doc: 0, line: 1 } }) as DesiredObject

/** A store that counts point reads and ranges. */
function counted(base: Storage): Storage & { gets: string[]; ranges: string[] } {
  const gets: string[] = []
  const ranges: string[] = []
  return Object.assign(Object.create(null), {
    kind: base.kind,
    gets,
    ranges,
    get: (k: string) => (gets.push(k), base.get(k)),
    range: (p: string, o?: { limit?: number }) => (ranges.push(o?.limit ? `${p} (probe)` : p), base.range(p, o)),
    revision: () => base.revision(),
    txn: (r: Parameters<Storage['txn']>[0]) => base.txn(r),
    watch: (...a: Parameters<Storage['watch']>) => base.watch(...a),
    compact: (r: number) => base.compact(r),
    compactedRevision: () => base.compactedRevision(),
    close: () => base.close(),
  })
}

async function seeded() {
  const mem = createMemoryStorage()
  await mem.txn({ success: [
    { type: 'put', key: '/registry/configmaps/bench/a', value: '{"a":1}' },
    { type: 'put', key: '/registry/configmaps/other/z', value: '{"z":1}' },
    { type: 'put', key: '/registry/namespaces/bench', value: '{"ns":1}' },
    ...Array.from({ length: 9 }, (_, i) => ({ type: 'put' as const, key: `/registry/configmaps/crowded/k${i}`, value: `{"i":${i}}` })),
  ] })
  return counted(mem)
}

const cases: Array<{ name: string; desired: DesiredObject[]; min: number; ranges: string[]; reads: Array<[string, string | undefined]>; pointReads: string[] }> = [
  {
    name: 'a crowded namespace: present and absent keys answered from one range',
    desired: [cm('bench', 'a'), cm('bench', 'b'), cm('other', 'z')],
    min: 2,
    ranges: ['/registry/configmaps/bench/ (probe)', '/registry/configmaps/bench/'],
    reads: [['/registry/configmaps/bench/a', '{"a":1}'], ['/registry/configmaps/bench/b', undefined], ['/registry/configmaps/other/z', '{"z":1}']],
    pointReads: ['/registry/configmaps/other/z'],
  },
  {
    name: 'a cluster-scoped kind',
    desired: [ns('bench'), ns('new')],
    min: 2,
    ranges: ['/registry/namespaces/ (probe)', '/registry/namespaces/'],
    reads: [['/registry/namespaces/bench', '{"ns":1}'], ['/registry/namespaces/new', undefined]],
    pointReads: [],
  },
  {
    name: 'an empty prefix (a cold sync): absent without reading it',
    desired: [cm('fresh', 'a'), cm('fresh', 'b')],
    min: 2,
    ranges: ['/registry/configmaps/fresh/ (probe)'],
    reads: [['/registry/configmaps/fresh/a', undefined], ['/registry/configmaps/fresh/b', undefined]],
    pointReads: [],
  },
  {
    name: 'a prefix crowded with objects git does not hold: point reads as before',
    desired: [cm('crowded', 'k0'), cm('crowded', 'k1')],
    min: 2,
    ranges: ['/registry/configmaps/crowded/ (probe)'],
    reads: [['/registry/configmaps/crowded/k0', '{"i":0}']],
    pointReads: ['/registry/configmaps/crowded/k0'],
  },
  {
    name: 'below the threshold: the store itself, point reads as before',
    desired: [cm('bench', 'a')],
    min: 2,
    ranges: [],
    reads: [['/registry/configmaps/bench/a', '{"a":1}']],
    pointReads: ['/registry/configmaps/bench/a'],
  },
]

for (const c of cases) {
  test(c.name, async () => {
    const base = await seeded()
    const view = await prefetchedStorage(base, c.desired, c.min)
    if (!c.ranges.length || c.pointReads.length === c.reads.length) assert.is(view, base)
    for (const [key, want] of c.reads) assert.is((await view.get(key))?.value, want, key)
    assert.equal(base.ranges, c.ranges)
    assert.equal(base.gets, c.pointReads)
  })
}

test('a store that cannot page (a staging area) is not read ahead', async () => {
  const staged = new StagedStorage(await seeded())
  assert.is(await prefetchedStorage(staged, [cm('bench', 'a'), cm('bench', 'b')], 2), staged)
})

test('a staged commit still refuses a key created after the read-ahead', async () => {
  const base = await seeded()
  const staged = new StagedStorage(await prefetchedStorage(base, [cm('bench', 'a'), cm('bench', 'b')], 2))
  assert.is(await staged.get('/registry/configmaps/bench/b'), undefined)
  await staged.txn({ success: [{ type: 'put', key: '/registry/configmaps/bench/b', value: '{"mine":1}' }] })
  await base.txn({ success: [{ type: 'put', key: '/registry/configmaps/bench/b', value: '{"theirs":1}' }] })
  const res = await staged.commit()
  assert.is(res.succeeded, false)
  assert.is((await base.get('/registry/configmaps/bench/b'))?.value, '{"theirs":1}')
})

test.run()
