/**
 * The checkpoints of the Deployment, ReplicaSet, endpoints, Service and ingress controllers: what a
 * running controller saves is what a fresh one primed from every object saves (restore ≡ prime),
 * it survives JSON and a second save, a restore asks for what prime returned true for, garbage is
 * rejected without throwing, live changes map to the same requests after a restore as after
 * prime, and a manager started from the checkpoints runs on as a running one would.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { CONTROLLERS } from '../../../reconciler/controllers/index.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'
import { manifest } from '../scheduler/cluster.js'
import { primedOldWay, stored } from './primed-old-way.js'
import { asStored } from './seeded-random.js'

const test = suite('checkpoints: deployment, replicaset, endpoints, service, ingress')

/** The controllers under test, by name. */
const NAMES = ['deployment', 'replicaset-controller', 'endpoints', 'service', 'ingress'] as const
type Name = (typeof NAMES)[number]

const NS = 'default'
const FM = { fieldManager: 'capstan', force: true }
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v))

function deployment(name: string, o: { image?: string; replicas?: number; recreate?: boolean; paused?: boolean; history?: number } = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas: o.replicas ?? 1,
      ...(o.recreate ? { strategy: { type: 'Recreate' } } : {}),
      ...(o.paused ? { paused: true } : {}),
      ...(o.history !== undefined ? { revisionHistoryLimit: o.history } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: o.image ?? 'nginx:1.25' }] } },
    },
  }
}

function pod(name: string, labels: Record<string, string>): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels }, spec: { containers: [{ name: 'main', image: 'nginx:1.25' }] } }
}

function service(name: string, spec: Record<string, unknown>): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { ports: [{ port: 80 }], ...spec } }
}

