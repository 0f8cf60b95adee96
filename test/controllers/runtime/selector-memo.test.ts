/** labelSelectorOf: fromLabelSelector's answers, remembered by the spec's JSON text. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fromLabelSelector, type LabelSelectorSpec } from '../../../reconciler/api/selectors/index.js'
import { labelSelectorOf } from '../../../reconciler/controllers/runtime/selector-memo.js'

const Memo = suite('runtime: selector memo')

const cases: Array<{ name: string; spec: LabelSelectorSpec | null | undefined; labels: Record<string, string> }> = [
  { name: 'null selects nothing', spec: null, labels: { app: 'web' } },
  { name: 'undefined selects nothing', spec: undefined, labels: {} },
  { name: 'empty selects everything', spec: {}, labels: { app: 'web' } },
  { name: 'matchLabels', spec: { matchLabels: { app: 'web' } }, labels: { app: 'web', tier: 'front' } },
  { name: 'matchExpressions', spec: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] }, labels: { tier: 'back' } },
]

for (const c of cases) {
  Memo(c.name, () => {
    const want = fromLabelSelector(c.spec)
    for (let i = 0; i < 2; i++) {
      const got = labelSelectorOf(c.spec === null || c.spec === undefined ? c.spec : structuredClone(c.spec))
      assert.is(got.toString(), want.toString())
      assert.is(got.empty, want.empty)
      assert.is(got.nothing, want.nothing)
      assert.is(got.matches(c.labels), want.matches(c.labels))
    }
  })
}

Memo('the same spec text gives the same (immutable) selector', () => {
  assert.is(labelSelectorOf({ matchLabels: { app: 'memo' } }), labelSelectorOf({ matchLabels: { app: 'memo' } }))
})

Memo('an invalid spec throws every time, as fromLabelSelector does', () => {
  const bad = { matchExpressions: [{ key: 'k', operator: 'Sideways', values: [] }] } as unknown as LabelSelectorSpec
  for (let i = 0; i < 2; i++) {
    try {
      labelSelectorOf(bad)
      assert.unreachable('should throw')
    } catch (err) {
      assert.instance(err, Error)
      assert.not.instance(err, assert.Assertion)
    }
  }
})

Memo.run()
