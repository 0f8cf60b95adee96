/**
 * The differential test of the controllers' incremental start: one sequence of commands (syncs of
 * several commits, a scale, time advances, a failing rollout and its revert, a prune, a deleted
 * pod), run once with incremental starts and once with full resyncs, leaves the same objects. Names
 * and uids that the API makes at random (generateName suffixes, uids, pod IPs) are renamed in a
 * canonical order before comparing; everything else is compared whole.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { KINDS } from '../../reconciler/api/kinds.js'
import { LocalClient } from '../../reconciler/api/local-client.js'
import type { KObject } from '../../reconciler/api/object.js'
import type { ControllerManager } from '../../reconciler/controllers/runtime/manager.js'
import { VirtualClock } from '../../reconciler/controllers/runtime/virtual-clock.js'
import { loadResumePoint } from '../../reconciler/controllers/runtime/resume-point.js'
import { runSync } from '../../reconciler/gitops/index.js'
import { runVirtualCluster, virtualClusterRunner } from '../../reconciler/gitops/sync/virtual-cluster.js'
import { openStorage } from '../../reconciler/storage/index.js'
import { makeRepo, type MadeRepo } from '../source/git/make-repo.js'
import { tempDir } from '../helpers/tmp.js'

const test = suite('controllers: incremental start = full resync')

const ns = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`
const deployment = (name: string, image: string, replicas: number, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  replicas: ${replicas}
  progressDeadlineSeconds: 60
  selector:
    matchLabels:
      app: ${name}${extra}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: main
        image: ${image}
        envFrom:
        - configMapRef:
            name: ${name}-config
        ports:
        - containerPort: 80
`
const service = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: shop
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
    targetPort: 80
`
const config = (name: string, level: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: shop
data:
  LEVEL: ${level}
`
const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`
const recreate = '\n  strategy:\n    type: Recreate'

/** One state, run with incremental starts or full resyncs. */
interface World {
  api: LocalClient
  clock: VirtualClock
  repo: MadeRepo
  command<T>(fn: (advance: (ms: number) => Promise<void>, manager: ControllerManager) => Promise<T>): Promise<T>
  sync(prune?: boolean): Promise<string>
  commit(files: Record<string, string | null>, message: string): void
  close(): void
}

async function world(incremental: boolean): Promise<World> {
  // The same commit ids in both worlds.
  process.env.GIT_AUTHOR_DATE = process.env.GIT_COMMITTER_DATE = '2026-01-01T00:00:00Z'
  const t = tempDir('capstan-incremental-')
  const repo = makeRepo(`${t.dir}/repo`, [
    {
      files: {
        'apps/namespace.yaml': ns,
        'apps/web/deployment.yaml': deployment('web', 'nginx:1.27', 2),
        'apps/web/service.yaml': service('web'),
        'apps/web/config.yaml': config('web', 'info'),
        'apps/web/ingress.yaml': ingress,
        'apps/api/deployment.yaml': deployment('api', 'nginx:1.27', 1).replace('  progressDeadlineSeconds: 60', `  progressDeadlineSeconds: 60${recreate}`),
        'apps/api/service.yaml': service('api'),
        'apps/api/config.yaml': config('api', 'info'),
      },
      message: 'shop',
    },
  ])
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'))
  const api = new LocalClient({ storage: openStorage('memory:'), now: () => clock.now() })
  await api.bootstrap()
  const runCluster = virtualClusterRunner(api, clock, { incremental })
  return {
    api,
    clock,
    repo,
    command: (fn) => runVirtualCluster({ api, clock, incremental }, (m) => fn((ms) => m.advance(ms), m)),
    sync: async (prune = false) => {
      const o = await runSync({ api, source: { repo: repo.dir, cacheDir: `${t.dir}/cache` }, prune, now: () => clock.now(), runCluster })
      // The sync moved the resume point past its own record and bookkeeping: the next command's
      // start reads none of them back, and must still end as a full resync would.
      const point = await loadResumePoint(api.storage)
      assert.equal([point?.revision, point?.savedAt], [(await api.storage.revision()) - 1, await api.storage.revision()], `resume point after ${o.message}`)
      return `${o.result} ${o.mode} ${o.message}`
    },
    commit: (files, message) => {
      for (const [path, text] of Object.entries(files)) {
        if (text === null) repo.git('rm', '-q', path)
        else {
          require_dir(`${repo.dir}/${path}`)
          writeText(`${repo.dir}/${path}`, text)
        }
      }
      repo.git('add', '-A')
      repo.git('commit', '-q', '-m', message)
    },
    close: () => t.remove(),
  }
}

import { mkdirSync, writeFileSync } from 'node:fs'
const require_dir = (file: string) => mkdirSync(file.slice(0, file.lastIndexOf('/')), { recursive: true })
const writeText = (file: string, text: string) => writeFileSync(file, text)

