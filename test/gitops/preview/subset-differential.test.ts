/**
 * The subset preview (only what differs and its context synced into the throwaway state) against
 * the reference (all of base synced): for generated repositories and random edits, the text and
 * JSON outputs must be identical. Cases whose answer depends on what only the reference sees (an
 * HPA) must hand over, and then previewDiff still answers as the reference does.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { previewDiff, previewJson, previewText, type PreviewOptions } from '../../../reconciler/gitops/preview/index.js'
import { subsetPreview } from '../../../reconciler/gitops/preview/subset-preview.js'
import { tempDir } from '../../helpers/tmp.js'
import { makeRepo } from '../../source/git/make-repo.js'
import { rng } from '../../helpers/rng.js'

const test = suite('preview: subset against the full reference')

type Files = Record<string, string | null>
interface App {
  name: string
  ns: string
  image: string
  replicas: number
  via: 'envFrom' | 'volume' | 'subPath' | 'none'
  secret: boolean
  ingress: boolean
  recreate: boolean
}

const nsLine = (ns: string) => (ns === 'default' ? '' : `  namespace: ${ns}\n`)
const deployment = (a: App) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${a.name}\n${nsLine(a.ns)}spec:\n  replicas: ${a.replicas}\n` +
  (a.recreate ? `  strategy:\n    type: Recreate\n` : '') +
  `  selector:\n    matchLabels:\n      app: ${a.name}\n  template:\n    metadata:\n      labels:\n        app: ${a.name}\n    spec:\n      containers:\n      - name: web\n        image: ${a.image}\n` +
  (a.via === 'envFrom' ? `        envFrom:\n        - configMapRef:\n            name: ${a.name}-config\n` : '') +
  (a.secret ? `        env:\n        - name: PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: ${a.name}-secret\n              key: password\n` : '') +
  (a.via === 'volume' || a.via === 'subPath' ? `        volumeMounts:\n        - name: config\n          mountPath: /etc/app${a.via === 'subPath' ? '/level\n          subPath: level' : ''}\n      volumes:\n      - name: config\n        configMap:\n          name: ${a.name}-config\n` : '')
const configMap = (a: App, level: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${a.name}-config\n${nsLine(a.ns)}data:\n  level: ${level}\n`
const secret = (a: App, pw: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${a.name}-secret\n${nsLine(a.ns)}type: Opaque\nstringData:\n  password: ${pw}\n`
const service = (a: App, port = 80) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${a.name}\n${nsLine(a.ns)}spec:\n  selector:\n    app: ${a.name}\n  ports:\n  - port: ${port}\n    targetPort: 8080\n`
const ingress = (a: App, hosts: string[]) =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${a.name}\n${nsLine(a.ns)}spec:\n  rules:\n` +
  hosts.map((h) => `  - host: ${h}\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: ${a.name}\n            port:\n              number: 80\n`).join('')
const namespace = (labels: Record<string, string>) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n${Object.keys(labels).length ? `  labels:\n${Object.entries(labels).map(([k, v]) => `    ${k}: ${v}\n`).join('')}` : ''}`
const registry = (tags: string[]) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: capstan-sim\n  namespace: kube-system\ndata:\n  registry.json: |\n    {"repositories": {"example.com/shop": ${JSON.stringify(tags)}}}\n  settings.json: |\n    {"startDelaySeconds": 0}\n`
const legacy = `apiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: legacy\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: legacy\n  template:\n    metadata:\n      labels:\n        app: legacy\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n`
const hpa = (a: App) => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${a.name}\n${nsLine(a.ns)}spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: ${a.name}\n  minReplicas: 1\n  maxReplicas: 4\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 50\n`

const IMAGES = ['example.com/shop:v1', 'example.com/shop:v2', 'example.com/shop:v9', 'nginx:1.27', 'nginx:1.28']

function appFiles(a: App, level = 'info'): Files {
  const dir = `apps/${a.name}`
  const out: Files = { [`${dir}/deployment.yaml`]: deployment(a), [`${dir}/config.yaml`]: configMap(a, level), [`${dir}/service.yaml`]: service(a) }
  if (a.secret) out[`${dir}/secret.yaml`] = secret(a, 'pw-1')
  if (a.ingress) out[`${dir}/ingress.yaml`] = ingress(a, [`${a.name}.example.com`])
  return out
}

/** A base repository: a Namespace, 3–5 apps, maybe the simulated registry and a converted apiVersion. */
function baseOf(r: () => number): { files: Files; apps: App[]; hasRegistry: boolean } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]
  const apps: App[] = []
  const n = 3 + Math.floor(r() * 3)
  for (let i = 0; i < n; i++) {
    apps.push({ name: `app${i}`, ns: pick(['default', 'team']), image: pick(IMAGES.slice(0, 2)), replicas: 1 + Math.floor(r() * 3), via: pick(['envFrom', 'volume', 'subPath', 'none'] as const), secret: r() < 0.4, ingress: r() < 0.4, recreate: r() < 0.2 })
  }
  const files: Files = { 'ns/team.yaml': namespace({ team: 'shop' }) }
  for (const a of apps) Object.assign(files, appFiles(a))
  const hasRegistry = r() < 0.6
  if (hasRegistry) files['cluster/registry.yaml'] = registry(['v1', 'v2'])
  if (r() < 0.5) files['legacy/old.yaml'] = legacy
  return { files, apps, hasRegistry }
}

const EDITS = ['config', 'image', 'replicas', 'delete', 'add', 'ingress', 'namespace', 'registry', 'move', 'secret', 'service'] as const

