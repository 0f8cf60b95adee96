/** manageReplicas scaling down: victims ranked by the pods of every ReplicaSet of the same owner (siblings found through the owner index, or a list). */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { ApiClient } from '../../../reconciler/api/client.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { manageReplicas } from '../../../reconciler/controllers/replicaset/manage.js'
import type { ControllerContext } from '../../../reconciler/controllers/runtime/types.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'

const Manage = suite('replicaset: manageReplicas scale-down ranking')

const OWNER = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'deploy-uid', controller: true }

async function world() {
  const api = new ApiServer({ storage: createMemoryStorage() })
  await api.bootstrap()
  const rs = (name: string, replicas: number, owner = true) =>
    api.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: 'default', ...(owner ? { ownerReferences: [OWNER] } : {}) },
      spec: { replicas, selector: { matchLabels: { rs: name } }, template: { metadata: { labels: { rs: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    })
  const pod = (name: string, owner: KObject, node: string) =>
    api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels: { rs: owner.metadata.name! }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }] },
      spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }] },
    })
  // The new ReplicaSet (scaled to 1) has a pod on n1 and one on n2; its sibling has three on n2;
  // a ReplicaSet of another owner has four on n1.
  const a = await rs('a', 1)
  const b = await rs('b', 3)
  const other = await rs('other', 4, false)
  const active = [await pod('a-1', a, 'n1'), await pod('a-2', a, 'n2')]
  for (const n of [1, 2, 3]) await pod(`b-${n}`, b, 'n2')
  for (const n of [1, 2, 3, 4]) await pod(`o-${n}`, other, 'n1')
  return { api, a, active }
}

function ctxOf(api: ApiClient): ControllerContext {
  return {
    api,
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    events: { event: async () => {} },
    log: () => {},
  } as unknown as ControllerContext
}

/** The same ApiServer without its indexes (as an HTTP client is). */
function plain(api: ApiServer): ApiClient {
  return {
    get: api.get.bind(api), list: api.list.bind(api), create: api.create.bind(api), update: api.update.bind(api),
    updateStatus: api.updateStatus.bind(api), patch: api.patch.bind(api), apply: api.apply.bind(api), delete: api.delete.bind(api),
    watch: api.watch.bind(api), getScale: api.getScale.bind(api), updateScale: api.updateScale.bind(api), close: api.close.bind(api),
  } as ApiClient
}

const cases: Array<{ name: string; client: (api: ApiServer) => ApiClient }> = [
  { name: 'with the owner index', client: (api) => api },
  { name: 'through lists (no indexes)', client: plain },
]

for (const c of cases) {
  Manage(`${c.name}: the pod on the node crowded by its siblings goes first`, async () => {
    const { api, a, active } = await world()
    const res = await manageReplicas(ctxOf(c.client(api)), a, active)
    assert.equal(res, { created: 0, deleted: 1, error: undefined })
    // Deleted gracefully (no kubelet here): the victim is the one being deleted.
    const deleting = (await api.list('pods', { namespace: 'default', labelSelector: 'rs=a' })).items.filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name)
    // n2 holds 1 + 3 pods of the same owner, n1 only 1 (the other owner's pods do not count).
    assert.equal(deleting, ['a-2'])
  })
}

Manage.run()