/** The same commands, in order; returns what each sync said. */
async function script(w: World): Promise<string[]> {
  const said: string[] = []
  said.push(await w.sync())
  await w.command(async () => {
    await w.api.updateScale('deployments', 'shop', 'web', 3, { fieldManager: 'kubectl' })
  })
  await w.command((advance) => advance(30_000))
  // Git takes the scale (a scale-down would pick among equally ranked pods at random).
  w.commit({ 'apps/web/deployment.yaml': deployment('web', 'nginx:1.27', 3), 'apps/web/config.yaml': config('web', 'debug'), 'apps/api/deployment.yaml': deployment('api', 'nginx:1.28', 1).replace('  progressDeadlineSeconds: 60', `  progressDeadlineSeconds: 60${recreate}`) }, 'debug web, api 1.28')
  said.push(await w.sync())
  w.commit({ 'apps/web/deployment.yaml': deployment('web', 'gcr.io/google_containers/update-demo:kitty', 3) }, 'web: kitty')
  said.push(await w.sync())
  await w.command((advance) => advance(45_000))
  w.commit({ 'apps/web/deployment.yaml': deployment('web', 'nginx:1.27', 3), 'apps/api/service.yaml': null }, 'revert kitty, drop api service')
  said.push(await w.sync(true))
  await w.command(async () => {
    const pods = (await w.api.list('pods', { namespace: 'shop', labelSelector: 'app=api' })).items
    await w.api.delete('pods', 'shop', pods[0].metadata.name!)
  })
  await w.command((advance) => advance(10_000))
  await w.command((advance) => advance(400_000))
  // A ConfigMap change reaches the running pods that refer to it.
  w.commit({ 'apps/web/config.yaml': config('web', 'warn') }, 'web: warn')
  said.push(await w.sync())
  await w.command((advance) => advance(5_000))
  return said
}

/** Every object of the state, with random names, uids and pod IPs renamed in a canonical order. */
async function snapshot(api: LocalClient): Promise<Record<string, unknown>> {
  const all: KObject[] = []
  for (const k of KINDS) all.push(...(await api.list(k.plural)).items)
  const rename = new Map<string, string>()
  // Pods: by owner, then creation time, then everything but the random parts.
  const pods = all.filter((o) => o.kind === 'Pod')
  const plain = (p: KObject) =>
    JSON.stringify({ ...p, metadata: { ...p.metadata, name: '', uid: '', resourceVersion: '' }, status: { ...(p.status as object), podIP: '', podIPs: [] } }).replace(/containerd:\/\/[0-9a-f]+/g, '')
  pods.sort((a, b) => (a.metadata.generateName ?? '').localeCompare(b.metadata.generateName ?? '') || (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || plain(a).localeCompare(plain(b)))
  pods.forEach((p, i) => {
    rename.set(p.metadata.name!, `${p.metadata.generateName ?? ''}#${i}`)
    const ip = (p.status as { podIP?: string } | undefined)?.podIP
    if (ip) rename.set(ip, `ip#${i}`)
  })
  // Cluster IPs: probed from a hash of the Service's (random) uid.
  for (const svc of all.filter((o) => o.kind === 'Service')) {
    for (const ip of ((svc.spec as { clusterIPs?: string[] }).clusterIPs ?? [])) rename.set(ip, `svcip:${svc.metadata.namespace}/${svc.metadata.name}`)
  }
  const canon = (s: string): string => s.replace(/capstan-incremental-[A-Za-z0-9]+/g, 'capstan-incremental-(dir)').replace(/containerd:\/\/[0-9a-f]+/g, 'containerd://(from the uid)').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+-[a-z0-9]{5}\b|\d+\.\d+\.\d+\.\d+/g, (m) => rename.get(m) ?? m)
  for (const o of all) if (o.metadata.uid) rename.set(o.metadata.uid, `uid:${o.kind}/${o.metadata.namespace ?? ''}/${canon(o.metadata.name!)}`)
  const out: Record<string, unknown> = {}
  // resourceVersion is the global write counter: an incremental start reconciles fewer keys, so
  // independent writes (two Services' Endpoints, two pods' terminations) may interleave in another
  // order. Everything else is compared whole.
  const entries = all.map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${canon(o.metadata.name!)}`, JSON.parse(canon(JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } })))] as const)
  // Events: named from the object and a random suffix, and some name pods gone since: compared as a
  // multiset, with the random parts left out.
  const events: string[] = []
  for (const [key, o] of entries) {
    if (o.kind === 'Endpoints') {
      // Addresses are listed by IP, and pod IPs are random: order them by (canonical) pod name.
      for (const sub of (o.subsets ?? []) as Array<{ addresses?: Array<{ targetRef?: { name?: string } }> }>) {
        sub.addresses?.sort((x, y) => (x.targetRef?.name ?? '').localeCompare(y.targetRef?.name ?? ''))
      }
    }
    if (o.kind !== 'Event') {
      out[key] = o
      continue
    }
    const { name: _n, uid: _u, ...meta } = o.metadata as Record<string, unknown>
    const ref = { ...(o.involvedObject as Record<string, unknown>) }
    delete ref.uid
    delete ref.resourceVersion
    events.push(JSON.stringify({ ...o, metadata: meta, involvedObject: ref }).replace(/([a-z0-9]+(?:-[a-z0-9]+)*)-[a-z0-9]{5}(?![a-z0-9-])/g, '$1-*'))
  }
  out.events = events.sort()
  return out
}

test('the same commands leave the same objects, with incremental starts or full resyncs', async () => {
  const inc = await world(true)
  const full = await world(false)
  try {
    const saidInc = await script(inc)
    const saidFull = await script(full)
    assert.equal(saidInc, saidFull)
    assert.ok(saidInc.some((s) => s.startsWith('Failed')), 'the kitty rollout fails its deadline')
    assert.ok(await loadResumePoint(inc.api.storage), 'a settled run leaves a resume point')
    assert.is(await inc.command(async (_a, m) => m.startedIncrementally), true)
    assert.is(await full.command(async (_a, m) => m.startedIncrementally), false)
    assert.equal(inc.clock.now().toISOString(), full.clock.now().toISOString())
    const a = await snapshot(inc.api)
    const b = await snapshot(full.api)
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) assert.equal(a[key], b[key], key)
  } finally {
    inc.close()
    full.close()
  }
})

test.run()
