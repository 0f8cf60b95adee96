/**
 * The status rules of a status write (ValidateDeploymentStatusUpdate, ValidateReplicaSetStatusUpdate,
 * ValidateHorizontalPodAutoscalerStatusUpdate, ValidatePodStatusUpdate), as a unit and through the
 * API's `/status` writes: a 422 naming the field, nothing stored.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../../reconciler/api/api-server.js'
import { ApiError } from '../../../../reconciler/api/errors.js'
import type { KObject } from '../../../../reconciler/api/object.js'
import { validateStatusUpdate } from '../../../../reconciler/api/validation/kinds/index.js'
import { createMemoryStorage } from '../../../../reconciler/storage/memory.js'

const test = suite('kinds: status writes')

const withStatus = (kind: string, status: Record<string, unknown>, spec: Record<string, unknown> = {}): KObject => ({
  apiVersion: kind === 'Pod' ? 'v1' : kind === 'HorizontalPodAutoscaler' ? 'autoscaling/v2' : 'apps/v1',
  kind,
  metadata: { name: 'x', namespace: 'default' },
  spec,
  status,
})

const terminated = (name: string, exitCode: number) => ({ name, state: { terminated: { exitCode } } })
const running = (name: string) => ({ name, state: { running: {} } })

interface StatusCase {
  name: string
  kind: string
  old?: Record<string, unknown>
  status: Record<string, unknown>
  spec?: Record<string, unknown>
  /** Expected causes as `field: message`, in order; empty for a valid write. */
  want: string[]
}

const cases: StatusCase[] = [
  { name: 'deployment: consistent counts', kind: 'Deployment', status: { observedGeneration: 2, replicas: 4, updatedReplicas: 4, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1 }, want: [] },
  {
    name: 'deployment: negative counts',
    kind: 'Deployment',
    status: { replicas: -1, unavailableReplicas: -2, collisionCount: -1 },
    want: [
      'status.replicas: Invalid value: -1: must be greater than or equal to 0',
      'status.unavailableReplicas: Invalid value: -2: must be greater than or equal to 0',
      'status.collisionCount: Invalid value: -1: must be greater than or equal to 0',
      // As upstream: the zero counts are above a negative status.replicas too.
      'status.updatedReplicas: Invalid value: 0: cannot be greater than status.replicas',
      'status.readyReplicas: Invalid value: 0: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 0: cannot be greater than status.replicas',
    ],
  },
  {
    name: 'deployment: counts above replicas, available above ready',
    kind: 'Deployment',
    status: { replicas: 2, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 3 },
    want: [
      'status.updatedReplicas: Invalid value: 3: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas',
    ],
  },
  { name: 'deployment: collisionCount goes up', kind: 'Deployment', old: { collisionCount: 1 }, status: { collisionCount: 2 }, want: [] },
  { name: 'deployment: collisionCount decremented', kind: 'Deployment', old: { collisionCount: 2 }, status: { collisionCount: 1 }, want: ['status.collisionCount: Invalid value: 1: cannot be decremented'] },
  { name: 'deployment: collisionCount unset', kind: 'Deployment', old: { collisionCount: 2 }, status: {}, want: ['status.collisionCount: Invalid value: 0: cannot be decremented'] },
  { name: 'replicaset: consistent counts', kind: 'ReplicaSet', status: { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 }, want: [] },
  {
    name: 'replicaset: rules in upstream order',
    kind: 'ReplicaSet',
    status: { replicas: 1, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: -1, observedGeneration: -1 },
    want: [
      'status.availableReplicas: Invalid value: -1: must be greater than or equal to 0',
      'status.observedGeneration: Invalid value: -1: must be greater than or equal to 0',
      'status.fullyLabeledReplicas: Invalid value: 2: cannot be greater than status.replicas',
    ],
  },
  { name: 'replicaset: available above ready', kind: 'ReplicaSet', status: { replicas: 3, readyReplicas: 1, availableReplicas: 2 }, want: ['status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas'] },
  { name: 'hpa: negative replicas', kind: 'HorizontalPodAutoscaler', status: { currentReplicas: -1, desiredReplicas: -3 }, want: ['status.currentReplicas: Invalid value: -1: must be greater than or equal to 0', 'status.desiredReplicas: Invalid value: -3: must be greater than or equal to 0'] },
  { name: 'pod: restartPolicy Always restarts a finished container', kind: 'Pod', spec: { restartPolicy: 'Always' }, old: { containerStatuses: [terminated('web', 0)] }, status: { containerStatuses: [running('web')] }, want: [] },
  {
    name: 'pod: Never keeps a finished container finished',
    kind: 'Pod',
    spec: { restartPolicy: 'Never' },
    old: { containerStatuses: [terminated('web', 1)] },
    status: { containerStatuses: [running('web')] },
    want: ['status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state'],
  },
  { name: 'pod: OnFailure restarts a failed container', kind: 'Pod', spec: { restartPolicy: 'OnFailure' }, old: { containerStatuses: [terminated('web', 2)] }, status: { containerStatuses: [running('web')] }, want: [] },
  {
    name: 'pod: OnFailure keeps a succeeded container finished',
    kind: 'Pod',
    spec: { restartPolicy: 'OnFailure' },
    old: { containerStatuses: [terminated('web', 0)] },
    status: { containerStatuses: [running('web')] },
    want: ['status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state'],
  },
  {
    name: 'pod: a sidecar init container may restart, another may not',
    kind: 'Pod',
    spec: { restartPolicy: 'Never', initContainers: [{ name: 'proxy', restartPolicy: 'Always' }, { name: 'setup' }] },
    old: { initContainerStatuses: [terminated('proxy', 0), terminated('setup', 0)] },
    status: { initContainerStatuses: [running('proxy'), running('setup')] },
    want: ['status.initContainerStatuses[1].state: Forbidden: may not be transitioned to non-terminated state'],
  },
  {
    name: 'pod: ephemeral containers never restart',
    kind: 'Pod',
    spec: { restartPolicy: 'Always' },
    old: { ephemeralContainerStatuses: [terminated('debug', 0)] },
    status: { ephemeralContainerStatuses: [running('debug')] },
    want: ['status.ephemeralContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state'],
  },
  {
    name: 'pod: a nominated node must be a node name',
    kind: 'Pod',
    status: { nominatedNodeName: 'Node_1' },
    want: [
      "status.nominatedNodeName: Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
  },
  { name: 'pod: an unchanged nominated node is not checked again', kind: 'Pod', old: { nominatedNodeName: 'Node_1' }, status: { nominatedNodeName: 'Node_1' }, want: [] },
  { name: 'other kinds: no status rules', kind: 'Service', status: { loadBalancer: {} }, want: [] },
]

for (const c of cases) {
  test(c.name, () => {
    const old = withStatus(c.kind, c.old ?? {}, c.spec)
    const next = withStatus(c.kind, c.status, c.spec)
    const got = validateStatusUpdate(next, old).map((e) => `${e.field}: ${e.message}`)
    assert.equal(got, c.want)
  })
}

function deployment(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
  }
}

