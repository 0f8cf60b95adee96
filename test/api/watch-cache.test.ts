/** The watch cache applies multi-object transactions whole (one revision, many keys). */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { WatchCache } from '../../reconciler/api/watch-cache.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { configMap } from './client-conformance.js'

const test = suite('watch cache')

test('createMany after the cache opened: every object is cached and listed', async () => {
  const api = new ApiServer({ storage: createMemoryStorage() })
  await api.bootstrap()
  assert.equal((await api.list('configmaps', { namespace: 'default' })).items, [])
  const made = await api.createMany([configMap('a'), configMap('b'), configMap('c')])
  assert.is(new Set(made.map((o) => o.metadata.resourceVersion)).size, 1, 'one revision for the txn')
  assert.equal((await api.list('configmaps', { namespace: 'default' })).items.map((o) => o.metadata.name), ['a', 'b', 'c'])
  for (const n of ['a', 'b', 'c']) assert.is((await api.get('configmaps', 'default', n)).metadata.name, n)
})

test('deleting a namespace removes all its objects from the cache at once', async () => {
  const api = new ApiServer({ storage: createMemoryStorage() })
  await api.bootstrap()
  await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } })
  await api.createMany([1, 2, 3].map((i) => ({ ...configMap(`c${i}`), metadata: { name: `c${i}`, namespace: 'shop' } })))
  assert.is((await api.list('configmaps', { namespace: 'shop' })).items.length, 3)
  await api.delete('namespaces', undefined, 'shop')
  assert.is((await api.list('configmaps', { namespace: 'shop' })).items.length, 0)
})

test('the window keeps the last 10,000 events, in order, across many writes', async () => {
  const storage = createMemoryStorage()
  const cache = await WatchCache.open(storage, '/registry/configmaps/')
  const put = (i: number) => ({ type: 'put' as const, key: `/registry/configmaps/default/c${i}`, value: JSON.stringify(configMap(`c${i}`)) })
  const txn = async (from: number, count: number) => (await storage.txn({ success: Array.from({ length: count }, (_, j) => put(from + j)) })).revision
  // 12,135 events: the window holds none of the first revision, the last 3,965 of the second, then all the others.
  const r0 = await txn(30000, 100)
  const r1 = await txn(0, 6000)
  const r2 = await txn(6000, 6000)
  const r3 = await txn(12000, 10)
  for (let i = 0; i < 25; i++) await txn(20000 + i, 1)
  const cases: Array<{ name: string; after: number; count?: number; first?: string }> = [
    { name: 'after the first revision: the second, the third and the singles', after: r1, count: 6000 + 10 + 25, first: 'c6000' },
    { name: 'after the third', after: r3, count: 25, first: 'c20000' },
    { name: 'just inside the window: the 10,000 events kept', after: r0, count: 10_000, first: 'c2035' },
    { name: 'older than the window', after: r0 - 1 },
  ]
  assert.is(cache.oldestResumable, r0, 'the second revision is only partly in the window')
  for (const c of cases) {
    const evs = cache.eventsSince(c.after)
    if (c.count === undefined) {
      assert.is(evs, undefined, c.name)
      continue
    }
    assert.is(evs?.length, c.count, c.name)
    assert.is(evs?.[0].object.metadata.name, c.first, c.name)
    const revs = evs!.map((e) => e.revision)
    assert.equal(revs, [...revs].sort((a, b) => a - b), `${c.name}: in revision order`)
  }
  assert.ok(r2 > r1)
  cache.close()
})

test('label and owner indexes built on first use agree with a scan, whenever they are first used', async () => {
  const obj = (name: string, app: string, owner?: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', labels: { app }, ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: owner, uid: owner }] } : {}) },
  })
  const steps: Array<{ type: 'put'; key: string; value: string } | { type: 'delete'; key: string }> = [
    { type: 'put', key: 'a', value: JSON.stringify(obj('a', 'web', 'u1')) },
    { type: 'put', key: 'b', value: JSON.stringify(obj('b', 'web', 'u1')) },
    { type: 'put', key: 'c', value: JSON.stringify(obj('c', 'api', 'u2')) },
    { type: 'put', key: 'a', value: JSON.stringify(obj('a', 'api', 'u2')) },
    { type: 'delete', key: 'b' },
    { type: 'put', key: 'd', value: JSON.stringify(obj('d', 'web')) },
    // New versions that keep their labels and owners (a status write), then change one of them.
    { type: 'put', key: 'a', value: JSON.stringify({ ...obj('a', 'api', 'u2'), data: { k: 'v' } }) },
    { type: 'put', key: 'c', value: JSON.stringify(obj('c', 'web', 'u1')) },
    { type: 'put', key: 'd', value: JSON.stringify(obj('d', 'web', 'u2')) },
    { type: 'put', key: 'a', value: JSON.stringify(obj('a', 'api')) },
    { type: 'put', key: 'z', value: JSON.stringify({ ...obj('z', 'web', 'u1'), metadata: { ...obj('z', 'web', 'u1').metadata, labels: { app: 'web', tier: 'x' } } }) },
  ]
  for (let firstUse = 0; firstUse <= steps.length; firstUse++) {
    const name = `indexes first used after ${firstUse} write(s)`
    const storage = createMemoryStorage()
    // Two writes before the cache opens: it loads them.
    await storage.txn({ success: [{ type: 'put', key: '/registry/configmaps/default/z', value: JSON.stringify(obj('z', 'web', 'u1')) }] })
    const cache = await WatchCache.open(storage, '/registry/configmaps/')
    const check = async () => {
      const all = await cache.list()
      for (const app of ['web', 'api']) {
        assert.equal((await cache.list({ labelTerms: [['app', app]] })).map((o) => o.metadata.name), all.filter((o) => o.metadata.labels?.app === app).map((o) => o.metadata.name), `${name}: app=${app}`)
      }
      for (const uid of ['u1', 'u2']) {
        assert.equal((await cache.ownedBy(uid)).map((o) => o.metadata.name), all.filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === uid)).map((o) => o.metadata.name), `${name}: owned by ${uid}`)
      }
    }
    for (let i = 0; i < steps.length; i++) {
      if (i === firstUse) await check()
      const st = steps[i]
      await storage.txn({ success: [{ ...st, key: `/registry/configmaps/default/${st.key}` }] })
      await new Promise((r) => setTimeout(r, 0))
    }
    assert.equal((await cache.list()).map((o) => o.metadata.name), ['a', 'c', 'd', 'z'], `${name}: every write applied`)
    await check()
    cache.close()
  }
})

test.run()
