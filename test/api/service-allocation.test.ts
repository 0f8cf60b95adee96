/**
 * Service addresses are allocated inside the API's create and update, as kube-apiserver's Service
 * storage does: the create's answer has them at once, chosen ones are honoured or refused (422),
 * updates keep them, a type change allocates or drops node ports, a dry run keeps nothing.
 */
import type { AddressInfo } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { ApiError } from '../../reconciler/api/errors.js'
import { HttpClient } from '../../reconciler/api/http-client.js'
import type { KObject } from '../../reconciler/api/object.js'
import { AllocationIndex } from '../../reconciler/api/service-allocation-index.js'
import { inRange, parseCidr } from '../../reconciler/api/service-ip-range.js'
import { createApiHttpServer } from '../../reconciler/server/index.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import { StagedStorage } from '../../reconciler/storage/staged.js'

type Spec = { clusterIP?: string; clusterIPs?: string[]; ipFamilies?: string[]; ipFamilyPolicy?: string; type?: string; ports?: Array<{ name?: string; port: number; nodePort?: number }>; healthCheckNodePort?: number }
const spec = (o: KObject): Spec => o.spec as Spec
const service = (name: string, s: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }], ...s },
})
const SERVICE_CIDR = parseCidr('10.96.0.0/12')!

async function newApi(): Promise<ApiServer> {
  const api = new ApiServer({ storage: createMemoryStorage() })
  await api.bootstrap()
  return api
}

/** The 422's reason and causes (field and reason), or undefined when `fn` did not fail. */
async function refusal(fn: () => Promise<unknown>): Promise<{ reason: string; causes: Array<[string | undefined, string]> } | undefined> {
  try {
    await fn()
    return undefined
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    return { reason: err.reason, causes: (err.statusDetails.causes ?? []).map((c) => [c.field, c.reason] as [string | undefined, string]) }
  }
}

const Create = suite('api: Service allocation on create')

Create('the answer has the cluster IP, IP families and policy at once; a get reads the same; no manager owns them', async () => {
  const api = await newApi()
  const made = await api.create(service('web'), { fieldManager: 'test' })
  const s = spec(made)
  assert.ok(s.clusterIP && inRange(SERVICE_CIDR, s.clusterIP), s.clusterIP)
  assert.equal([s.clusterIPs, s.ipFamilies, s.ipFamilyPolicy], [[s.clusterIP], ['IPv4'], 'SingleStack'])
  const read = await api.get('services', 'default', 'web')
  assert.equal(read.spec, made.spec)
  assert.is(read.metadata.resourceVersion, made.metadata.resourceVersion)
  // kube-apiserver allocates after the field manager ran: the create's manager does not own them.
  assert.equal(read.metadata.managedFields!.map((m) => m.manager), ['test'])
  const owned = JSON.stringify(read.metadata.managedFields![0].fieldsV1)
  assert.not.ok(owned.includes('f:clusterIP'), owned)
  assert.not.ok(owned.includes('f:ipFamilies'), owned)
})

for (const c of [
  { name: 'a chosen free IP is honoured', first: undefined, s: { clusterIP: '10.96.0.20' }, ip: '10.96.0.20', refused: undefined },
  { name: 'clusterIPs alone is honoured', first: undefined, s: { clusterIPs: ['10.96.0.21'] }, ip: '10.96.0.21', refused: undefined },
  { name: 'headless (None) is kept', first: undefined, s: { clusterIP: 'None' }, ip: 'None', refused: undefined },
  { name: 'a taken IP is Invalid on spec.clusterIPs', first: { clusterIP: '10.96.0.30' }, s: { clusterIP: '10.96.0.30' }, ip: undefined, refused: [['spec.clusterIPs', 'FieldValueInvalid']] },
  { name: 'an IP out of the range is Invalid on spec.clusterIPs', first: undefined, s: { clusterIP: '10.0.0.5' }, ip: undefined, refused: [['spec.clusterIPs', 'FieldValueInvalid']] },
  { name: 'a taken node port is Invalid on its port', first: { type: 'NodePort', ports: [{ port: 80, nodePort: 30100 }] }, s: { type: 'NodePort', ports: [{ port: 81, nodePort: 30100 }] }, ip: undefined, refused: [['spec.ports[0].nodePort', 'FieldValueInvalid']] },
]) {
  Create(c.name, async () => {
    const api = await newApi()
    if (c.first) await api.create(service('first', c.first), { fieldManager: 'test' })
    const r = await refusal(() => api.create(service('x', c.s), { fieldManager: 'test' }))
    if (c.refused) {
      assert.equal(r, { reason: 'Invalid', causes: c.refused })
      return
    }
    assert.is(r, undefined)
    const got = spec(await api.get('services', 'default', 'x'))
    assert.equal([got.clusterIP, got.clusterIPs], [c.ip, [c.ip]])
  })
}

