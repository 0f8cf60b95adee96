/** The endpoints controller's pod → Service mapping: indexed by one selector term, the same requests in the order the Services were first seen. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { createEndpointsController } from '../../../reconciler/controllers/endpoints/controller.js'
import { makeWorld } from '../runtime/fixture.js'

const test = suite('endpoints: pod to Service mapping')

const svc = (name: string, selector: Record<string, string> | undefined, ns = 'default'): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: selector ? { selector } : {} })
const pod = (labels: Record<string, string>, ns = 'default'): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns, labels } })

test('pods map to every Service whose selector they (or their old labels) match', async () => {
  const { api, clock } = await makeWorld()
  const c = createEndpointsController({ api, clock, events: { event: async () => {} } as never, log: () => {} })
  // Primed in this order: `z` first, so it comes first whatever the names.
  for (const s of [svc('z', { app: 'web' }), svc('a', { tier: 'front', app: 'web' }), svc('b', { app: 'api' }), svc('none', undefined), svc('elsewhere', { app: 'web' }, 'other')]) c.prime!(s)
  const map = c.watches!.find((w) => w.resource === 'pods')!.map!
  const cases = [
    { name: 'one term', pod: pod({ app: 'web' }), old: undefined, want: ['z'] },
    { name: 'all terms', pod: pod({ app: 'web', tier: 'front' }), old: undefined, want: ['z', 'a'] },
    { name: 'old labels count', pod: pod({ app: 'api' }), old: pod({ app: 'web' }), want: ['z', 'b'] },
    { name: 'another namespace', pod: pod({ app: 'web' }, 'other'), old: undefined, want: ['elsewhere'] },
    { name: 'no labels', pod: pod({}), old: undefined, want: [] },
  ]
  for (const t of cases) assert.equal(map(t.pod, t.old).map((r) => r.name), t.want, t.name)
  // A Service whose selector changes moves in the index but keeps its place.
  c.prime!(svc('z', { app: 'api' }))
  assert.equal(map(pod({ app: 'api' }), undefined).map((r) => r.name), ['z', 'b'])
  assert.equal(map(pod({ app: 'web' }), undefined).map((r) => r.name), [])
})

test.run()
