import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { encodeObject } from '../../../reconciler/api/codec.js'
import { isApiError } from '../../../reconciler/api/errors.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { createSchedulerController } from '../../../reconciler/controllers/scheduler/index.js'
import { createEndpointsController } from '../../../reconciler/controllers/endpoints/index.js'
import { createIngressController, INGRESS_CONTROLLER_ADDRESS, TLS_PROBLEMS_ANNOTATION } from '../../../reconciler/controllers/ingress/index.js'
import { createKubeletController } from '../../../reconciler/controllers/kubelet/index.js'
import { createServiceController, inRange, parseCidr } from '../../../reconciler/controllers/service/index.js'
import { defaultSimConfig, writeSimConfig } from '../../../reconciler/controllers/sim/index.js'
import { makeCert, tlsSecret } from '../routing/certs.js'
import { Harness, newEnv } from '../sim/harness.js'

const pod = (name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }], ...extra }] },
})
const service = (name: string, spec: Record<string, unknown>): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec })

async function setup() {
  const env = await newEnv()
  env.clock.set(Date.now())
  const cfg = defaultSimConfig()
  cfg.settings.startDelaySeconds = 0
  await writeSimConfig(env.api, cfg)
  const h = await new Harness(env.api, env.clock, [
    createSchedulerController(env.ctx),
    createKubeletController(env.ctx),
    createServiceController(env.ctx),
    createEndpointsController(env.ctx),
    createIngressController(env.ctx),
  ]).start()
  await h.settle()
  return { ...env, h }
}
type Subsets = Array<{ addresses?: Array<{ ip: string; nodeName?: string; targetRef?: { name: string } }>; notReadyAddresses?: Array<{ targetRef?: { name: string } }>; ports?: Array<{ name?: string; port: number; protocol: string }> }>

const Svc = suite('service, endpoints and ingress controllers')

Svc('the kubernetes Service; a ClusterIP allocated at create; Endpoints of ready pods with targetPort by name', async () => {
  const { api, h } = await setup()
  const k8s = await api.get('services', 'default', 'kubernetes')
  assert.is((k8s.spec as { clusterIP: string }).clusterIP, '10.96.0.1')
  await api.create(service('web', { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] }), { fieldManager: 'test' })
  await api.create(pod('web-1', { app: 'web' }), { fieldManager: 'test' })
  await api.create(pod('web-2', { app: 'web' }, { readinessProbe: { httpGet: { path: '/', port: 8080 }, initialDelaySeconds: 10 } }), { fieldManager: 'test' })
  await api.create(pod('other', { app: 'other' }), { fieldManager: 'test' })
  await h.settle()
  const svc = await api.get('services', 'default', 'web')
  const ip = (svc.spec as { clusterIP: string }).clusterIP
  assert.ok(inRange(parseCidr('10.96.0.0/12')!, ip) && ip !== '10.96.0.1', ip)
  let subsets = (await api.get('endpoints', 'default', 'web')).subsets as Subsets
  assert.is(subsets.length, 1)
  assert.equal(subsets[0].addresses!.map((a) => a.targetRef!.name), ['web-1'])
  assert.is(subsets[0].addresses![0].nodeName, 'capstan-node-1')
  assert.equal(subsets[0].notReadyAddresses!.map((a) => a.targetRef!.name), ['web-2'])
  assert.equal(subsets[0].ports, [{ name: 'web', port: 8080, protocol: 'TCP' }])

  await h.advance(10_000)
  subsets = (await api.get('endpoints', 'default', 'web')).subsets as Subsets
  assert.equal(subsets[0].addresses!.map((a) => a.targetRef!.name).sort(), ['web-1', 'web-2'])
  assert.is(subsets[0].notReadyAddresses, undefined)

  await api.delete('pods', 'default', 'web-1')
  await h.settle()
  subsets = (await api.get('endpoints', 'default', 'web')).subsets as Subsets
  assert.equal(subsets[0].addresses!.map((a) => a.targetRef!.name), ['web-2'], 'a pod being deleted leaves the Endpoints')

  await api.delete('services', 'default', 'web')
  await h.settle()
  let gone = false
  try {
    await api.get('endpoints', 'default', 'web')
  } catch {
    gone = true
  }
  assert.ok(gone, 'the Endpoints go with their Service')
})

Svc('a Service without selector keeps the Endpoints its user wrote', async () => {
  const { api, h } = await setup()
  await api.create(service('ext', { ports: [{ port: 80 }] }), { fieldManager: 'test' })
  await api.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.168.1.1' }], ports: [{ port: 80 }] }] }, { fieldManager: 'test' })
  await h.settle()
  const ep = await api.get('endpoints', 'default', 'ext')
  assert.equal((ep.subsets as Subsets)[0].addresses!.map((a) => a.ip), ['192.168.1.1'])
})

