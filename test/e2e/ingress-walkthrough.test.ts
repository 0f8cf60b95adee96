/**
 * End to end: the Ingress walkthrough of "Kubernetes 1.2 and simplifying advanced networking with
 * Ingress", with the real capstan command: echoheaders behind a TLS Ingress whose Secret is a
 * certificate made with openssl here; `capstan route` resolves https://foo.bar.com/ to
 * echoheaders:8080 with its ready pod and TLS from the Secret `tls`; a certificate for another host,
 * or one that has expired on the virtual clock, gives a Warning and a line in `describe ingress`.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { capstan } from '../helpers/capstan.js'
import { tempDir } from '../helpers/tmp.js'

const test = suite('e2e: the Ingress walkthrough')
let t: ReturnType<typeof tempDir>
let state: string
let good: { cert: string; key: string }
let wrong: { cert: string; key: string }
let short: { cert: string; key: string }
test.before(() => {
  t = tempDir()
  state = join(t.dir, 'state.db')
  // Made before the state exists: its virtual clock starts now and moves only when told, so a
  // certificate made later in wall time could be not yet valid on it.
  good = certFor('foo.bar.com', 365)
  wrong = certFor('wrong.example', 365)
  short = certFor('foo.bar.com', 1, 'short')
})
test.after(() => t.remove())

async function ok(args: string[], input?: string): Promise<string> {
  const r = await capstan(state, args, { input })
  assert.is(r.code, 0, `capstan ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

/** A certificate and key for `cn` made with openssl, as the post does; returns their paths. */
function certFor(cn: string, days: number, tag = ''): { cert: string; key: string } {
  const cert = join(t.dir, `${cn}${tag}.crt`)
  const key = join(t.dir, `${cn}${tag}.key`)
  const r = spawnSync('openssl', ['req', '-x509', '-nodes', '-days', String(days), '-newkey', 'rsa:2048', '-keyout', key, '-out', cert, '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`], { encoding: 'utf8' })
  assert.is(r.status, 0, r.stderr)
  return { cert, key }
}

/**
 * One virtual second between commands whose events concern the same object: event names carry the
 * virtual time, and two commands at the same instant would name their events alike.
 */
async function step(): Promise<void> {
  await ok(['sim', 'advance', '1s'])
}

async function routeJson(url: string): Promise<{ ingress: string; service: { name: string; port: number }; pods: Array<{ name: string }>; tls: { terminates: boolean; secretName?: string; reason?: string } }> {
  return JSON.parse(await ok(['route', url, '-o', 'json']))
}

test('apply, the TLS secret, rollout; route resolves to echoheaders:8080 with TLS from `tls`', async () => {
  await ok(['apply', '-f', 'manifests/cluster/sim-registry.yaml'])
  const applied = await capstan(state, ['apply', '-f', 'manifests/ingress/'])
  assert.is(applied.code, 0, applied.stderr)
  assert.match(applied.stderr, /extensions\/v1beta1 Ingress is deprecated/)
  assert.is(await ok(['create', 'secret', 'tls', 'tls', `--cert=${good.cert}`, `--key=${good.key}`]), 'secret/tls created\n')
  assert.match(await ok(['rollout', 'status', 'deployment/echoheaders']), /successfully rolled out/)

  const r = await routeJson('https://foo.bar.com/')
  assert.is(r.ingress, 'echoheaders')
  assert.equal(r.service, { name: 'echoheaders', port: 8080, clusterIP: (r.service as { clusterIP?: string }).clusterIP })
  assert.is(r.pods.length, 1)
  assert.match(r.pods[0].name, /^echoheaders-/)
  assert.is(r.tls.terminates, true)
  assert.is(r.tls.secretName, 'tls')

  const text = await ok(['route', 'https://foo.bar.com/api/v1'])
  assert.match(text, /^Ingress:\s+default\/echoheaders$/m)
  assert.match(text, /^Rule:\s+host foo\.bar\.com, path \/ \(Prefix\)$/m)
  assert.match(text, /^Service:\s+echoheaders:8080, cluster IP 10\.\d+\.\d+\.\d+$/m)
  assert.match(text, /^TLS:\s+terminates with secret tls/m)

  // The Service and Ingress as kubectl shows them: a cluster IP, a node port, the controller's address.
  const svc = await ok(['get', 'svc', 'echoheaders'])
  assert.match(svc, /^echoheaders\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+8080:3\d{4}\/TCP\s+/m)
  assert.match(await ok(['get', 'svc', 'kubernetes']), /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+/m)
  assert.match(await ok(['get', 'ingress', 'echoheaders']), /^echoheaders\s+<none>\s+foo\.bar\.com\s+198\.51\.100\.1\s+80, 443\s+/m)
  const ep = JSON.parse(await ok(['get', 'endpoints', 'echoheaders', '-o', 'json']))
  assert.is(ep.subsets[0].addresses.length, 1)
  assert.equal(ep.subsets[0].ports, [{ port: 8080, protocol: 'TCP' }])
})

test('a URL no rule of the named Ingress matches: an error and exit code 1', async () => {
  const r = await capstan(state, ['route', '--ingress', 'echoheaders', 'https://nothing.example/'])
  assert.is(r.code, 1)
  assert.match(r.stderr, /^error: no Ingress rule matches https:\/\/nothing\.example\//)
})

test('a certificate for another host: Warning, describe line, no termination', async () => {
  await ok(['delete', 'secret', 'tls'])
  await step()
  await ok(['create', 'secret', 'tls', 'tls', `--cert=${wrong.cert}`, `--key=${wrong.key}`])
  const d = await ok(['describe', 'ingress', 'echoheaders'])
  assert.match(d, /^ {2}tls terminates foo\.bar\.com\n {4}Problem:\s+HostNotCovered: certificate in secret "default\/tls" does not cover host "foo\.bar\.com"/m)
  assert.match(d, /Warning\s+HostNotCovered\s+/)
  const r = await routeJson('https://foo.bar.com/')
  assert.is(r.tls.terminates, false)
  assert.match(r.tls.reason ?? '', /does not cover host "foo\.bar\.com"/)
})

test('a certificate that expires on the virtual clock', async () => {
  await ok(['delete', 'secret', 'tls'])
  await step()
  await ok(['create', 'secret', 'tls', 'tls', `--cert=${short.cert}`, `--key=${short.key}`])
  assert.is((await routeJson('https://foo.bar.com/')).tls.terminates, true)
  assert.not.match(await ok(['describe', 'ingress', 'echoheaders']), /Problem:/)
  await ok(['sim', 'advance', '25h'])
  const d = await ok(['describe', 'ingress', 'echoheaders'])
  assert.match(d, /Problem:\s+CertificateExpired: certificate in secret "default\/tls" expired at /)
  assert.match(d, /Warning\s+CertificateExpired\s+/)
  const r = await routeJson('https://foo.bar.com/')
  assert.is(r.tls.terminates, false)
  assert.match(r.tls.reason ?? '', /expired/)
})

test.run()
