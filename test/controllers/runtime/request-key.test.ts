/** Request keys: the key of a request, and RequestKeys handing out one string for repeated requests. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parseRequestKey, RequestKeys, requestKey } from '../../../reconciler/controllers/runtime/request-key.js'

const test = suite('request keys')

const cases: Array<{ name: string; resource: string; namespace?: string; reqName: string; key: string }> = [
  { name: 'namespaced', resource: 'pods', namespace: 'default', reqName: 'web-1', key: 'pods/default/web-1' },
  { name: 'cluster-scoped', resource: 'nodes', reqName: 'node-1', key: 'nodes/node-1' },
  { name: 'empty namespace: cluster-scoped form', resource: 'nodes', namespace: '', reqName: 'node-1', key: 'nodes/node-1' },
]
for (const c of cases) {
  test(`RequestKeys agrees with requestKey: ${c.name}`, () => {
    const keys = new RequestKeys()
    const req = { resource: c.resource, namespace: c.namespace, name: c.reqName }
    assert.is(keys.of(c.resource, c.namespace, c.reqName), c.key)
    assert.is(requestKey(req), c.key)
    assert.equal(parseRequestKey(c.key), c.namespace ? req : { resource: c.resource, name: c.reqName })
  })
}

test('RequestKeys: a different request after a first gets its own key', () => {
  const keys = new RequestKeys()
  const seq: Array<[string, string | undefined, string]> = [
    ['pods', 'default', 'a'],
    ['pods', 'default', 'a'],
    ['pods', 'other', 'a'],
    ['replicasets', 'other', 'a'],
    ['replicasets', 'other', 'b'],
    ['replicasets', undefined, 'b'],
  ]
  assert.equal(
    seq.map(([r, ns, n]) => keys.of(r, ns, n)),
    ['pods/default/a', 'pods/default/a', 'pods/other/a', 'replicasets/other/a', 'replicasets/other/b', 'replicasets/b'],
  )
})

test.run()
