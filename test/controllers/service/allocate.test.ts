import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { allocateOnWrite, allocateService, collectAllocations, inRange, parseCidr } from '../../../reconciler/controllers/service/index.js'

const svc = (name: string, spec: Record<string, unknown>, uid = `uid-${name}`): KObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid }, spec: { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], ...spec },
})
const range = parseCidr('10.96.0.0/12')!

const Alloc = suite('service: allocation')
Alloc('a ClusterIP Service gets a dynamic IP above the static band, and IPv4 single-stack', () => {
  const r = allocateService(svc('a', {}), collectAllocations([]))
  const spec = r.spec as { clusterIP: string; clusterIPs: string[]; ipFamilies: string[]; ipFamilyPolicy: string }
  assert.ok(inRange(range, spec.clusterIP))
  assert.not.ok(spec.clusterIP.startsWith('10.96.0.'), 'the static band 10.96.0.0/24 is left to chosen IPs')
  assert.equal(spec.clusterIPs, [spec.clusterIP])
  assert.equal([spec.ipFamilies, spec.ipFamilyPolicy], [['IPv4'], 'SingleStack'])
  assert.ok(r.changed)
  assert.equal(r.causes, [])
  assert.is(allocateService(svc('a', {}), collectAllocations([])).spec.clusterIP, spec.clusterIP, 'stable for the same uid')
})
Alloc('unique: a taken IP is skipped; the Service keeps its own on update', () => {
  const first = svc('a', {})
  first.spec = allocateService(first, collectAllocations([])).spec
  const ip = (first.spec as { clusterIP: string }).clusterIP
  const twin = svc('b', {}, 'uid-a') // same hash start
  const r = allocateService(twin, collectAllocations([first]))
  assert.is.not(r.spec.clusterIP, ip)
  const again = allocateService(first, collectAllocations([first]))
  assert.is(again.spec.clusterIP, ip)
  assert.is(again.changed, false)
})
for (const c of [
  { name: 'headless stays None', spec: { clusterIP: 'None' }, ip: 'None', causes: [] as string[] },
  { name: 'a chosen free IP is honoured', spec: { clusterIP: '10.96.0.10' }, ip: '10.96.0.10', causes: [] },
  { name: 'a chosen IP taken by another is refused', spec: { clusterIP: '10.96.0.1' }, ip: '10.96.0.1', causes: ['spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated'] },
  { name: 'out of range', spec: { clusterIP: '10.0.0.5' }, ip: '10.0.0.5', causes: ['spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12'] },
]) {
  Alloc(c.name, () => {
    const k8s = svc('kubernetes', { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'] })
    const r = allocateService(svc('x', c.spec), collectAllocations([k8s]))
    assert.is(r.spec.clusterIP, c.ip)
    assert.equal(r.causes.map((x) => `${x.field}: ${x.message}`), c.causes)
  })
}
Alloc('NodePort: node ports from the dynamic band, unique, shared across protocols of one port', () => {
  const s = svc('np', { type: 'NodePort', ports: [{ name: 'a', port: 53, protocol: 'TCP' }, { name: 'b', port: 53, protocol: 'UDP' }, { name: 'c', port: 80, protocol: 'TCP' }] })
  const r = allocateService(s, collectAllocations([]))
  const ports = (r.spec.ports as Array<{ nodePort: number }>).map((p) => p.nodePort)
  assert.is(ports[0], ports[1])
  assert.is.not(ports[0], ports[2])
  for (const p of ports) assert.ok(p >= 30086 && p <= 32767, String(p))
})
Alloc('NodePort: a chosen port is honoured if free, else "provided port is already allocated"', () => {
  const holder = svc('holder', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] })
  const ok = allocateService(svc('x', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30081 }] }), collectAllocations([holder]))
  assert.is((ok.spec.ports as Array<{ nodePort: number }>)[0].nodePort, 30081)
  assert.equal(ok.causes, [])
  const taken = allocateService(svc('x', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] }), collectAllocations([holder]))
  assert.equal(taken.causes.map((x) => `${x.field}: ${x.message}`), ['spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated'])
})
Alloc('LoadBalancer: node ports unless allocateLoadBalancerNodePorts is false; health check port for Local', () => {
  const lb = allocateService(svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }), collectAllocations([]))
  assert.ok((lb.spec.ports as Array<{ nodePort?: number }>)[0].nodePort)
  assert.ok(lb.spec.healthCheckNodePort)
  const none = allocateService(svc('lb', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }), collectAllocations([]))
  assert.is((none.spec.ports as Array<{ nodePort?: number }>)[0].nodePort, undefined)
})
Alloc('ExternalName gets nothing', () => {
  const r = allocateService(svc('ext', { type: 'ExternalName', externalName: 'example.com', ports: [] }), collectAllocations([]))
  assert.is(r.spec.clusterIP, undefined)
  assert.is(r.changed, false)
})
Alloc('allocateOnWrite: in place, or the causes and no change', () => {
  const s = svc('w', {})
  assert.equal(allocateOnWrite(s, []), [])
  assert.ok((s.spec as { clusterIP?: string }).clusterIP)
  const clash = svc('v', { clusterIP: (s.spec as { clusterIP: string }).clusterIP })
  assert.is(allocateOnWrite(clash, [s]).length, 1)
})
Alloc.run()
