import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { applyCreate } from '../../../reconciler/api/apply/apply-create.js'
import { apply, applyGeneral, type ApplyOptions } from '../../../reconciler/api/apply/server-side-apply.js'
import { apiVersionOf, kindByName } from '../../../reconciler/api/kinds.js'
import { typeNodeFor } from '../../../reconciler/api/schema/index.js'
import { atomicList, map, mapList, objectMeta, setList, struct } from './types.js'
import { scalar } from '../../../reconciler/api/schema/type-node.js'
import { rng } from '../../helpers/rng.js'

/**
 * An apply that creates its object takes a direct path (apply-create.ts): it must give exactly what
 * the general path (merge, comparison, ownership) gives — the same object, managedFields and flags
 * with the same key order (the stored bytes), or the same error — for varied configurations.
 */
const differential = suite('apply of a new object: the direct path against the general one')

type Obj = Record<string, unknown>
const now = new Date('2024-05-01T10:00:00.123Z')

/** Both paths' outcome of one apply, as bytes (or the error's class, reason and message). */
function outcome(f: (o: ApplyOptions) => unknown, o: ApplyOptions): string {
  try {
    return JSON.stringify(f(o))
  } catch (err) {
    const e = err as { name?: string; reason?: string; message: string }
    return `throws ${e.name} ${e.reason} ${e.message}`
  }
}

function opts(kind: string | undefined, config: Obj, manager = 'capstan'): ApplyOptions {
  const k = kind ? kindByName(kind) : undefined
  return { config, manager, typeNode: k ? typeNodeFor(k.kind) : undefined, apiVersion: k ? apiVersionOf(k) : String(config.apiVersion ?? 'v1'), now }
}

function same(name: string, o: ApplyOptions): void {
  const general = outcome(applyGeneral, o)
  assert.is(outcome(apply, o), general, `${name}: apply`)
  if (!general.startsWith('throws')) assert.is(outcome((x) => applyCreate({ config: x.config as Obj as never, manager: x.manager, typeNode: x.typeNode, apiVersion: x.apiVersion, now: x.now }), o), general, `${name}: applyCreate`)
}

const meta = (extra: Obj = {}): Obj => ({ name: 'web', namespace: 'apps', ...extra })

