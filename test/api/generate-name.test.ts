/**
 * generateName: a generated name that another writer took is generated again (kube-apiserver's
 * createWithGenerateNameRetry, RetryGenerateName GA in 1.32), up to 8 attempts in all; a create
 * that names its object is never retried. createMany (all or none) tries its transaction again.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { ApiError } from '../../reconciler/api/errors.js'
import type { KObject } from '../../reconciler/api/object.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import type { Storage, TxnRequest } from '../../reconciler/storage/types.js'

const test = suite('api: generateName retries')

const PREFIX = '/registry/configmaps/default/'

/**
 * A store where another writer takes the next `collisions` names right before our create of them:
 * a create (compare modRevision 0) of a ConfigMap key first sees that key written by someone else.
 */
function racingStorage(collisions: number): { storage: Storage; attempts: string[] } {
  const inner = createMemoryStorage()
  const attempts: string[] = []
  let left = collisions
  const storage = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'txn') return Reflect.get(target, prop, receiver)
      return async (req: TxnRequest) => {
        const create = req.compare?.find((c) => c.key.startsWith(PREFIX) && c.modRevision === 0)
        if (create) {
          attempts.push(create.key.slice(PREFIX.length))
          if (left > 0) {
            left--
            await target.txn({ success: [{ type: 'put', key: create.key, value: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: create.key.slice(PREFIX.length), namespace: 'default', uid: 'other' } }) }] })
          }
        }
        return target.txn(req)
      }
    },
  })
  return { storage, attempts }
}

const generated = (): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cfg-', namespace: 'default' }, data: { a: '1' } })

async function api(storage: Storage): Promise<ApiServer> {
  const a = new ApiServer({ storage, now: () => new Date('2026-01-01T00:00:00Z') })
  await a.bootstrap()
  return a
}

const cases = [
  { name: 'no collision: one attempt', collisions: 0, attempts: 1, ok: true },
  { name: 'three names taken: the fourth is used', collisions: 3, attempts: 4, ok: true },
  { name: 'seven taken: the eighth and last attempt is used', collisions: 7, attempts: 8, ok: true },
  { name: 'eight taken: AlreadyExists after eight attempts', collisions: 8, attempts: 8, ok: false },
]

for (const c of cases) {
  test(c.name, async () => {
    const { storage, attempts } = racingStorage(c.collisions)
    const server = await api(storage)
    const out = await server.create(generated(), { fieldManager: 'test' }).then(
      (o) => o,
      (e: unknown) => e,
    )
    assert.is(attempts.length, c.attempts)
    assert.is(new Set(attempts).size, attempts.length, 'a new name each attempt')
    for (const n of attempts) assert.match(n, /^cfg-[a-z0-9]{5}$/)
    if (c.ok) {
      assert.ok(!(out instanceof Error), 'created')
      assert.is((out as KObject).metadata.name, attempts[attempts.length - 1])
      assert.equal((await server.get('configmaps', 'default', attempts[attempts.length - 1])).data, { a: '1' })
    } else {
      assert.ok(out instanceof ApiError && out.reason === 'AlreadyExists' && out.code === 409, 'AlreadyExists')
    }
  })
}

test("a retried create's warnings are given once", async () => {
  const { storage, attempts } = racingStorage(3)
  const server = await api(storage)
  const warnings: string[] = []
  await server.create({ ...generated(), extra: 'x' } as KObject, { fieldManager: 'test', fieldValidation: 'Warn', warnings })
  assert.is(attempts.length, 4)
  assert.equal(warnings, ['unknown field "extra"'])
})

test('createMany: a taken generated name fails the transaction, which is tried again with new names', async () => {
  const { storage, attempts } = racingStorage(2)
  const server = await api(storage)
  const made = await server.createMany([generated(), generated()], { fieldManager: 'test' })
  // Each attempt's transaction is seen once, by its first generated key.
  assert.is(attempts.length, 3)
  assert.is(made.length, 2)
  for (const m of made) assert.equal((await server.get('configmaps', 'default', m.metadata.name!)).data, { a: '1' })
})

test('createMany: a named object that is taken fails at once', async () => {
  const { storage, attempts } = racingStorage(1)
  const server = await api(storage)
  const err = await server.createMany([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fixed', namespace: 'default' } }, generated()], { fieldManager: 'test' }).then(
    () => undefined,
    (e: unknown) => e,
  )
  assert.ok(err instanceof ApiError && err.reason === 'AlreadyExists')
  assert.equal(attempts, ['fixed'])
})

test('a create that names its object is not retried', async () => {
  const { storage, attempts } = racingStorage(1)
  const server = await api(storage)
  const err = await server.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fixed', namespace: 'default' } }, { fieldManager: 'test' }).then(
    () => undefined,
    (e: unknown) => e,
  )
  assert.ok(err instanceof ApiError && err.reason === 'AlreadyExists')
  assert.equal(attempts, ['fixed'])
})

test.run()
