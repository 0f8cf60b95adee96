import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { compactHistory, HISTORY_ANNOTATION, historyKey, historyText, readHistory, type HpaHistory } from '../../../reconciler/controllers/hpa/history.js'

const NOW = Date.parse('2024-01-01T01:00:00Z')
const s = (seconds: number): number => NOW - seconds * 1000
const horizon = { windowMs: 300_000, upPeriodMs: 60_000, downPeriodMs: 15_000 }
const h = (recs: number[][], up: number[][] = [], down: number[][] = []): HpaHistory => ({
  recommendations: recs.map(([replicas, ago]) => ({ replicas, at: s(ago) })),
  up: up.map(([change, ago]) => ({ change, at: s(ago) })),
  down: down.map(([change, ago]) => ({ change, at: s(ago) })),
})

const Compact = suite('hpa: the memory kept on the object')
const cases: Array<{ name: string; in: HpaHistory; want: HpaHistory }> = [
  { name: 'a steady recommendation is one sample', in: h([[10, 45], [10, 30], [10, 15], [10, 0]]), want: h([[10, 0]]) },
  { name: 'a sample that can still be the highest or the lowest stays', in: h([[10, 60], [2, 30], [5, 0]]), want: h([[10, 60], [2, 30], [5, 0]]) },
  { name: 'a sample between later ones goes', in: h([[5, 60], [10, 30], [2, 0]]), want: h([[10, 30], [2, 0]]) },
  { name: 'older than the longest window goes', in: h([[10, 301], [1, 0]]), want: h([[1, 0]]) },
  { name: 'unsorted (an expired slot reused) comes out in time order', in: h([[1, 0], [10, 30]]), want: h([[10, 30], [1, 0]]) },
  { name: 'scale events within their longest period', in: h([[1, 0]], [[3, 30], [4, 61]], [[2, 10], [1, 16]]), want: h([[1, 0]], [[3, 30]], [[2, 10]]) },
]
for (const c of cases) Compact(c.name, () => assert.equal(compactHistory(c.in, NOW, horizon), c.want))

Compact('the key ignores the newest sample time, so a steady recommendation writes nothing', () => {
  assert.is(historyKey(h([[10, 60], [3, 30]])), historyKey(h([[10, 60], [3, 0]])))
  assert.is.not(historyKey(h([[10, 60], [3, 0]])), historyKey(h([[10, 45], [3, 0]])))
})
Compact('read back: the newest sample is dated now (the previous process synced until it ended)', () => {
  const obj: KObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x', annotations: { [HISTORY_ANNOTATION]: historyText(h([[10, 200], [3, 100]], [[2, 20]])) } } }
  assert.equal(readHistory(obj, NOW), h([[10, 200], [3, 0]], [[2, 20]]))
  assert.is(readHistory({ ...obj, metadata: { name: 'x' } }, NOW), undefined)
  assert.is(readHistory({ ...obj, metadata: { name: 'x', annotations: { [HISTORY_ANNOTATION]: 'nope' } } }, NOW), undefined)
})
Compact.run()
