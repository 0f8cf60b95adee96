/**
 * The incremental drift scan (only what was written since the last sync planned) against the
 * reference (every object planned): after a sync and one kind of live change each, the reports
 * must be identical, and the incremental plan must answer where it can (or hand over where it
 * cannot vouch for the answer: a Namespace written since, another namespace for the scan).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { scanDrift } from '../../../reconciler/gitops/drift/index.js'
import { incrementalDriftPlan } from '../../../reconciler/gitops/drift/incremental.js'
import { loadGitopsState } from '../../../reconciler/gitops/state/sync-state.js'
import { resolveSource } from '../../../reconciler/gitops/sync/source.js'
import { virtualClusterRunner } from '../../../reconciler/gitops/sync/virtual-cluster.js'
import { harness, type Harness } from '../harness.js'

const test = suite('drift: incremental against the full reference')

const ns = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels:\n    team: shop\n`
const deployment = (name: string, namespace = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        envFrom:\n        - configMapRef:\n            name: ${name}-config\n`
const configMap = (name: string, namespace = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-config\n${namespace ? `  namespace: ${namespace}\n` : ''}data:\n  level: info\n`
const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - port: 80\n`
const hpa = (name: string, target: string) => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${name}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: ${target}\n  minReplicas: 1\n  maxReplicas: 5\n`
const FILES = {
  'ns.yaml': ns,
  'web/deployment.yaml': deployment('web'),
  'web/config.yaml': configMap('web'),
  'web/service.yaml': service('web'),
  'api/deployment.yaml': deployment('api', 'team'),
  'api/config.yaml': configMap('api', 'team'),
  'batch/deployment.yaml': deployment('batch'),
  'batch/config.yaml': configMap('batch'),
  'batch/hpa.yaml': hpa('batch', 'batch'),
}

const unmanagedHpa = (target: string): KObject => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: `manual-${target}`, namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas: 3 } }) as KObject

const cases: Array<{ name: string; change?: (h: Harness) => Promise<void>; namespace?: string; incremental: boolean }> = [
  { name: 'nothing written since the sync', incremental: true },
  { name: 'a Deployment scaled (kubectl-scale)', change: async (h) => void (await h.api.updateScale('deployments', 'default', 'web', 5, { fieldManager: 'kubectl-scale' })), incremental: true },
  { name: 'a ConfigMap deleted', change: async (h) => void (await h.api.delete('configmaps', 'team', 'api-config')), incremental: true },
  {
    name: 'a ConfigMap edited by kubectl-edit',
    change: async (h) => {
      const cm = await h.api.get('configmaps', 'default', 'web-config')
      await h.api.update({ ...cm, data: { level: 'debug' } } as KObject, { fieldManager: 'kubectl-edit' })
    },
    incremental: true,
  },
  {
    name: 'a managed object git does not have (Extra)',
    change: async (h) => void (await h.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray', namespace: 'default', labels: { 'app.kubernetes.io/managed-by': 'capstan' } }, data: { a: '1' } } as KObject, { fieldManager: 'kubectl-create' })),
    incremental: true,
  },
  { name: 'capstan autoscale: an HPA capstan does not manage takes replicas', change: async (h) => void (await h.api.create(unmanagedHpa('web'), { fieldManager: 'kubectl-autoscale' })), incremental: true },
  {
    name: 'the controllers ran on (status, revisions) and time passed',
    change: (h) =>
      virtualClusterRunner(h.api, h.clock)(async (c) => {
        await c.settle()
        await c.advanceTo(new Date(c.now().getTime() + 60_000))
      }),
    incremental: true,
  },
  {
    name: 'a Namespace relabelled: hands over',
    change: async (h) => {
      const n = await h.api.get('namespaces', undefined, 'team')
      await h.api.update({ ...n, metadata: { ...n.metadata, labels: { team: 'other' } } } as KObject, { fieldManager: 'kubectl-label' })
    },
    incremental: false,
  },
  { name: 'scanned with another namespace than the sync: hands over', namespace: 'team', incremental: false },
]

for (const c of cases) {
  test(c.name, async () => {
    const h = await harness([{ files: FILES, message: 'base' }])
    try {
      const out = await h.sync({ prune: true, wait: false })
      assert.is(out.result, 'Succeeded', out.message)
      await c.change?.(h)
      const now = () => h.clock.now()
      const o = { api: h.api, cacheDir: `${h.repo.dir}/../cache`, now, ...(c.namespace ? { namespace: c.namespace } : {}) }
      const last = (await loadGitopsState(h.api.storage)).last!
      const src = await resolveSource({ repo: last.repo, ref: last.commit, path: last.path, cacheDir: o.cacheDir })
      const plan = await incrementalDriftPlan({ api: h.api, src, last, namespace: c.namespace ?? 'default', now })
      assert.is(!!plan, c.incremental)
      const fast = await scanDrift(o)
      const full = await scanDrift({ ...o, method: 'full' })
      assert.equal(fast, full)
    } finally {
      await h.close()
    }
  })
}

test.run()
