/**
 * The kubelet's checkpoint: what a running kubelet saves is what a fresh one primed from every
 * object saves (restore ≡ prime), it survives JSON and a second save, restore asks for exactly
 * the pods prime would sync, data of another outline is rejected, a malformed record is found
 * when first read, a restored kubelet maps live changes as a primed one does, and a start
 * restored from it lists no pod yet keeps pod addresses and a pending volume refresh right.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { CONTROLLERS } from '../../../reconciler/controllers/index.js'
import { createKubeletController, IpAllocator } from '../../../reconciler/controllers/kubelet/index.js'
import { readResolvedConfig, VOLUME_SYNC_DELAY_MS } from '../../../reconciler/controllers/kubelet/resolved-config.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { SIM_CONFIGMAP_NAME, SIM_CONFIGMAP_NAMESPACE } from '../../../reconciler/controllers/sim/index.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { manifest } from '../scheduler/cluster.js'
import { everyController, primedOldWay, stored } from '../runtime/primed-old-way.js'
import { asStored, damagedInManager } from '../runtime/seeded-random.js'

const test = suite('kubelet: checkpoint')

const HOLD = 'test.capstan.dev/hold'
/** The kubelet's parts stored by pages. */
const PAGED = ['quiet', 'refs', 'referring', 'ips', 'used', 'volumeSyncs']
const fm = { fieldManager: 't' }
const pod = (name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...meta },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...spec },
})
const configMap = (name: string, data: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data })
const configured = pod('configured', {
  containers: [{ name: 'app', image: 'nginx:1.25', env: [{ name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } }] }],
  volumes: [{ name: 'creds', secret: { secretName: 'creds' } }, { name: 'files', configMap: { name: 'files' } }],
})

/**
 * A settled cluster run by every controller: a Deployment's Running and Ready pods, a Ready pod
 * referring to two ConfigMaps and a Secret, and pods a start syncs — one waiting for a missing
 * ConfigMap, one in image pull back-off, one no node fits (the kubelet never saw it), one bound to
 * a node that does not exist, one whose status says Failed, one terminated but kept by a
 * finalizer (it keeps its address) — and a Ready pod deleted (its address released).
 */
async function build() {
  const { api, clock, manager, controller: kubelet } = await everyController('kubelet')
  for (const o of [...manifest('cluster/nodepool.yaml'), ...manifest('guestbook/guestbook-deployment.yaml')]) await api.apply(o, { fieldManager: 'capstan', force: true })
  await api.create(configMap('settings', { level: 'info' }), fm)
  await api.create(configMap('files', { 'a.conf': 'x=1' }), fm)
  await api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, stringData: { password: 'p' } } as KObject, fm)
  await api.create(configured, fm)
  await api.create(pod('no-config', { volumes: [{ name: 'v', configMap: { name: 'missing' } }] }), fm)
  await api.create(pod('bad-image', { containers: [{ name: 'app', image: 'gcr.io/google_containers/update-demo:kitty' }] }), fm)
  await api.create(pod('unbound', { nodeSelector: { 'no-such': 'label' } }), fm)
  await api.create(pod('failing', {}), fm)
  await api.create(pod('held', {}, { finalizers: [HOLD] }), fm)
  await api.create(pod('gone', {}), fm)
  await manager.advance(120_000)
  const failing = await api.get('pods', 'default', 'failing')
  await api.updateStatus({ ...failing, status: { ...(failing.status as object), phase: 'Failed' } }, fm)
  await api.delete('pods', 'default', 'held')
  await api.delete('pods', 'default', 'gone')
  await manager.advance(120_000)
  // Last, so that PodGC's 40 s quarantine of the missing node has not run out.
  await api.create(pod('ghost-node', { nodeName: 'ghost' }), fm)
  await manager.settle()
  return { api, clock, manager, kubelet }
}


interface Saved {
  format: number
  quiet: Array<[string, string]>
  refs: Array<[string, string[]]>
  referring: Array<[string, string[]]>
  startup: Array<[string, string]>
  ips: Array<[string, string]>
  used: Array<[string, string]>
  volumeSyncs: Array<[string, number]>
}
const joined = (e: unknown[]): string => JSON.stringify(e)
const sorted = <T extends unknown[]>(list: T[]): T[] => [...list].sort((x, y) => joined(x).localeCompare(joined(y)))
/** The saved data with its order, which says only when entries were recorded, taken out. */
function canon(data: unknown): Saved {
  const s = JSON.parse(JSON.stringify(data)) as Saved
  return {
    ...s,
    quiet: sorted(s.quiet),
    refs: sorted(s.refs),
    referring: sorted(s.referring.map(([k, pods]): [string, string[]] => [k, [...pods].sort()])),
    startup: sorted(s.startup),
    ips: sorted(s.ips),
    used: sorted(s.used),
    volumeSyncs: sorted(s.volumeSyncs),
  }
}
const names = (reqs: Request[]): string[] => reqs.map((r) => `${r.namespace}/${r.name}`).sort()
const fresh = (api: ApiServer, clock: VirtualClock): Controller => createKubeletController(new ControllerManager({ api, clock }).contextFor('kubelet'))
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v))
const podIP = (p: KObject): string | undefined => (p.status as { podIP?: string } | undefined)?.podIP
const mapOf = (c: Controller, resource: string) => c.watches!.find((w) => w.resource === resource)!.map!

