/** Preview summaries: rolls with numbers, rollback detection, ConfigMap consumers (env vs volume), HPA, Ingress, missing images. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../reconciler/api/object.js'
import type { ReplicaSetObject } from '../../reconciler/controllers/deployment/types.js'
import { defaultSimConfig } from '../../reconciler/controllers/sim/sim-config.js'
import { summarize, type SummaryContext } from '../../reconciler/gitops/preview/index.js'

const test = suite('preview summarize')

const tpl = (image: string, extra: Record<string, unknown> = {}) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, ...extra }] } })
const dep = (o: { image?: string; replicas?: number; strategy?: unknown; volumes?: unknown[]; extra?: Record<string, unknown> } = {}): KObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { replicas: o.replicas ?? 10, strategy: o.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, template: { ...tpl(o.image ?? 'nginx:1.25', o.extra), spec: { ...tpl(o.image ?? 'nginx:1.25', o.extra).spec, ...(o.volumes ? { volumes: o.volumes } : {}) } } } }) as KObject
const rs = (name: string, revision: number, image: string): ReplicaSetObject =>
  ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default', annotations: { 'deployment.kubernetes.io/revision': String(revision) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u1' }] }, spec: { replicas: 0, selector: {}, template: { metadata: { labels: { app: 'web', 'pod-template-hash': name.slice(4) } }, spec: { containers: [{ name: 'web', image }] } } } }) as unknown as ReplicaSetObject
const sim = defaultSimConfig()
sim.registry.repositories = { 'gcr.io/google_containers/update-demo': ['nautilus', 'kitten'] }
const ctx = (o: Partial<SummaryContext> = {}): SummaryContext => ({ replicaSets: [rs('web-aaa', 1, 'nginx:1.24'), rs('web-bbb', 2, 'nginx:1.25')], deployments: [], sim, ...o })
const cm = (name: string, data: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data }) as KObject
const ing = (rules: unknown[]): KObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default' }, spec: { rules } }) as KObject

const cases: Array<{ name: string; input: Parameters<typeof summarize>[0]; ctx?: SummaryContext; summary: string | RegExp; warnings?: number }> = [
  { name: 'image change rolls: 10 replicas, 25%/25% → surge 3, unavailable 2; revision 3', input: { action: 'update', kind: 'Deployment', namespace: 'default', name: 'web', before: dep(), after: dep({ image: 'nginx:1.26' }), patch: [] }, summary: 'rolls 10 pods to revision 3 (RollingUpdate: maxSurge 3, maxUnavailable 2)' },
  { name: 'Recreate', input: { action: 'update', kind: 'Deployment', namespace: 'default', name: 'web', before: dep(), after: dep({ image: 'nginx:1.26', strategy: { type: 'Recreate' } }), patch: [] }, summary: /^rolls 10 pods to revision 3 \(Recreate/ },
  { name: 'back to an old template: a rollback onto web-aaa', input: { action: 'update', kind: 'Deployment', namespace: 'default', name: 'web', before: dep(), after: dep({ image: 'nginx:1.24' }), patch: [] }, summary: 'rolls back to ReplicaSet web-aaa (revision 1, which becomes revision 3): 10 pods (RollingUpdate: maxSurge 3, maxUnavailable 2)' },
  { name: 'replicas only: a scale, no rollout', input: { action: 'update', kind: 'Deployment', namespace: 'default', name: 'web', before: dep(), after: dep({ replicas: 4 }), patch: [] }, summary: 'scales from 10 to 4' },
  { name: 'a create', input: { action: 'create', kind: 'Deployment', namespace: 'default', name: 'web', after: dep({ replicas: 2 }), patch: [] }, summary: 'creates 2 pods at revision 1' },
  { name: 'an image the registry lacks will fail to pull', input: { action: 'update', kind: 'Deployment', namespace: 'default', name: 'web', before: dep(), after: dep({ image: 'gcr.io/google_containers/update-demo:kitty' }), patch: [] }, summary: /^rolls 10 pods/, warnings: 1 },
  { name: 'a listed tag pulls', input: { action: 'update', kind: 'Deployment', namespace: 'default', name: 'web', before: dep(), after: dep({ image: 'gcr.io/google_containers/update-demo:kitten' }), patch: [] }, summary: /^rolls/, warnings: 0 },
  {
    name: 'ConfigMap consumed through a volume and through env',
    input: { action: 'update', kind: 'ConfigMap', namespace: 'default', name: 'cfg', before: cm('cfg', { a: '1' }), after: cm('cfg', { a: '2' }), patch: [{ op: 'replace', path: '/data/a', value: '2' }] },
    ctx: ctx({
      deployments: [
        { ...dep({ volumes: [{ name: 'c', configMap: { name: 'cfg' } }], extra: { volumeMounts: [{ name: 'c', mountPath: '/etc/c' }] } }), metadata: { name: 'files', namespace: 'default' } } as KObject,
        { ...dep({ extra: { envFrom: [{ configMapRef: { name: 'cfg' } }] } }), metadata: { name: 'envs', namespace: 'default' } } as KObject,
        { ...dep({ volumes: [{ name: 'c', configMap: { name: 'cfg' } }], extra: { volumeMounts: [{ name: 'c', mountPath: '/etc/c/a', subPath: 'a' }] } }), metadata: { name: 'subpath', namespace: 'default' } } as KObject,
        { ...dep({ extra: { envFrom: [{ configMapRef: { name: 'other' } }] } }), metadata: { name: 'unrelated', namespace: 'default' } } as KObject,
      ],
    }),
    summary: 'updated (data.a); consumed by deployment/envs (env: not until its pods restart), deployment/files (volume: its pods see the change), deployment/subpath (env: not until its pods restart)',
  },
  { name: 'ConfigMap nobody consumes', input: { action: 'update', kind: 'ConfigMap', namespace: 'default', name: 'cfg', patch: [{ op: 'replace', path: '/data/a', value: '2' }] }, summary: 'updated (data.a); no Deployment consumes it' },
  { name: 'an HPA owns spec.replicas', input: { action: 'create', kind: 'HorizontalPodAutoscaler', namespace: 'default', name: 'web', after: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 8 } } as KObject, patch: [] }, summary: 'created; owns spec.replicas of deployment/web (2–8 replicas)' },
  { name: 'an Ingress gains a host and loses a path', input: { action: 'update', kind: 'Ingress', namespace: 'default', name: 'web', before: ing([{ host: 'a.example', http: { paths: [{ path: '/' }, { path: '/api' }] } }]), after: ing([{ host: 'a.example', http: { paths: [{ path: '/' }] } }, { host: 'b.example', http: { paths: [{ path: '/' }] } }]), patch: [] }, summary: 'updated; gains host b.example; loses path a.example/api' },
  { name: 'takes fields over from another manager', input: { action: 'update', kind: 'Service', namespace: 'default', name: 'web', patch: [{ op: 'replace', path: '/spec/ports/0/port', value: 81 }], takesOverFrom: ['kubectl-edit'] }, summary: 'updated (spec.ports); takes fields over from kubectl-edit' },
]

for (const c of cases) {
  test(c.name, () => {
    const out = summarize(c.input, c.ctx ?? ctx())
    if (typeof c.summary === 'string') assert.is(out.summary, c.summary)
    else assert.match(out.summary, c.summary)
    if (c.warnings !== undefined) assert.is(out.warnings.length, c.warnings)
  })
}

test.run()
