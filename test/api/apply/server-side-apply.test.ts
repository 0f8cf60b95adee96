import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { apply } from '../../../reconciler/api/apply/server-side-apply.js'
import { conflictError } from '../../../reconciler/api/apply/conflicts.js'
import { body, runSteps, type Step } from './scenario.js'
import { deployment } from './types.js'

/** A Deployment configuration; `spec` and `labels` override parts of it. */
function dep(spec: Record<string, unknown> = {}, labels: Record<string, string> = { app: 'web' }, containers?: unknown[]): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels },
    spec: {
      ...spec,
      template: { spec: { containers: containers ?? [{ name: 'web', image: 'nginx:1' }] } },
    },
  }
}

const webFields = { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } }
const templateFields = (containers: Record<string, unknown> = webFields) => ({ 'f:template': { 'f:spec': { 'f:containers': containers } } })

const create = suite('apply: create and re-apply')

create('create: the object is the configuration, owned by the applier', () => {
  const now = new Date('2024-05-01T10:00:00.123Z')
  const res = apply({ config: dep(), manager: 'capstan', typeNode: deployment, apiVersion: 'apps/v1', now })
  assert.equal(res.conflicts, [])
  assert.ok(res.changed)
  assert.equal(body(res.object), dep())
  assert.equal(res.managedFields, [
    {
      manager: 'capstan',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': templateFields() },
    },
  ])
  assert.equal((res.object.metadata as Record<string, unknown>).managedFields, res.managedFields)
})

create('re-applying the same configuration changes nothing, not even the time', () => {
  const first = apply({ config: dep({ replicas: 2 }), manager: 'capstan', typeNode: deployment, apiVersion: 'apps/v1', now: new Date('2024-05-01T10:00:00Z') })
  const again = apply({ live: first.object, config: dep({ replicas: 2 }), manager: 'capstan', typeNode: deployment, apiVersion: 'apps/v1', now: new Date('2024-05-02T10:00:00Z') })
  assert.not.ok(again.changed)
  assert.equal(again.object, first.object)
  assert.is(again.managedFields[0].time, '2024-05-01T10:00:00Z')
})

