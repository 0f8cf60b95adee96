/**
 * A create checks its namespace from the namespaces' cache, and its transaction compares the
 * namespace's revision: two API servers over one sqlite file, the second's cache behind the first's
 * deletion, must not leave an object in a namespace that no longer exists (for one create, an
 * Event create, a createMany and an apply that creates).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { isApiError } from '../../reconciler/api/errors.js'
import type { KObject } from '../../reconciler/api/object.js'
import { openSqliteStorage } from '../../reconciler/storage/sqlite.js'

const test = suite('api: the namespace a create checked is compared in its transaction')

const cm = (name: string): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'team' }, data: { a: '1' } })
const event = (name: string): KObject =>
  ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'team' },
    involvedObject: { kind: 'ConfigMap', namespace: 'team', name: 'x', apiVersion: 'v1' },
    reason: 'Test',
    message: 'm',
    source: { component: 'test' },
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
    count: 1,
    type: 'Normal',
  }) as unknown as KObject

/** Two API servers over one sqlite file (no polling: the second sees the first's writes only when it reads the store). */
async function twoServers(fn: (a: ApiServer, b: ApiServer, sb: ReturnType<typeof openSqliteStorage>) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-nsguard-'))
  const sa = openSqliteStorage(join(dir, 'state.db'))
  const sb = openSqliteStorage(join(dir, 'state.db'))
  const a = new ApiServer({ storage: sa })
  const b = new ApiServer({ storage: sb })
  try {
    await a.bootstrap()
    await b.bootstrap()
    await fn(a, b, sb)
  } finally {
    await a.close()
    await b.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

test('a create through a server whose cache has not seen the deletion is refused; nothing is left', async () => {
  await twoServers(async (a, b, sb) => {
    const cases: Array<{ name: string; run: () => Promise<unknown>; key: string }> = [
      { name: 'create', run: () => b.create(cm('c1')), key: '/registry/configmaps/team/c1' },
      { name: 'event create', run: () => b.create(event('e1')), key: '/registry/events/team/e1' },
      { name: 'createMany', run: () => b.createMany([cm('m1'), cm('m2')]), key: '/registry/configmaps/team/m1' },
      { name: 'apply', run: () => b.apply(cm('p1'), { fieldManager: 'test' }), key: '/registry/configmaps/team/p1' },
    ]
    for (const c of cases) {
      await a.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } })
      // b sees the namespace (its cache opens and reads it), then a deletes it; b's cache (no
      // polling here) still has it.
      await b.create(cm(`seed-${c.name.replace(/\W/g, '').toLowerCase()}`))
      await a.delete('namespaces', undefined, 'team')
      let err: unknown
      await c.run().catch((e: unknown) => (err = e))
      assert.ok(isApiError(err) && err.reason === 'NotFound', `${c.name}: ${String(err)}`)
      assert.is(await sb.get(c.key), undefined, `${c.name}: nothing stored`)
    }
  })
})

test('a namespace that only changed (a label) since it was checked does not fail the create', async () => {
  await twoServers(async (a, b, sb) => {
    await a.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } })
    await b.create(cm('first'))
    await a.patch('namespaces', undefined, 'team', 'merge', { metadata: { labels: { tier: 'x' } } })
    const created = await b.create(cm('second'))
    assert.ok(created.metadata.resourceVersion)
  })
})

test.run()