/** 1–3 random edits of the base, the first of kind `first` when given. */
function editsOf(r: () => number, base: { apps: App[]; hasRegistry: boolean }, first?: (typeof EDITS)[number]): { files: Files; what: string[] } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]
  const files: Files = {}
  const what: string[] = []
  const count = 1 + Math.floor(r() * 3)
  for (let k = 0; k < count; k++) {
    const a = pick(base.apps)
    const e = k === 0 && first ? first : pick(EDITS)
    const dir = `apps/${a.name}`
    what.push(`${e} ${a.name}`)
    switch (e) {
      case 'config':
        files[`${dir}/config.yaml`] = configMap(a, pick(['debug', 'warn', 'trace']))
        break
      case 'image':
        files[`${dir}/deployment.yaml`] = deployment({ ...a, image: pick(IMAGES.filter((i) => i !== a.image)) })
        break
      case 'replicas':
        files[`${dir}/deployment.yaml`] = deployment({ ...a, replicas: a.replicas + 2 })
        break
      case 'delete':
        files[`${dir}/${pick(['config.yaml', 'service.yaml', 'deployment.yaml'])}`] = null
        break
      case 'add': {
        const b: App = { ...a, name: `new${k}`, via: 'envFrom', secret: false, ingress: false }
        Object.assign(files, appFiles(b))
        break
      }
      case 'ingress':
        files[`${dir}/ingress.yaml`] = ingress(a, [`${a.name}.example.com`, `www.${a.name}.example.com`])
        break
      case 'namespace':
        files['ns/team.yaml'] = namespace({ team: 'shop', tier: pick(['web', 'batch']) })
        break
      case 'registry':
        files['cluster/registry.yaml'] = registry(['v1', 'v2', 'v9'])
        break
      case 'move':
        files[`${dir}/config.yaml`] = null
        files[`${dir}/all.yaml`] = `${configMap(a, 'info')}---\n${service(a)}`
        files[`${dir}/service.yaml`] = null
        break
      case 'secret':
        files[`${dir}/secret.yaml`] = secret(a, 'pw-2')
        break
      case 'service':
        files[`${dir}/service.yaml`] = service(a, 8080)
        break
    }
  }
  return { files, what }
}

let t: ReturnType<typeof tempDir>
test.before(() => {
  t = tempDir('capstan-preview-diff-')
})
test.after(() => t.remove())

/** Service addresses come from a hash of a random uid: masked on both sides. */
const masked = (s: string) => s.replace(/10\.\d+\.\d+\.\d+/g, 'IP')


// One case per kind of edit (each first, more at random after it), so every kind is covered.
const SEEDS = EDITS.map((e, i) => ({ seed: 1000 + i * 7919, first: e }))

for (const { seed, first } of SEEDS) {
  test(`seed ${seed} (${first}, …): identical text and JSON`, async () => {
    const r = rng(seed)
    const base = baseOf(r)
    const edit = editsOf(r, base, first)
    const dir = `${t.dir}/repo-${seed}`
    const repo = makeRepo(dir, [
      { files: base.files, message: 'base' },
      { files: edit.files, message: `head: ${edit.what.join(', ')}` },
    ])
    const o: PreviewOptions = { repo: dir, base: repo.commits[0], head: repo.commits[1], cacheDir: `${t.dir}/cache` }
    const reasons: string[] = []
    const fast = await subsetPreview(o, (h) => reasons.push(h.reason))
    const full = await previewDiff({ ...o, method: 'full' })
    assert.ok(fast, `handed over: ${reasons.join('; ')} (${edit.what.join(', ')})`)
    assert.is(masked(previewText(fast!)), masked(previewText(full)), edit.what.join(', '))
    assert.is(masked(previewJson(fast!)), masked(previewJson(full)), edit.what.join(', '))
  })
}

const handovers: Array<{ name: string; edit: (a: App) => Files; reason: RegExp }> = [
  { name: 'an HPA added for a Deployment', edit: (a) => ({ [`apps/${a.name}/hpa.yaml`]: hpa(a) }), reason: /HPA/ },
  { name: 'a Deployment an unchanged HPA targets changes', edit: (a) => ({ [`apps/${a.name}/deployment.yaml`]: deployment({ ...a, image: 'nginx:1.28' }) }), reason: /HPA/ },
  { name: 'a kustomization appears', edit: () => ({ 'kustomization.yaml': 'resources: []\n' }), reason: /kustomization/ },
]

for (const h of handovers) {
  test(`hands over: ${h.name}; previewDiff answers as the reference`, async () => {
    const a: App = { name: 'web', ns: 'default', image: 'nginx:1.27', replicas: 2, via: 'envFrom', secret: false, ingress: false, recreate: false }
    const baseFiles = appFiles(a)
    if (h.name.startsWith('a Deployment an unchanged HPA')) baseFiles['apps/web/hpa.yaml'] = hpa(a)
    const dir = `${t.dir}/handover-${h.name.replace(/\W+/g, '-')}`
    const repo = makeRepo(dir, [
      { files: baseFiles, message: 'base' },
      { files: h.edit(a), message: 'head' },
    ])
    const o: PreviewOptions = { repo: dir, base: repo.commits[0], head: repo.commits[1], cacheDir: `${t.dir}/cache` }
    const reasons: string[] = []
    assert.is(await subsetPreview(o, (x) => reasons.push(x.reason)), undefined)
    assert.match(reasons.join('; '), h.reason)
    // previewDiff then answers with the reference (checked once: it is the same code path each time).
    if (h !== handovers[0]) return
    const dflt = await previewDiff(o)
    const full = await previewDiff({ ...o, method: 'full' })
    assert.is(masked(previewJson(dflt)), masked(previewJson(full)))
  })
}

test.run()