create('status, resourceVersion, uid are never owned; the manager defaults to "unknown"', () => {
  const cfg: Record<string, unknown> = { ...dep(), status: { replicas: 3 } }
  ;(cfg.metadata as Record<string, unknown>).resourceVersion = '5'
  ;(cfg.metadata as Record<string, unknown>).uid = 'u-1'
  const res = apply({ config: cfg, manager: '', typeNode: deployment, apiVersion: 'apps/v1', now: new Date(0) })
  assert.is(res.managedFields[0].manager, 'unknown')
  assert.equal(res.managedFields[0].fieldsV1, { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': templateFields() })
})

create('managedFields in the configuration and a wrong apiVersion are BadRequests', () => {
  const withMf = dep()
  ;(withMf.metadata as Record<string, unknown>).managedFields = []
  for (const [name, cfg] of [['managedFields', withMf], ['apiVersion', { ...dep(), apiVersion: 'apps/v1beta1' }]] as const) {
    try {
      apply({ config: cfg, manager: 'm', typeNode: deployment, apiVersion: 'apps/v1', now: new Date(0) })
      assert.unreachable(name)
    } catch (err) {
      assert.is((err as { reason?: string }).reason, 'BadRequest', name)
    }
  }
})

interface Case {
  name: string
  steps: Step[]
  object?: (o: Record<string, any>) => void // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions read deep paths
  managed?: Record<string, unknown>
}

/** The object kubectl edit (an Update) leaves after changing replicas. */
function edited(replicas: number, labels: Record<string, string> = { app: 'web' }): Record<string, unknown> {
  return dep({ replicas }, labels)
}

const cases: Case[] = [
  {
    name: 'a field another manager updated is a conflict',
    steps: [
      { apply: 'capstan', config: dep({ replicas: 2 }) },
      { update: 'kubectl-edit', object: edited(5) },
      { apply: 'capstan', config: dep({ replicas: 3 }), wantConflicts: ['.spec.replicas'] },
    ],
    object: (o) => assert.is(o.spec.replicas, 5),
    managed: {
      'capstan/Apply': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': templateFields() },
      'kubectl-edit/Update': { 'f:spec': { 'f:replicas': {} } },
    },
  },
  {
    name: 'with force, ownership moves to the applier',
    steps: [
      { apply: 'capstan', config: dep({ replicas: 2 }) },
      { update: 'kubectl-edit', object: edited(5) },
      { apply: 'capstan', config: dep({ replicas: 3 }), force: true },
    ],
    object: (o) => assert.is(o.spec.replicas, 3),
    managed: { 'capstan/Apply': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {}, ...templateFields() } } },
  },
  {
    name: 'applying the value another manager set shares the field',
    steps: [
      { apply: 'capstan', config: dep() },
      { update: 'kubectl-edit', object: edited(5) },
      { apply: 'capstan', config: dep({ replicas: 5 }) },
    ],
    managed: {
      'capstan/Apply': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {}, ...templateFields() } },
      'kubectl-edit/Update': { 'f:spec': { 'f:replicas': {} } },
    },
  },
  {
    name: 'two appliers share a field; a third value conflicts with both',
    steps: [
      { apply: 'a', config: dep({ replicas: 3 }) },
      { apply: 'b', config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } } },
      { apply: 'c', config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 4 } }, wantConflicts: ['.spec.replicas', '.spec.replicas'] },
    ],
    managed: {
      'a/Apply': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {}, ...templateFields() } },
      'b/Apply': { 'f:spec': { 'f:replicas': {} } },
    },
  },
  {
    name: 'a label dropped from the configuration is removed when nobody else owns it',
    steps: [
      { apply: 'capstan', config: dep({}, { app: 'web', tier: 'fe' }) },
      { apply: 'capstan', config: dep({}, { app: 'web' }) },
    ],
    object: (o) => assert.equal(o.metadata.labels, { app: 'web' }),
  },
  {
    name: 'a dropped label another applier also applies stays, owned by it',
    steps: [
      { apply: 'capstan', config: dep({}, { app: 'web', tier: 'fe' }) },
      { apply: 'other', config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { tier: 'fe' } } } },
      { apply: 'capstan', config: dep({}, { app: 'web' }) },
    ],
    object: (o) => assert.equal(o.metadata.labels, { app: 'web', tier: 'fe' }),
    managed: {
      'capstan/Apply': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': templateFields() },
      'other/Apply': { 'f:metadata': { 'f:labels': { 'f:tier': {} } } },
    },
  },
  {
    name: 'a dropped field an updater took stays (kubectl scale, then capstan stops applying replicas)',
    steps: [
      { apply: 'capstan', config: dep({ replicas: 2 }) },
      { update: 'kubectl-scale', object: edited(7) },
      { apply: 'capstan', config: dep() },
    ],
    object: (o) => assert.is(o.spec.replicas, 7),
  },
  {
    name: 'a dropped field that was shared with an updater at the same value stays',
    steps: [
      { update: 'kubectl-create', object: dep({ replicas: 2 }) },
      { apply: 'capstan', config: dep({ replicas: 2 }) },
      { apply: 'capstan', config: dep() },
    ],
    object: (o) => assert.is(o.spec.replicas, 2),
  },
  {
    name: 'containers: an item added by name keeps live order and appends; one dropped is removed whole',
    steps: [
      { apply: 'capstan', config: dep({}, undefined, [{ name: 'web', image: 'nginx:1' }, { name: 'log', image: 'fluent:1' }]) },
      { apply: 'capstan', config: dep({}, undefined, [{ name: 'web', image: 'nginx:2' }, { name: 'metrics', image: 'prom:1' }]) },
    ],
    object: (o) =>
      assert.equal(o.spec.template.spec.containers, [
        { name: 'web', image: 'nginx:2' },
        { name: 'metrics', image: 'prom:1' },
      ]),
  },
  {
    name: 'containers: an item another manager added is kept when the applier changes its own',
    steps: [
      { apply: 'capstan', config: dep() },
      { update: 'injector', object: dep({}, undefined, [{ name: 'web', image: 'nginx:1' }, { name: 'sidecar', image: 'envoy:1' }]) },
      { apply: 'capstan', config: dep({}, undefined, [{ name: 'web', image: 'nginx:2' }]) },
    ],
    object: (o) =>
      assert.equal(o.spec.template.spec.containers, [
        { name: 'web', image: 'nginx:2' },
        { name: 'sidecar', image: 'envoy:1' },
      ]),
    managed: {
      'capstan/Apply': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': templateFields() },
      'injector/Update': templateOnly({ 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {} } }),
    },
  },
  {
    name: 'ports keyed by containerPort+protocol: protocol defaults to TCP in the key; a dropped port goes',
    steps: [
      { apply: 'capstan', config: dep({}, undefined, [{ name: 'web', image: 'i', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }]) },
      { apply: 'capstan', config: dep({}, undefined, [{ name: 'web', image: 'i', ports: [{ containerPort: 80, name: 'http' }] }]) },
    ],
    object: (o) => assert.equal(o.spec.template.spec.containers[0].ports, [{ containerPort: 80, name: 'http' }]),
    managed: {
      'capstan/Apply': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': templateFields({
          'k:{"name":"web"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:name': {} } },
          },
        }),
      },
    },
  },
  {
    name: 'an atomic list (args) is replaced whole and owned as one field',
    steps: [
      { apply: 'capstan', config: dep({}, undefined, [{ name: 'web', image: 'i', args: ['a', 'b', 'c'] }]) },
      { apply: 'capstan', config: dep({}, undefined, [{ name: 'web', image: 'i', args: ['z'] }]) },
    ],
    object: (o) => assert.equal(o.spec.template.spec.containers[0].args, ['z']),
  },
  {
    name: 'an atomic list changed by another manager conflicts as a whole',
    steps: [
      { apply: 'capstan', config: dep({}, undefined, [{ name: 'web', image: 'i', args: ['a'] }]) },
      { update: 'kubectl-edit', object: dep({}, undefined, [{ name: 'web', image: 'i', args: ['a', 'b'] }]) },
      { apply: 'capstan', config: dep({}, undefined, [{ name: 'web', image: 'i', args: ['c'] }]), wantConflicts: ['.spec.template.spec.containers[name="web"].args'] },
    ],
  },
  {
    name: 'labels merge entry by entry with labels set by others',
    steps: [
      { update: 'kubectl-label', object: dep({}, { app: 'web', team: 'a' }) },
      { apply: 'capstan', config: dep({}, { app: 'web', env: 'prod' }) },
    ],
    object: (o) => assert.equal(o.metadata.labels, { app: 'web', team: 'a', env: 'prod' }),
  },
]

