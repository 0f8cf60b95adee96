import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { trackUpdate } from '../../../reconciler/api/apply/track-update.js'
import { managedByName, runSteps } from './scenario.js'
import { deployment } from './types.js'

const base = (replicas: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '1', labels: { app: 'web' } },
  spec: { replicas, template: { spec: { containers: [{ name: 'web', image: 'nginx', resources: {} }] } } },
  ...extra,
})

const update = suite('trackUpdate')

update('create: every field set is owned, map entries and list items with "."', () => {
  const mf = trackUpdate({ updated: base(1), manager: 'kubectl-create', typeNode: deployment, apiVersion: 'apps/v1', now: new Date('2024-01-01T00:00:00Z') })
  assert.equal(mf, [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2024-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {}, '.': {} } },
        'f:spec': {
          'f:replicas': {},
          // The list node gets "." too: kube-apiserver's Go zero value has `containers: null` there, TypeNode cannot say so.
          'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {}, 'f:name': {}, 'f:resources': {}, '.': {} }, '.': {} } } },
        },
      },
    },
  ])
})

const cases = [
  {
    name: 'a changed field moves from the applier to the updater',
    steps: [
      { apply: 'capstan', config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } } },
      { update: 'kubectl-scale', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 9 } } },
    ],
    managed: { 'kubectl-scale/Update': { 'f:spec': { 'f:replicas': {} } } },
  },
  {
    name: 'unchanged fields keep their owners; a removed field leaves everyone',
    steps: [
      { apply: 'capstan', config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { a: '1', b: '2' } }, spec: { replicas: 2 } } },
      { update: 'kubectl-edit', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { a: '1' } }, spec: { replicas: 2 } } },
    ],
    managed: { 'capstan/Apply': { 'f:metadata': { 'f:labels': { 'f:a': {} } }, 'f:spec': { 'f:replicas': {} } } },
  },
  {
    name: 'a second update by the same manager merges into its entry',
    steps: [
      { update: 'm', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } } },
      { update: 'm', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { x: 'y' } }, spec: { replicas: 1 } } },
    ],
    managed: { 'm/Update': { 'f:metadata': { 'f:labels': { 'f:x': {}, '.': {} } }, 'f:spec': { 'f:replicas': {} } } },
  },
  {
    name: 'status writes through the main resource are not tracked; through the subresource they are',
    steps: [
      { update: 'm', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, status: { replicas: 1 } } },
      { update: 'controller', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, status: { replicas: 2 } }, subresource: 'status' },
    ],
    managed: { 'controller/Update/status': { 'f:status': { 'f:replicas': {} } } },
  },
]

for (const c of cases) {
  update(c.name, () => {
    assert.equal(runSteps(c.steps, deployment).managed, c.managed)
  })
}

update('a write that changes nothing keeps the entry time', () => {
  const first = trackUpdate({ updated: base(1), manager: 'm', typeNode: deployment, apiVersion: 'apps/v1', now: new Date('2024-01-01T00:00:00Z') })
  const old = { ...base(1), metadata: { ...(base(1).metadata as object), managedFields: first } }
  const second = trackUpdate({ old, updated: { ...old, metadata: { ...old.metadata, resourceVersion: '2' } }, manager: 'm', typeNode: deployment, apiVersion: 'apps/v1', now: new Date('2024-02-01T00:00:00Z') })
  assert.equal(second, first)
})

update('managedFields sent by the client are honoured; [] resets them', () => {
  const sent = [{ manager: 'x', operation: 'Update' as const, apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:paused': {} } } }]
  const old = base(1)
  const kept = trackUpdate({ old, updated: { ...old, metadata: { ...(old.metadata as object), managedFields: sent } }, manager: 'm', typeNode: deployment, apiVersion: 'apps/v1', now: new Date(0) })
  assert.equal(managedByName({ metadata: { managedFields: kept } }), { 'x/Update': { 'f:spec': { 'f:paused': {} } } })
  const reset = trackUpdate({ old, updated: { ...old, metadata: { ...(old.metadata as object), managedFields: [] } }, manager: 'm', typeNode: deployment, apiVersion: 'apps/v1', now: new Date(0) })
  assert.equal(reset, [])
})

update('more than 10 update managers fold the oldest into ancient-changes', () => {
  const steps = Array.from({ length: 12 }, (_, i) => ({
    update: `m${String(i).padStart(2, '0')}`,
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: Object.fromEntries(Array.from({ length: i + 1 }, (_, j) => [`l${j}`, 'v'])) } },
  }))
  const managed = runSteps(steps, deployment).managed
  const names = Object.keys(managed)
  assert.is(names.length, 10)
  assert.ok(names.includes('ancient-changes/Update'))
  assert.equal(managed['ancient-changes/Update'], { 'f:metadata': { 'f:labels': { 'f:l0': {}, 'f:l1': {}, 'f:l2': {}, '.': {} } } })
})

update.run()