Svc('NodePort and LoadBalancer: node ports, an address in status, cloud events', async () => {
  const { api, h, events } = await setup()
  await api.create(service('lb', { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] }), { fieldManager: 'test' })
  await h.settle()
  const lb = await api.get('services', 'default', 'lb')
  const np = (lb.spec as { ports: Array<{ nodePort: number }> }).ports[0].nodePort
  assert.ok(np >= 30000 && np <= 32767)
  const ingress = (lb.status as { loadBalancer: { ingress: Array<{ ip: string; ipMode: string }> } }).loadBalancer.ingress
  assert.is(ingress.length, 1)
  assert.ok(inRange(parseCidr('192.0.2.0/24')!, ingress[0].ip))
  assert.equal(events.reasons('lb'), ['EnsuringLoadBalancer', 'EnsuredLoadBalancer'])
  // A user-chosen node port that is taken: the API refuses the create, as kube-apiserver does.
  let refused: unknown
  try {
    await api.create(service('clash', { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80, nodePort: np }] }), { fieldManager: 'test' })
  } catch (err) {
    refused = err
  }
  assert.equal(isApiError(refused) ? [refused.reason, refused.statusDetails.causes?.map((c) => c.field)] : refused, ['Invalid', ['spec.ports[0].nodePort']])
  // One that got in anyway (another process allocating at the same time, written straight to the
  // store here): the repair report warns.
  const clash = service('clash', { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: np }], clusterIP: '10.96.0.99', sessionAffinity: 'None' })
  clash.metadata.uid = 'uid-clash'
  clash.metadata.creationTimestamp = '2026-01-01T00:00:00Z'
  await api.storage.txn({ compare: [], success: [{ type: 'put', key: '/registry/services/default/clash', value: encodeObject(clash) }] })
  await h.settle()
  assert.equal(events.reasons('clash'), ['PortAlreadyAllocated'])
})

Svc('the controller does not write a Service the API allocated (one write: the create)', async () => {
  const { api, h } = await setup()
  const storage = api.storage
  const before = await storage.revision()
  const made = await api.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }), { fieldManager: 'test' })
  await h.settle()
  const after = await api.get('services', 'default', 'web')
  assert.is(after.metadata.resourceVersion, made.metadata.resourceVersion)
  // The Service's own key was written once; the Endpoints are the only other write.
  const writes = (await storage.range('/registry/')).items.filter((kv) => kv.modRevision > before).map((kv) => kv.key.split('/')[2])
  assert.equal(writes.sort(), ['endpoints', 'services'])
})

Svc('Ingress: address in status; TLS problems as Warning events and an annotation; expiry on the clock', async () => {
  const { api, h, events, clock } = await setup()
  await api.create({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'echo', namespace: 'default' },
    spec: { tls: [{ hosts: ['foo.bar.com'], secretName: 'tls' }], rules: [{ host: 'foo.bar.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'echoheaders', port: { number: 8080 } } } }] } }] },
  }, { fieldManager: 'test' })
  await api.create({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'theirs', namespace: 'default' }, spec: { ingressClassName: 'nginx', defaultBackend: { service: { name: 'x', port: { number: 80 } } } } }, { fieldManager: 'test' })
  await h.settle()
  let ing = await api.get('ingresses', 'default', 'echo')
  assert.equal((ing.status as { loadBalancer: unknown }).loadBalancer, { ingress: [{ ip: INGRESS_CONTROLLER_ADDRESS }] })
  assert.match(ing.metadata.annotations![TLS_PROBLEMS_ANNOTATION], /^tls: SecretNotFound: /)
  assert.ok(events.reasons('echo').includes('SecretNotFound'))
  assert.equal((await api.get('ingresses', 'default', 'theirs')).status ?? {}, {}, 'another class is left alone')

  const cert = makeCert('foo.bar.com', ['foo.bar.com'], 1)
  // openssl dates the certificate from the wall clock, which has moved on since setup set the
  // virtual clock: catch up, or the certificate is not valid yet (notBefore a second ahead).
  await h.advance(Math.max(0, Date.now() - clock.now().getTime()))
  await api.create(tlsSecret('tls', cert), { fieldManager: 'test' })
  await h.settle()
  ing = await api.get('ingresses', 'default', 'echo')
  assert.is(ing.metadata.annotations?.[TLS_PROBLEMS_ANNOTATION], undefined)

  await h.advance(86_400_000 + 60_000)
  ing = await api.get('ingresses', 'default', 'echo')
  assert.match(ing.metadata.annotations![TLS_PROBLEMS_ANNOTATION], /^tls: CertificateExpired: /)
  assert.ok(events.reasons('echo').includes('CertificateExpired'))
})

Svc.run()