function ingress(name: string, secrets: string[], className?: string): KObject {
  const spec: Record<string, unknown> = { rules: [{ host: `${name}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] }
  if (secrets.length) spec.tls = secrets.map((secretName) => ({ hosts: [`${name}.example.com`], secretName }))
  if (className) spec.ingressClassName = className
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: NS }, spec }
}

const secret = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS }, data: {} })

/** A fresh API server and a manager running every controller; the controllers by name, and the objects each primed. */
async function world(clock = new VirtualClock(new Date('2026-01-01T00:00:00Z')), api?: ApiServer) {
  if (!api) {
    api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
    await api.bootstrap()
  }
  const manager = new ControllerManager({ api, clock })
  const byName = new Map<string, Controller>()
  const primes = new Map<string, number>()
  for (const spec of CONTROLLERS) {
    const c = spec.make(manager.contextFor(spec.component))
    byName.set(c.name, c)
    const prime = c.prime
    manager.add(prime ? { ...c, prime: (o) => (primes.set(c.name, (primes.get(c.name) ?? 0) + 1), prime(o)) } : c)
  }
  return { api, clock, manager, byName, primes }
}

/**
 * A settled cluster with a bit of everything: complete, paused, stuck and Recreate Deployments, a
 * rollout whose old ReplicaSet was deleted, an orphan ReplicaSet and orphan pods, Services of
 * every type (one whose selector changed, one deleted, a LoadBalancer without an address), and
 * Ingresses with present and missing TLS Secrets, of another class, changed and deleted.
 */
async function build() {
  const w = await world()
  const { api, manager } = w
  await manager.start()
  const apply = async (objs: KObject[]): Promise<void> => {
    for (const o of objs) await api.apply(o, FM)
    await manager.settle()
  }
  await apply(manifest('cluster/nodepool.yaml'))
  await apply([
    deployment('web', { replicas: 2, history: 0 }),
    deployment('old', { recreate: true }),
    deployment('stuck', { image: 'gcr.io/google_containers/update-demo:kitty' }),
    deployment('paused', { paused: true }),
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'bare', namespace: NS, labels: { tier: 'bare' } },
      spec: { replicas: 1, selector: { matchLabels: { tier: 'bare' } }, template: { metadata: { labels: { tier: 'bare' } }, spec: { containers: [{ name: 'main', image: 'nginx:1.25' }] } } },
    },
    pod('solo', { app: 'solo' }),
    service('web', { selector: { app: 'web' } }),
    service('web-headless', { clusterIP: 'None', selector: { app: 'web' } }),
    service('np', { type: 'NodePort', selector: { app: 'old' } }),
    service('lb', { type: 'LoadBalancer', selector: { app: 'stuck' } }),
    service('lb-pending', { type: 'LoadBalancer', loadBalancerIP: '203.0.113.5', selector: { app: 'solo' } }),
    service('ext', { type: 'ExternalName', externalName: 'example.com', ports: undefined }),
    service('manual', {}),
    service('gone', { selector: { app: 'gone' } }),
    service('changed', { selector: { app: 'nothing' } }),
    secret('tls'),
    ingress('secure', ['tls', 'missing-tls']),
    ingress('shared', ['tls']),
    ingress('other', ['tls'], 'nginx'),
    ingress('plain', []),
    ingress('dropped', ['dropped-tls']),
    ingress('gone', ['tls']),
  ])
  await manager.advance(60_000)
  // A rollout (its old ReplicaSet deleted: no history kept), a Recreate rollout, and changes and deletions.
  const web = deployment('web', { replicas: 2, history: 0, image: 'nginx:1.26' })
  const old = deployment('old', { recreate: true, image: 'nginx:1.26' })
  await apply([web, old, service('changed', { selector: { tier: 'bare' } }), ingress('dropped', [])])
  await api.delete('services', NS, 'gone')
  await api.delete('ingresses', NS, 'gone')
  await manager.settle()
  await manager.advance(120_000)
  return w
}

/** A fresh instance of a controller, over the same API. */
function fresh(api: ApiServer, clock: VirtualClock, name: Name): Controller {
  const manager = new ControllerManager({ api, clock })
  for (const spec of CONTROLLERS) {
    const c = spec.make(manager.contextFor(spec.component))
    if (c.name === name) return c
  }
  throw new Error(`no controller ${name}`)
}


const byJson = (a: unknown, b: unknown): number => JSON.stringify(a).localeCompare(JSON.stringify(b))

/**
 * The saved data with the order that only says when things were first seen taken out: rows
 * sorted, lists of names and of pairs in a row sorted, and the endpoints controller's sequence
 * numbers (when each Service was first seen) dropped.
 */
function canon(data: unknown, name?: Name): unknown {
  const s = json(data) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  const sorted = (x: unknown): unknown => (!Array.isArray(x) ? x : x.every((y) => typeof y === 'string') ? [...x].sort() : x.every((y) => Array.isArray(y)) ? [...x].sort(byJson) : x)
  for (const [k, v] of Object.entries(s)) {
    if (name === 'endpoints' && k === 'next') continue
    if (!Array.isArray(v)) {
      out[k] = v
      continue
    }
    let rows = v.map((row) => (Array.isArray(row) ? row.map(sorted) : row))
    if (name === 'endpoints' && k === 'services') rows = rows.map(([key, [selector]]) => [key, selector])
    out[k] = rows.sort(byJson)
  }
  return out
}

const keyOf = (r: Request): string => `${r.resource}/${r.namespace ?? ''}/${r.name}`
const keys = (reqs: Request[] | undefined): string[] => (reqs ?? []).map(keyOf).sort()

let built: Awaited<ReturnType<typeof build>> | undefined
/** The cluster built once for the tests that only read it. */
async function shared() {
  built ??= await build()
  return built
}
test.after(async () => {
  await built?.manager.stop()
})

test('the state is varied enough: each checkpoint records what it is about', async () => {
  const { byName } = await shared()
  const save = (n: Name) => json(byName.get(n)!.checkpoint!.save()) as Record<string, Array<unknown[]>>
  const d = save('deployment')
  assert.equal([...d.incomplete].sort(), [`${NS}/paused`, `${NS}/stuck`], 'incomplete Deployments')
  assert.equal(d.deployments.filter((r) => (r[1] as unknown[])[1] === true).map((r) => r[0]), [`${NS}/old`], 'Recreate')
  const owners = new Map<string, number>()
  for (const [, owner] of d.replicaSetOwners as Array<[string, string]>) owners.set(owner, (owners.get(owner) ?? 0) + 1)
  assert.equal([...owners].sort(), [[`${NS}/old`, 2], [`${NS}/stuck`, 1], [`${NS}/web`, 1]], 'web (its old one deleted), old (two), stuck; a paused Deployment makes none')
  assert.equal(d.orphanReplicaSets, [[NS, ['bare']]])
  const rs = save('replicaset-controller')
  const rsNames = (rs.selectors.find(([ns]) => ns === NS)![1] as Array<[string, unknown]>).map(([name]) => name)
  assert.ok(rsNames.includes('bare'), 'a ReplicaSet without a Deployment')
  assert.ok((rs.unsettled as unknown as string[]).some((k) => k.startsWith(`${NS}/stuck-`)), 'an unsettled one')
  assert.not.ok((rs.unsettled as unknown as string[]).includes(`${NS}/bare`), 'a settled one')
  assert.equal(rs.orphanPods, [[NS, ['solo']]])
  const ep = save('endpoints')
  assert.equal(ep.services.map((r) => r[0]).sort(), ['changed', 'lb', 'lb-pending', 'np', 'web', 'web-headless'].map((n) => `${NS}/${n}`))
  assert.equal((ep.services.find((r) => r[0] === `${NS}/changed`)![1] as unknown[])[0], { tier: 'bare' })
  assert.equal((canon(ep, 'endpoints') as { terms: unknown }).terms, [[`${NS}\u0000app=old`, [`${NS}/np`]], [`${NS}\u0000app=solo`, [`${NS}/lb-pending`]], [`${NS}\u0000app=stuck`, [`${NS}/lb`]], [`${NS}\u0000app=web`, [`${NS}/web`, `${NS}/web-headless`]], [`${NS}\u0000tier=bare`, [`${NS}/changed`]]])
  const svc = save('service')
  assert.equal(svc.services.filter((r) => r[6] === true).map((r) => r[1]), ['lb-pending'])
  assert.equal(svc.pendingLoadBalancers, [`${NS}/lb-pending`])
  assert.ok(svc.services.some((r) => r[1] === 'lb' && (r[5] as string[]).length === 1), 'a load-balancer address held')
  assert.ok(svc.services.some((r) => r[1] === 'np' && (r[4] as number[]).length === 1), 'a node port held')
  assert.not.ok(svc.services.some((r) => r[1] === 'gone'))
  const ing = save('ingress')
  assert.equal(canon(ing), { format: 1, secrets: [[`${NS}/missing-tls`, [`${NS}/secure`]], [`${NS}/tls`, [`${NS}/secure`, `${NS}/shared`]]] })
})

for (const name of NAMES) {
  test(`${name}: restore ≡ prime, a round trip keeps the data, and restore asks for what prime did`, async () => {
    const { api, clock, byName } = await shared()
    const saved = json(byName.get(name)!.checkpoint!.save())
    const primed = fresh(api, clock, name)
    const wanted = await primedOldWay(api, primed)
    assert.equal(canon(primed.checkpoint!.save(), name), canon(saved, name), 'prime over every object ≡ the running memory')
    const restored = fresh(api, clock, name)
    restored.resumed?.()
    const reqs = restored.checkpoint!.restore(json(saved))
    assert.ok(reqs, 'restored')
    assert.equal(keys(reqs), keys(wanted), 'the start requests')
    assert.equal(json(restored.checkpoint!.save()), saved, 'round trip, order and all')
  })
}

/** Data each restore must refuse, made from a good checkpoint: a wrong outline (records are checked when first read, below). */
const GARBAGE: Record<Name, (s: Record<string, unknown>) => unknown[]> = {
  deployment: (s) => [
    { ...s, deployments: 'x' },
    { ...s, deployments: [3] },
    { ...s, incomplete: undefined },
    { ...s, incomplete: [1] },
    { ...s, incomplete: ['no-slash'] },
    { ...s, replicaSetOwners: {} },
    { ...s, replicaSetOwners: ['uid'] },
    { ...s, orphanReplicaSets: 'x' },
    { ...s, orphanReplicaSets: [null] },
  ],
  'replicaset-controller': (s) => [
    { ...s, selectors: {} },
    { ...s, selectors: [7] },
    { ...s, unsettled: [`${NS}/x`, 1] },
    { ...s, unsettled: ['x'] },
    { ...s, orphanPods: [NS] },
    { ...s, orphanPods: undefined },
  ],
  endpoints: (s) => [
    { ...s, services: {} },
    { ...s, services: [3] },
    { ...s, next: 'first' },
    { ...s, services: [{}] },
    { ...s, terms: undefined },
    { ...s, terms: ['x'] },
  ],
  service: (s) => [
    { ...s, services: {} },
    { ...s, pendingLoadBalancers: undefined },
    { ...s, pendingLoadBalancers: ['no-slash'] },
    { ...s, reported: 'x' },
    { ...s, reported: [5] },
  ],
  ingress: (s) => [
    { ...s, secrets: [[`${NS}/tls`, []]] },
    { ...s, secrets: [[`${NS}/tls`, ['no-slash']]] },
    { ...s, secrets: [['tls', [`${NS}/a`]]] },
    { ...s, secrets: [[`${NS}/tls`, [`${NS}/a`]], [`${NS}/tls`, [`${NS}/b`]]] },
    { ...s, secrets: [[`${NS}/tls`, [`${NS}/a`, `${NS}/a`]]] },
  ],
}

for (const name of NAMES) {
  test(`${name}: restore rejects garbage without throwing, and leaves the memory as it was`, async () => {
    const { api, clock, byName } = await shared()
    const saved = json(byName.get(name)!.checkpoint!.save()) as Record<string, unknown>
    const c = fresh(api, clock, name)
    const empty = json(c.checkpoint!.save())
    const format = saved.format as number
    const bad: unknown[] = [undefined, null, 42, 'x', [], {}, { ...saved, format: format - 1 }, { format }, ...GARBAGE[name](saved)]
    for (const d of bad) assert.is(c.checkpoint!.restore(d), undefined, JSON.stringify(d) ?? 'undefined')
    assert.equal(json(c.checkpoint!.save()), empty, 'nothing restored')
    assert.not.ok(c.checkpoint!.damaged?.(), 'not damaged')
    assert.ok(c.checkpoint!.restore(json(saved)), 'the good data still restores')
  })
}

/** The watch of `resource` of a controller. */
function mapOf(c: Controller, resource: string) {
  const w = c.watches!.find((x) => x.resource === resource)!
  return (obj: KObject, old: KObject | undefined, type: 'ADDED' | 'MODIFIED' | 'DELETED'): string[] => w.map!(obj, old, type).map(keyOf)
}

const withMeta = (o: KObject, metadata: Partial<KObject['metadata']>): KObject => ({ ...o, metadata: { ...o.metadata, ...metadata } })

test('after restore, live changes map to the same requests as after prime, and the memories stay equal', async () => {
  const { api, clock, byName } = await shared()
  const pair = async (name: Name): Promise<[Controller, Controller]> => {
    const primed = fresh(api, clock, name)
    await primedOldWay(api, primed)
    const restored = fresh(api, clock, name)
    restored.checkpoint!.restore(json(byName.get(name)!.checkpoint!.save()))
    return [restored, primed]
  }
  const pods = (await api.list('pods')).items
  const rss = (await api.list('replicasets')).items
  const oldPod = pods.find((p) => p.metadata.labels?.app === 'old')!
  const webPod = pods.find((p) => p.metadata.labels?.app === 'web')!
  const bare = rss.find((r) => r.metadata.name === 'bare')!
  const stuckRS = rss.find((r) => r.metadata.name?.startsWith('stuck-'))!
  const solo = pods.find((p) => p.metadata.name === 'solo')!
  const endpoints = (await api.list('endpoints')).items.find((e) => e.metadata.name === 'web')!
  const tls = await api.get('secrets', NS, 'tls')
  const svcWeb = await api.get('services', NS, 'web')

  const cases: Record<Name, Array<[string, (c: Controller) => unknown]>> = {
    deployment: [
      ['a Recreate Deployment\'s pod deleted', (c) => mapOf(c, 'pods')(oldPod, oldPod, 'DELETED')],
      ['a RollingUpdate Deployment\'s pod deleted', (c) => mapOf(c, 'pods')(webPod, webPod, 'DELETED')],
      ['an orphan ReplicaSet relabelled to match web', (c) => mapOf(c, 'replicasets')(withMeta(bare, { labels: { app: 'web' }, resourceVersion: '999999' }), bare, 'MODIFIED')],
      ['a new orphan ReplicaSet', (c) => mapOf(c, 'replicasets')(withMeta(bare, { name: 'new', uid: 'u-new', labels: { app: 'stuck' } }), undefined, 'ADDED')],
      ['a controlled ReplicaSet released', (c) => mapOf(c, 'replicasets')(withMeta(stuckRS, { ownerReferences: [], resourceVersion: '999998' }), stuckRS, 'MODIFIED')],
      ['a controlled ReplicaSet deleted', (c) => mapOf(c, 'replicasets')(stuckRS, stuckRS, 'DELETED')],
      ['and then its pod', (c) => mapOf(c, 'pods')(oldPod, oldPod, 'DELETED')],
    ],
    'replicaset-controller': [
      ['an orphan pod relabelled to match bare', (c) => mapOf(c, 'pods')(withMeta(solo, { labels: { tier: 'bare' } }), solo, 'MODIFIED')],
      ['a new orphan pod matching web\'s ReplicaSet', (c) => mapOf(c, 'pods')(withMeta(webPod, { name: 'new', ownerReferences: [] }), undefined, 'ADDED')],
      ['a controlled pod deleted', (c) => mapOf(c, 'pods')(webPod, webPod, 'DELETED')],
    ],
    endpoints: [
      ['a pod of web changed', (c) => mapOf(c, 'pods')(withMeta(webPod, { labels: { app: 'web', x: 'y' } }), webPod, 'MODIFIED')],
      ['a pod moved from solo to bare', (c) => mapOf(c, 'pods')(withMeta(solo, { labels: { tier: 'bare' } }), solo, 'MODIFIED')],
      ['a pod of nothing', (c) => mapOf(c, 'pods')(pod('x', { app: 'gone' }), undefined, 'ADDED')],
      ['Endpoints changed before the first reconcile', (c) => mapOf(c, 'endpoints')(endpoints, endpoints, 'MODIFIED')],
      ['Endpoints deleted', (c) => mapOf(c, 'endpoints')(endpoints, endpoints, 'DELETED')],
    ],
    service: [
      ['a Service changed', (c) => mapOf(c, 'services')(withMeta(svcWeb, { resourceVersion: '999999' }), svcWeb, 'MODIFIED')],
      ['a Service deleted', (c) => mapOf(c, 'services')(svcWeb, svcWeb, 'DELETED')],
    ],
    ingress: [
      ['the shared Secret changed', (c) => mapOf(c, 'secrets')(tls, tls, 'MODIFIED')],
      ['a missing Secret created', (c) => mapOf(c, 'secrets')(secret('missing-tls'), undefined, 'ADDED')],
      ['a Secret no Ingress of capstan names', (c) => mapOf(c, 'secrets')(secret('dropped-tls'), undefined, 'ADDED')],
    ],
  }
  for (const name of NAMES) {
    const [restored, primed] = await pair(name)
    // The same requests; their order says when the Services were first seen, which prime (in list order) cannot know.
    for (const [what, act] of cases[name]) assert.equal((act(restored) as string[]).sort(), (act(primed) as string[]).sort(), `${name}: ${what}`)
    assert.equal(canon(restored.checkpoint!.save(), name), canon(primed.checkpoint!.save(), name), `${name}: the memories stay equal`)
  }
})

type Saved = Record<string, Array<[unknown, unknown]>>
/** The saved data with the second part of the pair whose first is `key` in part `part` replaced. */
const withPair = (saved: Saved, part: string, key: unknown, value: unknown): Saved => ({ ...saved, [part]: saved[part].map(([k, v]) => [k, k === key ? value : v]) })
/** The saved data as the store hands it back: the Deployment and endpoints controllers' PagedMaps as pages, each read when first used. */
const paged = (saved: Saved): Saved => asStored(saved, ['deployments', 'replicaSetOwners', 'services', 'terms'].filter((f) => f in saved)) as Saved

/**
 * A restore reads the outline only; each record is checked when the controller first reads it. A
 * malformed one is treated as absent and the memory reported damaged (the manager then saves no
 * checkpoint and the next start resyncs); records nobody reads stay unread.
 */
test('a malformed record is found when first read: treated as absent, and the memory damaged', async () => {
  const { api, clock, byName } = await shared()
  const pods = (await api.list('pods')).items
  const rss = (await api.list('replicasets')).items
  const oldPod = pods.find((p) => p.metadata.labels?.app === 'old')!
  const webPod = pods.find((p) => p.metadata.labels?.app === 'web')!
  const solo = pods.find((p) => p.metadata.name === 'solo')!
  const bare = rss.find((r) => r.metadata.name === 'bare')!
  const oldRSUid = oldPod.metadata.ownerReferences![0].uid
  const svcWeb = await api.get('services', NS, 'web')
  const webKey = `${NS}/web`
  const newRS = withMeta(bare, { name: 'new', uid: 'u-new', labels: { app: 'web' } })
  const cases: Record<Name, Array<[string, (s: Saved) => Saved, (c: Controller) => unknown, unknown]>> = {
    deployment: [
      ['a record that is not one', (s) => paged(withPair(s, 'deployments', `${NS}/old`, [null, 'yes'])), (c) => mapOf(c, 'pods')(oldPod, oldPod, 'DELETED'), []],
      ['a selector that does not parse', (s) => paged(withPair(s, 'deployments', webKey, [{ matchExpressions: [{ key: 'app', operator: 'Nope' }] }, false])), (c) => mapOf(c, 'replicasets')(newRS, undefined, 'ADDED'), []],
      ['an owner that is not a key', (s) => paged(withPair(s, 'replicaSetOwners', oldRSUid, 7)), (c) => mapOf(c, 'pods')(oldPod, oldPod, 'DELETED'), []],
      ['an empty list of orphans', (s) => withPair(s, 'orphanReplicaSets', NS, []), (c) => mapOf(c, 'replicasets')(bare, bare, 'MODIFIED'), []],
    ],
    'replicaset-controller': [
      ['a namespace that is not a list', (s) => withPair(s, 'selectors', NS, 'x'), (c) => mapOf(c, 'pods')(withMeta(solo, { labels: { tier: 'bare' } }), solo, 'MODIFIED'), []],
      [
        'a selector that is not one',
        (s) => withPair(s, 'selectors', NS, (s.selectors.find(([ns]) => ns === NS)![1] as Array<[string, unknown]>).map(([n, spec]) => [n, n === 'bare' ? { matchLabels: { tier: 1 } } : spec])),
        (c) => mapOf(c, 'pods')(withMeta(solo, { labels: { tier: 'bare' } }), solo, 'MODIFIED'),
        [],
      ],
      ['a name in the orphans that is not one', (s) => withPair(s, 'orphanPods', NS, [1]), (c) => mapOf(c, 'pods')(webPod, webPod, 'MODIFIED'), [`replicasets/${NS}/${webPod.metadata.ownerReferences![0].name}`]],
    ],
    endpoints: [
      ['a record that is not one', (s) => paged(withPair(s, 'services', webKey, [{ app: 'web' }, 'x'])), (c) => mapOf(c, 'pods')(webPod, webPod, 'MODIFIED'), [`services/${NS}/web-headless`]],
      ['a term whose list is not one', (s) => paged(withPair(s, 'terms', `${NS}\u0000app=web`, [5])), (c) => mapOf(c, 'pods')(webPod, webPod, 'MODIFIED'), []],
      ['a Service not indexed under its term', (s) => paged(withPair(s, 'terms', `${NS}\u0000app=web`, [`${NS}/web-headless`])), (c) => c.prime!(svcWeb), undefined],
    ],
    service: [
      ['a Service that is not one', (s) => ({ ...s, services: s.services.map((row) => ((row as unknown[])[1] === 'lb' ? [NS, 'lb', -1, [], [], [], false] : row)) }) as Saved, (c) => mapOf(c, 'services')(svcWeb, svcWeb, 'MODIFIED'), []],
      ['pending LoadBalancers that are not the Services\' ones', (s) => ({ ...s, pendingLoadBalancers: [] }) as unknown as Saved, (c) => mapOf(c, 'services')(svcWeb, svcWeb, 'MODIFIED'), []],
      ['a report that is not text', (s) => ({ ...s, reported: [[webKey, 5]] }), (c) => c.reconcile({ resource: 'services', namespace: NS, name: 'web' }), {}],
    ],
    ingress: [],
  }
  for (const name of NAMES) {
    const saved = json(byName.get(name)!.checkpoint!.save()) as Saved
    for (const [what, corrupt, read, want] of cases[name]) {
      const c = fresh(api, clock, name)
      c.resumed?.()
      assert.ok(c.checkpoint!.restore(json(corrupt(saved))), `${name}, ${what}: restored`)
      assert.not.ok(c.checkpoint!.damaged!(), `${name}, ${what}: not read yet`)
      assert.equal(await read(c), want, `${name}, ${what}: treated as absent`)
      assert.ok(c.checkpoint!.damaged!(), `${name}, ${what}: damaged once read`)
    }
  }
})

test('a damaged memory leaves the run degraded, and no checkpoint is saved for it', async () => {
  const first = await build()
  const memories = new Map([...first.manager.checkpoints().changed].map(([n, { data }]) => [n, json(data) as Saved]))
  await first.manager.stop()
  const { api, clock } = first
  const pods = (await api.list('pods')).items
  const oldPod = pods.find((p) => p.metadata.labels?.app === 'old')!
  const broken: Record<string, (s: Saved) => Saved> = {
    deployment: (s) => paged(withPair(s, 'deployments', `${NS}/old`, [null, 'yes'])),
    'replicaset-controller': (s) => withPair(s, 'selectors', NS, 'x'),
    endpoints: (s) => paged(withPair(s, 'services', `${NS}/web`, [{ app: 'web' }, 'x'])),
    service: (s) => ({ ...s, services: s.services.map((row) => ((row as unknown[])[1] === 'lb' ? [NS, 'lb', -1, [], [], [], false] : row)) }) as Saved,
  }
  for (const [name, corrupt] of Object.entries(broken)) memories.set(name, json(corrupt(memories.get(name)!)) as Saved)
  const next = await world(clock, api)
  await next.manager.start({ changes: () => new Map(), delayed: [], memories: { byController: stored(memories), revision: await api.storage.revision() } })
  try {
    assert.not.ok(next.manager.degraded, 'nothing read yet')
    // Each change makes its controller read the broken record: a Recreate pod deleted, an orphan
    // pod (the ReplicaSets' selectors), a pod of web (its Services), a Service (the allocations).
    await api.delete('pods', NS, oldPod.metadata.name!)
    await api.create(pod('orphan', { app: 'web' }), { fieldManager: 't' })
    await api.create(service('new', { selector: { app: 'new' } }), { fieldManager: 't' })
    await next.manager.settle()
    for (const name of Object.keys(broken)) assert.ok(next.byName.get(name)!.checkpoint!.damaged!(), `${name}: damaged`)
    assert.ok(next.manager.degraded, 'degraded once the records are read')
    const { changed, unchanged } = next.manager.checkpoints()
    for (const name of Object.keys(broken)) assert.not.ok(changed.has(name) || unchanged.includes(name), `${name}: no checkpoint saved`)
    assert.ok(changed.has('ingress') || unchanged.includes('ingress'), 'an undamaged memory is still saved')
  } finally {
    await next.manager.stop()
  }
})

test('every controller with start requests: they are what a restore of its saved memory asks for (so the restore can wait)', async () => {
  const w = await build()
  const key = (r: Request) => `${r.resource}/${r.namespace ?? ''}/${r.name}`
  const checked: string[] = []
  for (const [name, c] of w.byName) {
    const cp = c.checkpoint
    if (!cp?.startRequests) continue
    const data = json(cp.save())
    const manager = new ControllerManager({ api: w.api, clock: w.clock })
    const other = CONTROLLERS.map((spec) => spec.make(manager.contextFor(spec.component))).find((x) => x.name === name)!
    other.resumed?.()
    const restored = other.checkpoint!.restore(data)
    assert.ok(restored, `${name}: restores`)
    assert.equal(cp.startRequests().map(key).sort(), restored.map(key).sort(), name)
    checked.push(name)
  }
  assert.equal(checked.sort(), ['default-scheduler', 'deployment', 'endpoints', 'garbage-collector', 'ingress', 'kubelet', 'pod-garbage-collector', 'replicaset-controller', 'service', 'taint-eviction-controller'])
  await w.manager.stop()
})

/**
 * A second manager over the same state, started from the first one's checkpoints (the others
 * primed), runs the same changes as a primed start would: the start asks for what prime does,
 * live changes are followed, and the memory ends as a fresh priming gives it — which a further
 * save and restore keeps.
 */
for (const mode of ['restored', 'primed'] as const) {
  test(`a ${mode} start follows changes as a running manager would`, async () => {
    const first = await build()
    const memories = new Map([...first.manager.checkpoints().changed].filter(([n]) => (NAMES as readonly string[]).includes(n)).map(([n, { data }]) => [n, json(data)]))
    assert.equal([...memories.keys()].sort(), [...NAMES].sort())
    const delayed = first.manager.resumableWork()
    await first.manager.stop()
    const { api, clock } = first
    const next = await world(clock, api)
    const revision = await api.storage.revision()
    await next.manager.start({ changes: () => new Map(), delayed, ...(mode === 'restored' ? { memories: { byController: stored(memories), revision } } : {}) })
    try {
      for (const name of NAMES) assert.is(next.primes.has(name), mode === 'primed', `${name}: primed only without a checkpoint`)
      const queued = next.manager
        .pending()
        .queued.filter((q) => (NAMES as readonly string[]).includes(q.controller))
        .map((q) => `${q.controller} ${q.key}`)
        .sort()
      assert.ok(queued.includes('service services/default/lb-pending'), 'the LoadBalancer without an address')
      assert.ok(queued.some((q) => q.startsWith('deployment deployments/default/stuck')), 'the stuck Deployment')
      assert.ok(queued.some((q) => q.startsWith('replicaset-controller replicasets/default/stuck-')), 'its ReplicaSet')
      assert.not.ok(queued.some((q) => q.includes('/web')), 'nothing complete')
      await next.manager.settle()

      const missingLine = async (): Promise<string | undefined> =>
        (await api.get('ingresses', NS, 'secure')).metadata.annotations?.['capstan.dev/tls-problems']?.split('\n').find((l) => l.startsWith('missing-tls:'))
      const before = await missingLine()
      assert.ok(before, 'a missing Secret is a problem')
      await api.create(secret('missing-tls'), { fieldManager: 't' })
      await api.create(pod('extra', { app: 'web' }), { fieldManager: 't' })
      await api.create(pod('adoptee', { tier: 'bare' }), { fieldManager: 't' })
      const oldPod = (await api.list('pods', { namespace: NS, labelSelector: 'app=old' })).items[0]
      await api.delete('pods', NS, oldPod.metadata.name!)
      await api.apply(deployment('paused', { replicas: 2 }), FM)
      await next.manager.settle()
      await next.manager.advance(120_000)

      assert.is.not(await missingLine(), before, 'the Secret created: the Ingress re-checked')
      const ep = await api.get('endpoints', NS, 'web')
      const addresses = ((ep.subsets ?? []) as Array<{ addresses?: unknown[] }>).flatMap((s) => s.addresses ?? [])
      assert.is(addresses.length, 3, 'the new pod of web in its Endpoints')
      const bareOwned = (await api.list('pods', { namespace: NS, labelSelector: 'tier=bare' })).items.filter((p) => !p.metadata.deletionTimestamp)
      assert.is(bareOwned.length, 1, 'the orphan adopted and the extra pod deleted')
      assert.is((await api.list('pods', { namespace: NS, labelSelector: 'app=old' })).items.filter((p) => !p.metadata.deletionTimestamp).length, 1, 'the Recreate pod replaced')
      const paused = (await api.get('deployments', NS, 'paused')).status as { availableReplicas?: number }
      assert.is(paused.availableReplicas, 2, 'the resumed Deployment rolled out')

      for (const name of NAMES) {
        const running = json(next.byName.get(name)!.checkpoint!.save())
        const primed = fresh(api, clock, name)
        await primedOldWay(api, primed)
        assert.equal(canon(running, name), canon(primed.checkpoint!.save(), name), `${name}: the memory after the changes ≡ prime`)
        const again = fresh(api, clock, name)
        again.checkpoint!.restore(json(running))
        assert.equal(json(again.checkpoint!.save()), running, `${name}: and it survives another save and restore`)
      }
    } finally {
      await next.manager.stop()
    }
  })
}

test.run()
