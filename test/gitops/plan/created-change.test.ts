import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { comparePair, createdChange, withChange } from '../../../reconciler/gitops/plan/compare.js'

const created = suite('createdChange: the general path of a create, in one object')

const base = { id: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'bench', name: 'web' }, file: 'apps/web.yaml', doc: 0, line: 1 }

const objects: Array<{ name: string; obj: KObject }> = [
  {
    name: 'a Deployment',
    obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'bench', uid: 'u', resourceVersion: '5', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'capstan', operation: 'Apply' }], labels: { app: 'web' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } }, status: {} } as KObject,
  },
  { name: 'a Secret (values masked)', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'bench' }, data: { password: 'cHc=' }, type: 'Opaque' } as KObject },
]

for (const o of objects) {
  created(o.name, () => {
    const fast = createdChange(base, o.obj, 'bench/x')
    const general = withChange({ action: comparePair(undefined, o.obj, 'bench/x').action, ...base }, comparePair(undefined, o.obj, 'bench/x'))
    assert.equal(Object.keys(fast), Object.keys(general))
    assert.is(JSON.stringify(fast), JSON.stringify(general))
    assert.equal(fast.patch, general.patch)
    assert.is(fast.diff, general.diff)
    for (const key of ['patch', 'diff']) {
      const d = Object.getOwnPropertyDescriptor(fast, key)!
      assert.ok(d.enumerable && typeof d.get === 'function', key)
    }
  })
}

created.run()
