/**
 * The Service controller's memory restored by parts (RecordedServices in checkpoint.ts, feeding the
 * AllocationIndex), differentially: the Services a watch recorded live are saved, sent through
 * JSON and restored into a fresh index; then random changes (Services created, changed, deleted,
 * and older states delivered late, which are ignored — before anything read the restored ones
 * included) and queries (the values held and by whom, the LoadBalancers without an address) run
 * on both, and every answer must agree. A save right after a restore is the data restored; a save
 * taken after random changes, restored again, answers as the live index. Nothing is ever reported
 * damaged. The controller itself is driven the same way through its checkpoint and Service watch
 * mapping, against a controller primed from the same Services.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { AllocationIndex } from '../../../reconciler/api/service-allocation-index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { RecordedServices, type ServiceCheckpoint } from '../../../reconciler/controllers/service/checkpoint.js'
import { createServiceController } from '../../../reconciler/controllers/service/controller.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { json, pick, restoredAgain, restoredFromPrimed, rng } from '../runtime/seeded-random.js'

const test = suite('service: lazy restore, differential')


const NAMESPACES = ['default', 'b']
const SERVICES = Array.from({ length: 10 }, (_, i) => `s${i}`)
/** Few values, so that two Services hold one now and then (what the repair report is about). */
const CLUSTER_IPS = Array.from({ length: 8 }, (_, i) => `10.96.0.${10 + i}`)
const NODE_PORTS = Array.from({ length: 8 }, (_, i) => 30000 + i)
const LB_IPS = Array.from({ length: 4 }, (_, i) => `203.0.113.${1 + i}`)

/** A Service's state at revision `rv`: its type, addresses and ports drawn at random. */
function service(r: (n: number) => number, ns: string, name: string, rv: number): KObject {
  const type = pick(r, ['ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'])
  const spec: Record<string, unknown> = { type }
  if (type !== 'ExternalName') {
    const ip = r(6) === 0 ? 'None' : pick(r, CLUSTER_IPS)
    if (r(3)) spec.clusterIPs = ip === 'None' ? ['None'] : [ip, ...(r(4) === 0 ? [pick(r, CLUSTER_IPS)] : [])]
    else spec.clusterIP = ip
  } else spec.externalName = 'example.com'
  const ports = type === 'NodePort' || type === 'LoadBalancer' ? [{ port: 80, nodePort: pick(r, NODE_PORTS) }, ...(r(3) === 0 ? [{ port: 443, nodePort: pick(r, NODE_PORTS) }] : [])] : [{ port: 80 }]
  spec.ports = ports
  if (type === 'LoadBalancer' && r(3) === 0) spec.healthCheckNodePort = pick(r, NODE_PORTS)
  const ingress = r(2) ? [{ ip: pick(r, LB_IPS) }] : r(5) === 0 ? [{ hostname: 'lb.example.com' }] : []
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, resourceVersion: String(rv) }, spec, status: { loadBalancer: ingress.length ? { ingress } : {} } }
}

/** What the index answers: every value held, by whom; and the LoadBalancers without an address. */
function answers(s: RecordedServices): unknown {
  const used = s.index().used
  const sorted = <V>(m: Map<V, string>): Array<[V, string]> => [...m].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1))
  return { clusterIPs: sorted(used.clusterIPs), nodePorts: sorted(used.nodePorts), loadBalancerIPs: sorted(used.loadBalancerIPs), pending: keys(s.pendingLoadBalancers()) }
}

const keys = (reqs: Request[] | undefined): string[] => (reqs ?? []).map((q) => `${q.resource}/${q.namespace ?? ''}/${q.name}`).sort()

/** A save with the pending LoadBalancers' order (when each became one) taken out. */
function canon(s: RecordedServices): unknown {
  const saved = json(s.save())
  return { ...saved, pendingLoadBalancers: [...saved.pendingLoadBalancers].sort() }
}

