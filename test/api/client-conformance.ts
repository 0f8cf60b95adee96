/**
 * One suite for every ApiClient implementation (in process over memory or sqlite now; over HTTP
 * later): Kubernetes' object semantics as a client sees them.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { ApiClient, WatchEvent } from '../../reconciler/api/client.js'
import { ApiError } from '../../reconciler/api/errors.js'
import type { KObject } from '../../reconciler/api/object.js'

// Deep reads of JSON objects in assertions: the assertions themselves check the shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any

export interface ClientFixture {
  client: ApiClient
  cleanup(): Promise<void>
}

/** A Deployment as a user writes it. */
export function deployment(name: string, o: { replicas?: number; image?: string; labels?: Record<string, string>; ns?: string } = {}): KObject {
  const labels = { app: name }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: o.ns, labels: o.labels ?? labels },
    spec: {
      replicas: o.replicas ?? 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: o.image ?? 'nginx:1.25' }] } },
    },
  }
}

export function configMap(name: string, data: Record<string, string> = { a: '1' }, labels?: Record<string, string>): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data }
}

async function reason(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (err) {
    if (err instanceof ApiError) return err
    throw err
  }
  throw new Error('expected an ApiError')
}

/** Runs the conformance suite against clients made by `make` (a fresh, empty state each time). */
export function runApiClientSuite(name: string, make: () => Promise<ClientFixture>): void {
  const test = suite(`ApiClient conformance: ${name}`)
  let fx: ClientFixture
  let c: ApiClient
  test.before.each(async () => {
    fx = await make()
    c = fx.client
  })
  test.after.each(async () => {
    await fx.cleanup()
  })

  test('create sets identity, resourceVersion, generation and Kubernetes defaults', async () => {
    const d = await c.create(deployment('web'), { fieldManager: 'test' })
    assert.ok(d.metadata.uid && /^[0-9a-f-]{36}$/.test(d.metadata.uid))
    assert.ok(Number(d.metadata.resourceVersion) > 0)
    assert.is(d.metadata.generation, 1)
    assert.match(String(d.metadata.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const spec = d.spec as J
    assert.equal(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } })
    assert.is(spec.revisionHistoryLimit, 10)
    assert.is(spec.progressDeadlineSeconds, 600)
    assert.is(spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent')
    assert.is(spec.template.spec.restartPolicy, 'Always')
    assert.is(d.status, undefined)
    const got = await c.get('deployments', 'default', 'web')
    assert.equal(got, d)
    const svc = await c.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } })
    assert.is((svc.spec as J).type, 'ClusterIP')
    assert.equal((svc.spec as J).ports[0], { port: 80, protocol: 'TCP', targetPort: 80 })
  })

  test('create: AlreadyExists, missing namespace, invalid objects and unknown fields', async () => {
    await c.create(configMap('cm'))
    const dup = await reason(c.create(configMap('cm')))
    assert.is(dup.reason, 'AlreadyExists')
    assert.is(dup.code, 409)
    const noNs = await reason(c.create({ ...configMap('cm2'), metadata: { name: 'cm2', namespace: 'nope' } }))
    assert.is(noNs.reason, 'NotFound')
    assert.is(noNs.message, 'namespaces "nope" not found')
    const bad = deployment('Bad_Name')
    const inv = await reason(c.create(bad))
    assert.is(inv.reason, 'Invalid')
    assert.is(inv.code, 422)
    assert.ok(inv.statusDetails.causes?.some((x) => x.field === 'metadata.name'))
    const typo = deployment('typo') as J
    typo.spec.replica = 3
    typo.spec.template.spec.containers[0].imagee = 'x'
    const unk = await reason(c.create(typo))
    assert.is(unk.reason, 'BadRequest')
    assert.equal(unk.statusDetails.causes?.map((x) => x.field).sort(), ['spec.replica', 'spec.template.spec.containers[0].imagee'])
    const surge = deployment('surge') as J
    surge.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }
    const zero = await reason(c.create(surge))
    assert.is(zero.reason, 'Invalid')
    assert.ok(zero.statusDetails.causes?.some((x) => x.field === 'spec.strategy.rollingUpdate.maxUnavailable'))
    await reason(c.get('deployments', 'default', 'typo')).then((e) => assert.is(e.reason, 'NotFound'))
  })

  test('get: NotFound names the resource as kube-apiserver does', async () => {
    const e = await reason(c.get('deployments', 'default', 'nope'))
    assert.is(e.code, 404)
    assert.is(e.message, 'deployments.apps "nope" not found')
  })

  test('update: optimistic concurrency and generation on spec changes only', async () => {
    const d = await c.create(deployment('web'))
    const labelled = structuredClone(d)
    labelled.metadata.labels = { app: 'web', tier: 'front' }
    const u1 = await c.update(labelled)
    assert.is(u1.metadata.generation, 1)
    assert.ok(Number(u1.metadata.resourceVersion) > Number(d.metadata.resourceVersion))
    const stale = structuredClone(d)
    ;(stale.spec as J).replicas = 5
    const e = await reason(c.update(stale))
    assert.is(e.reason, 'Conflict')
    const fresh = structuredClone(u1)
    ;(fresh.spec as J).replicas = 5
    const u2 = await c.update(fresh)
    assert.is(u2.metadata.generation, 2)
    // The main resource ignores status; the status subresource ignores everything else.
    const withStatus = structuredClone(u2)
    withStatus.status = { replicas: 5 }
    ;(withStatus.spec as J).replicas = 7
    const u3 = await c.updateStatus(withStatus)
    assert.equal(u3.status, { replicas: 5 })
    assert.is((u3.spec as J).replicas, 5)
    assert.is(u3.metadata.generation, 2)
    const u4 = await c.update({ ...structuredClone(u3), status: { replicas: 99 } })
    assert.equal(u4.status, { replicas: 5 })
    // A write that changes nothing keeps the resourceVersion.
    const same = await c.update(structuredClone(u4))
    assert.is(same.metadata.resourceVersion, u4.metadata.resourceVersion)
  })

  test('list: label and field selectors, namespaces, paging', async () => {
    await c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } })
    for (let i = 0; i < 5; i++) await c.create(configMap(`cm-${i}`, { i: String(i) }, { app: i % 2 ? 'odd' : 'even', n: String(i) }))
    await c.create({ ...configMap('far', {}, { app: 'odd' }), metadata: { name: 'far', namespace: 'other', labels: { app: 'odd' } } })
    const names = (l: { items: KObject[] }): string[] => l.items.map((o) => o.metadata.name!)
    assert.equal(names(await c.list('configmaps', { namespace: 'default', labelSelector: 'app=odd' })), ['cm-1', 'cm-3'])
    assert.equal(names(await c.list('configmaps', { labelSelector: 'app=odd' })), ['cm-1', 'cm-3', 'far'])
    assert.equal(names(await c.list('configmaps', { namespace: 'default', labelSelector: 'app!=odd,n' })), ['cm-0', 'cm-2', 'cm-4'])
    assert.equal(names(await c.list('configmaps', { namespace: 'default', labelSelector: 'n in (1,4)' })), ['cm-1', 'cm-4'])
    assert.equal(names(await c.list('configmaps', { namespace: 'default', labelSelector: 'n notin (1,4),app' })), ['cm-0', 'cm-2', 'cm-3'])
    assert.equal(names(await c.list('configmaps', { namespace: 'default', labelSelector: '!n' })), [])
    assert.equal(names(await c.list('configmaps', { fieldSelector: 'metadata.name=far' })), ['far'])
    assert.equal(names(await c.list('configmaps', { fieldSelector: 'metadata.namespace!=default' })), ['far'])
    const bad = await reason(c.list('configmaps', { labelSelector: 'a in (' }))
    assert.is(bad.reason, 'BadRequest')
    const badField = await reason(c.list('configmaps', { fieldSelector: 'spec.x=1' }))
    assert.is(badField.code, 400)
    const l = await c.list('configmaps', { namespace: 'default', limit: 2 })
    assert.equal(names(l), ['cm-0', 'cm-1'])
    assert.ok(l.metadata.continue)
    assert.is(l.metadata.remainingItemCount, 3)
    const l2 = await c.list('configmaps', { namespace: 'default', limit: 2, continue: l.metadata.continue })
    assert.equal(names(l2), ['cm-2', 'cm-3'])
    const l3 = await c.list('configmaps', { namespace: 'default', limit: 2, continue: l2.metadata.continue })
    assert.equal(names(l3), ['cm-4'])
    assert.is(l3.metadata.continue, undefined)
    const sel = await c.list('configmaps', { namespace: 'default', limit: 2, labelSelector: 'app=even' })
    assert.equal(names(sel), ['cm-0', 'cm-2'])
    const nss = await c.list('namespaces')
    assert.equal(names(nss), ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'other'])
  })

  test('delete: gone at once, or held by finalizers until they are removed', async () => {
    await c.create(configMap('a'))
    const gone = await c.delete('configmaps', 'default', 'a')
    assert.is(gone.metadata.name, 'a')
    assert.is((await reason(c.get('configmaps', 'default', 'a'))).reason, 'NotFound')
    await c.create({ ...configMap('b'), metadata: { name: 'b', finalizers: ['example.com/hold'] } })
    const marked = await c.delete('configmaps', 'default', 'b')
    assert.ok(marked.metadata.deletionTimestamp)
    const held = await c.get('configmaps', 'default', 'b')
    assert.ok(held.metadata.deletionTimestamp)
    await c.update({ ...structuredClone(held), metadata: { ...structuredClone(held.metadata), finalizers: [] } })
    assert.is((await reason(c.get('configmaps', 'default', 'b'))).reason, 'NotFound')
    await c.create(configMap('c'))
    const orphaned = await c.delete('configmaps', 'default', 'c', { propagationPolicy: 'Orphan' })
    assert.equal(orphaned.metadata.finalizers, ['orphan'])
    const pre = await reason(c.delete('configmaps', 'default', 'c', { preconditions: { uid: 'nope' } }))
    assert.is(pre.reason, 'Conflict')
  })

  test('watch: ordered events from a resourceVersion, initial events, selector transitions', async () => {
    const first = await c.create(configMap('w1', {}, { app: 'x' }))
    const events: WatchEvent[] = []
    const w = await c.watch('configmaps', { namespace: 'default', resourceVersion: first.metadata.resourceVersion }, (e) => events.push(e))
    const sel: WatchEvent[] = []
    const ws = await c.watch('configmaps', { namespace: 'default', labelSelector: 'app=x', resourceVersion: '0' }, (e) => sel.push(e))
    const u = await c.get('configmaps', 'default', 'w1')
    await c.update({ ...structuredClone(u), data: { b: '2' } })
    await c.create(configMap('w2', {}, { app: 'y' }))
    const u2 = await c.get('configmaps', 'default', 'w1')
    await c.update({ ...structuredClone(u2), metadata: { ...structuredClone(u2.metadata), labels: { app: 'z' } } })
    await c.delete('configmaps', 'default', 'w2')
    await new Promise((r) => setTimeout(r, 50))
    w.stop()
    ws.stop()
    assert.equal(events.map((e) => `${e.type} ${(e.object as KObject).metadata.name}`), ['MODIFIED w1', 'ADDED w2', 'MODIFIED w1', 'DELETED w2'])
    assert.equal(sel.map((e) => `${e.type} ${(e.object as KObject).metadata.name}`), ['ADDED w1', 'MODIFIED w1', 'DELETED w1'])
    const rvs = events.map((e) => Number((e.object as KObject).metadata.resourceVersion))
    assert.equal(rvs, [...rvs].sort((a, b) => a - b))
  })

  test('patch: JSON patch and merge patch', async () => {
    await c.create(configMap('p', { a: '1', b: '2' }))
    const m = await c.patch('configmaps', 'default', 'p', 'merge', { data: { a: null, c: '3' } })
    assert.equal(m.data, { b: '2', c: '3' })
    const j = await c.patch('configmaps', 'default', 'p', 'json', [{ op: 'replace', path: '/data/b', value: 'x' }])
    assert.equal(j.data, { b: 'x', c: '3' })
    const failed = await reason(c.patch('configmaps', 'default', 'p', 'json', [{ op: 'test', path: '/data/b', value: 'nope' }]))
    assert.is(failed.code, 422)
  })

  test('server-side apply: create, no-op, conflicts, force, removal of fields no longer applied', async () => {
    const cfg = deployment('ssa', { replicas: 3 })
    cfg.metadata.annotations = { team: 'a' }
    const a = await c.apply(cfg, { fieldManager: 'capstan' })
    assert.is((a.spec as J).replicas, 3)
    assert.ok(a.metadata.managedFields?.some((m) => m.manager === 'capstan' && m.operation === 'Apply'))
    const again = await c.apply(cfg, { fieldManager: 'capstan' })
    assert.is(again.metadata.resourceVersion, a.metadata.resourceVersion)
    // Another manager takes spec.replicas (as `kubectl scale` does).
    await c.updateScale('deployments', 'default', 'ssa', 5, { fieldManager: 'kubectl-scale' })
    const conflict = await reason(c.apply(cfg, { fieldManager: 'capstan' }))
    assert.is(conflict.reason, 'Conflict')
    assert.ok(conflict.statusDetails.causes?.some((x) => x.field === '.spec.replicas'))
    const forced = await c.apply(cfg, { fieldManager: 'capstan', force: true })
    assert.is((forced.spec as J).replicas, 3)
    // Dropping a field from the configuration removes it when nobody else owns it.
    const fewer = structuredClone(cfg)
    delete fewer.metadata.annotations
    const removed = await c.apply(fewer, { fieldManager: 'capstan' })
    assert.is(removed.metadata.annotations, undefined)
    // Defaults stay: nobody applied them, nobody removes them.
    assert.is((removed.spec as J).revisionHistoryLimit, 10)
    const dry = await c.apply(deployment('ssa', { replicas: 9 }), { fieldManager: 'capstan', dryRun: true })
    assert.is((dry.spec as J).replicas, 9)
    assert.is(((await c.get('deployments', 'default', 'ssa')).spec as J).replicas, 3)
  })

  test('scale subresource', async () => {
    await c.create(deployment('s', { replicas: 2 }))
    const s = await c.getScale('deployments', 'default', 's')
    assert.is(s.kind, 'Scale')
    assert.is(s.spec.replicas, 2)
    assert.is(s.status.selector, 'app=s')
    const s2 = await c.updateScale('deployments', 'default', 's', 4)
    assert.is(s2.spec.replicas, 4)
    const d = await c.get('deployments', 'default', 's')
    assert.is((d.spec as J).replicas, 4)
    assert.is(d.metadata.generation, 2)
    const neg = await reason(c.updateScale('deployments', 'default', 's', -1))
    assert.is(neg.reason, 'Invalid')
  })

  test('legacy apiVersions are converted, with a warning naming the current one', async () => {
    const warnings: string[] = []
    const legacy: KObject = {
      apiVersion: 'extensions/v1beta1',
      kind: 'Deployment',
      metadata: { name: 'old' },
      spec: { replicas: 1, template: { metadata: { labels: { name: 'old' } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } } },
    }
    const d = await c.create(legacy, { warnings })
    assert.is(d.apiVersion, 'apps/v1')
    assert.equal((d.spec as J).selector, { matchLabels: { name: 'old' } })
    assert.equal((d.spec as J).strategy.rollingUpdate, { maxUnavailable: 1, maxSurge: 1 })
    assert.ok(warnings.some((w) => w.includes('use apps/v1 Deployment')), warnings.join())
  })

  test('generateName and ConfigMap/Secret data rules', async () => {
    const g = await c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' }, data: {} })
    assert.match(g.metadata.name!, /^gen-[a-z0-9]{5}$/)
    const big = await reason(c.create(configMap('big', { k: 'x'.repeat(1024 * 1024 + 1) })))
    assert.is(big.reason, 'Invalid')
    const badKey = await reason(c.create(configMap('bk', { 'a/b': '1' })))
    assert.ok(badKey.statusDetails.causes?.some((x) => x.field === 'data[a/b]'))
    const s = await c.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { pw: 'hunter2' } } as KObject)
    assert.equal(s.data, { pw: Buffer.from('hunter2').toString('base64') })
    assert.is((s as J).stringData, undefined)
    assert.is((s as J).type, 'Opaque')
  })

  test.run()
}