test('API: a status write breaking a rule is a 422 naming the field, and nothing is stored', async () => {
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => new Date('2026-01-01T00:00:00Z') })
  await api.bootstrap()
  const created = await api.create(deployment(), { fieldManager: 'test' })
  const good = await api.updateStatus({ ...created, status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 } }, { fieldManager: 'deployment-controller' })
  const err = await api.updateStatus({ ...good, status: { replicas: 2, readyReplicas: 1, availableReplicas: 2 } }, { fieldManager: 'deployment-controller' }).then(
    () => undefined,
    (e: unknown) => e,
  )
  assert.ok(err instanceof ApiError, 'rejected')
  assert.is(err.code, 422)
  assert.equal(err.statusDetails.causes?.map((c) => c.field), ['status.availableReplicas'])
  const stored = await api.get('deployments', 'default', 'web')
  assert.is(stored.metadata.resourceVersion, good.metadata.resourceVersion)
  assert.equal(stored.status, { replicas: 2, readyReplicas: 2, availableReplicas: 2 })
})

test('API: a merge patch of /status is checked the same way', async () => {
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => new Date('2026-01-01T00:00:00Z') })
  await api.bootstrap()
  await api.create(deployment(), { fieldManager: 'test' })
  const err = await api
    .patch('deployments', 'default', 'web', 'merge', { status: { observedGeneration: -1 } }, { subresource: 'status', fieldManager: 'test' })
    .then(
      () => undefined,
      (e: unknown) => e,
    )
  assert.ok(err instanceof ApiError, 'rejected')
  assert.is(err.code, 422)
  assert.equal(err.statusDetails.causes?.map((c) => c.field), ['status.observedGeneration'])
})

test.run()
