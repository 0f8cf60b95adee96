import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { unifiedDiff } from '../../../reconciler/gitops/plan/unified-diff.js'

const whole = suite('unifiedDiff: a text against nothing (a create, a prune)')

const cases: Array<{ name: string; before: string; after: string; expected: string }> = [
  { name: 'a create', before: '', after: 'a: 1\nb: 2\n', expected: '--- live/x\n+++ git/x\n@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n' },
  { name: 'a prune', before: 'a: 1\nb: 2\n', after: '', expected: '--- live/x\n+++ git/x\n@@ -1,2 +0,0 @@\n-a: 1\n-b: 2\n' },
  { name: 'a text without a final newline', before: '', after: 'a: 1', expected: '--- live/x\n+++ git/x\n@@ -0,0 +1,1 @@\n+a: 1\n' },
  { name: 'more lines than the context joins', before: '', after: Array.from({ length: 12 }, (_, i) => `l${i}`).join('\n') + '\n', expected: `--- live/x\n+++ git/x\n@@ -0,0 +1,12 @@\n${Array.from({ length: 12 }, (_, i) => `+l${i}\n`).join('')}` },
  { name: 'both empty', before: '', after: '', expected: '' },
]

for (const c of cases) whole(c.name, () => assert.is(unifiedDiff(c.before, c.after, { from: 'live/x', to: 'git/x' }), c.expected))

whole('the same as the general path gives when one line stays', () => {
  // With a common first line the general (Myers) path runs; its hunk for the rest is the same shape.
  const after = 'k: v\na: 1\nb: 2\n'
  assert.is(unifiedDiff('k: v\n', after, { from: 'a', to: 'b' }), '--- a\n+++ b\n@@ -1,1 +1,3 @@\n k: v\n+a: 1\n+b: 2\n')
})

whole.run()