function templateOnly(containers: Record<string, unknown>): Record<string, unknown> {
  return { 'f:spec': templateFields(containers) }
}

const scenarios = suite('apply: ownership scenarios')
for (const c of cases) {
  scenarios(c.name, () => {
    const out = runSteps(c.steps, deployment)
    if (c.object) c.object(out.live as Record<string, unknown>)
    if (c.managed) assert.equal(out.managed, c.managed)
  })
}

const errors = suite('apply: conflict errors')

errors('one conflict: the message and cause kube-apiserver sends', () => {
  const out = runSteps(cases[0].steps, deployment)
  const err = conflictError(out.conflicts, 'Deployment', 'web')
  assert.is(err.reason, 'Conflict')
  assert.is(err.code, 409)
  assert.is(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas')
  assert.equal(err.statusDetails, {
    causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas' }],
  })
})

errors('several conflicts are grouped by manager', () => {
  const out = runSteps(
    [
      { apply: 'a', config: dep({ replicas: 3 }, { app: 'web', x: '1' }) },
      { apply: 'b', config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { x: '2' } }, spec: { replicas: 4 } }, wantConflicts: ['.metadata.labels.x', '.spec.replicas'] },
    ],
    deployment,
  )
  assert.is(conflictError(out.conflicts).message, 'Apply failed with 2 conflicts: conflicts with "a":\n- .metadata.labels.x\n- .spec.replicas')
})

create.run()
scenarios.run()
errors.run()
