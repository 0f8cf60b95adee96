/** equalIgnoreHash (a view, no copies) answers as comparing withoutHash copies does, and never changes its inputs. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { deepFreeze, jsonEqual } from '../../../reconciler/api/object.js'
import { equalIgnoreHash, withoutHash } from '../../../reconciler/controllers/deployment/util.js'
import type { PodTemplateSpec } from '../../../reconciler/controllers/deployment/types.js'

const EqualIgnoreHash = suite('deployment: equalIgnoreHash as a view')

const spec = { containers: [{ name: 'c', image: 'nginx' }] }
const t = (labels?: Record<string, string>, extra: Record<string, unknown> = {}): PodTemplateSpec => ({ metadata: { ...(labels ? { labels } : {}), ...extra }, spec }) as PodTemplateSpec

const cases: Array<{ name: string; a: PodTemplateSpec | undefined; b: PodTemplateSpec | undefined; want: boolean; semanticOnly?: boolean }> = [
  { name: 'same labels, one with the hash', a: t({ app: 'web' }), b: t({ app: 'web', 'pod-template-hash': 'abc' }), want: true },
  { name: 'hash only vs no labels', a: t({ 'pod-template-hash': 'abc' }), b: t(), want: true },
  { name: 'hash only vs empty labels (Semantic.DeepEqual: an empty map equals none)', a: t({ 'pod-template-hash': 'abc' }), b: t({}), want: true, semanticOnly: true },
  { name: 'different hashes', a: t({ app: 'web', 'pod-template-hash': 'x' }), b: t({ app: 'web', 'pod-template-hash': 'y' }), want: true },
  { name: 'another label differs', a: t({ app: 'web' }), b: t({ app: 'api', 'pod-template-hash': 'abc' }), want: false },
  { name: 'annotations differ', a: t({ app: 'web' }, { annotations: { a: '1' } }), b: t({ app: 'web', 'pod-template-hash': 'abc' }), want: false },
  { name: 'undefined vs empty template', a: undefined, b: {} as PodTemplateSpec, want: true },
  { name: 'undefined vs a template', a: undefined, b: t({ app: 'web' }), want: false },
  { name: 'spec differs', a: t({ app: 'web' }), b: { ...t({ app: 'web' }), spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } as PodTemplateSpec, want: false },
]

for (const c of cases) {
  EqualIgnoreHash(c.name, () => {
    const a = c.a && deepFreeze(structuredClone(c.a))
    const b = c.b && deepFreeze(structuredClone(c.b))
    // The copies compare exactly; a case equal only as Semantic.DeepEqual sees it says so.
    assert.is(jsonEqual(withoutHash(a), withoutHash(b)) || !!c.semanticOnly, c.want, 'withoutHash copies')
    assert.is(equalIgnoreHash(a, b), c.want, 'view')
    assert.is(equalIgnoreHash(b, a), c.want, 'symmetric')
    assert.equal(a, c.a, 'inputs unchanged')
  })
}

EqualIgnoreHash.run()
