/** Nulls and empty optional maps and lists are absent, as decoding into Kubernetes' Go types leaves them. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { isApiError } from '../../reconciler/api/errors.js'
import { normalizeAsGoDecodes } from '../../reconciler/api/go-decode.js'
import type { KObject } from '../../reconciler/api/object.js'
import { typeNodeFor } from '../../reconciler/api/schema/index.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'

const test = suite('api: Go decoding of nulls and empty values')

const normalized = (o: Record<string, unknown>): Record<string, unknown> => {
  const copy = structuredClone(o) as unknown as KObject
  normalizeAsGoDecodes(copy, typeNodeFor(copy.kind))
  return copy as unknown as Record<string, unknown>
}

test('a Deployment: nulls go, empty optional maps and lists go, empty structs and required lists stay', () => {
  const out = normalized({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: {}, annotations: {}, finalizers: [], managedFields: [], generateName: null },
    spec: {
      replicas: null,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [] },
      strategy: {},
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' }, annotations: {} },
        spec: {
          nodeSelector: {},
          volumes: [{ name: 'scratch', emptyDir: {} }],
          containers: [{ name: 'web', image: 'nginx', resources: {}, env: [], ports: [], args: null }],
        },
      },
    },
  })
  assert.equal(out, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', managedFields: [] },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      strategy: {},
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { volumes: [{ name: 'scratch', emptyDir: {} }], containers: [{ name: 'web', image: 'nginx', resources: {} }] },
      },
    },
  })
  // A required list keeps its emptiness (validation then reports it).
  const bare = normalized({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } })
  assert.equal(bare.spec, { containers: [] })
})

test('map values and free-form fields are left as they are', () => {
  const cm = normalized({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: '' } }, data: { empty: '' } })
  assert.equal(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: '' } }, data: { empty: '' } })
})

test('through the API: what is stored; a write that only adds {} or null changes nothing; required stays required', async () => {
  const api = new ApiServer({ storage: createMemoryStorage() })
  await api.bootstrap()
  const created = await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: {}, annotations: {} }, data: { a: '1' } } as KObject)
  assert.not.ok('labels' in created.metadata)
  assert.not.ok('annotations' in created.metadata)
  const same = await api.patch('configmaps', 'default', 'c', 'merge', { metadata: { annotations: {}, labels: null } })
  assert.is(same.metadata.resourceVersion, created.metadata.resourceVersion, 'nothing written')
  // A null label value decodes to "" (it was a 500); an unknown field is named under Strict even when null.
  const labelled = await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'l', labels: { a: null } }, data: { k: null } } as unknown as KObject)
  assert.equal([labelled.metadata.labels, labelled.data], [{ a: '' }, { k: '' }])
  const unknown = await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'u' }, bogus: null } as unknown as KObject).catch((e: unknown) => e)
  assert.ok(isApiError(unknown, 'BadRequest'), String(unknown))
  assert.match((unknown as Error).message, /unknown field "bogus"/)
  const err = await api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } } as KObject).catch((e: unknown) => e)
  assert.ok(isApiError(err, 'Invalid'), String(err))
  assert.match((err as Error).message, /spec\.containers: Required value/)
})

test.run()
