import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { createSchedulerController } from '../../../reconciler/controllers/scheduler/index.js'
import { createKubeletController } from '../../../reconciler/controllers/kubelet/index.js'
import { readResolvedConfig, VOLUME_SYNC_DELAY_MS } from '../../../reconciler/controllers/kubelet/resolved-config.js'
import { defaultSimConfig, writeSimConfig } from '../../../reconciler/controllers/sim/index.js'
import { Harness, newEnv } from '../sim/harness.js'

const cm = (data: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'special', namespace: 'default' }, data })

const Resolved = suite('kubelet: the resolved configuration record')

Resolved('env (configMapKeyRef, secretKeyRef masked, envFrom with and without prefix, invalid names (1bad) skipped), volume files; updates reach volumes after the sync delay, never env', async () => {
  const env = await newEnv()
  const cfg = defaultSimConfig()
  cfg.settings.startDelaySeconds = 0
  await writeSimConfig(env.api, cfg)
  const h = await new Harness(env.api, env.clock, [createSchedulerController(env.ctx), createKubeletController(env.ctx)]).start()
  await env.api.create(cm({ 'special.how': 'very', 'special.type': 'charm', '1bad': 'x' }), { fieldManager: 'test' })
  await env.api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, stringData: { password: 'hunter2' } } as KObject, { fieldManager: 'test' })
  await env.api.create({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [{
        name: 'app', image: 'busybox',
        envFrom: [{ prefix: 'CM_', configMapRef: { name: 'special' } }, { configMapRef: { name: 'special' } }],
        env: [
          { name: 'HOW', valueFrom: { configMapKeyRef: { name: 'special', key: 'special.how' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'password' } } },
          { name: 'MISSING', valueFrom: { configMapKeyRef: { name: 'special', key: 'nope', optional: true } } },
          { name: 'PLAIN', value: 'x' },
        ],
        volumeMounts: [{ name: 'config', mountPath: '/etc/config' }],
      }],
      volumes: [{ name: 'config', configMap: { name: 'special', defaultMode: 0o400, items: [{ key: 'special.how', path: 'how/level' }] } }],
    },
  }, { fieldManager: 'test' })
  await h.settle()
  let rec = readResolvedConfig(await env.api.get('pods', 'default', 'p'))
  const byName = Object.fromEntries(rec.containers.app.env.map((e) => [e.name, e]))
  assert.equal(Object.keys(byName).sort(), ['CM_1bad', 'CM_special.how', 'CM_special.type', 'HOW', 'PASSWORD', 'PLAIN', 'special.how', 'special.type'])
  assert.is(byName.HOW.value, 'very')
  assert.is(byName.HOW.from, 'configmap/special[special.how]')
  assert.equal([byName.PASSWORD.value, byName.PASSWORD.sensitive, byName.PASSWORD.bytes], [undefined, true, 7])
  assert.equal(rec.volumes.config.files, [{ path: 'how/level', key: 'special.how', mode: 0o400, bytes: 4, value: 'very', from: 'configmap/special[special.how]' }])

  await env.api.update(cm({ 'special.how': 'less', 'special.type': 'charm' }), { fieldManager: 'test' })
  await h.settle()
  rec = readResolvedConfig(await env.api.get('pods', 'default', 'p'))
  assert.is(rec.volumes.config.files[0].value, 'very', 'not before the kubelet sync')
  await h.advance(VOLUME_SYNC_DELAY_MS)
  rec = readResolvedConfig(await env.api.get('pods', 'default', 'p'))
  assert.is(rec.volumes.config.files[0].value, 'less')
  assert.is(rec.containers.app.env.find((e) => e.name === 'HOW')!.value, 'very', 'a running container keeps its environment')
})

Resolved('start delay 0: the pod goes Pending → Running in one kubelet write (pods/status), the record riding with the status', async () => {
  const env = await newEnv()
  const cfg = defaultSimConfig()
  cfg.settings.startDelaySeconds = 0
  await writeSimConfig(env.api, cfg)
  const h = await new Harness(env.api, env.clock, [createSchedulerController(env.ctx), createKubeletController(env.ctx)]).start()
  const writes: string[] = []
  const watch = await env.api.watch('pods', { resourceVersion: await env.api.revision('pods') }, (ev) => writes.push(ev.type))
  await env.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'busybox', env: [{ name: 'A', value: '1' }] }] } }, { fieldManager: 'test' })
  await h.settle()
  watch.stop()
  assert.equal(writes, ['ADDED', 'MODIFIED', 'MODIFIED'], 'create, binding, one kubelet status write')
  const pod = await env.api.get('pods', 'default', 'p')
  assert.is((pod.status as { phase?: string }).phase, 'Running')
  assert.equal(readResolvedConfig(pod).containers.app.env.map((e) => [e.name, e.value]), [['A', '1']])
  const kubelet = (pod.metadata.managedFields ?? []).filter((m) => m.manager === 'kubelet')
  assert.equal(kubelet.map((m) => m.subresource), ['status'], 'the kubelet writes only through pods/status')
  assert.ok((kubelet[0].fieldsV1 as { 'f:metadata'?: { 'f:annotations'?: Record<string, unknown> } })['f:metadata']?.['f:annotations']?.['f:capstan.dev/resolved-config'])
})

Resolved.run()
