import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { parseRequestUrl, routeRequest, type RouteOutcome, type RouteRequest } from '../../../reconciler/controllers/routing/index.js'
import { makeCert, tlsSecret } from './certs.js'

type Path = { path: string; pathType: string; svc: string; port?: number }
const backend = (svc: string, port: number | string = 80) => ({ service: { name: svc, port: typeof port === 'number' ? { number: port } : { name: port } } })
const ing = (name: string, o: { created?: string; rules?: Array<{ host?: string; paths: Path[] }>; def?: string; tls?: Array<{ hosts?: string[]; secretName?: string }>; cls?: string }): KObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'default', creationTimestamp: o.created ?? '2025-01-01T00:00:00Z' },
  spec: {
    ...(o.cls ? { ingressClassName: o.cls } : {}),
    ...(o.def ? { defaultBackend: backend(o.def) } : {}),
    ...(o.tls ? { tls: o.tls } : {}),
    rules: (o.rules ?? []).map((r) => ({ ...(r.host ? { host: r.host } : {}), http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: backend(p.svc, p.port ?? 80) })) } })),
  },
})

const ingresses: KObject[] = [
  ing('main', {
    rules: [
      { host: 'foo.bar.com', paths: [{ path: '/', pathType: 'Prefix', svc: 'root' }, { path: '/aaa', pathType: 'Prefix', svc: 'aaa' }, { path: '/aaa', pathType: 'Exact', svc: 'aaa-exact' }, { path: '/aaa/bbb', pathType: 'Prefix', svc: 'bbb' }] },
      { host: '*.bar.com', paths: [{ path: '/', pathType: 'Prefix', svc: 'wild' }] },
      { host: 'only-api.com', paths: [{ path: '/api', pathType: 'Prefix', svc: 'api' }] },
    ],
  }),
  ing('later', { created: '2025-02-01T00:00:00Z', rules: [{ host: 'foo.bar.com', paths: [{ path: '/aaa/bbb', pathType: 'Prefix', svc: 'later-bbb' }, { path: '/ccc', pathType: 'ImplementationSpecific', svc: 'ccc' }] }] }),
  ing('catchall', { rules: [{ paths: [{ path: '/x', pathType: 'Prefix', svc: 'hostless-x' }] }] }),
  ing('legacy', { created: '2025-03-01T00:00:00Z', def: 'fallback' }),
  ing('nginx', { cls: 'nginx', rules: [{ host: 'nginx.only', paths: [{ path: '/', pathType: 'Prefix', svc: 'theirs' }] }] }),
]

function route(url: string, ings = ingresses, extra: Partial<Parameters<typeof routeRequest>[0]> = {}): RouteOutcome {
  const request = parseRequestUrl(url) as RouteRequest
  return routeRequest({ request, ingresses: ings, services: [], endpoints: [], secret: () => undefined, now: new Date(), ...extra })
}
const target = (o: RouteOutcome): string => ('error' in o ? 'error' : `${o.route.ingress.name}:${o.route.service?.name}`)

const Select = suite('routing: which Ingress rule serves a request')
for (const c of [
  { name: 'root prefix', url: 'http://foo.bar.com/', want: 'main:root' },
  { name: 'longest prefix', url: 'http://foo.bar.com/aaa/ccc', want: 'main:aaa' },
  { name: 'Exact before Prefix of the same length', url: 'http://foo.bar.com/aaa', want: 'main:aaa-exact' },
  { name: 'longer still; the older Ingress wins a tie', url: 'http://foo.bar.com/aaa/bbb/c', want: 'main:bbb' },
  { name: 'element-wise: /aaa does not take /aaab', url: 'http://foo.bar.com/aaab', want: 'main:root' },
  { name: 'rules of one host merge across Ingresses', url: 'http://foo.bar.com/ccc/d', want: 'later:ccc' },
  { name: 'wildcard host', url: 'http://x.bar.com/', want: 'main:wild' },
  { name: 'wildcard takes one label only: falls to the host-less rules, then a default backend', url: 'http://a.b.bar.com/', want: 'legacy:fallback' },
  { name: 'host-less rule', url: 'http://10.0.0.9/x/y', want: 'catchall:hostless-x' },
  { name: 'a named host with no matching path uses no other host\'s rules', url: 'http://only-api.com/x', want: 'error' },
  { name: 'another class is not ours', url: 'http://nginx.only/', want: 'legacy:fallback' },
]) {
  Select(c.name, () => assert.is(target(route(c.url)), c.want))
}
Select('--ingress restricts to one Ingress', () => {
  assert.is(target(route('http://foo.bar.com/aaa/bbb', ingresses, { only: { namespace: 'default', name: 'later' } })), 'later:later-bbb')
  const missing = route('http://foo.bar.com/', ingresses, { only: { namespace: 'default', name: 'nope' } })
  assert.ok('error' in missing && /not found/.test(missing.error))
})
Select('rule details', () => {
  const r = route('https://foo.bar.com/aaa/bbb')
  if ('error' in r) throw new Error(r.error)
  assert.equal(r.route.rule, { via: 'rule', host: 'foo.bar.com', path: '/aaa/bbb', pathType: 'Prefix' })
  const d = route('http://nothing.example/')
  if ('error' in d) throw new Error(d.error)
  assert.equal(d.route.rule, { via: 'defaultBackend', host: '' })
})
Select.run()

