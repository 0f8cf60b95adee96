import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { desiredTaints, evictionTime } from '../../../reconciler/controllers/nodelifecycle/index.js'
import type { KObject } from '../../../reconciler/api/object.js'

const Evict = suite('taint eviction timing')

Evict('evictionTime', () => {
  const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' }
  const t0 = Date.parse('2026-01-01T00:00:00Z')
  const cases = [
    { name: 'default 300 s toleration', tol: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], want: t0 + 300_000 },
    { name: 'no toleration: now', tol: [], want: 'now' },
    { name: 'tolerated forever', tol: [{ operator: 'Exists' }], want: undefined },
    { name: 'shortest of the matching', tol: [{ operator: 'Exists', tolerationSeconds: 600 }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 60 }], want: t0 + 60_000 },
  ]
  for (const c of cases) assert.is(evictionTime([taint], c.tol), c.want, c.name)
})

Evict('condition taints follow Ready and spec.unschedulable; NoExecute keeps its time', () => {
  const now = new Date('2026-01-01T00:10:00Z')
  const mk = (ready: string, extra: Record<string, unknown> = {}): KObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: extra, status: { conditions: [{ type: 'Ready', status: ready }] } })
  const keys = (n: KObject): string[] => desiredTaints(n, now).taints.map((t) => `${t.key}:${t.effect}${t.timeAdded ? '@' + t.timeAdded : ''}`)
  assert.equal(keys(mk('True')), [])
  assert.equal(keys(mk('False')), ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute@2026-01-01T00:10:00Z'])
  assert.equal(keys(mk('Unknown', { unschedulable: true })), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute@2026-01-01T00:10:00Z', 'node.kubernetes.io/unschedulable:NoSchedule'])
  const kept = mk('Unknown', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' }, { key: 'mine', effect: 'NoSchedule' }] })
  assert.equal(keys(kept), ['node.kubernetes.io/unreachable:NoExecute@2026-01-01T00:00:00Z', 'mine:NoSchedule', 'node.kubernetes.io/unreachable:NoSchedule'])
  assert.equal(desiredTaints(mk('True', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), now), { taints: [], changed: true })
})

Evict.run()
