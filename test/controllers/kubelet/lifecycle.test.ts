import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { createSchedulerController } from '../../../reconciler/controllers/scheduler/index.js'
import { createKubeletController } from '../../../reconciler/controllers/kubelet/index.js'
import { defaultSimConfig, registryAdd, writeSimConfig } from '../../../reconciler/controllers/sim/index.js'
import { Harness, newEnv } from '../sim/harness.js'

const pod = (name: string, spec: Record<string, unknown>): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec,
})
const one = (image: string, extra: Record<string, unknown> = {}) => ({ containers: [{ name: 'app', image, ...extra }] })

async function setup(startDelaySeconds = 3) {
  const env = await newEnv()
  const cfg = defaultSimConfig()
  cfg.settings.startDelaySeconds = startDelaySeconds
  await writeSimConfig(env.api, cfg)
  const h = await new Harness(env.api, env.clock, [createSchedulerController(env.ctx), createKubeletController(env.ctx)]).start()
  const get = async (name: string) => env.api.get('pods', 'default', name)
  const waitingReason = async (name: string) => {
    const st = (await get(name)).status as { containerStatuses?: Array<{ state?: { waiting?: { reason?: string; message?: string } } }> }
    return st.containerStatuses?.[0]?.state?.waiting?.reason
  }
  return { ...env, h, get, waitingReason }
}

const Lifecycle = suite('kubelet: pod lifecycle')

Lifecycle('start delay 3 s: ContainerCreating, then Running and Ready with kubelet events', async () => {
  const { api, h, get, events, waitingReason } = await setup(3)
  await api.create(pod('web', one('nginx:1.25')), { fieldManager: 'test' })
  await h.settle()
  let p = await get('web')
  const st = p.status as any // eslint-disable-line @typescript-eslint/no-explicit-any -- reading a status tree in a test
  assert.is((p.spec as { nodeName?: string }).nodeName, 'capstan-node-1')
  assert.is(st.phase, 'Pending')
  assert.is(await waitingReason('web'), 'ContainerCreating')
  assert.is(st.hostIP, '10.0.0.1')
  assert.ok(/^10\.244\./.test(st.podIP))
  const conds = Object.fromEntries(st.conditions.map((c: { type: string; status: string }) => [c.type, c.status]))
  assert.equal(conds, { PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'False', ContainersReady: 'False', PodScheduled: 'True' })
  const ready = st.conditions.find((c: { type: string }) => c.type === 'Ready')
  assert.is(ready.reason, 'ContainersNotReady')
  assert.is(ready.message, 'containers with unready status: [app]')
  assert.equal(events.reasons('web'), ['Scheduled', 'Pulling'])
  assert.is(h.nextDueIn(), 3000)

  await h.advance(3000)
  p = await get('web')
  const st2 = p.status as any // eslint-disable-line @typescript-eslint/no-explicit-any -- as above
  assert.is(st2.phase, 'Running')
  assert.ok(st2.containerStatuses[0].state.running.startedAt)
  assert.is(st2.containerStatuses[0].ready, true)
  assert.is(st2.containerStatuses[0].started, true)
  assert.is(st2.containerStatuses[0].image, 'docker.io/library/nginx:1.25')
  assert.ok(st2.conditions.every((c: { status: string }) => c.status === 'True'))
  assert.equal(events.about('web').slice(0, 2), ['Scheduled: Successfully assigned default/web to capstan-node-1', 'Pulling: Pulling image "nginx:1.25"'])
  assert.match(events.about('web')[2], /^Pulled: Successfully pulled image "nginx:1\.25" in 3s \(3s including waiting\)\. Image size: \d+ bytes\.$/)
  assert.equal(events.about('web').slice(3), ['Created: Created container: app', 'Started: Started container app'])
})

Lifecycle('start delay 0: Running at once', async () => {
  const { api, h, get, events } = await setup(0)
  await api.create(pod('fast', one('busybox')), { fieldManager: 'test' })
  await h.settle()
  assert.is(((await get('fast')).status as { phase: string }).phase, 'Running')
  assert.equal(events.reasons('fast'), ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'])
  assert.is(h.nextDueIn(), undefined)
})

Lifecycle('readiness probe initial delay holds Ready back', async () => {
  const { api, h, get } = await setup(0)
  await api.create(pod('probe', one('nginx', { readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 5 } })), { fieldManager: 'test' })
  await h.settle()
  const ready = async () => ((await get('probe')).status as { conditions: Array<{ type: string; status: string }> }).conditions.find((c) => c.type === 'Ready')!.status
  assert.is(await ready(), 'False')
  await h.advance(5000)
  assert.is(await ready(), 'True')
})

