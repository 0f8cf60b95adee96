/**
 * Not a test: a fake API server on 127.0.0.1 that serves the fixtures (Tables built by our
 * buildTable, plain lists otherwise) so the real kubectl can print them. Run:
 *   node --import tsx test/cli/print/kubectl-golden.ts get deployments -A -o wide
 * It prints kubectl's stdout, then "--- stderr ---" and kubectl's stderr. Used to write the
 * expected strings of the tests; the tests themselves do not need kubectl.
 */
import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildTable, type KubeObject } from '../../../reconciler/cli/print/index.js'
import { NOW, deployments, numericPod, pods, services, trickyConfigMap } from './fixtures.js'

const resources: Record<string, { group: string; version: string; kind: string; namespaced: boolean; items: KubeObject[] }> = {
  deployments: { group: 'apps', version: 'v1', kind: 'Deployment', namespaced: true, items: deployments },
  pods: { group: '', version: 'v1', kind: 'Pod', namespaced: true, items: [...pods, numericPod] },
  services: { group: '', version: 'v1', kind: 'Service', namespaced: true, items: services },
  secrets: { group: '', version: 'v1', kind: 'Secret', namespaced: true, items: [] },
  configmaps: { group: '', version: 'v1', kind: 'ConfigMap', namespaced: true, items: [trickyConfigMap] },
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  const send = (body: unknown): void => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(body)) }
  const p = url.pathname
  if (p === '/api') return send({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] })
  if (p === '/apis') return send({ kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] })
  const gvList = (gv: string, group: string): void => send({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv,
    resources: Object.entries(resources).filter(([, r]) => r.group === group).map(([name, r]) => ({ name, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'list'], shortNames: ({ deployments: ['deploy'], services: ['svc'], pods: ['po'], configmaps: ['cm'] } as Record<string, string[]>)[name] })) })
  if (p === '/api/v1') return gvList('v1', '')
  if (p === '/apis/apps/v1') return gvList('apps/v1', 'apps')
  if (p === '/version') return send({ major: '1', minor: '32', gitVersion: 'v1.32.0' })
  const m = /^\/(?:api\/v1|apis\/apps\/v1)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(p)
  if (m) {
    const [, ns, plural, name] = m
    const r = resources[plural]
    let items = r.items.filter((o) => !ns || o.metadata?.namespace === ns)
    if (name) items = items.filter((o) => o.metadata?.name === name)
    if (name && items.length === 0) { res.statusCode = 404; return send({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `${plural} "${name}" not found`, reason: 'NotFound', details: { name, kind: plural }, code: 404 }) }
    if ((req.headers.accept ?? '').includes('as=Table')) return send(buildTable(items, { now: NOW }))
    if (name) return send(items[0])
    return send({ kind: `${r.kind}List`, apiVersion: r.group ? `${r.group}/${r.version}` : r.version, metadata: { resourceVersion: '99' }, items })
  }
  res.statusCode = 404
  send({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 })
})

server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as { port: number }).port
  const dir = mkdtempSync(join(tmpdir(), 'kgold-'))
  const kubeconfig = join(dir, 'config')
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]\ncontexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]\ncurrent-context: c\nusers: [{name: u, user: {}}]\n`)
  // async: the server runs in this process and must keep answering while kubectl runs
  execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...process.argv.slice(2)], { encoding: 'utf8', timeout: 20000 }, (_err, stdout, stderr) => {
    process.stdout.write(stdout + '--- stderr ---\n' + stderr)
    server.close()
  })
})
