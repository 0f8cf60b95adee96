/** End to end: the real capstan command applying and reading the example manifests, as a user would. */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { capstan, capstanBin } from '../helpers/capstan.js'
import { tempDir } from '../helpers/tmp.js'

const test = suite('e2e: apply, get, describe, delete')
let t: ReturnType<typeof tempDir>
let state: string

test.before.each(() => {
  t = tempDir()
  state = join(t.dir, 'state.db')
})
test.after.each(() => t.remove())

test('apply the example repository, then read it back as kubectl would show it', async () => {
  const r = await capstan(state, ['apply', '-f', 'manifests/', '-R'])
  assert.is(r.code, 0, r.stderr)
  assert.match(r.stdout, /^deployment\.apps\/update-demo created$/m)
  assert.match(r.stdout, /^configmap\/example-configmap created$/m)
  assert.match(r.stdout, /^nodepool\.capstan\.dev\/\S+ created$/m)
  assert.match(r.stderr, /Warning: extensions\/v1beta1 Ingress is deprecated in v1\.14\+, unavailable in v1\.22\+; use networking\.k8s\.io\/v1 Ingress/)
  const again = await capstan(state, ['apply', '-f', 'manifests/', '-R'])
  assert.is(again.code, 0, again.stderr)
  assert.not.match(again.stdout, / (created|configured)$/m, 'a second apply changes nothing')
  assert.match(again.stdout, /^deployment\.apps\/update-demo unchanged$/m)

  const get = await capstan(state, ['get', 'deployments'])
  assert.is(get.code, 0, get.stderr)
  const lines = get.stdout.trimEnd().split('\n')
  assert.match(lines[0], /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/)
  // The controllers ran: the ReplicaSet and its pod exist; the pod starts after the 3 s start delay.
  assert.ok(lines.some((l) => /^update-demo\s+0\/1\s+1\s+0\s+\d+s$/.test(l)), get.stdout)

  const json = await capstan(state, ['get', 'deployment', 'update-demo', '-o', 'json'])
  const d = JSON.parse(json.stdout)
  assert.is(d.kind, 'Deployment')
  assert.is(d.spec.strategy.rollingUpdate.maxSurge, '25%')
  assert.is(d.metadata.generation, 1)
  assert.ok(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'])
  const jp = await capstan(state, ['get', 'deploy', 'update-demo', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])
  assert.is(jp.stdout, 'gcr.io/google_containers/update-demo:nautilus')
  const names = await capstan(state, ['get', 'cm', '-o', 'name'])
  assert.match(names.stdout, /^configmap\/example-configmap$/m)
  const yaml = await capstan(state, ['get', 'configmap', 'example-configmap', '-o', 'yaml'])
  assert.match(yaml.stdout, /^kind: ConfigMap$/m)
  assert.match(yaml.stdout, /^  game-properties-file-name: game.properties$/m)
  const none = await capstan(state, ['get', 'secrets'])
  assert.is(none.code, 0)
  assert.is(none.stderr, 'No resources found in default namespace.\n')
  const missing = await capstan(state, ['get', 'deployment', 'nope'])
  assert.is(missing.code, 2)
  assert.is(missing.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n')
  const desc = await capstan(state, ['describe', 'deployment', 'update-demo'])
  assert.is(desc.code, 0, desc.stderr)
  assert.match(desc.stdout, /^Name:\s+update-demo$/m)
  assert.match(desc.stdout, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m)
})

test('describe shows the events about an object, as the controllers recorded them', async () => {
  await capstan(state, ['apply', '-f', 'manifests/update-demo/'])
  const d = await capstan(state, ['describe', 'deploy', 'update-demo'])
  assert.is(d.code, 0, d.stderr)
  assert.match(d.stdout, /^Events:\n  Type    Reason             Age   From                   Message\n  ----    ------             ----  ----                   -------\n  Normal  ScalingReplicaSet  \d+s\s+deployment-controller  Scaled up replica set update-demo-[a-z0-9]+ to 1\n/m)
  const pods = await capstan(state, ['describe', 'pods', '-l', 'name=update-demo'])
  assert.match(pods.stdout, /Normal\s+Scheduled\s+\d+s\s+default-scheduler\s+Successfully assigned default\/update-demo-/)
})

test('a typo in one object of a batch: exit 2, file, line and field named, nothing applied', async () => {
  const dir = join(t.dir, 'batch')
  const { mkdirSync } = await import('node:fs')
  mkdirSync(dir)
  writeFileSync(join(dir, 'a-good.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\ndata:\n  k: v\n')
  writeFileSync(
    join(dir, 'b-bad.yaml'),
    '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n---\n# the second document\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        imagee: nginx\n',
  )
  const r = await capstan(state, ['apply', '-f', dir])
  assert.is(r.code, 2)
  assert.match(r.stderr, /b-bad\.yaml:20: document 1: Deployment "web": spec\.template\.spec\.containers\[0\]\.imagee: unknown field/)
  assert.match(r.stderr, /nothing was applied/)
  const get = await capstan(state, ['get', 'configmaps'])
  assert.not.match(get.stdout, /good|fine/)
})

test('broken inputs are refused with exit 2 and name the problem', async () => {
  const cases: Array<[string, RegExp]> = [
    ['fixtures/manifests/invalid-yaml.yaml', /invalid-yaml\.yaml:\d+/],
    ['fixtures/manifests/alias-bomb.yaml', /alias/i],
    ['fixtures/manifests/duplicate-key.yaml', /duplicate-key\.yaml:\d+/],
    ['fixtures/manifests/same-object-twice.yaml', /appears twice/],
    ['fixtures/manifests/unknown-kind.yaml', /no matches for kind/],
    ['fixtures/manifests/typo-field.yaml', /typo-field\.yaml:8: document 0: Deployment "typo-field": spec\.replica: unknown field "spec\.replica"/],
  ]
  for (const [file, want] of cases) {
    const r = await capstan(state, ['apply', '-f', file])
    assert.is(r.code, 2, `${file}: ${r.stdout}`)
    assert.match(r.stderr, want, file)
  }
  const big = join(t.dir, 'big.yaml')
  writeFileSync(big, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: "${'x'.repeat(1_600_000)}"\n`)
  const r = await capstan(state, ['apply', '-f', big])
  assert.is(r.code, 2)
  assert.match(r.stderr, /big\.yaml/)
  const left = await capstan(state, ['get', 'configmaps,deployments', '-o', 'name'])
  assert.is(left.stdout, '')
})

test('apply from stdin, server-side apply conflicts, and delete', async () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: piped\ndata:\n  a: "1"\n'
  const r = await capstan(state, ['apply', '--server-side', '-f', '-'], { input: cm })
  assert.is(r.code, 0, r.stderr)
  assert.is(r.stdout, 'configmap/piped serverside-applied\n')
  const other = await capstan(state, ['apply', '--server-side', '--field-manager', 'someone-else', '-f', '-'], { input: cm.replace('"1"', '"2"') })
  assert.is(other.code, 2)
  assert.match(other.stderr, /conflict with "capstan-apply"/)
  const forced = await capstan(state, ['apply', '--server-side', '--field-manager', 'someone-else', '--force-conflicts', '-f', '-'], { input: cm.replace('"1"', '"2"') })
  assert.is(forced.code, 0, forced.stderr)
  assert.is(forced.stdout, 'configmap/piped serverside-applied\n')
  const del = await capstan(state, ['delete', 'configmap', 'piped'])
  assert.is(del.stdout, 'configmap "piped" deleted\n')
  const gone = await capstan(state, ['get', 'configmap', 'piped'])
  assert.is(gone.code, 2)
  const nothing = await capstan(state, ['delete'])
  assert.equal([nothing.code, nothing.stderr], [2, 'error: You must provide one or more resources by argument or filename.\n'])
})

test('create configmap --dry-run=client -o yaml prints what kubectl prints', async () => {
  const dir = join(t.dir, 'files')
  const { mkdirSync } = await import('node:fs')
  mkdirSync(dir)
  writeFileSync(join(dir, 'game.properties'), 'enemies=aliens\nlives=3\n')
  const args = ['create', 'configmap', 'game-config', '--from-literal=mode=hard', `--from-file=${dir}`, '--dry-run=client', '-o', 'yaml']
  const r = await capstan(state, args)
  assert.is(r.code, 0, r.stderr)
  const { spawnSync } = await import('node:child_process')
  const k = spawnSync('kubectl', args, { encoding: 'utf8' })
  if (k.status === 0) assert.is(r.stdout, k.stdout)
  else assert.match(r.stdout, /game\.properties: \|/)
  const created = await capstan(state, ['create', 'configmap', 'game-config', '--from-literal=mode=hard'])
  assert.is(created.stdout, 'configmap/game-config created\n')
})

test('create secret generic|tls: kubectl output for --dry-run=client, then created and never printed', async () => {
  const { spawnSync } = await import('node:child_process')
  const key = join(t.dir, 'tls.key')
  const crt = join(t.dir, 'tls.crt')
  const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-days', '1', '-subj', '/CN=foo.bar.com'])
  const cases = [['create', 'secret', 'generic', 'db', '--from-literal=password=hunter2', '--dry-run=client', '-o', 'json']]
  if (ssl.status === 0) cases.push(['create', 'secret', 'tls', 'tls', `--cert=${crt}`, `--key=${key}`, '--dry-run=client', '-o', 'json'])
  for (const args of cases) {
    const r = await capstan(state, args)
    assert.is(r.code, 0, r.stderr)
    const k = spawnSync('kubectl', args, { encoding: 'utf8' })
    if (k.status === 0) assert.is(r.stdout, k.stdout, args.join(' '))
  }
  const made = await capstan(state, ['create', 'secret', 'generic', 'db', '--from-literal=password=hunter2'])
  assert.is(made.stdout, 'secret/db created\n')
  const d = await capstan(state, ['describe', 'secret', 'db'])
  assert.match(d.stdout, /password:\s+7 bytes/)
  assert.not.match(d.stdout, /hunter2/)
  const bad = await capstan(state, ['create', 'secret', 'generic', 'db2', '--from-literal=bad key=x'])
  assert.is(bad.code, 2)
})

test('get -w follows writes made by another capstan process', async () => {
  await capstan(state, ['create', 'configmap', 'first', '--from-literal=a=1'])
  const child = spawn(process.execPath, [capstanBin(), 'get', 'configmaps', '-w'], { env: { ...process.env, CAPSTAN_STATE: state } })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  const waitFor = async (re: RegExp): Promise<void> => {
    for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50))
  }
  await waitFor(/^first\s/m)
  await capstan(state, ['create', 'configmap', 'second', '--from-literal=b=2'])
  await waitFor(/^second\s/m)
  child.kill('SIGTERM')
  await new Promise((r) => child.on('close', r))
  assert.match(out, /^NAME\s+DATA\s+AGE$/m)
  assert.match(out, /^second\s+1\s+\d+s$/m)
})

test.run()
