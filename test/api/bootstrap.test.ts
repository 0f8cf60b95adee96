/** bootstrap(): the system namespaces, each created when missing (a first bootstrap killed part-way, two processes at once). */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'

const test = suite('bootstrap')
const now = (): Date => new Date('2026-01-01T00:00:00Z')
const namespaces = async (api: ApiServer): Promise<string[]> => (await api.list('namespaces')).items.map((n) => n.metadata.name!).sort()
const ALL = ['default', 'kube-node-lease', 'kube-public', 'kube-system']

test('a new state gets the four system namespaces', async () => {
  const api = new ApiServer({ storage: createMemoryStorage(), now })
  await api.bootstrap()
  assert.equal(await namespaces(api), ALL)
})

test('a state with `default` only (a first bootstrap killed after its first create) gets the others', async () => {
  const storage = createMemoryStorage()
  const first = new ApiServer({ storage, now })
  await first.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } })
  const next = new ApiServer({ storage, now })
  await next.bootstrap()
  assert.equal(await namespaces(next), ALL)
})

test('two servers bootstrapping one state at once both succeed', async () => {
  const storage = createMemoryStorage()
  const a = new ApiServer({ storage, now })
  const b = new ApiServer({ storage, now })
  await Promise.all([a.bootstrap(), b.bootstrap()])
  assert.equal(await namespaces(a), ALL)
})

test.run()