function restored(saved: unknown): RecordedServices {
  const s = new RecordedServices(new AllocationIndex())
  const data = json(saved) as Pick<ServiceCheckpoint, 'services' | 'pendingLoadBalancers'>
  assert.equal(keys(s.restore(data)), keys(data.pendingLoadBalancers.map((k) => ({ resource: 'services', namespace: k.split('/')[0], name: k.split('/')[1] }))))
  return s
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`recorded Services, seed ${seed}: restored ones answer and change as the live ones, and save what the live ones do`, () => {
    const r = rng(seed)
    let rv = 1
    const states = new Map<string, KObject[]>()
    const live = new RecordedServices(new AllocationIndex())
    const change = (xs: RecordedServices[]): void => {
      const ns = pick(r, NAMESPACES)
      const name = pick(r, SERVICES)
      const k = `${ns}/${name}`
      const seen = states.get(k) ?? []
      const op = r(8)
      if (op === 0 && seen.length) {
        // An older state delivered late: ignored.
        const stale = pick(r, seen)
        for (const x of xs) x.set(stale)
      } else if (op <= 2 && seen.length) {
        // Deleted, at the deletion's revision (or, from a harness, with none).
        const last = seen[seen.length - 1]
        const gone = r(4) ? { ...last, metadata: { ...last.metadata, resourceVersion: String(rv++) } } : { ...last, metadata: { ...last.metadata, resourceVersion: undefined } }
        for (const x of xs) x.delete(gone)
        states.delete(k)
      } else {
        const svc = service(r, ns, name, rv++)
        states.set(k, [...seen, svc])
        for (const x of xs) x.set(svc)
      }
    }
    for (let i = 0; i < 30; i++) change([live])
    const first = json(live.save())
    let s = restored(first)
    assert.equal(json(s.save()), first, 'a save before any read is the data restored, order and all')
    for (let step = 0; step < 400; step++) {
      const op = r(6)
      if (op <= 2) change([live, s])
      else if (op === 3 && r(3) === 0) {
        assert.equal(canon(s), canon(live), `step ${step}: saves the same`)
        const again = json(s.save())
        s = restored(again)
        assert.equal(json(s.save()), again, `step ${step}: round trip`)
      } else if (op === 4) assert.equal(keys(s.pendingLoadBalancers()), keys(live.pendingLoadBalancers()), `step ${step}: pending LoadBalancers`)
      else assert.equal(answers(s), answers(live), `step ${step}: the values held`)
      assert.is(s.damaged, false, `step ${step}: not damaged`)
    }
    assert.equal(canon(s), canon(live), 'the memories end equal')
    assert.equal(answers(s), answers(live))
  })
}

const mapOf = (c: Controller, resource: string) => c.watches!.find((w) => w.resource === resource)!.map!

for (const seed of [21, 22, 23]) {
  test(`controller, seed ${seed}: restored through its checkpoint, it follows Service changes as one primed from the same Services`, () => {
    const r = rng(seed)
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
    const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
    const controller = (): Controller => createServiceController(new ControllerManager({ api, clock }).contextFor('service-controller'))
    let rv = 1
    const services = new Map<string, KObject>()
    for (let i = 0; i < 14; i++) {
      const ns = pick(r, NAMESPACES)
      const name = pick(r, SERVICES)
      services.set(`${ns}/${name}`, service(r, ns, name, rv++))
    }
    /** As an incremental start primes it: prime over every Service (in list order), then the Service watch over every one. */
    const primeAll = (c: Controller): Request[] => {
      c.resumed?.()
      const wanted: Request[] = []
      const list = [...services.keys()].sort().map((k) => services.get(k)!)
      for (const svc of list) if (c.prime!(svc)) wanted.push({ resource: 'services', namespace: svc.metadata.namespace, name: svc.metadata.name! })
      for (const svc of list) mapOf(c, 'services')(svc, undefined, 'ADDED')
      return wanted
    }
    let { c, ref } = restoredFromPrimed(controller, primeAll)
    for (let step = 0; step < 300; step++) {
      const op = r(6)
      const ns = pick(r, NAMESPACES)
      const name = pick(r, SERVICES)
      const k = `${ns}/${name}`
      const old = services.get(k)
      if (op <= 2) {
        const svc = service(r, ns, name, rv++)
        services.set(k, svc)
        for (const x of [c, ref]) mapOf(x, 'services')(svc, old, old ? 'MODIFIED' : 'ADDED')
      } else if (op === 3 && old) {
        services.delete(k)
        const gone = { ...old, metadata: { ...old.metadata, resourceVersion: String(rv++) } }
        for (const x of [c, ref]) mapOf(x, 'services')(gone, old, 'DELETED')
      } else if (op === 4) {
        assert.equal(keys(c.checkpoint!.startRequests!()), keys(ref.checkpoint!.startRequests!()), `step ${step}: the start requests`)
      } else if (r(3) === 0) {
        // A save after random changes, restored again: as a controller primed from the Services now.
        ;({ c, ref } = restoredAgain(c, controller, primeAll, `step ${step}`))
      }
      assert.not.ok(c.checkpoint!.damaged!(), `step ${step}: not damaged`)
      assert.equal(canonSaved(c.checkpoint!.save()), canonSaved(ref.checkpoint!.save()), `step ${step}: the memories equal`)
    }
  })
}

/** The controller's saved data with the order (when each Service was recorded) taken out. */
function canonSaved(data: unknown): unknown {
  const s = json(data) as ServiceCheckpoint
  const text = (x: unknown): string => JSON.stringify(x)
  return { ...s, services: [...s.services].sort((a, b) => (text(a) < text(b) ? -1 : 1)), pendingLoadBalancers: [...s.pendingLoadBalancers].sort(), reported: [...s.reported].sort() }
}

test.run()
