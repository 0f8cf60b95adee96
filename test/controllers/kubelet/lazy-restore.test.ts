/**
 * The kubelet's memory restored by parts (ref-index.ts, memory.ts, ip-allocator.ts,
 * checkpoint.ts), differentially: a memory built live — its start view following pod events, its
 * known pods and references as prime leaves them, the addresses pods hold, pending volume
 * refreshes — is saved, sent through JSON and restored into a fresh one; then the changes the
 * kubelet makes (pod events, syncs that record a pod's references and uid, forget it, allocate its
 * address, schedule or clear its volume refresh; ConfigMap and Secret changes waking the pods that
 * refer to them) run on both, and every answer must agree — records changed or removed before
 * anything read them included. A save right after a restore is the data restored; a save taken
 * after random changes, restored again, answers as the live memory. Nothing is ever reported
 * damaged. The controller itself is driven the same way through its checkpoint, watch mappings
 * and `accepts`, against a controller primed from the same pods.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { needsStartSync, restoreCheckpoint, saveCheckpoint, StartView, type CheckpointedMemory } from '../../../reconciler/controllers/kubelet/checkpoint.js'
import { referencedObjects } from '../../../reconciler/controllers/kubelet/config-refs.js'
import { createKubeletController } from '../../../reconciler/controllers/kubelet/controller.js'
import { IpAllocator } from '../../../reconciler/controllers/kubelet/ip-allocator.js'
import { KubeletMemory, memoryParts } from '../../../reconciler/controllers/kubelet/memory.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { canonRows, json, pick, rng } from '../runtime/seeded-random.js'

const test = suite('kubelet: lazy restore, differential')


const NAMESPACES = ['a', 'b']
const POD_NAMES = Array.from({ length: 14 }, (_, i) => `p${i}`)
const OBJECTS = ['c0', 'c1', 'c2', 'c3']
/** Small, and over the addresses the pods' statuses hold: probing meets them. */
const CIDR = '10.244.0.0/26'

/** A pod's state: its uid (a generation: deleted and created again gets a new one), spec and status drawn at random. */
function pod(r: (n: number) => number, ns: string, name: string, uid: string): KObject {
  const env = OBJECTS.filter(() => r(4) === 0).map((c, i) => ({ name: `E${i}`, valueFrom: { configMapKeyRef: { name: c, key: 'k' } } }))
  const volumes = OBJECTS.filter(() => r(5) === 0).map((c, i) => (r(2) ? { name: `v${i}`, secret: { secretName: c } } : { name: `v${i}`, configMap: { name: c } }))
  const running = r(3) !== 0
  // Each pod's own address when it has one (in the kubelet's range: probing for a new pod meets them).
  const ip = r(3) ? `10.244.0.${(ns === 'a' ? 2 : 20) + POD_NAMES.indexOf(name)}` : undefined
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, uid, ...(r(10) === 0 ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { ...(r(6) ? { nodeName: 'node-1' } : {}), containers: [{ name: 'c', image: 'x', env }], volumes },
    status: { phase: running ? 'Running' : 'Pending', conditions: [{ type: 'Ready', status: running && r(4) ? 'True' : 'False' }], ...(ip ? { podIP: ip } : {}) },
  }
}

/** What the pods hold: the state of each, and its generation. */
interface World {
  pods: Map<string, KObject>
  generation: Map<string, number>
}

function nextState(r: (n: number) => number, w: World, key: string): KObject {
  const [ns, name] = key.split('/')
  const had = w.pods.get(key)
  // Now and then a pod deleted and created again under the same name (a new uid) without its deletion seen.
  if (!had || r(8) === 0) w.generation.set(key, (w.generation.get(key) ?? 0) + 1)
  const p = pod(r, ns, name, `uid-${ns}-${name}-${w.generation.get(key)}`)
  // An address, once in the status, stays there for the pod's life.
  const ip = had && had.metadata.uid === p.metadata.uid ? (had.status as { podIP?: string }).podIP : undefined
  return ip ? { ...p, status: { ...(p.status as object), podIP: ip } } : p
}

