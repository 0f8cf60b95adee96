import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { validateLabelSelector } from '../../../reconciler/api/selectors/validate-label-selector.js'
import type { LabelSelectorSpec } from '../../../reconciler/api/selectors/label-selector.js'

const v = suite('validateLabelSelector')

const cases: Array<{ name: string; sel: LabelSelectorSpec | null; want: Array<[string, string]> }> = [
  { name: 'null is valid', sel: null, want: [] },
  { name: 'valid', sel: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a'] }] }, want: [] },
  {
    name: 'In without values',
    sel: { matchExpressions: [{ key: 'env', operator: 'In', values: [] }] },
    want: [['FieldValueRequired', 'spec.selector.matchExpressions[0].values']],
  },
  {
    name: 'Exists with values',
    sel: { matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'env', operator: 'Exists', values: ['x'] }] },
    want: [['FieldValueForbidden', 'spec.selector.matchExpressions[1].values']],
  },
  {
    name: 'unknown operator',
    sel: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
    want: [['FieldValueInvalid', 'spec.selector.matchExpressions[0].operator']],
  },
  {
    name: 'bad key and value',
    sel: { matchExpressions: [{ key: 'a b', operator: 'In', values: ['-x'] }] },
    want: [
      ['FieldValueInvalid', 'spec.selector.matchExpressions[0].key'],
      ['FieldValueInvalid', 'spec.selector.matchExpressions[0].values[0]'],
    ],
  },
  {
    name: 'bad matchLabels',
    sel: { matchLabels: { 'a/b/c': 'x' } },
    want: [['FieldValueInvalid', 'spec.selector.matchLabels']],
  },
]
for (const c of cases) {
  v(c.name, () => {
    const got = validateLabelSelector(c.sel, 'spec.selector')
    assert.equal(
      got.map((e) => [e.reason, e.field]),
      c.want,
    )
  })
}

v('messages as Kubernetes words them', () => {
  const [req] = validateLabelSelector({ matchExpressions: [{ key: 'env', operator: 'NotIn' }] }, 'spec.selector')
  assert.is(req.message, "Required value: must be specified when `operator` is 'In' or 'NotIn'")
  const [forb] = validateLabelSelector({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist', values: ['a'] }] }, 'spec.selector')
  assert.is(forb.message, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
  const [op] = validateLabelSelector({ matchExpressions: [{ key: 'env', operator: 'Foo', values: ['a'] }] }, 's')
  assert.is(op.message, 'Invalid value: "Foo": not a valid selector operator')
})
v.run()
