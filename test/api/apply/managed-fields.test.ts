import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  decodeManagedFields,
  extractFieldsOwnedBy,
  managerIdentifier,
  ownersOf,
  removeFieldsOwnedOnlyBy,
  sortManagedFields,
  type ManagedFieldsEntry,
} from '../../../reconciler/api/apply/managed-fields.js'
import { mergeTyped } from '../../../reconciler/api/apply/merge.js'
import { runSteps } from './scenario.js'
import { deployment, mapList, setList, struct } from './types.js'
import { scalar } from '../../../reconciler/api/schema/type-node.js'

const mf = suite('managed fields')

mf('manager identifiers match BuildManagerIdentifier', () => {
  assert.is(managerIdentifier({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1' }), '{"manager":"kubectl","operation":"Apply"}')
  assert.is(managerIdentifier({ manager: 'kcm', operation: 'Update', apiVersion: 'apps/v1', subresource: 'status' }), '{"manager":"kcm","operation":"Update","apiVersion":"apps/v1","subresource":"status"}')
})

mf('entries sort by operation, time, manager, apiVersion, subresource', () => {
  const e = (manager: string, operation: 'Apply' | 'Update', time: string, subresource?: string): ManagedFieldsEntry => ({ manager, operation, apiVersion: 'v1', time, fieldsType: 'FieldsV1', fieldsV1: {}, ...(subresource ? { subresource } : {}) })
  const sorted = sortManagedFields([
    e('b', 'Update', '2024-01-01T00:00:02Z'),
    e('z', 'Apply', '2024-01-01T00:00:05Z'),
    e('a', 'Update', '2024-01-01T00:00:02Z', 'status'),
    e('a', 'Update', '2024-01-01T00:00:02Z'),
    e('c', 'Update', '2024-01-01T00:00:01Z'),
  ])
  assert.equal(sorted.map((x) => [x.operation, x.manager, x.subresource ?? '']), [
    ['Apply', 'z', ''],
    ['Update', 'c', ''],
    ['Update', 'a', ''],
    ['Update', 'a', 'status'],
    ['Update', 'b', ''],
  ])
})

mf('bad entries do not decode', () => {
  const bad = [
    { name: 'operation', e: { manager: 'm', operation: 'Patch', apiVersion: 'v1', fieldsType: 'FieldsV1' } },
    { name: 'apiVersion', e: { manager: 'm', operation: 'Apply', fieldsType: 'FieldsV1' } },
    { name: 'fieldsType', e: { manager: 'm', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV2' } },
  ]
  for (const b of bad) assert.throws(() => decodeManagedFields([b.e as ManagedFieldsEntry]), undefined, b.name)
})

const live = runSteps(
  [
    { apply: 'capstan', config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } } } },
    { update: 'hpa', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 6, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } } } },
    { apply: 'other', config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } } } },
  ],
  deployment,
).live as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads deep paths

const owners = suite('ownersOf and ownership views')

const ownerCases = [
  { name: 'replicas belongs to the HPA after it scaled', path: 'spec.replicas', want: ['hpa/Update'] },
  { name: 'a shared label has two owners', path: '.metadata.labels.app', want: ['capstan/Apply', 'other/Apply'] },
  { name: 'a container field by key', path: '.spec.template.spec.containers[name="web"].image', want: ['capstan/Apply'] },
  { name: 'nobody owns status', path: 'status.replicas', want: [] },
]
for (const c of ownerCases) {
  owners(c.name, () => {
    const got = ownersOf(live.metadata.managedFields, c.path).map((o) => `${o.manager}/${o.operation}`).sort()
    assert.equal(got, c.want)
  })
}

owners('removeFieldsOwnedOnlyBy drops what only capstan owns, keeps shared and others', () => {
  const out = removeFieldsOwnedOnlyBy(live, 'capstan', deployment) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads deep paths
  assert.equal(out.metadata.labels, { app: 'web' })
  assert.is(out.spec.replicas, 6)
  assert.is(out.spec.template, undefined)
  assert.equal(out.metadata.managedFields, live.metadata.managedFields)
})

owners('extractFieldsOwnedBy keeps only what the manager owns', () => {
  assert.equal(extractFieldsOwnedBy(live, 'hpa', deployment), { spec: { replicas: 6 } })
})

const merge = suite('mergeTyped')

const listType = struct({ list: mapList(['name'], struct({ name: scalar, v: scalar })), set: setList(), atomic: { kind: 'list', listType: 'atomic', items: () => scalar } })
const n = (...names: string[]) => names.map((name) => ({ name }))
const mergeCases = [
  { name: 'new items append in config order', live: { list: n('a', 'b') }, config: { list: n('c', 'd') }, want: { list: n('a', 'b', 'c', 'd') } },
  { name: 'shared items follow the config order', live: { list: n('a', 'b', 'c') }, config: { list: n('c', 'a') }, want: { list: n('b', 'c', 'a') } },
  { name: 'config items interleave after their shared neighbour', live: { list: n('a', 'x', 'b') }, config: { list: n('a', 'new', 'b') }, want: { list: n('a', 'x', 'new', 'b') } },
  { name: 'items merge field by field', live: { list: [{ name: 'a', v: 1 }] }, config: { list: [{ name: 'a', v: 2 }] }, want: { list: [{ name: 'a', v: 2 }] } },
  { name: 'sets merge by value', live: { set: ['x', 'y'] }, config: { set: ['z', 'x'] }, want: { set: ['z', 'x', 'y'] } },
  { name: 'atomic lists are replaced', live: { atomic: ['x', 'y'] }, config: { atomic: ['z'] }, want: { atomic: ['z'] } },
  { name: 'untyped objects merge by key, untyped lists are replaced', live: { u: { a: 1, l: [1, 2] } }, config: { u: { b: 2, l: [3] } }, want: { u: { a: 1, b: 2, l: [3] } }, type: undefined },
  { name: 'a null list in the config leaves the live items alone', live: { list: n('a'), set: ['x'] }, config: { list: null, set: null }, want: { list: n('a'), set: ['x'] } },
]
for (const c of mergeCases) {
  merge(c.name, () => {
    assert.equal(mergeTyped(c.live as never, c.config as never, 'type' in c ? c.type : listType), c.want)
  })
}

mf.run()
owners.run()
merge.run()
