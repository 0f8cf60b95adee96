/** Drift classification: Modified with the manager from managedFields, Missing, Extra, Tolerated. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../reconciler/api/object.js'
import { classifyDrift, fieldManager } from '../../reconciler/gitops/drift/index.js'
import type { PlanChange } from '../../reconciler/gitops/plan/types.js'

const test = suite('drift classify')
const id = (kind: string, name: string) => ({ group: kind === 'Deployment' ? 'apps' : '', version: 'v1', kind, namespace: 'default', name })
const live: KObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    managedFields: [
      { manager: 'capstan', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } } },
      { manager: 'kubectl-scale', operation: 'Update', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
      { manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:tier': {} } } } },
    ],
  },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
} as KObject

test('managers by path', () => {
  const table: Array<{ name: string; path: string[]; manager: string | undefined }> = [
    { name: 'scale subresource', path: ['spec', 'replicas'], manager: 'kubectl-scale' },
    { name: 'a list item by key', path: ['spec', 'template', 'spec', 'containers', '0', 'image'], manager: 'capstan' },
    { name: 'a label', path: ['metadata', 'labels', 'tier'], manager: 'kubectl-edit' },
    { name: 'nobody', path: ['spec', 'paused'], manager: undefined },
  ]
  for (const c of table) assert.is(fieldManager(live.metadata.managedFields, c.path, live), c.manager, c.name)
})

test('classes', () => {
  const changes = [
    { action: 'update', id: id('Deployment', 'web'), patch: [{ op: 'replace', path: '/spec/replicas', value: 1 }], diff: '' },
    { action: 'create', id: id('ConfigMap', 'gone'), patch: [], diff: '' },
    { action: 'prune', id: id('ConfigMap', 'left'), patch: [], diff: '' },
    { action: 'unchanged', id: id('Service', 'web'), patch: [], diff: '' },
  ] as PlanChange[]
  const findings = classifyDrift({ changes, notes: [{ kind: 'ReplicasOwnedByHPA', id: id('Deployment', 'api'), message: 'deployment.apps/api: spec.replicas belongs to HorizontalPodAutoscaler default/api; capstan does not apply it' }], before: new Map([['apps/Deployment/default/web', live], ['apps/Deployment/default/api', { ...live, metadata: { name: 'api', namespace: 'default' } } as KObject]]) })
  assert.equal(
    findings.map((f) => [f.class, f.id.name, f.field, f.git, f.live, f.manager]),
    [
      ['Modified', 'web', 'spec.replicas', 1, 3, 'kubectl-scale'],
      ['Missing', 'gone', undefined, undefined, undefined, undefined],
      ['Extra', 'left', undefined, undefined, undefined, undefined],
      ['Tolerated', 'api', 'spec.replicas', undefined, 3, 'HorizontalPodAutoscaler default/api'],
    ],
  )
})

test.run()