test('restore ≡ prime: the running kubelet saves what a primed one does, restore asks for what prime syncs, and a restored one saves it again', async () => {
  const { api, clock, manager, kubelet } = await build()
  try {
    const saved = json(kubelet.checkpoint!.save())
    const s = canon(saved)
    const startup = s.startup.map(([ns, n]) => `${ns}/${n}`)
    for (const n of ['no-config', 'bad-image', 'unbound', 'ghost-node', 'failing', 'held']) assert.ok(startup.includes(`default/${n}`), `${n} is synced at a start`)
    assert.not.ok(startup.includes('default/configured'), 'a Running and Ready pod is not')
    assert.not.ok(startup.includes('default/gone'))
    const configured = await api.get('pods', 'default', 'configured')
    assert.ok(s.quiet.some(([k, uid]) => k === 'default/configured' && uid === configured.metadata.uid), 'a quiet pod with its uid')
    const refs = ['default/configmaps/settings', 'default/secrets/creds', 'default/configmaps/files']
    assert.equal(s.refs, [['default/configured', refs]], 'and what it refers to (pods referring to nothing are left out)')
    assert.equal(s.referring, refs.map((r) => [r, ['default/configured']]).sort(), 'both ways')
    assert.ok(s.quiet.some(([k]) => k.startsWith('default/guestbook-')), 'the Deployment\'s pods are quiet')
    const held = await api.get('pods', 'default', 'held')
    assert.ok(held.metadata.deletionTimestamp && podIP(held))
    assert.ok(s.ips.some(([uid, ip]) => uid === held.metadata.uid && ip === podIP(held)), 'a terminated pod the API still holds keeps its address')
    assert.is(s.ips.length, (await api.list('pods')).items.filter((p) => podIP(p)).length, 'exactly the addresses pods hold')
    assert.equal(sorted(s.used.map(([ip, uid]) => [uid, ip])), s.ips, 'and the same addresses the other way')

    const primed = fresh(api, clock)
    const wanted = await primedOldWay(api, primed)
    assert.equal(canon(primed.checkpoint!.save()), s, 'prime over every object ≡ the running memory')

    const restored = fresh(api, clock)
    restored.resumed?.()
    const reqs = restored.checkpoint!.restore(json(saved))
    assert.ok(reqs)
    assert.equal(names(reqs!), names(wanted), 'restore asks for what prime returned true for')
    assert.equal(names(wanted), startup.sort())
    assert.equal(json(restored.checkpoint!.save()), saved, 'round trip, order and all')
  } finally {
    await manager.stop()
  }
})

test('restore rejects data of another outline without throwing, and leaves the memory as it was', async () => {
  const { api, clock, manager, kubelet } = await build()
  await manager.stop()
  const saved = json(kubelet.checkpoint!.save()) as Saved
  const empty = json(fresh(api, clock).checkpoint!.save())
  const c = fresh(api, clock)
  const bad: unknown[] = [
    undefined,
    null,
    42,
    'x',
    [],
    { ...saved, format: 1 },
    { format: 2 },
    { ...saved, quiet: 'no' },
    { ...saved, refs: {} },
    { ...saved, referring: undefined },
    { ...saved, quiet: [3] },
    { ...saved, referring: ['default/configmaps/settings'] },
    { ...saved, ips: [7] },
    // Built last: everything before it was built, and is not taken.
    { ...saved, used: [null] },
    { ...saved, volumeSyncs: [true] },
    // The pods a start syncs are checked at once: the restore returns them.
    { ...saved, startup: [['default']] },
    { ...saved, startup: [['default', 3]] },
  ]
  for (const d of bad) assert.is(c.checkpoint!.restore(d), undefined, JSON.stringify(d) ?? 'undefined')
  assert.equal(json(c.checkpoint!.save()), empty, 'nothing restored')
  assert.not.ok(c.checkpoint!.damaged!())
})

/**
 * A restore reads the outline only; a record is checked when the kubelet first reads it. A
 * malformed one is dropped and the memory reported damaged (the manager then saves nothing and
 * the next start resyncs): records nobody reads stay unread.
 */
