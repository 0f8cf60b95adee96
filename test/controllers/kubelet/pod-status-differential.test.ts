/** podStatusFor and setCondition (built by key copies, not spreads) against a frozen copy of the old code: the same text, key for key. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { ContainerStatus, PodStatus } from '../../../reconciler/api/generated/types.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { podStatusFor, setCondition } from '../../../reconciler/controllers/kubelet/pod-status.js'
import * as ref from './reference/pod-status-old.js'

/** The text and the key order of every level: what the store encodes. */
const text = (v: unknown): string => JSON.stringify(v)

const Diff = suite('kubelet: podStatusFor / setCondition against the frozen reference')

const now = new Date('2026-01-01T00:00:05Z')
const running = (name: string, ready = true): ContainerStatus => ({ name, image: 'docker.io/library/nginx:1.25', imageID: 'i', containerID: 'c', ready, restartCount: 0, started: true, state: { running: { startedAt: '2026-01-01T00:00:01Z' } } })
const waitingCs = (name: string): ContainerStatus => ({ name, image: 'nginx', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ContainerCreating' } } })
const initDone = (name: string): ContainerStatus => ({ name, image: 'busybox', imageID: '', ready: true, restartCount: 0, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '', finishedAt: '' } } })
const pod = (status: PodStatus, init = false, containers = ['web']): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { containers: containers.map((name) => ({ name, image: 'nginx' })), ...(init ? { initContainers: [{ name: 'init', image: 'busybox' }] } : {}) },
  status,
})
const scheduled = { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }
const cases: Array<{ name: string; pod: KObject; containers: ContainerStatus[]; init?: ContainerStatus[]; sandboxReady: boolean; podIP?: string }> = [
  { name: 'just bound, starts running', pod: pod({ phase: 'Pending', conditions: [scheduled], qosClass: 'Burstable' }), containers: [running('web')], sandboxReady: true, podIP: '10.244.0.5' },
  { name: 'sandbox not ready', pod: pod({ phase: 'Pending', conditions: [scheduled] }), containers: [waitingCs('web')], sandboxReady: false },
  { name: 'two containers, one not ready (sorted statuses)', pod: pod({ phase: 'Pending', conditions: [scheduled] }, false, ['b', 'a']), containers: [running('b', false), running('a')], sandboxReady: true, podIP: '10.244.0.6' },
  {
    name: 'already running: times kept, others\' conditions kept, podIP in place',
    pod: pod({
      phase: 'Running',
      podIP: '10.244.0.7',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: '2026-01-01T00:00:01Z' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'x', lastTransitionTime: '2026-01-01T00:00:01Z' },
        scheduled,
        { type: 'example.com/gate', status: 'True' },
      ],
      startTime: '2026-01-01T00:00:01Z',
    }),
    containers: [running('web')],
    sandboxReady: true,
    podIP: '10.244.0.7',
  },
  { name: 'init containers done', pod: pod({ phase: 'Pending', conditions: [scheduled] }, true), containers: [running('web')], init: [initDone('init')], sandboxReady: true, podIP: '10.244.0.8' },
  {
    name: 'init statuses present before, none now',
    pod: pod({ phase: 'Pending', initContainerStatuses: [initDone('init')], conditions: [scheduled], hostIP: '10.0.0.1' }),
    containers: [running('web')],
    sandboxReady: true,
  },
]
for (const c of cases) {
  Diff(c.name, () => {
    const input = { pod: c.pod, containers: c.containers, initContainers: c.init ?? [], sandboxReady: c.sandboxReady, hostIP: '10.0.0.1', podIP: c.podIP, now }
    assert.is(text(podStatusFor(input)), text(ref.podStatusFor(input)))
  })
}
for (const next of [{ type: 'Ready', status: 'True' }, { type: 'Ready', status: 'False', reason: 'R', message: 'm' }, { type: 'New', status: 'True' }]) {
  Diff(`setCondition ${next.type}=${next.status}`, () => {
    const old = [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z' }]
    assert.is(text(setCondition(old, next, now)), text(ref.setCondition(old, next, now)))
    assert.is(text(setCondition(undefined, next, now)), text(ref.setCondition(undefined, next, now)))
  })
}
Diff.run()
