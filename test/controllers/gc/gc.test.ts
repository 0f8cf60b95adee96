import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject, OwnerReference } from '../../../reconciler/api/object.js'
import { createSchedulerController } from '../../../reconciler/controllers/scheduler/index.js'
import { createGarbageCollector } from '../../../reconciler/controllers/gc/index.js'
import { createKubeletController } from '../../../reconciler/controllers/kubelet/index.js'
import { createReplicaSetController } from '../../../reconciler/controllers/replicaset/index.js'
import { defaultSimConfig, writeSimConfig } from '../../../reconciler/controllers/sim/index.js'
import { Harness, newEnv } from '../sim/harness.js'

const cm = (name: string, owners: OwnerReference[] = []): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...(owners.length ? { ownerReferences: owners } : {}) },
  data: { a: 'b' },
})
const ref = (o: KObject, block = false): OwnerReference => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name!,
  uid: o.metadata.uid!,
  ...(block ? { blockOwnerDeletion: true } : {}),
})

async function setup(withWorkloads = false) {
  const env = await newEnv()
  const cfg = defaultSimConfig()
  cfg.settings.startDelaySeconds = 0
  await writeSimConfig(env.api, cfg)
  const controllers = [createGarbageCollector(env.ctx)]
  if (withWorkloads) controllers.push(createReplicaSetController(env.ctx), createSchedulerController(env.ctx), createKubeletController(env.ctx))
  const h = await new Harness(env.api, env.clock, controllers).start()
  const exists = async (resource: string, name: string) => {
    try {
      await env.api.get(resource, 'default', name)
      return true
    } catch {
      return false
    }
  }
  return { ...env, h, exists }
}

const Background = suite('gc: background')

Background('a dependent whose only owner is deleted goes', async () => {
  const { api, h, exists } = await setup()
  const owner = await api.create(cm('owner'), { fieldManager: 't' })
  await api.create(cm('dep', [ref(owner)]), { fieldManager: 't' })
  await h.settle()
  assert.ok(await exists('configmaps', 'dep'))
  await api.delete('configmaps', 'default', 'owner')
  await h.settle()
  assert.not.ok(await exists('configmaps', 'dep'))
})

Background('an owner recreated with the same name but a new uid counts as gone', async () => {
  const { api, h, exists } = await setup()
  const owner = await api.create(cm('owner'), { fieldManager: 't' })
  await api.delete('configmaps', 'default', 'owner')
  await api.create(cm('owner'), { fieldManager: 't' })
  await api.create(cm('dep', [ref(owner)]), { fieldManager: 't' })
  await h.settle()
  assert.not.ok(await exists('configmaps', 'dep'))
})

Background('a dependent with one owner left stays, and loses the reference to the gone one', async () => {
  const { api, h } = await setup()
  const a = await api.create(cm('a'), { fieldManager: 't' })
  const b = await api.create(cm('b'), { fieldManager: 't' })
  await api.create(cm('dep', [ref(a), ref(b)]), { fieldManager: 't' })
  await h.settle()
  await api.delete('configmaps', 'default', 'a')
  await h.settle()
  const dep = await api.get('configmaps', 'default', 'dep')
  assert.equal(dep.metadata.ownerReferences?.map((r) => r.name), ['b'])
})

Background('deleting a ReplicaSet deletes its pods (gracefully, finished by the kubelet)', async () => {
  const { api, h } = await setup(true)
  await api.create(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    },
    { fieldManager: 't' },
  )
  await h.settle()
  assert.is((await api.list('pods')).items.length, 3)
  await api.delete('replicasets', 'default', 'web')
  await h.settle()
  assert.is((await api.list('pods')).items.length, 0)
})

const Foreground = suite('gc: foreground')

Foreground('the owner stays until its blocking dependents are gone, then goes', async () => {
  const { api, h, exists } = await setup()
  const owner = await api.create(cm('owner'), { fieldManager: 't' })
  await api.create(cm('dep1', [ref(owner, true)]), { fieldManager: 't' })
  await api.create(cm('dep2', [ref(owner)]), { fieldManager: 't' })
  await h.settle()
  await api.delete('configmaps', 'default', 'owner', { propagationPolicy: 'Foreground' })
  const marked = await api.get('configmaps', 'default', 'owner')
  assert.ok(marked.metadata.deletionTimestamp)
  assert.equal(marked.metadata.finalizers, ['foregroundDeletion'])
  await h.settle()
  assert.not.ok(await exists('configmaps', 'dep1'))
  assert.not.ok(await exists('configmaps', 'dep2'))
  assert.not.ok(await exists('configmaps', 'owner'))
})

Foreground('a chain: ReplicaSet deleted in the foreground waits for its pods', async () => {
  const { api, h, exists } = await setup(true)
  await api.create(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    },
    { fieldManager: 't' },
  )
  await h.settle()
  await api.delete('replicasets', 'default', 'web', { propagationPolicy: 'Foreground' })
  await h.settle()
  assert.is((await api.list('pods')).items.length, 0)
  assert.not.ok(await exists('replicasets', 'web'))
})

const Orphan = suite('gc: orphan')

Orphan('dependents keep living without the reference; the owner goes', async () => {
  const { api, h, exists } = await setup()
  const owner = await api.create(cm('owner'), { fieldManager: 't' })
  const other = await api.create(cm('other'), { fieldManager: 't' })
  await api.create(cm('dep', [ref(owner, true), ref(other)]), { fieldManager: 't' })
  await api.create(cm('dep-only', [ref(owner)]), { fieldManager: 't' })
  await h.settle()
  await api.delete('configmaps', 'default', 'owner', { propagationPolicy: 'Orphan' })
  await h.settle()
  assert.not.ok(await exists('configmaps', 'owner'))
  assert.equal((await api.get('configmaps', 'default', 'dep')).metadata.ownerReferences?.map((r) => r.name), ['other'])
  assert.is((await api.get('configmaps', 'default', 'dep-only')).metadata.ownerReferences, undefined)
})

Orphan('orphaned pods of a ReplicaSet stay running', async () => {
  const { api, h } = await setup(true)
  await api.create(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    },
    { fieldManager: 't' },
  )
  await h.settle()
  await api.delete('replicasets', 'default', 'web', { propagationPolicy: 'Orphan' })
  await h.settle()
  const pods = (await api.list('pods')).items
  assert.is(pods.length, 2)
  assert.ok(pods.every((p) => !p.metadata.ownerReferences && (p.status as { phase: string }).phase === 'Running'))
})

Background.run()
Foreground.run()
Orphan.run()
