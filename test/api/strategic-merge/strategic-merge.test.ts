import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { StrategicPatchError, strategicMergePatch } from '../../../reconciler/api/strategic-merge/index.js'
import { applyPatch } from '../../../reconciler/api/patch.js'
import { isApiError } from '../../../reconciler/api/errors.js'

type Obj = Record<string, unknown>
const dep = (spec: Obj, metadata: Obj = { name: 'web' }): Obj => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec })
const podSpec = (spec: Obj): Obj => dep({ template: { spec } })
const c = (name: string, rest: Obj = {}): Obj => ({ name, ...rest })

const cases: Array<{ name: string; original: Obj; patch: Obj; want: Obj }> = [
  {
    name: 'maps merge key by key; null deletes a field',
    original: dep({ replicas: 1, paused: true }, { name: 'web', labels: { a: '1', b: '2' } }),
    patch: { metadata: { labels: { b: null, c: '3' } }, spec: { paused: null } },
    want: dep({ replicas: 1 }, { name: 'web', labels: { a: '1', c: '3' } }),
  },
  {
    name: 'containers merge by name (patchMergeKey), new ones appended',
    original: podSpec({ containers: [c('a', { image: 'a:1' }), c('b', { image: 'b:1' })] }),
    patch: { spec: { template: { spec: { containers: [c('b', { image: 'b:2' }), c('z', { image: 'z:1' })] } } } },
    want: podSpec({ containers: [c('a', { image: 'a:1' }), c('b', { image: 'b:2' }), c('z', { image: 'z:1' })] }),
  },
  {
    name: 'a list without merge strategy (args) is replaced',
    original: podSpec({ containers: [c('a', { args: ['x', 'y'] })] }),
    patch: { spec: { template: { spec: { containers: [c('a', { args: ['z'] })] } } } },
    want: podSpec({ containers: [c('a', { args: ['z'] })] }),
  },
  {
    name: '$patch: delete removes a list item by merge key',
    original: podSpec({ containers: [c('a'), c('b')] }),
    patch: { spec: { template: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } } } },
    want: podSpec({ containers: [c('b')] }),
  },
  {
    name: '$patch: replace in a list makes the patch the whole list',
    original: podSpec({ containers: [c('a', { image: 'a:1' }), c('b')] }),
    patch: { spec: { template: { spec: { containers: [c('a'), { $patch: 'replace' }] } } } },
    want: podSpec({ containers: [c('a')] }),
  },
  {
    name: '$patch: replace on a map replaces it',
    original: dep({ selector: { matchLabels: { a: '1', b: '2' } } }),
    patch: { spec: { selector: { $patch: 'replace', matchLabels: { c: '3' } } } },
    want: dep({ selector: { matchLabels: { c: '3' } } }),
  },
  {
    name: '$patch: delete on a map empties it',
    original: dep({ selector: { matchLabels: { a: '1' } }, replicas: 2 }),
    patch: { spec: { selector: { $patch: 'delete' } } },
    want: dep({ selector: {}, replicas: 2 }),
  },
  {
    name: '$retainKeys clears the keys it does not list (strategy: retainKeys)',
    original: dep({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    want: dep({ strategy: { type: 'Recreate' } }),
  },
  {
    name: '$setElementOrder orders the patched items; server-only items keep their place relative to the server order',
    original: podSpec({ containers: [c('a'), c('b'), c('c')] }),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }], containers: [c('a', { image: 'a:2' })] } } } },
    // b is server-only and came before c on the server, so it stays first (mergeSortedSlice).
    want: podSpec({ containers: [c('b'), c('c'), c('a', { image: 'a:2' })] }),
  },
  {
    name: 'primitive list with merge strategy (finalizers) is a union; $deleteFromPrimitiveList removes',
    original: dep({}, { name: 'web', finalizers: ['x', 'y'] }),
    patch: { metadata: { finalizers: ['z', 'x'], '$deleteFromPrimitiveList/finalizers': ['y'] } },
    want: dep({}, { name: 'web', finalizers: ['z', 'x'] }),
  },
  {
    name: 'ports merge by containerPort; env by name',
    original: podSpec({ containers: [c('a', { ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] })] }),
    patch: { spec: { template: { spec: { containers: [c('a', { ports: [{ containerPort: 443 }], env: [{ name: 'A', value: '2' }, { name: 'B', value: '3' }] })] } } } },
    // Without $setElementOrder, items the patch names come before server-only ones.
    want: podSpec({ containers: [c('a', { ports: [{ containerPort: 443 }, { containerPort: 80 }], env: [{ name: 'A', value: '2' }, { name: 'B', value: '3' }] })] }),
  },
  {
    name: 'a value of another type replaces; directives are dropped from new values',
    original: dep({ replicas: 1 }, { name: 'web' }),
    patch: { metadata: { annotations: { a: 'x', b: null } }, spec: { template: { spec: { containers: [c('a'), { $patch: 'replace' }] } } } },
    want: dep({ replicas: 1, template: { spec: { containers: [c('a')] } } }, { name: 'web', annotations: { a: 'x' } }),
  },
  {
    name: 'a kind without a schema merges maps and replaces lists',
    original: { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'w' }, spec: { replicas: 1 }, list: [1, 2] },
    patch: { spec: { replicas: 4 }, list: [3] },
    want: { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'w' }, spec: { replicas: 4 }, list: [3] },
  },
]

const merge = suite('strategic merge patch: apply side (strategicpatch, MergeParallelList)')
for (const tc of cases) {
  merge(tc.name, () => {
    assert.equal(strategicMergePatch(structuredClone(tc.original), tc.patch), tc.want)
  })
}
merge('a list item without its merge key is an error', () => {
  assert.throws(() => strategicMergePatch(podSpec({ containers: [c('a')] }), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }), (e: unknown) => e instanceof StrategicPatchError)
})
merge('an unknown $patch value is an error', () => {
  assert.throws(() => strategicMergePatch(dep({}), { spec: { $patch: 'frobnicate' } }), (e: unknown) => e instanceof StrategicPatchError)
})
merge.run()

const dispatch = suite("patch.ts: the 'strategic' patch type")
dispatch('applyPatch dispatches and turns patch errors into 422 Invalid', () => {
  assert.equal(applyPatch(dep({ replicas: 1 }), 'strategic', { spec: { replicas: 2 } }), dep({ replicas: 2 }))
  try {
    applyPatch(dep({}), 'strategic', { spec: { $patch: 'bogus' } })
    assert.unreachable()
  } catch (err) {
    assert.ok(isApiError(err, 'Invalid'))
  }
  try {
    applyPatch(dep({}), 'strategic', [])
    assert.unreachable()
  } catch (err) {
    assert.ok(isApiError(err, 'BadRequest'))
  }
})
dispatch.run()