/** The memory a checkpoint covers, empty. */
const emptyMemory = (): CheckpointedMemory => ({ view: new StartView(), ips: new IpAllocator(), mem: new KubeletMemory() })

/** What the controller does with a pod event (observePod): the start view, the address, the memory of a deleted pod. */
function observe(m: CheckpointedMemory, type: 'ADDED' | 'MODIFIED' | 'DELETED', p: KObject, old: KObject | undefined): void {
  m.view.observe(type, p, old)
  const uid = p.metadata.uid!
  const ip = (p.status as { podIP?: string }).podIP
  if (type === 'DELETED') {
    m.ips.release(uid)
    m.mem.forgetPod(uid)
  } else if (ip) m.ips.claim(uid, ip)
}

/** What prime remembers of a pod a start does not sync. */
function prime(m: CheckpointedMemory, p: KObject): void {
  if (needsStartSync(p)) return
  m.mem.setKnown(`${p.metadata.namespace}/${p.metadata.name}`, p.metadata.uid!)
  m.mem.setRefs(p.metadata.namespace!, p.metadata.name!, referencedObjects(p))
}

/** What the controller's `forget` does. */
function forget(m: CheckpointedMemory, key: string): void {
  const uid = m.mem.knownUid(key)
  if (uid) m.mem.forgetPod(uid)
  m.mem.forgetKnown(key)
  m.mem.clearRefs(key)
}

/** A sync of a pod as the kubelet's reconcile does it, as far as the checkpointed memory goes; returns what it read. */
function sync(m: CheckpointedMemory, p: KObject, r: (n: number) => number, now: number): unknown {
  const key = `${p.metadata.namespace}/${p.metadata.name}`
  const uid = p.metadata.uid!
  const known = m.mem.knownUid(key)
  if (known && known !== uid) forget(m, key)
  m.mem.setKnown(key, uid)
  m.mem.setRefs(p.metadata.namespace!, p.metadata.name!, referencedObjects(p))
  const configChanged = m.mem.dirty.delete(uid)
  const due = m.mem.volumeSyncAt(uid)
  if (configChanged || r(3) === 0) m.mem.setVolumeSync(uid, Math.min(due ?? Infinity, now + 1000 * (1 + r(5))))
  else if (due !== undefined && due <= now) m.mem.clearVolumeSync(uid)
  const ip = (p.status as { podIP?: string }).podIP
  const address = ip ?? m.ips.allocate(uid, CIDR)
  if (ip) m.ips.claim(uid, ip)
  return { known: known ?? null, configChanged, due: due ?? null, address }
}

/** The saved data with the order of the references an object's pods came to kept, everything else as saved. */
const saved = (m: CheckpointedMemory): unknown => json(saveCheckpoint(m))

function restored(data: unknown): CheckpointedMemory {
  const m = emptyMemory()
  assert.ok(restoreCheckpoint(m, json(data)), 'restored')
  return m
}

