/** findObject: an object or undefined, through the client's `find` when it has one, else `get`. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { ApiClient } from '../../../reconciler/api/client.js'
import { ApiError } from '../../../reconciler/api/errors.js'
import { findObject } from '../../../reconciler/controllers/runtime/find-object.js'
import { configMap, makeWorld } from './fixture.js'

const Find = suite('runtime: findObject')

/** A client with only `get` (an HTTP client's shape): `find` is not there to take. */
const getOnly = (api: ApiClient, failWith?: Error): ApiClient =>
  ({ get: (r: string, ns: string | undefined, n: string) => (failWith ? Promise.reject(failWith) : api.get(r, ns, n)) }) as unknown as ApiClient

const cases: Array<{ name: string; client: 'server' | 'get-only'; object: string; found: boolean }> = [
  { name: 'an existing object, from a client with find', client: 'server', object: 'here', found: true },
  { name: 'a missing object, from a client with find', client: 'server', object: 'gone', found: false },
  { name: 'an existing object, from a client with get only', client: 'get-only', object: 'here', found: true },
  { name: 'a missing object, from a client with get only (NotFound becomes undefined)', client: 'get-only', object: 'gone', found: false },
]
for (const c of cases) {
  Find(c.name, async () => {
    const { api } = await makeWorld()
    await api.create(configMap('here'), { fieldManager: 't' })
    const client = c.client === 'server' ? api : getOnly(api)
    const got = await findObject(client, 'configmaps', 'default', c.object)
    assert.is(got?.metadata.name, c.found ? c.object : undefined)
  })
}

Find('another error from get is thrown as it is', async () => {
  const { api } = await makeWorld()
  const err = new ApiError('Forbidden', 'no')
  try {
    await findObject(getOnly(api, err), 'configmaps', 'default', 'x')
    assert.unreachable('should throw')
  } catch (e) {
    assert.is(e, err)
  }
})

Find.run()