const cases: Array<{ name: string; kind?: string; config: Obj; manager?: string }> = [
  {
    name: 'a Deployment with containers, ports, env and probes',
    kind: 'Deployment',
    config: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta({ labels: { app: 'web', 'app.kubernetes.io/managed-by': 'capstan' }, annotations: { 'capstan.dev/source': 'apps/web.yaml' } }),
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }], env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], args: ['--a', '--b'], readinessProbe: { httpGet: { path: '/', port: 80 } }, resources: {} },
              { name: 'side', image: 'busybox', command: ['sleep', 'inf'] },
            ],
            volumes: [{ name: 'cfg', configMap: { name: 'web-config' } }],
            tolerations: [{ key: 'a', operator: 'Exists' }],
          },
        },
      },
    },
  },
  {
    name: 'a Deployment with nulls, empty maps and lists, status and server-set metadata',
    kind: 'Deployment',
    config: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta({ labels: {}, annotations: { gone: null, kept: 'x' }, uid: 'u', resourceVersion: '5', generation: 3, creationTimestamp: null, managedFields: null, finalizers: ['a', 'b'] }),
      spec: {
        replicas: null,
        paused: false,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [] },
        template: { metadata: { labels: { app: 'web' }, annotations: { a: null } }, spec: { containers: [{ name: 'web', image: 'nginx', env: [], resources: { limits: {} } }], nodeSelector: null } },
      },
      status: { replicas: 3, conditions: [{ type: 'Available', status: 'True' }] },
    },
  },
  { name: 'a Service with ports keyed by port and protocol', kind: 'Service', config: { apiVersion: 'v1', kind: 'Service', metadata: meta(), spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }], type: 'ClusterIP' } } },
  { name: 'a ConfigMap with data and binaryData', kind: 'ConfigMap', config: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(), data: { 'a.conf': 'x=1\n', 'weird key/ü': '' }, binaryData: { b: 'AAEC' } } },
  { name: 'a ConfigMap with empty and null data', kind: 'ConfigMap', config: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ labels: null }), data: {}, binaryData: null } },
  { name: 'a ConfigMap that sets nothing but its identity', kind: 'ConfigMap', config: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'only', namespace: 'apps' } } },
  { name: 'a Secret with data, stringData and type', kind: 'Secret', config: { apiVersion: 'v1', kind: 'Secret', metadata: meta(), type: 'Opaque', data: { password: 'cHc=' }, stringData: { user: 'me' }, immutable: true } },
  {
    name: 'an HPA with metrics and behavior',
    kind: 'HorizontalPodAutoscaler',
    config: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
        behavior: { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }], stabilizationWindowSeconds: 300 } },
      },
    },
  },
  {
    name: 'an Ingress with rules, paths and TLS',
    kind: 'Ingress',
    config: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta({ annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } }),
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['a.example.com'], secretName: 'tls' }],
        rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      },
    },
  },
  { name: 'a Namespace (cluster-scoped) with labels', kind: 'Namespace', config: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { team: 'x' } } } },
  { name: 'unknown fields the schema does not name', kind: 'ConfigMap', config: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ extra: { a: 1, b: null, c: {} } }), data: { a: 'b' }, surprise: { nested: [1, 2, { x: null }], empty: {} } } },
  { name: 'an untyped object (no schema)', config: { apiVersion: 'example.com/v1', kind: 'Thing', metadata: meta({ labels: { a: 'b' } }), spec: { list: [{ name: 'a' }, 1, null], map: { x: { y: null }, z: {} }, n: null }, status: { ok: true } } },
  { name: 'an empty configuration', kind: 'ConfigMap', config: {} },
  { name: 'metadata that is not an object', kind: 'ConfigMap', config: { apiVersion: 'v1', kind: 'ConfigMap', metadata: 'x', data: { a: 'b' } } },
  { name: 'an empty manager name is unknown', kind: 'ConfigMap', config: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(), data: { a: 'b' } }, manager: '' },
  // Configurations both paths refuse, with the same error.
  { name: 'duplicate container names', kind: 'Deployment', config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(), spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] } } } } },
  { name: 'a map-list item without its key', kind: 'Deployment', config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(), spec: { template: { spec: { containers: [{ image: 'x' }] } } } } },
  { name: 'duplicate set items', kind: 'Deployment', config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta({ finalizers: ['a', 'a'] }) } },
  { name: 'managedFields sent', kind: 'ConfigMap', config: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ managedFields: [] }) } },
  { name: 'another apiVersion', kind: 'Deployment', config: { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: meta() } },
]

for (const c of cases) differential(c.name, () => same(c.name, opts(c.kind, c.config, c.manager)))

/** Values of every shape a configuration may hold at any place, typed or not. */
function value(r: () => number, depth: number): unknown {
  const x = r()
  if (depth <= 0 || x < 0.3) return [null, 'a', 0, 1.5, true, '', 'x<y&z'][Math.floor(r() * 7)]
  if (x < 0.45) return {}
  if (x < 0.55) return []
  if (x < 0.8) {
    const o: Obj = {}
    for (const k of ['name', 'image', 'a', 'protocol', 'port', 'containerPort', 'labels', 'spec', 'status']) if (r() < 0.3) o[k] = value(r, depth - 1)
    return o
  }
  return Array.from({ length: Math.floor(r() * 3) }, (_, i) => (r() < 0.7 ? { name: `n${i}`, image: value(r, depth - 1), containerPort: 80 + i } : value(r, depth - 1)))
}

