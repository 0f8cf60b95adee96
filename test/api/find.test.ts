/** find(): get() without the NotFound, from the watch cache or the store. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { isNotFound } from '../../reconciler/api/errors.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'

const test = suite('find')

test('the object get() returns, or undefined where get() throws NotFound', async () => {
  for (const cacheOpen of [false, true]) {
    const api = new ApiServer({ storage: createMemoryStorage(), now: () => new Date('2026-01-01T00:00:00Z') })
    await api.bootstrap()
    if (cacheOpen) await api.list('configmaps')
    await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: 'b' } })
    const cases: Array<{ name: string; ns: string | undefined; obj: string; exists: boolean }> = [
      { name: 'present', ns: 'default', obj: 'c', exists: true },
      { name: 'no namespace means default', ns: undefined, obj: 'c', exists: true },
      { name: 'absent', ns: 'default', obj: 'missing', exists: false },
      { name: 'another namespace', ns: 'kube-system', obj: 'c', exists: false },
    ]
    for (const c of cases) {
      const what = `${c.name} (cache ${cacheOpen ? 'open' : 'closed'})`
      const found = await api.find('configmaps', c.ns, c.obj)
      const got = await api.get('configmaps', c.ns, c.obj).catch((err: unknown) => (isNotFound(err) ? undefined : err))
      assert.equal(found, got, what)
      assert.is(found !== undefined, c.exists, what)
    }
  }
})

test.run()
