import { writeFileSync, chmodSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { printObjects } from '../../reconciler/cli/print/output.js'
import type { KObject } from '../../reconciler/api/object.js'
import { HAVE_KUBECTL, NOW, startHarness, type Harness } from './harness.js'

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, labels: {app: other}}
data: {mode: fast}
`

const k = suite('kubectl 1.32 against capstan: every command a user runs')
let h: Harness
const file = (name: string, text: string): string => {
  const p = join(h.dir, name)
  writeFileSync(p, text)
  return p
}
const items = async (resource: string, o: { namespace?: string; labelSelector?: string } = { namespace: 'default' }): Promise<KObject[]> => (await h.api.list(resource, o)).items

k.before(async () => {
  h = await startHarness()
})
k.after(async () => {
  await h?.close()
})

if (!HAVE_KUBECTL) {
  k('kubectl is not installed: skipped', () => console.log('  (kubectl not found on PATH; the kubectl suite is skipped)'))
} else {
  k('apply -f (client-side): created, then unchanged, then configured', async () => {
    const path = file('app.yaml', MANIFEST)
    let r = await h.kubectl(['apply', '-f', path])
    assert.is(r.stderr, '')
    assert.is(r.stdout, 'deployment.apps/web created\nservice/web created\nconfigmap/settings created\n')
    r = await h.kubectl(['apply', '-f', path])
    assert.is(r.stdout, 'deployment.apps/web unchanged\nservice/web unchanged\nconfigmap/settings unchanged\n')
    r = await h.kubectl(['apply', '-f', file('app2.yaml', MANIFEST.replace('mode: fast', 'mode: slow'))])
    assert.is(r.stdout, 'deployment.apps/web unchanged\nservice/web unchanged\nconfigmap/settings configured\n')
    assert.equal((await h.api.get('configmaps', 'default', 'settings')).data, { mode: 'slow' })
  })

  k('get: tables are what capstan itself prints (default, wide, -A, -l, by name)', async () => {
    const cases: Array<{ name: string; args: string[]; objects: () => Promise<KObject[]>; output?: string; withNamespace?: boolean }> = [
      { name: 'deployments', args: ['get', 'deployments'], objects: () => items('deployments') },
      { name: 'wide', args: ['get', 'deploy', '-o', 'wide'], objects: () => items('deployments'), output: 'wide' },
      { name: 'services', args: ['get', 'svc'], objects: () => items('services') },
      { name: 'all namespaces', args: ['get', 'namespaces', '-A'], objects: () => items('namespaces', {}) },
      { name: 'configmaps -A', args: ['get', 'cm', '-A'], objects: () => items('configmaps', {}), withNamespace: true },
      { name: 'label selector', args: ['get', 'cm', '-l', 'app=other'], objects: () => items('configmaps', { namespace: 'default', labelSelector: 'app=other' }) },
      { name: 'by name', args: ['get', 'deployment', 'web'], objects: () => items('deployments') },
    ]
    for (const c of cases) {
      const r = await h.kubectl(c.args)
      assert.is(r.stderr, '', c.name)
      const want = printObjects(await c.objects(), { now: NOW, output: c.output, withNamespace: c.withNamespace })
      assert.is(r.stdout, want, c.name)
    }
  })

  k('get -o yaml and -o json: the stored object as capstan prints it', async () => {
    // kubectl leaves managedFields out unless --show-managed-fields.
    const { managedFields: _m, ...metadata } = (await h.api.get('deployments', 'default', 'web')).metadata
    const web = { ...(await h.api.get('deployments', 'default', 'web')), metadata }
    for (const output of ['yaml', 'json']) {
      const r = await h.kubectl(['get', 'deployment', 'web', '-o', output])
      assert.is(r.stdout, printObjects([web], { now: NOW, output }), output)
    }
  })

  k('get -w: a write shows up as a new row', async () => {
    const child = spawn('kubectl', ['--cache-dir', join(h.dir, 'cache'), 'get', 'deployments', '-w'], { env: { ...process.env, KUBECONFIG: h.kubeconfig } })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    const waitFor = async (pred: () => boolean): Promise<void> => {
      for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 50))
    }
    await waitFor(() => out.includes('web'))
    await h.api.updateScale('deployments', 'default', 'web', 3)
    await waitFor(() => out.trim().split('\n').length >= 3)
    child.kill()
    const lines = out.trim().split('\n')
    assert.ok(lines[0].startsWith('NAME'), out)
    assert.match(lines[1], /^web\s+0\/2\s/)
    assert.match(lines[2], /^web\s+0\/3\s/)
  })

  k('describe deployment', async () => {
    const r = await h.kubectl(['describe', 'deployment', 'web'])
    assert.is(r.stderr, '')
    assert.match(r.stdout, /^Name:\s+web$/m)
    assert.match(r.stdout, /^Selector:\s+app=web$/m)
    assert.match(r.stdout, /^\s+Image:\s+nginx:1.25$/m)
  })

  k('diff -f: exit 1 with a diff when different, 0 when the same', async () => {
    // The watch test above scaled the deployment to 3.
    const live = MANIFEST.replace('mode: fast', 'mode: slow').replace('replicas: 2', 'replicas: 3')
    let r = await h.kubectl(['diff', '-f', file('same.yaml', live)])
    assert.is(r.code, 0, r.stderr)
    assert.is(r.stdout, '')
    r = await h.kubectl(['diff', '-f', file('changed.yaml', live.replace('nginx:1.25', 'nginx:1.26'))])
    assert.is(r.code, 1, r.stderr)
    assert.match(r.stdout, /^-\s+(- )?image: nginx:1.25$/m, r.stdout)
    assert.match(r.stdout, /^\+\s+(- )?image: nginx:1.26$/m)
    assert.is((await h.api.get('deployments', 'default', 'web')).metadata.generation, 2, 'diff wrote nothing')
  })

  k('apply --server-side -f', async () => {
    const r = await h.kubectl(['apply', '--server-side', '--force-conflicts', '-f', file('ssa.yaml', MANIFEST.replace('replicas: 2', 'replicas: 4'))])
    assert.is(r.stdout, 'deployment.apps/web serverside-applied\nservice/web serverside-applied\nconfigmap/settings serverside-applied\n', r.stderr)
    const web = await h.api.get('deployments', 'default', 'web')
    assert.is((web.spec as { replicas: number }).replicas, 4)
    assert.ok(web.metadata.managedFields?.some((m) => m.manager === 'kubectl' && m.operation === 'Apply'))
  })

  k('scale, label, annotate, set image, rollout restart', async () => {
    const steps: Array<{ name: string; args: string[]; out: string }> = [
      { name: 'scale', args: ['scale', 'deployment/web', '--replicas=5'], out: 'deployment.apps/web scaled\n' },
      { name: 'label', args: ['label', 'deployment', 'web', 'tier=frontend'], out: 'deployment.apps/web labeled\n' },
      { name: 'annotate', args: ['annotate', 'deployment', 'web', 'owner=team-a'], out: 'deployment.apps/web annotated\n' },
      { name: 'set image', args: ['set', 'image', 'deployment/web', 'web=nginx:1.27'], out: 'deployment.apps/web image updated\n' },
      { name: 'rollout restart', args: ['rollout', 'restart', 'deployment/web'], out: 'deployment.apps/web restarted\n' },
    ]
    for (const s of steps) {
      const r = await h.kubectl(s.args)
      assert.is(r.stdout, s.out, `${s.name}: ${r.stderr}`)
    }
    const web = await h.api.get('deployments', 'default', 'web')
    const spec = web.spec as { replicas: number; template: { metadata: { annotations: Record<string, string> }; spec: { containers: Array<{ image: string }> } } }
    assert.is(spec.replicas, 5)
    assert.is(web.metadata.labels?.tier, 'frontend')
    assert.is(web.metadata.annotations?.owner, 'team-a')
    assert.is(spec.template.spec.containers[0].image, 'nginx:1.27')
    assert.ok(spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'])
  })

  k('edit with KUBE_EDITOR (a sed script)', async () => {
    const editor = join(h.dir, 'editor.sh')
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/replicas: 5/replicas: 6/" "$1"\n')
    chmodSync(editor, 0o755)
    const r = await h.kubectl(['edit', 'deployment', 'web'], { env: { KUBE_EDITOR: editor } })
    assert.is(r.stdout, 'deployment.apps/web edited\n', r.stderr)
    assert.is(((await h.api.get('deployments', 'default', 'web')).spec as { replicas: number }).replicas, 6)
  })

  k('create configmap (a protobuf body), then delete', async () => {
    let r = await h.kubectl(['create', 'configmap', 'extra', '--from-literal=a=1', '--from-literal=b=2'])
    assert.is(r.stdout, 'configmap/extra created\n', r.stderr)
    const cm = await h.api.get('configmaps', 'default', 'extra')
    assert.equal(cm.data, { a: '1', b: '2' })
    assert.is(cm.metadata.generateName, undefined)
    r = await h.kubectl(['delete', 'configmap', 'extra'])
    assert.is(r.stdout, 'configmap "extra" deleted\n', r.stderr)
    r = await h.kubectl(['get', 'configmap', 'extra'])
    assert.is(r.code, 1)
    assert.is(r.stderr, 'Error from server (NotFound): configmaps "extra" not found\n')
  })

  k('explain deployment.spec.strategy (OpenAPI v3 from schemas/)', async () => {
    const r = await h.kubectl(['explain', 'deployment.spec.strategy'])
    assert.is(r.stderr, '')
    assert.match(r.stdout, /^GROUP:\s+apps$/m)
    assert.match(r.stdout, /^FIELD: strategy <DeploymentStrategy>$/m)
    assert.match(r.stdout, /^\s+rollingUpdate\t<RollingUpdateDeployment>$/m)
    assert.match(r.stdout, /^\s+type\t<string>$/m)
  })

  k('api-resources and version', async () => {
    let r = await h.kubectl(['api-resources'])
    assert.match(r.stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m)
    assert.match(r.stdout, /^nodepools\s+np\s+capstan.dev\/v1alpha1\s+false\s+NodePool$/m)
    r = await h.kubectl(['version'])
    assert.match(r.stdout, /^Server Version: v1\.32\.0-capstan\./m)
    assert.is(r.stderr, '')
  })

  k('delete deployment', async () => {
    const r = await h.kubectl(['delete', 'deployment', 'web'])
    assert.is(r.stdout, 'deployment.apps "web" deleted\n', r.stderr)
    assert.is((await items('deployments')).length, 0)
  })
}

k.run()
