/** SchedulerCache pod counters built after the pods exist (through the cache's term index) count what counters kept from the start count. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { fromLabelSelector, type LabelSelectorSpec } from '../../../reconciler/api/selectors/label-selector.js'
import { SchedulerCache } from '../../../reconciler/controllers/scheduler/index.js'

const Counter = suite('scheduler cache: counters built late')

const node = (name: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': name } },
  spec: {},
  status: { allocatable: { cpu: '64', memory: '256Gi', pods: '500' }, conditions: [{ type: 'Ready', status: 'True' }] },
})

const pod = (name: string, nodeName: string, labels: Record<string, string>, extra: { namespace?: string; deleting?: boolean } = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: extra.namespace ?? 'default', labels, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName, containers: [{ name: 'c', image: 'x' }] },
})

const selectors: Array<{ name: string; selector: LabelSelectorSpec }> = [
  { name: 'one equality', selector: { matchLabels: { app: 'web' } } },
  { name: 'two equalities (filed under one)', selector: { matchLabels: { app: 'web', tier: 'fe' } } },
  { name: 'in one value', selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] } },
  { name: 'in two values (no term)', selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] } },
  { name: 'exists (no term)', selector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } },
  { name: 'equality and not-in', selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] } },
]

Counter('late counters equal early ones after adds, relabels, moves and removals', () => {
  const early = new SchedulerCache()
  const late = new SchedulerCache()
  const both = (f: (c: SchedulerCache) => void) => [early, late].forEach(f)
  both((c) => ['n0', 'n1', 'n2'].forEach((n) => c.setNode(node(n))))
  const earlyCounters = selectors.map((s) => early.counter('default', fromLabelSelector(s.selector)))
  both((c) => {
    c.setPod(pod('w1', 'n0', { app: 'web', tier: 'fe' }))
    c.setPod(pod('w2', 'n1', { app: 'web' }))
    c.setPod(pod('w3', 'n1', { app: 'web', tier: 'be' }))
    c.setPod(pod('d1', 'n2', { app: 'db', tier: 'fe' }))
    c.setPod(pod('x1', 'n2', { app: 'web', tier: 'fe' }, { namespace: 'other' }))
    c.setPod(pod('t1', 'n0', { app: 'web', tier: 'fe' }, { deleting: true }))
    // Relabelled, moved, removed.
    c.setPod(pod('w2', 'n1', { app: 'db' }))
    c.setPod(pod('r1', 'n2', { app: 'web' }))
    c.removePod('default/r1')
  })
  const lateCounters = selectors.map((s) => late.counter('default', fromLabelSelector(s.selector)))
  const counts = (c: { byNode: Map<string, number> }) => Object.fromEntries(['n0', 'n1', 'n2'].map((n) => [n, c.byNode.get(n) ?? 0]))
  selectors.forEach((s, i) => assert.equal(counts(lateCounters[i]), counts(earlyCounters[i]), s.name))
  assert.equal(counts(lateCounters[0]), { n0: 1, n1: 1, n2: 0 })
})

Counter.run()
