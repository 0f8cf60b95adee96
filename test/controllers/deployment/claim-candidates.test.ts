/** replicaSetCandidates: from the label and owner indexes, the same ReplicaSets claiming would decide on as over the whole namespace. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { fromLabelSelector } from '../../../reconciler/api/selectors/index.js'
import { replicaSetCandidates } from '../../../reconciler/controllers/deployment/claim-candidates.js'
import { makeWorld } from '../runtime/fixture.js'

const test = suite('deployment: ReplicaSet claim candidates')

const rs = (name: string, labels: Record<string, string>, owner?: { name: string; uid: string }): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: 'default',
    labels,
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.name, uid: owner.uid, controller: true }] } : {}),
  },
  spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
})

test('matching and controlled ReplicaSets, in name order; nothing else of the namespace', async () => {
  const { api } = await makeWorld()
  const d: KObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'd-uid' }, spec: { selector: { matchLabels: { app: 'web' } } } }
  await api.create(rs('b-matching-orphan', { app: 'web' }))
  await api.create(rs('a-controlled-relabelled', { app: 'moved' }, { name: 'web', uid: 'd-uid' }))
  await api.create(rs('c-other-app', { app: 'other' }))
  await api.create(rs('d-matching-other-owner', { app: 'web' }, { name: 'api', uid: 'other-uid' }))
  const cases = [
    { name: 'an equality selector: indexes', selector: { matchLabels: { app: 'web' } }, want: ['a-controlled-relabelled', 'b-matching-orphan', 'd-matching-other-owner'] },
    { name: 'no equality term: the whole namespace', selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, want: ['a-controlled-relabelled', 'b-matching-orphan', 'c-other-app', 'd-matching-other-owner'] },
  ]
  for (const c of cases) {
    const got = await replicaSetCandidates(api, d, fromLabelSelector(c.selector))
    assert.equal(got.map((r) => r.metadata.name), c.want, c.name)
  }
})

test.run()
