/**
 * A create through a staged (dry-run) store checks its namespace from the store on every create
 * (a staged store has no watch cache); what it read is reused only for the same revision and
 * bytes, so the staged store's own writes — a namespace created, marked for deletion, deleted,
 * created again — are seen by the very next create.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { isApiError } from '../../reconciler/api/errors.js'
import type { KObject } from '../../reconciler/api/object.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { StagedStorage } from '../../reconciler/storage/staged.js'

const test = suite('api: namespace checks on a staged store')

const cm = (name: string): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'team' }, data: { a: '1' } })
const NS_KEY = '/registry/namespaces/team'

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run()
    return 'ok'
  } catch (err) {
    return isApiError(err) ? err.reason : `unexpected: ${String(err)}`
  }
}

test('each step of the namespace is seen by the next create', async () => {
  const base = createMemoryStorage()
  await new ApiServer({ storage: base }).bootstrap()
  const staged = new StagedStorage(base)
  const api = new ApiServer({ storage: staged })
  const putNs = async (meta: Record<string, unknown>): Promise<void> => {
    const cur = await staged.get(NS_KEY)
    await staged.txn({ compare: [{ key: NS_KEY, modRevision: cur?.modRevision ?? 0 }], success: [{ type: 'put', key: NS_KEY, value: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', uid: 'u', ...meta } }) }] })
  }
  const cases: Array<{ name: string; step: () => Promise<unknown>; want: string }> = [
    { name: 'no namespace yet', step: async () => {}, want: 'NotFound' },
    { name: 'namespace created in the staged store', step: () => api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }), want: 'ok' },
    { name: 'a label added (same check)', step: () => putNs({ labels: { a: 'b' } }), want: 'ok' },
    { name: 'marked for deletion', step: () => putNs({ deletionTimestamp: '2026-01-01T00:00:00Z' }), want: 'Forbidden' },
    { name: 'deleted', step: () => staged.txn({ success: [{ type: 'delete', key: NS_KEY }] }), want: 'NotFound' },
    { name: 'created again', step: () => putNs({}), want: 'ok' },
  ]
  let i = 0
  for (const c of cases) {
    await c.step()
    // Twice: the second create reads the namespace the first one read.
    assert.is(await outcome(() => api.create(cm(`c${i++}`), { dryRun: true })), c.want, c.name)
    assert.is(await outcome(() => api.create(cm(`c${i++}`))), c.want, `${c.name} (again)`)
  }
})

test.run()