const svc = (name: string, ports: Array<{ name?: string; port: number; targetPort: number | string }>): KObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { clusterIP: '10.96.5.5', ports: ports.map((p) => ({ ...p, protocol: 'TCP' })) },
})
const eps = (name: string, portName: string | undefined, port: number, ready: string[], notReady: string[] = []): KObject => ({
  apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default' },
  subsets: [{
    addresses: ready.map((p, i) => ({ ip: `10.244.0.${i + 2}`, nodeName: 'n1', targetRef: { kind: 'Pod', name: p } })),
    notReadyAddresses: notReady.map((p, i) => ({ ip: `10.244.1.${i + 2}`, targetRef: { kind: 'Pod', name: p } })),
    ports: [{ ...(portName ? { name: portName } : {}), port, protocol: 'TCP' }],
  }],
})

const Backend = suite('routing: Service, port and pods')
const echo = [ing('echo', { rules: [{ host: 'foo.bar.com', paths: [{ path: '/', pathType: 'Prefix', svc: 'echoheaders', port: 8080 }] }], tls: [{ hosts: ['foo.bar.com'], secretName: 'tls' }] })]
Backend('port by number, ready and not-ready pods from the Endpoints', () => {
  const r = route('https://foo.bar.com/', echo, { services: [svc('echoheaders', [{ port: 8080, targetPort: 8080 }])], endpoints: [eps('echoheaders', undefined, 8080, ['b', 'a'], ['c'])] })
  if ('error' in r) throw new Error(r.error)
  assert.equal(r.route.service, { name: 'echoheaders', port: 8080, clusterIP: '10.96.5.5' })
  assert.equal(r.route.pods.map((p) => `${p.name} ${p.ip}:${p.port} ${p.node}`), ['a 10.244.0.3:8080 n1', 'b 10.244.0.2:8080 n1'])
  assert.equal(r.route.notReadyPods.map((p) => p.name), ['c'])
  assert.equal(r.route.problems, [])
})
Backend('port by name resolves to the Service port; missing Service is a problem', () => {
  const named = [ing('n', { rules: [{ paths: [{ path: '/', pathType: 'Prefix', svc: 'web', port: 0 }] }] })]
  ;((named[0].spec as any).rules[0].http.paths[0].backend.service.port) = { name: 'http' } // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixture surgery
  const r = route('http://x/', named, { services: [svc('web', [{ name: 'http', port: 80, targetPort: 'web' }])], endpoints: [eps('web', 'http', 8080, ['p'])] })
  if ('error' in r) throw new Error(r.error)
  assert.equal(r.route.service, { name: 'web', port: 80, portName: 'http', clusterIP: '10.96.5.5' })
  assert.equal(r.route.pods.map((p) => p.port), [8080])
  const gone = route('http://x/', named)
  if ('error' in gone) throw new Error(gone.error)
  assert.equal(gone.route.problems, ['services "web" not found'])
})
Backend.run()

const Tls = suite('routing: TLS termination')
const good = makeCert('foo.bar.com')
const wrong = makeCert('other.example')
for (const c of [
  { name: 'https with a valid secret terminates', url: 'https://foo.bar.com/', secret: tlsSecret('tls', good), terminates: true, secretName: 'tls' },
  { name: 'http does not', url: 'http://foo.bar.com/', secret: tlsSecret('tls', good), terminates: false, secretName: 'tls', reason: /plain HTTP/ },
  { name: 'missing secret', url: 'https://foo.bar.com/', secret: undefined, terminates: false, secretName: 'tls', reason: /not found/ },
  { name: 'wrong host', url: 'https://foo.bar.com/', secret: tlsSecret('tls', wrong), terminates: false, secretName: 'tls', reason: /does not cover host "foo.bar.com"/ },
]) {
  Tls(c.name, () => {
    const r = route(c.url, echo, { secret: (ns, n) => (ns === 'default' && n === 'tls' ? c.secret : undefined) })
    if ('error' in r) throw new Error(r.error)
    assert.is(r.route.tls.terminates, c.terminates)
    assert.is(r.route.tls.secretName, c.secretName)
    if (c.reason) assert.match(r.route.tls.reason ?? '', c.reason)
  })
}
Tls('a TLS entry without hosts covers every host of its Ingress; none: no termination', () => {
  const legacy = [ing('test', { def: 'echoheaders', tls: [{ secretName: 'tls' }] })]
  const r = route('https://foo.bar.com/', legacy, { secret: () => tlsSecret('tls', good) })
  if ('error' in r) throw new Error(r.error)
  assert.is(r.route.tls.terminates, true)
  const none = route('https://foo.bar.com/', [ing('plain', { def: 'x' })])
  if ('error' in none) throw new Error(none.error)
  assert.is(none.route.tls.terminates, false)
  assert.match(none.route.tls.reason ?? '', /no TLS entry/)
})
Tls.run()