Lifecycle('pod IPs are distinct', async () => {
  const { api, h } = await setup(0)
  for (let i = 0; i < 20; i++) await api.create(pod(`p${i}`, one('nginx')), { fieldManager: 'test' })
  await h.settle()
  const ips = (await api.list('pods')).items.map((p) => (p.status as { podIP: string }).podIP)
  assert.is(new Set(ips).size, 20)
})

const Pull = suite('kubelet: image pull back-off')

Pull('update-demo:kitty: ErrImagePull, ImagePullBackOff, back-off doubling; recovers when the registry gains the tag', async () => {
  const { api, h, events, waitingReason, get } = await setup(3)
  const image = 'gcr.io/google_containers/update-demo:kitty'
  await api.create(pod('kitty', one(image)), { fieldManager: 'test' })
  await h.settle()
  assert.is(await waitingReason('kitty'), 'ErrImagePull')
  const full = 'gcr.io/google_containers/update-demo:kitty'
  const err = `rpc error: code = NotFound desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${full}: not found`
  const msg = ((await get('kitty')).status as any).containerStatuses[0].state.waiting.message // eslint-disable-line @typescript-eslint/no-explicit-any -- test read
  assert.is(msg, err)
  assert.equal(events.about('kitty').slice(1), [`Pulling: Pulling image "${image}"`, `Failed: Failed to pull image "${image}": ${err}`, 'Failed: Error: ErrImagePull'])

  await h.advance(1000)
  assert.is(await waitingReason('kitty'), 'ImagePullBackOff')
  const boMsg = ((await get('kitty')).status as any).containerStatuses[0].state.waiting.message // eslint-disable-line @typescript-eslint/no-explicit-any -- test read
  assert.is(boMsg, `Back-off pulling image "${image}": ErrImagePull: ${err}`)
  assert.equal(events.about('kitty').slice(4), [`BackOff: Back-off pulling image "${image}"`, 'Failed: Error: ImagePullBackOff'])

  // Retries at 10 s, then 20 s later, then 40 s later.
  const pullTimes = (): number[] => events.list.filter((e) => e.name === 'kitty' && e.reason === 'Pulling').map((e) => Date.parse(e.at))
  await h.advance(80_000)
  const t = pullTimes()
  assert.equal(t.slice(1).map((x, i) => (x - t[i]) / 1000), [10, 20, 40])

  // The registry gains the tag: the next retry pulls it.
  await registryAdd(api, `gcr.io/google_containers/update-demo:kitty`)
  await h.settle()
  assert.is(await waitingReason('kitty'), 'ImagePullBackOff')
  await h.advance(80_000 + 3000)
  const st = (await get('kitty')).status as { phase: string }
  assert.is(st.phase, 'Running')
  assert.ok(events.reasons('kitty').includes('Started'))
})

const Config = suite('kubelet: ConfigMap and Secret references')

const envRef = (optional?: boolean) => ({
  env: [{ name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color', ...(optional === undefined ? {} : { optional }) } } }],
})

Config('missing ConfigMap: CreateContainerConfigError, recovers when it appears', async () => {
  const { api, h, events, waitingReason, get } = await setup(0)
  await api.create(pod('cfg', one('nginx', envRef())), { fieldManager: 'test' })
  await h.settle()
  assert.is(await waitingReason('cfg'), 'CreateContainerConfigError')
  const st = (await get('cfg')).status as any // eslint-disable-line @typescript-eslint/no-explicit-any -- test read
  assert.is(st.containerStatuses[0].state.waiting.message, 'configmap "settings" not found')
  assert.ok(events.about('cfg').includes('Failed: Error: configmap "settings" not found'))

  // A ConfigMap without the key: the message names the key.
  await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { other: 'x' } }, { fieldManager: 'test' })
  await h.settle()
  const st2 = (await get('cfg')).status as any // eslint-disable-line @typescript-eslint/no-explicit-any -- test read
  assert.is(st2.containerStatuses[0].state.waiting.message, "couldn't find key color in ConfigMap default/settings")

  // The key appears: the container starts without waiting for the periodic re-check.
  const cm = await api.get('configmaps', 'default', 'settings')
  await api.update({ ...cm, data: { color: 'blue' } }, { fieldManager: 'test' })
  await h.settle()
  assert.is(((await get('cfg')).status as { phase: string }).phase, 'Running')
  assert.ok(events.about('cfg').includes('Pulled: Container image "nginx" already present on machine') || events.reasons('cfg').includes('Pulling'))
})