test('a malformed record is found when first read: dropped, and the memory damaged', async () => {
  const { api, clock, manager, kubelet } = await build()
  await manager.stop()
  const saved = json(kubelet.checkpoint!.save()) as Saved
  const ready = await api.get('pods', 'default', 'configured')
  const settings = await api.get('configmaps', 'default', 'settings')
  const changed = (c: Controller) => mapOf(c, 'configmaps')({ ...settings, data: { level: 'debug' } }, settings, 'MODIFIED')
  const deleted = (c: Controller) => mapOf(c, 'pods')(ready, ready, 'DELETED')
  const synced = (c: Controller) => c.reconcile({ resource: 'pods', namespace: 'default', name: 'configured' })
  const mine = (k: string) => k === 'default/configured' || k === ready.metadata.uid || k === 'default/configmaps/settings'
  const bad = <T extends [string, unknown]>(list: T[], to: unknown): T[] => list.map(([k, v]) => [k, mine(k) ? to : v] as T)
  const cases: Array<[string, Saved, (c: Controller) => unknown]> = [
    ['a pod key list that is not one', { ...saved, referring: bad(saved.referring, 'default/configured') }, changed],
    ['a pod key of no name', { ...saved, referring: saved.referring.map(([k]): [string, string[]] => [k, ['default/']]) }, changed],
    ['an object key list that is not one', { ...saved, refs: bad(saved.refs, [7]) }, deleted],
    ['a uid that is not one', { ...saved, quiet: bad(saved.quiet, 5) }, changed],
    ['an address that is not one', { ...saved, ips: bad(saved.ips, 5) }, deleted],
    ['a volume refresh time that is not one', { ...saved, volumeSyncs: [[ready.metadata.uid!, 'soon' as unknown as number]] }, synced],
  ]
  for (const [name, data, touch] of cases) {
    const c = fresh(api, clock)
    c.resumed?.()
    assert.ok(c.checkpoint!.restore(asStored(json(data), PAGED)), name)
    assert.not.ok(c.checkpoint!.damaged!(), `${name}: not read yet`)
    const out = await touch(c)
    assert.ok(c.checkpoint!.damaged!(), `${name}: damaged once read`)
    // A malformed list of pods referring to the ConfigMap is as none; a malformed uid only is not marked changed.
    if (touch === changed) assert.equal(out, name === 'a uid that is not one' ? [{ resource: 'pods', namespace: 'default', name: 'configured' }] : [], `${name}: dropped`)
  }

  // An address in use whose pod is not a uid: as a free address.
  const ips = new IpAllocator()
  ips.adopt(IpAllocator.parts([], (asStored({ used: [['10.244.0.2', 5]] }, ['used']) as { used: unknown }).used))
  assert.is(ips.allocate('uid-1', '10.244.0.0/30'), '10.244.0.2')
  assert.ok(ips.damaged)

  // In a manager: a damaged memory leaves the run degraded, and its checkpoint is not saved.
  // Records of objects nothing refers to now spread the references over pages: the start's syncs read others than the broken one's.
  const filler = Array.from({ length: 300 }, (_, i): [string, string[]] => [`default/configmaps/filler-${i}`, [`default/filler-${i}`]])
  const broken = { ...saved, referring: [...bad(saved.referring, [3]), ...filler] }
  await damagedInManager({ api, clock, name: 'kubelet', make: (m) => createKubeletController(m.contextFor('kubelet')), data: broken, paged: PAGED, touch: () => api.update({ ...settings, data: { level: 'debug' } }, fm) })
})

