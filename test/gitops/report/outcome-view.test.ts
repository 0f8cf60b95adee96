import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { outcomeView } from '../../../reconciler/gitops/report/outcome-view.js'
import type { PlanChange } from '../../../reconciler/gitops/plan/types.js'
import type { SyncOutcome } from '../../../reconciler/gitops/sync/sync.js'

const view = suite('outcomeView')

/** A change whose diff counts how often it is read. */
function change(name: string, action: PlanChange['action'], reads: { n: number }, takesOverFrom?: string[]): PlanChange {
  const c = { action, id: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'apps', name }, patch: [] } as unknown as PlanChange
  Object.defineProperty(c, 'diff', { enumerable: true, get: () => (reads.n++, `diff of ${name}\n`) })
  if (takesOverFrom) c.takesOverFrom = takesOverFrom
  return c
}

function outcome(changes: PlanChange[]): SyncOutcome {
  return { result: 'Succeeded', reason: 'Synced', message: 'ok', mode: 'full', inSync: false, plan: { changes, notes: [], warnings: [] }, counts: { create: 0, update: 0, unchanged: 0, prune: 0 }, health: [], deployments: [], problems: [] }
}

const cases: Array<{ name: string; changes: (r: { n: number }) => PlanChange[]; json: unknown[] }> = [
  {
    name: 'creates and an update taking fields over; unchanged left out',
    changes: (r) => [change('a', 'create', r), change('b', 'unchanged', r), change('c', 'update', r, ['kubectl'])],
    json: [
      { id: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'a' }, action: 'create', diff: 'diff of a\n' },
      { id: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'c' }, action: 'update', diff: 'diff of c\n', takesOverFrom: ['kubectl'] },
    ],
  },
  { name: 'no changes', changes: () => [], json: [] },
]

for (const c of cases) {
  view(`${c.name}: diffs are read only when asked for, and the JSON is that of plain objects`, () => {
    const reads = { n: 0 }
    const v = outcomeView(outcome(c.changes(reads)))
    assert.is(reads.n, 0)
    // The same bytes, key order included, as the object literals the view used to build.
    assert.is(JSON.stringify(v.changes), JSON.stringify(c.json))
    assert.is(reads.n, c.json.length)
    assert.equal(v.changes.map((x) => x.diff), c.json.map((x) => (x as { diff: string }).diff))
  })
}

view.run()