Config('optional references do not block', async () => {
  const { api, h, get } = await setup(0)
  await api.create(
    pod('opt', {
      containers: [{ name: 'app', image: 'nginx', ...envRef(true), envFrom: [{ secretRef: { name: 'nope', optional: true } }] }],
      volumes: [{ name: 'v', configMap: { name: 'absent', optional: true } }],
    }),
    { fieldManager: 'test' },
  )
  await h.settle()
  assert.is(((await get('opt')).status as { phase: string }).phase, 'Running')
})

Config('missing Secret in envFrom; missing secret key', async () => {
  const { api, h, get } = await setup(0)
  await api.create(pod('sec', { containers: [{ name: 'app', image: 'nginx', envFrom: [{ secretRef: { name: 'creds' } }] }] }), { fieldManager: 'test' })
  await api.create(
    pod('seckey', { containers: [{ name: 'app', image: 'nginx', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }] }),
    { fieldManager: 'test' },
  )
  await api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, data: { user: 'YQ==' } }, { fieldManager: 'test' })
  await h.settle()
  const msg = async (n: string) => ((await get(n)).status as any).containerStatuses[0].state.waiting.message // eslint-disable-line @typescript-eslint/no-explicit-any -- test read
  assert.is(await msg('sec'), 'secret "creds" not found')
  assert.is(await msg('seckey'), "couldn't find key password in Secret default/db")
})

Config('missing ConfigMap volume: ContainerCreating with FailedMount, then starts', async () => {
  const { api, h, get, events, waitingReason } = await setup(0)
  await api.create(
    pod('vol', { containers: [{ name: 'app', image: 'nginx' }], volumes: [{ name: 'conf', configMap: { name: 'web-conf' } }] }),
    { fieldManager: 'test' },
  )
  await h.settle()
  assert.is(await waitingReason('vol'), 'ContainerCreating')
  assert.ok(events.about('vol').includes('FailedMount: MountVolume.SetUp failed for volume "conf" : configmap "web-conf" not found'))
  const conds = ((await get('vol')).status as any).conditions // eslint-disable-line @typescript-eslint/no-explicit-any -- test read
  assert.is(conds.find((c: { type: string }) => c.type === 'PodReadyToStartContainers').status, 'False')
  await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-conf', namespace: 'default' }, data: { a: 'b' } }, { fieldManager: 'test' })
  await h.settle()
  assert.is(((await get('vol')).status as { phase: string }).phase, 'Running')
})

const Delete = suite('kubelet: graceful deletion')

Delete('a running pod deleted gracefully is stopped and removed', async () => {
  const { api, h, events } = await setup(0)
  await api.create(pod('bye', one('nginx')), { fieldManager: 'test' })
  await h.settle()
  await api.delete('pods', 'default', 'bye')
  await h.settle()
  try {
    await api.get('pods', 'default', 'bye')
    assert.unreachable('pod should be gone')
  } catch (err) {
    assert.is((err as { reason?: string }).reason, 'NotFound')
  }
  assert.ok(events.about('bye').includes('Killing: Stopping container app'))
})

Delete('pods on a NotReady node are not started', async () => {
  const { api, h, waitingReason } = await setup(0)
  await api.create(pod('first', one('nginx')), { fieldManager: 'test' })
  await h.settle()
  const node = await api.get('nodes', undefined, 'capstan-node-1')
  const status = structuredClone(node.status) as { conditions: Array<{ type: string; status: string }> }
  status.conditions.find((c) => c.type === 'Ready')!.status = 'False'
  await api.updateStatus({ ...structuredClone(node), status }, { fieldManager: 'test' })
  await api.create(pod('late', { ...one('nginx'), nodeName: 'capstan-node-1' }), { fieldManager: 'test' })
  await h.settle()
  assert.is(await waitingReason('late'), undefined)
})

Lifecycle.run()
Pull.run()
Config.run()
Delete.run()
