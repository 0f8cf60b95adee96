/** claimCandidates: the pods claiming can decide anything about, from the indexes, in list order. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { ApiClient } from '../../../reconciler/api/client.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { claimCandidates, claimDecision } from '../../../reconciler/controllers/replicaset/claim.js'
import { selectorOf } from '../../../reconciler/controllers/replicaset/selector-index.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'

const Candidates = suite('replicaset: claim candidates')

function pod(name: string, labels: Record<string, string>, owner?: KObject, namespace = 'default'): KObject {
  const metadata: KObject['metadata'] = { name, namespace, labels }
  if (owner) metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }]
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [{ name: 'c', image: 'nginx' }] } }
}

async function world() {
  const api = new ApiServer({ storage: createMemoryStorage() })
  await api.bootstrap()
  await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } })
  const rs = (name: string, selector: Record<string, unknown>, labels: Record<string, string>) =>
    api.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: 'default' },
      spec: { replicas: 1, selector, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    })
  const web = await rs('web', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, { app: 'web', tier: 'front' })
  const other = await rs('other', { matchLabels: { app: 'other' } }, { app: 'other' })
  const pods = [
    pod('a-orphan-match', { app: 'web', tier: 'front' }),
    pod('b-orphan-terms-only', { app: 'web', tier: 'back' }),
    pod('c-owned-match', { app: 'web', tier: 'front' }, web),
    pod('d-owned-no-longer-matching', { app: 'moved' }, web),
    pod('e-other-controller', { app: 'web', tier: 'front' }, other),
    pod('f-unrelated', { app: 'else' }),
    pod('g-elsewhere', { app: 'web', tier: 'front' }, undefined, 'other'),
  ]
  for (const p of pods) await api.create(p)
  return { api, web }
}

Candidates('every pod the whole namespace would have a decision for, in name order', async () => {
  const { api, web } = await world()
  const selector = selectorOf(web)
  const all = (await api.list('pods', { namespace: 'default' })).items
  const decided = all.filter((p) => claimDecision(web, selector, p) !== 'ignore').map((p) => p.metadata.name)
  const got = (await claimCandidates(api, web, selector)).map((p) => p.metadata.name)
  assert.equal(decided, ['a-orphan-match', 'c-owned-match', 'd-owned-no-longer-matching'])
  for (const name of decided) assert.ok(got.includes(name), name)
  assert.equal(got, [...got].sort(), 'name (list) order')
  assert.not.ok(got.includes('g-elsewhere'), 'other namespaces are never candidates')
})

Candidates('a client without indexes lists the namespace', async () => {
  const { api, web } = await world()
  const plain: ApiClient = {
    get: api.get.bind(api), list: api.list.bind(api), create: api.create.bind(api), update: api.update.bind(api),
    updateStatus: api.updateStatus.bind(api), patch: api.patch.bind(api), apply: api.apply.bind(api), delete: api.delete.bind(api),
    watch: api.watch.bind(api), getScale: api.getScale.bind(api), updateScale: api.updateScale.bind(api), close: api.close.bind(api),
  } as ApiClient
  const got = (await claimCandidates(plain, web, selectorOf(web))).map((p) => p.metadata.name)
  assert.equal(got, ['a-orphan-match', 'b-orphan-terms-only', 'c-owned-match', 'd-owned-no-longer-matching', 'e-other-controller', 'f-unrelated'])
})

Candidates('without orphans in the namespace (noOrphans): only the pods it controls, in name order', async () => {
  const { api, web } = await world()
  const selector = selectorOf(web)
  // Pods in the other namespace it would control are never candidates either.
  await api.create(pod('b-owned-second', { app: 'web', tier: 'front' }, web))
  const got = (await claimCandidates(api, web, selector, true)).map((p) => p.metadata.name)
  assert.equal(got, ['b-owned-second', 'c-owned-match', 'd-owned-no-longer-matching'])
  // The decisions over them are the decisions over the whole namespace minus the orphans (none, by the hint).
  const all = (await api.list('pods', { namespace: 'default' })).items
  const decidedOnControlled = all.filter((p) => claimDecision(web, selector, p) !== 'ignore' && claimDecision(web, selector, p) !== 'adopt').map((p) => p.metadata.name)
  assert.equal(got, decidedOnControlled)
})

Candidates.run()
