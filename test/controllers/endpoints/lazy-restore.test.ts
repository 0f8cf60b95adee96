/**
 * The endpoints controller's memory restored by parts (service-index.ts), differentially: an index
 * built live is saved, sent through JSON and restored into a fresh one; then random changes
 * (Services remembered, given a new selector — under the same term or another — and forgotten,
 * records and terms changed before anything read them included) and queries run on both, and
 * every answer must agree, order and all. A save right after a restore is the data restored; a
 * save taken after random changes, restored again, answers as the live index. Nothing is ever
 * reported damaged. The controller itself is driven the same way through its checkpoint, its pod
 * mapping and its reconciles of changed and deleted Services, against a controller primed from the
 * same Services.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import type { EndpointsCheckpoint, ServiceRecord } from '../../../reconciler/controllers/endpoints/checkpoint.js'
import { createEndpointsController } from '../../../reconciler/controllers/endpoints/controller.js'
import { ServiceIndex } from '../../../reconciler/controllers/endpoints/service-index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { json, pick, rng } from '../runtime/seeded-random.js'

const test = suite('endpoints: lazy restore, differential')


const NAMESPACES = ['default', 'b']
const SERVICES = Array.from({ length: 10 }, (_, i) => `s${i}`)
const KEYS = ['app', 'tier']
const VALUES = ['x', 'y', 'z']

/** A non-empty selector over few keys and values (so Services share terms). */
function selector(r: (n: number) => number): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of r(2) ? KEYS : [...KEYS].reverse()) if (r(2)) out[k] = pick(r, VALUES)
  if (!Object.keys(out).length) out[pick(r, KEYS)] = pick(r, VALUES)
  return out
}

function labels(r: (n: number) => number): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of [...KEYS, 'other']) if (r(3)) out[k] = pick(r, VALUES)
  return out
}

function restored(saved: unknown): ServiceIndex {
  const idx = new ServiceIndex()
  assert.ok(idx.restore(json(saved) as Omit<EndpointsCheckpoint, 'format'>), 'restored')
  return idx
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`index, seed ${seed}: a restored index answers and changes as the live one, and saves what the live one does`, () => {
    const r = rng(seed)
    const live = new ServiceIndex()
    for (let i = 0; i < 16; i++) {
      const ns = pick(r, NAMESPACES)
      live.remember(`${ns}/${pick(r, SERVICES)}`, ns, selector(r))
    }
    const first = json(live.save())
    let idx = restored(first)
    assert.equal(json(idx.save()), first, 'a save before any read is the data restored, order and all')
    for (let step = 0; step < 400; step++) {
      const op = r(10)
      const ns = pick(r, NAMESPACES)
      const key = `${ns}/${pick(r, SERVICES)}`
      if (op <= 2) {
        const sel = selector(r)
        for (const x of [live, idx]) x.remember(key, ns, json(sel))
      } else if (op === 3) {
        for (const x of [live, idx]) x.forget(key)
      } else if (op === 4 && r(3) === 0) {
        assert.equal(json(idx.save()), json(live.save()), `step ${step}: saves the same, order and all`)
        const again = json(idx.save())
        idx = restored(again)
        assert.equal(json(idx.save()), again, `step ${step}: round trip`)
      } else {
        const sets = r(2) ? [labels(r)] : [labels(r), labels(r)]
        assert.is(idx.empty, live.empty, `step ${step}: empty`)
        assert.equal(idx.matching(ns, sets), live.matching(ns, sets), `step ${step}: Services matching ${JSON.stringify(sets)} in ${ns}`)
      }
      assert.is(idx.damaged, false, `step ${step}: not damaged`)
    }
    assert.equal(json(idx.save()), json(live.save()), 'the indexes end equal')
  })
}

const keys = (reqs: Request[] | undefined): string[] => (reqs ?? []).map((q) => `${q.resource}/${q.namespace ?? ''}/${q.name}`).sort()
const mapOf = (c: Controller, resource: string) => c.watches!.find((w) => w.resource === resource)!.map!

/** The saved data without the order in which Services were first seen (a priming sees them in list order). */
function canon(data: unknown): unknown {
  const s = json(data) as { services: Array<[string, ServiceRecord]>; terms: Array<[string, string[]]> }
  return {
    services: s.services.map(([k, [sel]]) => [k, sel]).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
    terms: s.terms.map(([t, ks]) => [t, [...ks].sort()]).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
  }
}

for (const seed of [21, 22]) {
  test(`controller, seed ${seed}: restored through its checkpoint, it maps and reconciles as one primed from the same Services`, async () => {
    const r = rng(seed)
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
    const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
    await api.bootstrap()
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } }, { fieldManager: 't' })
    const controller = (): Controller => createEndpointsController(new ControllerManager({ api, clock }).contextFor('endpoint-controller'))
    const service = (ns: string, name: string): KObject => {
      const kind = r(8)
      const spec: Record<string, unknown> = { ports: [{ port: 80 }] }
      if (kind === 0) Object.assign(spec, { type: 'ExternalName', externalName: 'example.com', ports: undefined })
      else if (kind !== 1) spec.selector = selector(r)
      return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec }
    }
    const put = async (ns: string, name: string): Promise<void> => {
      const have = await api.find('services', ns, name)
      const next = service(ns, name)
      if (have && (have.spec as { type?: string }).type !== (next.spec as { type?: string }).type) await api.delete('services', ns, name)
      await api.apply(next, { fieldManager: 't', force: true })
    }
    for (let i = 0; i < 14; i++) await put(pick(r, NAMESPACES), pick(r, SERVICES))
    const primeAll = async (c: Controller): Promise<void> => {
      c.resumed?.()
      for (const s of (await api.list('services')).items) c.prime!(s)
    }
    let ref = controller()
    await primeAll(ref)
    let c = controller()
    c.resumed?.()
    const first = json(ref.checkpoint!.save())
    assert.equal(c.checkpoint!.restore(json(first)), [])
    assert.equal(json(c.checkpoint!.save()), first, 'round trip')
    for (let step = 0; step < 200; step++) {
      const op = r(8)
      const ns = pick(r, NAMESPACES)
      const name = pick(r, SERVICES)
      if (op <= 3) {
        const pod = (): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns, labels: labels(r) } })
        const p = pod()
        const old = r(2) ? pod() : undefined
        assert.equal(keys(mapOf(c, 'pods')(p, old, old ? 'MODIFIED' : 'ADDED')), keys(mapOf(ref, 'pods')(p, old, old ? 'MODIFIED' : 'ADDED')), `step ${step}: a pod's change`)
      } else if (op <= 5) {
        // A Service created, changed or deleted, then reconciled (its change enqueues it).
        if (r(3) === 0) await api.delete('services', ns, name).catch(() => undefined)
        else await put(ns, name)
        const req: Request = { resource: 'services', namespace: ns, name }
        for (const x of [c, ref]) await x.reconcile(req)
      } else if (r(3) === 0) {
        // A save after random changes, restored again: as a controller primed from the Services now.
        const again = json(c.checkpoint!.save())
        c = controller()
        c.resumed?.()
        assert.equal(c.checkpoint!.restore(json(again)), [])
        assert.equal(json(c.checkpoint!.save()), again, `step ${step}: round trip`)
        ref = controller()
        await primeAll(ref)
      }
      assert.not.ok(c.checkpoint!.damaged!(), `step ${step}: not damaged`)
      assert.equal(canon(c.checkpoint!.save()), canon(ref.checkpoint!.save()), `step ${step}: the memories equal`)
    }
  })
}

test.run()