Create('NodePort and LoadBalancer (Local) get node ports and a health-check node port; ExternalName nothing', async () => {
  const api = await newApi()
  const np = spec(await api.create(service('np', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] }), { fieldManager: 'test' }))
  const ports = np.ports!.map((p) => p.nodePort!)
  assert.is(new Set(ports).size, 2)
  for (const p of ports) assert.ok(p >= 30000 && p <= 32767, String(p))
  const lb = spec(await api.create(service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }), { fieldManager: 'test' }))
  assert.ok(lb.ports![0].nodePort && !ports.includes(lb.ports![0].nodePort))
  assert.ok(lb.healthCheckNodePort)
  const ext = spec(await api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com' } }, { fieldManager: 'test' }))
  assert.equal([ext.clusterIP, ext.clusterIPs, ext.ipFamilies], [undefined, undefined, undefined])
})

Create('a dry run allocates in the answer and keeps nothing', async () => {
  const api = await newApi()
  const dry = await api.create(service('web', { clusterIP: '10.96.0.40' }), { fieldManager: 'test', dryRun: true })
  assert.is(spec(dry).clusterIP, '10.96.0.40')
  const dyn = await api.create(service('web'), { fieldManager: 'test', dryRun: true })
  assert.ok(spec(dyn).clusterIP)
  assert.is((await api.list('services', { namespace: 'default' })).items.length, 0)
  // The IP the dry run showed is free.
  assert.is(spec(await api.create(service('other', { clusterIP: '10.96.0.40' }), { fieldManager: 'test' })).clusterIP, '10.96.0.40')
})

Create('a deleted Service frees its addresses', async () => {
  const api = await newApi()
  await api.create(service('a', { clusterIP: '10.96.0.50' }), { fieldManager: 'test' })
  await api.delete('services', 'default', 'a')
  assert.is(spec(await api.create(service('b', { clusterIP: '10.96.0.50' }), { fieldManager: 'test' })).clusterIP, '10.96.0.50')
})

Create('server-side apply of a new Service, and two creates at once choosing one IP: one wins', async () => {
  const api = await newApi()
  const applied = await api.apply(service('ssa'), { fieldManager: 'kubectl' })
  assert.ok(spec(applied).clusterIP)
  const results = await Promise.allSettled([
    api.create(service('p', { clusterIP: '10.96.0.60' }), { fieldManager: 'test' }),
    api.create(service('q', { clusterIP: '10.96.0.60' }), { fieldManager: 'test' }),
  ])
  assert.equal(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'])
})

Create('createMany: the batch does not hand one IP out twice, and a clash within it is Invalid', async () => {
  const api = await newApi()
  const made = await api.createMany([service('m1'), service('m2', { clusterIP: '10.96.0.70' })], { fieldManager: 'test' })
  assert.is.not(spec(made[0]).clusterIP, spec(made[1]).clusterIP)
  const r = await refusal(() => api.createMany([service('m3', { clusterIP: '10.96.0.71' }), service('m4', { clusterIP: '10.96.0.71' })], { fieldManager: 'test' }))
  assert.equal(r, { reason: 'Invalid', causes: [['spec.clusterIPs', 'FieldValueInvalid']] })
})

Create('a staged store (no watch): allocates against the base and its own writes', async () => {
  const storage = createMemoryStorage()
  const api = new ApiServer({ storage })
  await api.bootstrap()
  await api.create(service('base', { clusterIP: '10.96.0.80' }), { fieldManager: 'test' })
  const stage = new ApiServer({ storage: new StagedStorage(storage) })
  const r = await refusal(() => stage.create(service('x', { clusterIP: '10.96.0.80' }), { fieldManager: 'test' }))
  assert.equal(r, { reason: 'Invalid', causes: [['spec.clusterIPs', 'FieldValueInvalid']] })
  await stage.create(service('s1', { clusterIP: '10.96.0.81' }), { fieldManager: 'test' })
  const again = await refusal(() => stage.create(service('s2', { clusterIP: '10.96.0.81' }), { fieldManager: 'test' }))
  assert.equal(again, { reason: 'Invalid', causes: [['spec.clusterIPs', 'FieldValueInvalid']] })
})

Create('over HTTP: the create answer carries the cluster IP', async () => {
  const storage = createMemoryStorage()
  const api = new ApiServer({ storage })
  await api.bootstrap()
  const server = createApiHttpServer({ api, tokens: ['t'] })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const client = new HttpClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't' })
  try {
    const made = await client.create(service('web'), { fieldManager: 'kubectl-create' })
    assert.ok(spec(made).clusterIP && inRange(SERVICE_CIDR, spec(made).clusterIP!))
    assert.equal(spec(made).ipFamilies, ['IPv4'])
  } finally {
    await client.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await api.close()
  }
})

Create.run()

const Update = suite('api: Service allocation on update')