/** A Deployment-like configuration with random values in random places. */
function randomDeployment(r: () => number): Obj {
  const pick = <T,>(xs: T[]): T => xs[Math.floor(r() * xs.length)]
  const containers = Array.from({ length: Math.floor(r() * 3) }, (_, i) => {
    const c: Obj = { name: pick(['web', 'side', 'log', `c${i}`]), image: pick(['nginx', null, '']) }
    if (r() < 0.5) c.ports = Array.from({ length: Math.floor(r() * 3) }, (_, j) => (r() < 0.5 ? { containerPort: 80 + j } : { containerPort: 80 + j, protocol: pick(['TCP', 'UDP']) }))
    if (r() < 0.4) c.env = Array.from({ length: Math.floor(r() * 3) }, (_, j) => ({ name: `E${j}`, value: value(r, 1) }))
    if (r() < 0.3) c.resources = value(r, 2)
    if (r() < 0.3) c.args = value(r, 1)
    if (r() < 0.2) c.extra = value(r, 2)
    return c
  })
  const spec: Obj = { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: r() < 0.8 ? { app: 'web' } : value(r, 2) }, spec: { containers } } }
  if (r() < 0.4) spec.replicas = pick([1, null, 3])
  if (r() < 0.3) spec.strategy = value(r, 3)
  if (r() < 0.2) (spec.template as Obj).spec = { ...((spec.template as Obj).spec as Obj), nodeSelector: value(r, 2), tolerations: value(r, 2) }
  const metadata: Obj = { name: 'web', namespace: 'apps' }
  if (r() < 0.5) metadata.labels = value(r, 2)
  if (r() < 0.3) metadata.annotations = value(r, 2)
  if (r() < 0.2) metadata.finalizers = pick([['a'], [], null, ['a', 'b']])
  if (r() < 0.2) metadata.uid = 'u'
  const out: Obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec }
  if (r() < 0.3) out.status = value(r, 3)
  if (r() < 0.1) out.unknown = value(r, 3)
  return out
}

differential('random Deployments (typed) and random objects (untyped)', () => {
  for (let seed = 1; seed <= 400; seed++) {
    const r = rng(seed)
    same(`typed seed ${seed}`, opts('Deployment', randomDeployment(r)))
    same(`untyped seed ${seed}`, opts(undefined, { apiVersion: 'v1', kind: 'X', metadata: { name: 'x', labels: value(r, 2) }, spec: value(r, 4), status: value(r, 2) }))
  }
})

/** A hand-built schema with every node kind (atomic structs and maps, sets, atomic and keyed lists with key defaults). */
const shapes = struct({
  apiVersion: scalar,
  kind: scalar,
  metadata: objectMeta,
  spec: struct({
    atomicStruct: struct({ a: scalar, b: scalar }, true),
    atomicMap: map(scalar, true),
    plainMap: map(struct({ x: scalar, y: map() })),
    set: setList(),
    atomic: atomicList(),
    keyed: mapList(['name', 'protocol'], struct({ name: scalar, protocol: scalar, v: scalar, sub: mapList(['k'], struct({ k: scalar, w: scalar })) }), { protocol: 'TCP' }),
  }),
  status: struct({ s: scalar }),
})

differential('every node kind of a hand-built schema', () => {
  const variants: unknown[] = [null, {}, [], [null], [{ name: null }], 'a', 1, { a: 1, b: null }, [{ name: 'a' }, { name: 'a', protocol: 'UDP' }], [{ name: 'a', sub: [{ k: 1, w: null }, { k: 2 }] }], ['x', 'y'], [1, 1], [{ name: 'a' }, { name: 'a', protocol: 'TCP' }], { k: { x: null, y: {} } }, { k: null }]
  for (const field of ['atomicStruct', 'atomicMap', 'plainMap', 'set', 'atomic', 'keyed', 'unknown']) {
    for (const v of variants) {
      const config = { apiVersion: 'v1', kind: 'Shape', metadata: { name: 's', labels: { a: 'b' } }, spec: { [field]: v }, status: { s: 1 } }
      same(`${field} = ${JSON.stringify(v)}`, { config, manager: 'm', typeNode: shapes, apiVersion: 'v1', now })
    }
  }
})

differential.run()
