import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { createBinderController, defaultNode } from '../../../reconciler/controllers/binder/index.js'
import { Harness, newEnv } from '../sim/harness.js'

const pod = (name: string, spec: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
})

const Binder = suite('binder')

Binder('creates capstan-node-1 when no node exists, binds, sets PodScheduled, records Scheduled', async () => {
  const { api, clock, ctx, events } = await newEnv()
  const h = await new Harness(api, clock, [createBinderController(ctx)]).start()
  await api.create(pod('a'), { fieldManager: 't' })
  await h.settle()
  const node = await api.get('nodes', undefined, 'capstan-node-1')
  assert.equal(node.metadata.labels, {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': 'capstan-node-1',
    'kubernetes.io/os': 'linux',
  })
  const st = node.status as { conditions: Array<{ type: string; status: string; reason: string }>; capacity: Record<string, string>; nodeInfo: { kubeletVersion: string } }
  assert.equal(st.conditions.find((c) => c.type === 'Ready'), { ...st.conditions.find((c) => c.type === 'Ready'), status: 'True', reason: 'KubeletReady' })
  assert.is(st.capacity.pods, '110')
  assert.is(st.nodeInfo.kubeletVersion, 'v1.32.0')
  const p = await api.get('pods', 'default', 'a')
  assert.is((p.spec as { nodeName: string }).nodeName, 'capstan-node-1')
  const cond = (p.status as { conditions: Array<{ type: string; status: string }> }).conditions
  assert.equal(cond.map((c) => [c.type, c.status]), [['PodScheduled', 'True']])
  assert.equal(events.about('a'), ['Scheduled: Successfully assigned default/a to capstan-node-1'])
})

Binder('leaves pods for other schedulers and already bound pods alone', async () => {
  const { api, clock, ctx, events } = await newEnv()
  await api.create(defaultNode(clock.now(), 'other-node'), { fieldManager: 't' })
  const h = await new Harness(api, clock, [createBinderController(ctx)]).start()
  await api.create(pod('custom', { schedulerName: 'my-scheduler' }), { fieldManager: 't' })
  await api.create(pod('bound', { nodeName: 'other-node' }), { fieldManager: 't' })
  await api.create(pod('free'), { fieldManager: 't' })
  await h.settle()
  assert.is(((await api.get('pods', 'default', 'custom')).spec as { nodeName?: string }).nodeName, undefined)
  assert.is(((await api.get('pods', 'default', 'free')).spec as { nodeName?: string }).nodeName, 'other-node')
  assert.equal(events.reasons(), ['Scheduled'])
  assert.is((await api.list('nodes')).items.length, 1)
})

Binder('waits while no node is Ready, binds when one becomes Ready', async () => {
  const { api, clock, ctx } = await newEnv()
  const node = defaultNode(clock.now(), 'n1')
  const st = node.status as { conditions: Array<{ type: string; status: string }> }
  st.conditions.find((c) => c.type === 'Ready')!.status = 'False'
  await api.create(node, { fieldManager: 't' })
  const h = await new Harness(api, clock, [createBinderController(ctx)]).start()
  await api.create(pod('p'), { fieldManager: 't' })
  await h.settle()
  assert.is(((await api.get('pods', 'default', 'p')).spec as { nodeName?: string }).nodeName, undefined)
  const live = structuredClone(await api.get('nodes', undefined, 'n1'))
  ;(live.status as typeof st).conditions.find((c) => c.type === 'Ready')!.status = 'True'
  await api.updateStatus(live, { fieldManager: 't' })
  await h.settle()
  assert.is(((await api.get('pods', 'default', 'p')).spec as { nodeName?: string }).nodeName, 'n1')
})

Binder.run()