const damaged = (m: CheckpointedMemory): boolean => m.view.refs.damaged || m.mem.damaged || m.ips.damaged

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`memory, seed ${seed}: a restored memory answers and changes as the live one, and saves what the live one does`, () => {
    const r = rng(seed)
    const w: World = { pods: new Map(), generation: new Map() }
    const live = emptyMemory()
    for (let i = 0; i < 30; i++) {
      const key = `${pick(r, NAMESPACES)}/${pick(r, POD_NAMES)}`
      const p = nextState(r, w, key)
      const old = w.pods.get(key)
      w.pods.set(key, p)
      observe(live, old ? 'MODIFIED' : 'ADDED', p, old)
    }
    // A start: prime over every pod (in the order the view saw them first, as a restore gives its references).
    for (const p of w.pods.values()) prime(live, p)
    for (const p of w.pods.values()) if (r(3) === 0) live.mem.setVolumeSync(p.metadata.uid!, 1000 * r(20))
    const first = saved(live)
    let m = restored(first)
    assert.equal(saved(m), first, 'a save before any read is the data restored, order and all')
    let now = 0
    for (let step = 0; step < 400; step++) {
      now += 500
      const op = r(12)
      const key = `${pick(r, NAMESPACES)}/${pick(r, POD_NAMES)}`
      if (op <= 3) {
        const old = w.pods.get(key)
        const p = nextState(r, w, key)
        // A status write shares the spec (the view then keeps what it holds).
        const next = old && old.metadata.uid === p.metadata.uid && r(3) === 0 ? { ...p, spec: old.spec } : p
        w.pods.set(key, next)
        for (const x of [live, m]) observe(x, old ? 'MODIFIED' : 'ADDED', next, old)
      } else if (op === 4) {
        const old = w.pods.get(key)
        if (!old) continue
        w.pods.delete(key)
        for (const x of [live, m]) observe(x, 'DELETED', old, old)
      } else if (op <= 6) {
        const p = w.pods.get(key)
        if (!p) for (const x of [live, m]) forget(x, key)
        else {
          const q = rng(seed * 7919 + step)
          const q2 = rng(seed * 7919 + step)
          assert.equal(sync(m, p, q, now), sync(live, p, q2, now), `step ${step}: sync ${key}`)
        }
      } else if (op === 7) {
        for (const x of [live, m]) forget(x, key)
      } else if (op === 8) {
        const [ns] = key.split('/')
        const resource = r(2) ? 'configmaps' : 'secrets'
        const name = pick(r, OBJECTS)
        const got = m.mem.podsReferring(ns, resource, name)
        const want = live.mem.podsReferring(ns, resource, name)
        assert.equal(got.map((p) => `${p.namespace}/${p.name}`).sort(), want.map((p) => `${p.namespace}/${p.name}`).sort(), `step ${step}: pods referring to ${resource}/${name}`)
        assert.equal([...m.mem.dirty].sort(), [...live.mem.dirty].sort(), `step ${step}: dirty`)
        assert.equal([...m.view.refs.referring(`${ns}/${resource}/${name}`)], [...live.view.refs.referring(`${ns}/${resource}/${name}`)], `step ${step}: the quiet pods referring, in order`)
      } else if (op === 9) {
        assert.is(m.mem.knownUid(key), live.mem.knownUid(key), `step ${step}: known ${key}`)
        const uid = w.pods.get(key)?.metadata.uid ?? 'none'
        assert.is(m.mem.volumeSyncAt(uid), live.mem.volumeSyncAt(uid), `step ${step}: volume refresh of ${key}`)
        assert.equal([...m.view.startup.keys()], [...live.view.startup.keys()], `step ${step}: the pods a start syncs`)
      } else if (op === 10 && r(3) === 0) {
        assert.equal(saved(m), saved(live), `step ${step}: saves the same, order and all`)
        const again = saved(m)
        m = restored(again)
        assert.equal(saved(m), again, `step ${step}: round trip`)
        // The live memory as the restore leaves it: what prime remembers of the pods now (kubelet restart).
        const fresh = restored(again)
        live.mem.adopt(memoryParts({ quiet: [], refs: [], referring: [], volumeSyncs: [] }))
        for (const p of w.pods.values()) if (live.view.quiet.has(`${p.metadata.namespace}/${p.metadata.name}`)) prime(live, p)
        for (const [uid, at] of fresh.mem.savedVolumeSyncs()) live.mem.setVolumeSync(uid, at)
        live.mem.dirty.clear()
        m.mem.dirty.clear()
      } else {
        const uid = `uid-new-${step}`
        assert.is(m.ips.allocate(uid, CIDR), live.ips.allocate(uid, CIDR), `step ${step}: a new pod's address`)
        if (r(2)) for (const x of [live, m]) x.ips.release(uid)
      }
      assert.is(damaged(m), false, `step ${step}: not damaged`)
    }
    assert.equal(saved(m), saved(live), 'the memories end equal')
  })
}

