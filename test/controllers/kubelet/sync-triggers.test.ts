/**
 * Which pod changes make the kubelet and the scheduler reconcile (their event filters): the
 * kubelet syncs a pod bound to a node, not an unbound pod and not the change its own status write
 * just made (kubelet's pod config does not sync a pod on a status-only update); the scheduler
 * reconciles pods waiting for a node, not assigned ones. Counted through the real manager.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { createKubeletController } from '../../../reconciler/controllers/kubelet/index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import { createSchedulerController } from '../../../reconciler/controllers/scheduler/index.js'
import { defaultSimConfig, writeSimConfig } from '../../../reconciler/controllers/sim/index.js'
import { makeWorld } from '../runtime/fixture.js'

/** The controller, with every reconcile of a pod key counted in `counts`. */
function counted(c: Controller, counts: Map<string, number>): Controller {
  return {
    ...c,
    reconcile(req: Request) {
      const key = `${req.namespace}/${req.name}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
      return c.reconcile(req)
    },
  }
}

async function setup(startDelaySeconds: number) {
  const { api, clock } = await makeWorld()
  const cfg = defaultSimConfig()
  cfg.settings.startDelaySeconds = startDelaySeconds
  await writeSimConfig(api, cfg)
  const manager = new ControllerManager({ api, clock })
  const scheduled = new Map<string, number>()
  const synced = new Map<string, number>()
  manager.add(counted(createSchedulerController(manager.contextFor('default-scheduler')), scheduled))
  manager.add(counted(createKubeletController(manager.contextFor('kubelet')), synced))
  await manager.settle()
  return { api, manager, scheduled, synced }
}

const pod = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } })
const phaseOf = (p: KObject): string | undefined => (p.status as { phase?: string } | undefined)?.phase
const readyOf = (p: KObject): string | undefined => (p.status as { conditions?: Array<{ type: string; status: string }> }).conditions?.find((c) => c.type === 'Ready')?.status

const Triggers = suite('kubelet and scheduler: which pod changes reconcile')

const cases: Array<{ name: string; startDelaySeconds: number; scheduler: number; kubelet: number }> = [
  // Create → scheduled (decision, then the binding written on its own turn) → bound → one sync
  // that writes Running and Ready; the kubelet's own status write does not sync the pod again.
  { name: 'start delay 0: two scheduler turns, one kubelet sync', startDelaySeconds: 0, scheduler: 2, kubelet: 1 },
  // With a start delay: one sync at binding (ContainerCreating … Running, not Ready), one when due.
  { name: 'start delay 3 s: two scheduler turns, two kubelet syncs', startDelaySeconds: 3, scheduler: 2, kubelet: 2 },
]
for (const c of cases) {
  Triggers(c.name, async () => {
    const { api, manager, scheduled, synced } = await setup(c.startDelaySeconds)
    await api.create(pod('web'), { fieldManager: 'test' })
    await manager.settle()
    if (c.startDelaySeconds) await manager.advance(c.startDelaySeconds * 1000)
    const p = await api.get('pods', 'default', 'web')
    assert.is(phaseOf(p), 'Running')
    assert.is(readyOf(p), 'True')
    assert.is(scheduled.get('default/web'), c.scheduler)
    assert.is(synced.get('default/web'), c.kubelet)
    await manager.stop()
  })
}

Triggers('a status written by someone else still makes the kubelet sync (and report its own again)', async () => {
  const { api, manager, synced } = await setup(0)
  await api.create(pod('web'), { fieldManager: 'test' })
  await manager.settle()
  const before = synced.get('default/web') ?? 0
  const p = await api.get('pods', 'default', 'web')
  await api.updateStatus({ ...p, status: { ...(p.status as object), phase: 'Pending' } }, { fieldManager: 'test' })
  await manager.settle()
  assert.is(synced.get('default/web'), before + 1)
  assert.is(phaseOf(await api.get('pods', 'default', 'web')), 'Running')
  await manager.stop()
})

Triggers('deleting a running pod: the kubelet stops and removes it; the scheduler is not involved', async () => {
  const { api, manager, scheduled } = await setup(0)
  await api.create(pod('web'), { fieldManager: 'test' })
  await manager.settle()
  const turns = scheduled.get('default/web')
  await api.delete('pods', 'default', 'web')
  await manager.settle()
  let gone = false
  try {
    await api.get('pods', 'default', 'web')
  } catch {
    gone = true
  }
  assert.ok(gone)
  assert.is(scheduled.get('default/web'), turns)
  await manager.stop()
})

Triggers.run()
