/**
 * Service addresses between processes: every allocating Service write compares and rewrites one
 * range key in its transaction (as kube-apiserver's allocators compare-and-swap their stored
 * ranges), so two API servers over one sqlite file, the second's cache behind the first's writes,
 * never hand out one cluster IP or node port twice (create, createMany, update, apply).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { isApiError } from '../../reconciler/api/errors.js'
import type { KObject } from '../../reconciler/api/object.js'
import { SERVICE_RANGE_KEY } from '../../reconciler/api/service-addresses.js'
import { openSqliteStorage } from '../../reconciler/storage/sqlite.js'
import type { Storage, TxnRequest } from '../../reconciler/storage/types.js'

const test = suite('api: Service addresses are fenced between processes')

type Spec = { clusterIP?: string; type?: string; ports: Array<{ port: number; nodePort?: number }> }
const svc = (name: string, spec: Partial<Spec> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
})
const specOf = (o: KObject): Spec => o.spec as Spec

/** Two API servers over one sqlite file, no polling: the second sees the first's writes only when it reads the store. */
async function twoServers(fn: (a: ApiServer, b: ApiServer, storeB: Storage) => Promise<void>, wrapB: (s: Storage) => Storage = (s) => s): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-svcfence-'))
  const sa = openSqliteStorage(join(dir, 'state.db'))
  const sb = openSqliteStorage(join(dir, 'state.db'))
  const a = new ApiServer({ storage: sa })
  const b = new ApiServer({ storage: wrapB(sb) })
  try {
    await a.bootstrap()
    await b.bootstrap()
    // Both servers' Service caches are open (b's stays behind a's writes).
    await a.list('services')
    await b.list('services')
    await fn(a, b, sb)
  } finally {
    await a.close()
    await b.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function refused(p: Promise<unknown>): Promise<string> {
  let err: unknown
  await p.catch((e: unknown) => (err = e))
  assert.ok(isApiError(err, 'Invalid'), `expected Invalid, got ${String(err)}`)
  return (err as Error).message
}

test('a cluster IP or node port taken by another process is refused, not handed out twice; nothing is stored', async () => {
  await twoServers(async (a, b, sb) => {
    await a.create(svc('first', { clusterIP: '10.96.0.50', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))
    assert.match(await refused(b.create(svc('ip', { clusterIP: '10.96.0.50' }))), 'provided IP is already allocated')
    assert.match(await refused(b.createMany([svc('port', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })])), 'provided port is already allocated')
    assert.match(await refused(b.apply(svc('applied', { clusterIP: '10.96.0.50' }), { fieldManager: 'test' })), 'provided IP is already allocated')
    for (const name of ['ip', 'port', 'applied']) assert.is(await sb.get(`/registry/services/default/${name}`), undefined, name)
    // An update that allocates (a ClusterIP Service made NodePort) is fenced too.
    const plain = await b.create(svc('plain'))
    await a.create(svc('second', { type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] }))
    const asNodePort = { ...plain, spec: { ...specOf(plain), type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] } }
    assert.match(await refused(b.update(asNodePort)), 'provided port is already allocated')
  })
})

test('dynamic allocations through both servers never collide, and each allocating write moves the range key', async () => {
  await twoServers(async (a, b, sb) => {
    const ips = new Set<string>()
    const ports = new Set<number>()
    for (let i = 0; i < 6; i++) {
      const server = i % 2 ? b : a
      const out = await server.create(svc(`s${i}`, { type: 'NodePort' }))
      ips.add(specOf(out).clusterIP!)
      ports.add(specOf(out).ports[0].nodePort!)
      assert.is((await sb.get(SERVICE_RANGE_KEY))?.modRevision, Number(out.metadata.resourceVersion), `s${i}: written in the Service's transaction`)
    }
    assert.is(ips.size, 6)
    assert.is(ports.size, 6)
    // A write that allocates nothing (a label) leaves the range key alone.
    const before = (await sb.get(SERVICE_RANGE_KEY))?.modRevision
    const s0 = await a.get('services', 'default', 's0')
    await a.update({ ...s0, metadata: { ...s0.metadata, labels: { tier: 'web' } } })
    assert.is((await sb.get(SERVICE_RANGE_KEY))?.modRevision, before)
  })
})

test('a write overtaken between its allocation and its commit allocates again (and is refused when its chosen IP went)', async () => {
  let a: ApiServer | undefined
  let overtake: (() => Promise<unknown>) | undefined
  // b's store: just before b's first fenced transaction, a writes a Service that takes b's pick.
  const wrap = (s: Storage): Storage =>
    new Proxy(s, {
      get(target, prop, receiver) {
        if (prop !== 'txn') return Reflect.get(target, prop, receiver) as unknown
        return async (req: TxnRequest) => {
          const run = overtake
          if (run && req.compare?.some((c) => c.key === SERVICE_RANGE_KEY)) {
            overtake = undefined
            await run()
          }
          return target.txn(req)
        }
      },
    })
  await twoServers(async (srvA, b, sb) => {
    a = srvA
    overtake = () => a!.create(svc('thief', { clusterIP: '10.96.0.77' }))
    assert.match(await refused(b.create(svc('victim', { clusterIP: '10.96.0.77' }))), 'provided IP is already allocated')
    assert.is(await sb.get('/registry/services/default/victim'), undefined)
    // A dynamic pick overtaken the same way is simply allocated again.
    overtake = () => a!.create(svc('other'))
    const out = await b.create(svc('dynamic'))
    const other = await b.get('services', 'default', 'other')
    assert.is.not(specOf(out).clusterIP, specOf(other).clusterIP)
    assert.is(overtake, undefined, 'the overtaking write ran')
  }, wrap)
})

test.run()

const staged = suite('api: Service addresses fenced through a staging store (a sync\'s apply)')

staged('a staged create and a live create of the same node port: the staged commit is refused, nothing of it stored', async () => {
  const { createMemoryStorage } = await import('../../reconciler/storage/memory.js')
  const { StagedStorage } = await import('../../reconciler/storage/staged.js')
  const base = createMemoryStorage()
  const live = new ApiServer({ storage: base })
  await live.bootstrap()
  await live.list('services')
  const stage = new StagedStorage(base)
  const plan = new ApiServer({ storage: stage })
  await plan.create(svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))
  await live.create(svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))
  const res = await stage.commit()
  assert.is(res.succeeded, false, 'the range key moved under the staged allocation')
  assert.is(await base.get('/registry/services/default/a'), undefined)
  // Without the other writer, the staged commit goes through and moves the range key.
  const stage2 = new StagedStorage(base)
  const plan2 = new ApiServer({ storage: stage2 })
  await plan2.create(svc('c', { type: 'NodePort' }))
  const before = (await base.get(SERVICE_RANGE_KEY))?.modRevision
  assert.is((await stage2.commit()).succeeded, true)
  assert.ok(((await base.get(SERVICE_RANGE_KEY))?.modRevision ?? 0) > (before ?? 0))
})

staged.run()