test('after restore, live changes map to the same requests as after prime', async () => {
  const { api, clock, manager, kubelet } = await build()
  await manager.stop()
  const primed = fresh(api, clock)
  await primedOldWay(api, primed)
  const held = await api.get('pods', 'default', 'held')
  const restored = fresh(api, clock)
  restored.resumed?.()
  // A volume refresh due for a pod the start syncs: it goes when the pod does.
  const saved = json(kubelet.checkpoint!.save()) as Saved
  assert.ok(restored.checkpoint!.restore({ ...saved, volumeSyncs: [[held.metadata.uid!, clock.now().getTime() + 1000]] }))
  const settings = await api.get('configmaps', 'default', 'settings')
  const files = await api.get('configmaps', 'default', 'files')
  const creds = await api.get('secrets', 'default', 'creds')
  const node = (await api.list('nodes')).items[0]
  const unbound = await api.get('pods', 'default', 'unbound')
  const ready = await api.get('pods', 'default', 'configured')
  const sim: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: SIM_CONFIGMAP_NAME, namespace: SIM_CONFIGMAP_NAMESPACE }, data: {} }
  const labelled = (o: KObject): KObject => ({ ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, x: 'y' } } })
  const changes: Array<[string, (c: Controller) => unknown]> = [
    ['a referenced ConfigMap changes', (c) => mapOf(c, 'configmaps')(labelled(settings), settings, 'MODIFIED')],
    ['a volume\'s ConfigMap is deleted', (c) => mapOf(c, 'configmaps')(files, files, 'DELETED')],
    ['a referenced Secret changes', (c) => mapOf(c, 'secrets')(labelled(creds), creds, 'MODIFIED')],
    ['the simulation settings change', (c) => mapOf(c, 'configmaps')(sim, undefined, 'ADDED')],
    ['a node changes', (c) => mapOf(c, 'nodes')(labelled(node), node, 'MODIFIED')],
    ['an unbound pod the kubelet does not know changes', (c) => c.accepts!('MODIFIED', labelled(unbound), unbound)],
    ['a quiet pod changes', (c) => c.accepts!('MODIFIED', labelled(ready), ready)],
    ['a quiet pod stops being Ready', (c) => mapOf(c, 'pods')({ ...ready, status: { ...(ready.status as object), conditions: [] } }, ready, 'MODIFIED')],
    ['a pod with an address is deleted', (c) => mapOf(c, 'pods')(ready, ready, 'DELETED')],
    ['a pod the start syncs is deleted', (c) => mapOf(c, 'pods')(held, held, 'DELETED')],
  ]
  for (const [name, act] of changes) assert.equal(act(restored), act(primed), name)
  assert.equal(names(mapOf(restored, 'configmaps')(labelled(settings), settings, 'MODIFIED')), ['default/configured'])
  assert.equal(canon(restored.checkpoint!.save()), canon(primed.checkpoint!.save()), 'and the memories stay equal')
  assert.not.ok(canon(restored.checkpoint!.save()).ips.some(([uid]) => uid === ready.metadata.uid), 'the deleted pod\'s address is released')
})

/**
 * A start restored from the checkpoint with only the kubelet: no pod, ConfigMap, Secret or node is
 * listed, the pods a start syncs are synced, a deleted pod's address is free again for the next
 * pod, and a volume refresh pending at the save happens when due, as in a kubelet that kept running.
 */
test('a restored start lists nothing, and keeps addresses and pending volume refreshes right', async () => {
  const { api, clock, manager, kubelet } = await build()
  await api.update(configMap('files', { 'a.conf': 'x=2' }), fm)
  await manager.settle()
  const failing = await api.get('pods', 'default', 'failing')
  const before = readResolvedConfig(await api.get('pods', 'default', 'configured')).volumes.files.files[0].value
  assert.is(before, 'x=1', 'not before the volume sync')
  const saved = json(kubelet.checkpoint!.save())
  assert.is((saved as Saved).volumeSyncs.length, 1, 'the pending refresh is saved')
  const delayed = manager.resumableWork().filter((d) => d.controller === 'kubelet')
  await manager.stop()

  const next = new ControllerManager({ api, clock })
  const inner = createKubeletController(next.contextFor('kubelet'))
  const synced: string[] = []
  next.add({ ...inner, reconcile: (req) => (synced.push(req.name), inner.reconcile(req)) })
  const lists: string[] = []
  const list = api.list.bind(api)
  api.list = ((...args: Parameters<typeof api.list>) => (lists.push(String(args[0])), list(...args))) as typeof api.list
  try {
    const revision = await api.storage.revision()
    await next.start({ changes: () => new Map(), delayed, memories: { byController: stored(new Map([['kubelet', saved]])), revision } })
    await next.settle()
    for (const n of ['no-config', 'bad-image', 'unbound', 'ghost-node', 'failing', 'held']) assert.ok(synced.includes(n), `${n} synced at the start`)
    assert.not.ok(synced.includes('configured'), 'a quiet pod is not')

    // The Failed pod goes: the restored memory knew its address, and frees it.
    await api.delete('pods', 'default', 'failing')
    await next.settle()
    const ips = (json(inner.checkpoint!.save()) as Saved).ips
    assert.not.ok(ips.some(([uid]) => uid === failing.metadata.uid), 'released when the pod is deleted')
    assert.not.ok(ips.some(([, ip]) => ip === podIP(failing)))

    await next.advance(VOLUME_SYNC_DELAY_MS)
    const after = readResolvedConfig(await api.get('pods', 'default', 'configured')).volumes.files.files[0].value
    assert.is(after, 'x=2', 'the refresh pending at the save happened when due')
    assert.equal(lists, [], 'nothing listed')
  } finally {
    api.list = list
    await next.stop()
  }
})

test.run()
