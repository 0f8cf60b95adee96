/** makeFilter: selectors parsed once per string, with the same answers and the same errors every time. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiError } from '../../reconciler/api/errors.js'
import { kindByName } from '../../reconciler/api/kinds.js'
import type { KObject } from '../../reconciler/api/object.js'
import { makeFilter } from '../../reconciler/api/select.js'

const test = suite('makeFilter')

const pod = (name: string, labels: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels } })

test('the same selector string filters the same way on every use', () => {
  const k = kindByName('Pod')!
  const objs = [pod('a', { app: 'web', tier: 'fe' }), pod('b', { app: 'web' }), pod('c', { app: 'api', tier: 'fe' })]
  const cases: Array<{ name: string; selector: string; want: string[]; terms: Array<[string, string]> }> = [
    { name: 'equality', selector: 'app=web', want: ['a', 'b'], terms: [['app', 'web']] },
    { name: 'set and existence', selector: 'app in (api,web),tier', want: ['a', 'c'], terms: [] },
    { name: 'negation', selector: 'app!=web', want: ['c'], terms: [] },
  ]
  for (let round = 0; round < 2; round++) {
    for (const c of cases) {
      const f = makeFilter(k, { labelSelector: c.selector })
      assert.equal(objs.filter((o) => f.matches!(o)).map((o) => o.metadata.name), c.want, `${c.name} (use ${round + 1})`)
      assert.equal(f.labelTerms, c.terms, `${c.name}: index terms (use ${round + 1})`)
    }
  }
})

test('a selector that does not parse is a BadRequest on every use', () => {
  const k = kindByName('Pod')!
  for (let round = 0; round < 2; round++) {
    try {
      makeFilter(k, { labelSelector: 'app in (web' })
      assert.unreachable('should throw')
    } catch (err) {
      assert.ok(err instanceof ApiError, `use ${round + 1}`)
      assert.is((err as ApiError).reason, 'BadRequest', `use ${round + 1}`)
    }
  }
})

test.run()