/** A kubelet controller over an API it never calls here (only prime, the mappings, accepts and the checkpoint run). */
function controller(api: ApiServer, clock: VirtualClock): Controller {
  return createKubeletController(new ControllerManager({ api, clock }).contextFor('kubelet'))
}
const names = (reqs: Request[]): string[] => reqs.map((q) => `${q.namespace}/${q.name}`).sort()
const mapOf = (c: Controller, resource: string) => c.watches!.find((x) => x.resource === resource)!.map!

for (const seed of [21, 22, 23]) {
  test(`controller, seed ${seed}: restored through its checkpoint, it maps and accepts changes as one primed from the same pods`, () => {
    const r = rng(seed)
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
    const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
    const w: World = { pods: new Map(), generation: new Map() }
    for (let i = 0; i < 30; i++) {
      const key = `${pick(r, NAMESPACES)}/${pick(r, POD_NAMES)}`
      w.pods.set(key, nextState(r, w, key))
    }
    const primeAll = (c: Controller): void => {
      c.resumed?.()
      for (const p of w.pods.values()) c.prime!(p)
      for (const p of w.pods.values()) mapOf(c, 'pods')(p, undefined, 'ADDED')
    }
    const primed = controller(api, clock)
    primeAll(primed)
    let c = controller(api, clock)
    c.resumed?.()
    const first = json(primed.checkpoint!.save())
    assert.ok(c.checkpoint!.restore(json(first)))
    assert.equal(json(c.checkpoint!.save()), first, 'round trip')
    let ref = primed
    for (let step = 0; step < 300; step++) {
      const key = `${pick(r, NAMESPACES)}/${pick(r, POD_NAMES)}`
      const op = r(6)
      if (op <= 2) {
        let old = w.pods.get(key)
        const p = nextState(r, w, key)
        w.pods.set(key, p)
        if (old && old.metadata.uid !== p.metadata.uid) {
          // Deleted and created again: the watch delivers both.
          for (const x of [c, ref]) mapOf(x, 'pods')(old, old, 'DELETED')
          old = undefined
        }
        const type = old ? 'MODIFIED' : 'ADDED'
        assert.is(c.accepts!(type, p, old), ref.accepts!(type, p, old), `step ${step}: accepts ${key}`)
        assert.equal(mapOf(c, 'pods')(p, old, type), mapOf(ref, 'pods')(p, old, type), `step ${step}: pod ${key}`)
      } else if (op === 3) {
        const old = w.pods.get(key)
        if (!old) continue
        w.pods.delete(key)
        assert.is(c.accepts!('DELETED', old, old), ref.accepts!('DELETED', old, old), `step ${step}: accepts the deletion of ${key}`)
        assert.equal(mapOf(c, 'pods')(old, old, 'DELETED'), mapOf(ref, 'pods')(old, old, 'DELETED'), `step ${step}: pod ${key} deleted`)
      } else if (op === 4) {
        const resource = r(2) ? 'configmaps' : 'secrets'
        const obj: KObject = { apiVersion: 'v1', kind: resource === 'configmaps' ? 'ConfigMap' : 'Secret', metadata: { namespace: pick(r, NAMESPACES), name: pick(r, OBJECTS) }, data: {} }
        assert.equal(names(mapOf(c, resource)(obj, obj, 'MODIFIED')), names(mapOf(ref, resource)(obj, obj, 'MODIFIED')), `step ${step}: ${resource} changed`)
      } else if (r(4) === 0) {
        // A save after random changes, restored again: as a controller primed from the pods now.
        const again = json(c.checkpoint!.save())
        c = controller(api, clock)
        c.resumed?.()
        assert.ok(c.checkpoint!.restore(json(again)))
        assert.equal(json(c.checkpoint!.save()), again, `step ${step}: round trip`)
        ref = controller(api, clock)
        primeAll(ref)
      }
      assert.not.ok(c.checkpoint!.damaged!(), `step ${step}: not damaged`)
      assert.equal(canonRows(c.checkpoint!.save()), canonRows(ref.checkpoint!.save()), `step ${step}: the memories equal`)
    }
    assert.equal(canonRows(c.checkpoint!.save()), canonRows(ref.checkpoint!.save()), 'the memories end equal')
  })
}


test.run()
