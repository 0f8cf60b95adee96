/** The watch cache applies multi-object transactions whole (one revision, many keys). */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
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

test.run()