Update('a PUT without the allocated values keeps them (the YAML it was created from, sent again)', async () => {
  const api = await newApi()
  const made = await api.create(service('np', { type: 'NodePort' }), { fieldManager: 'test' })
  const again = await api.update(service('np', { type: 'NodePort' }), { fieldManager: 'test' })
  assert.equal(again.spec, made.spec)
  assert.is(again.metadata.resourceVersion, made.metadata.resourceVersion, 'nothing changed: no write')
})

Update('ClusterIP → NodePort allocates a node port and keeps the IP; NodePort → ClusterIP drops it; → ExternalName drops the IPs', async () => {
  const api = await newApi()
  const made = await api.create(service('web'), { fieldManager: 'test' })
  const np = await api.patch('services', 'default', 'web', 'merge', { spec: { type: 'NodePort' } }, { fieldManager: 'test' })
  assert.is(spec(np).clusterIP, spec(made).clusterIP)
  const port = spec(np).ports![0].nodePort!
  assert.ok(port >= 30000 && port <= 32767, String(port))
  const back = await api.patch('services', 'default', 'web', 'merge', { spec: { type: 'ClusterIP' } }, { fieldManager: 'test' })
  assert.is(spec(back).ports![0].nodePort, undefined)
  assert.is(spec(back).clusterIP, spec(made).clusterIP)
  const ext = await api.patch('services', 'default', 'web', 'merge', { spec: { type: 'ExternalName', externalName: 'example.com' } }, { fieldManager: 'test' })
  assert.equal([spec(ext).clusterIP, spec(ext).clusterIPs, spec(ext).ipFamilies, spec(ext).ipFamilyPolicy], [undefined, undefined, undefined, undefined])
})

Update('an update choosing a node port another Service holds is Invalid; a status write allocates nothing', async () => {
  const api = await newApi()
  await api.create(service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30200 }] }), { fieldManager: 'test' })
  const b = await api.create(service('b', { type: 'NodePort' }), { fieldManager: 'test' })
  const r = await refusal(() => api.patch('services', 'default', 'b', 'json', [{ op: 'replace', path: '/spec/ports/0/nodePort', value: 30200 }], { fieldManager: 'test' }))
  assert.equal(r, { reason: 'Invalid', causes: [['spec.ports[0].nodePort', 'FieldValueInvalid']] })
  const st = await api.updateStatus({ ...b, status: { loadBalancer: { ingress: [{ ip: '192.0.2.9' }] } } }, { fieldManager: 'test' })
  assert.equal(st.spec, b.spec)
})

Update('changing only spec.clusterIP is refused as the plural is (may not change once set), not quietly ignored; clearing both is allowed only with the type', async () => {
  const api = await newApi()
  const made = await api.create(service('web'), { fieldManager: 'test' })
  const r = await refusal(() => api.patch('services', 'default', 'web', 'merge', { spec: { clusterIP: '10.96.0.55' } }, { fieldManager: 'test' }))
  assert.equal(r, { reason: 'Invalid', causes: [['spec.clusterIPs[0]', 'FieldValueInvalid']] })
  assert.equal(spec(await api.get('services', 'default', 'web')).clusterIPs, spec(made).clusterIPs)
  // The YAML it was created from, sent again with the same singular value only: the plural is kept.
  const again = await api.update({ ...service('web'), spec: { ...service('web').spec as object, clusterIP: spec(made).clusterIP } }, { fieldManager: 'test' })
  assert.equal(spec(again).clusterIPs, spec(made).clusterIPs)
})

Update('an unset targetPort (0, or "", as a protobuf body carries it) defaults to the port', async () => {
  const api = await newApi()
  const made = await api.create(service('tp', { ports: [{ name: 'a', port: 8080, targetPort: 0 }, { name: 'b', port: 9090, targetPort: '' }] }), { fieldManager: 'test' })
  assert.equal(spec(made).ports!.map((p) => (p as { targetPort?: unknown }).targetPort), [8080, 9090])
})

Update.run()

const Index = suite('AllocationIndex')

Index('a state recorded after a deletion that raced it does not bring its values back; a newer one does', () => {
  const index = new AllocationIndex()
  const at = (rv: string, ip: string): KObject => ({ ...service('x', { clusterIP: ip, clusterIPs: [ip] }), metadata: { name: 'x', namespace: 'default', resourceVersion: rv } })
  index.set(at('5', '10.96.0.10'))
  assert.is(index.used.clusterIPs.get('10.96.0.10'), 'default/x')
  index.delete(at('7', '10.96.0.10'))
  // The writer of revision 5 records its write after the deletion at 7 was applied.
  index.set(at('5', '10.96.0.10'))
  assert.is(index.used.clusterIPs.has('10.96.0.10'), false)
  assert.is(index.size, 0)
  // Created again later: recorded.
  index.set(at('9', '10.96.0.11'))
  assert.is(index.used.clusterIPs.get('10.96.0.11'), 'default/x')
})

Index.run()
