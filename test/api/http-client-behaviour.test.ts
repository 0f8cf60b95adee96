/** HttpClient beyond the conformance suite: Warning headers, Status errors, deletes, dry runs, and watches that outlive the server's timeout. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer, type WatchEvent } from '../../reconciler/api/api-server.js'
import { ApiError } from '../../reconciler/api/errors.js'
import { HttpClient } from '../../reconciler/api/http-client.js'
import { errorFromStatus } from '../../reconciler/api/http/status-error.js'
import { parseWarningHeader } from '../../reconciler/api/http/warnings.js'
import type { KObject } from '../../reconciler/api/object.js'
import { createApiHttpServer, type ApiHttpServerOptions } from '../../reconciler/server/index.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'

const unit = suite('HttpClient: reading responses')

unit('Warning headers, one or several joined by fetch', () => {
  const cases = [
    { name: 'none', in: null, out: [] },
    { name: 'one', in: '299 - "use apps/v1 Deployment"', out: ['use apps/v1 Deployment'] },
    { name: 'joined, with commas and escapes inside', in: '299 - "a, b", 299 - "say \\"hi\\"", 299 - "c" "Mon, 01 Jan 2024 00:00:00 GMT"', out: ['a, b', 'say "hi"', 'c'] },
    { name: 'other codes ignored', in: '199 - "misc", 299 - "kept"', out: ['kept'] },
  ]
  for (const c of cases) assert.equal(parseWarningHeader(c.in), c.out, c.name)
})

unit('Status bodies become the ApiError the server raised; other bodies get a reason from the code', () => {
  const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Invalid', code: 422, message: 'bad', details: { name: 'x', causes: [{ reason: 'FieldValueRequired', message: 'm', field: 'spec.x' }] } }
  const e = errorFromStatus(422, status)
  assert.is(e.reason, 'Invalid')
  assert.is(e.code, 422)
  assert.is(e.message, 'bad')
  assert.equal(e.statusDetails.causes, [{ reason: 'FieldValueRequired', message: 'm', field: 'spec.x' }])
  const cases = [
    { name: '502 from a proxy', code: 502, reason: 'InternalError' },
    { name: '404 plain', code: 404, reason: 'NotFound' },
    { name: '410', code: 410, reason: 'Expired' },
  ]
  for (const c of cases) assert.is(errorFromStatus(c.code, undefined, 'oops').reason, c.reason, c.name)
})

unit('an unreachable server is an ApiError naming the server', async () => {
  // A port nobody listens on: bound, then released.
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as AddressInfo).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  const c = new HttpClient({ server: `http://127.0.0.1:${port}` })
  const err = await c.get('namespaces', undefined, 'default').catch((e: unknown) => e)
  assert.ok(err instanceof ApiError)
  assert.is((err as ApiError).reason, 'InternalError')
  assert.match((err as ApiError).message, `127.0.0.1:${port}`)
})

unit.run()

const live = suite('HttpClient against the REST API')
/** uvu cannot print an ApiError (its `details` is an object, not text): a test body rethrows it as a plain Error. */
const plain =
  (fn: () => Promise<void>) =>
  async (): Promise<void> => {
    try {
      await fn()
    } catch (err) {
      if (err instanceof ApiError) throw new Error(`ApiError ${err.reason}: ${err.message}`, { cause: err })
      throw err
    }
  }
let api: ApiServer
let close: () => Promise<void>
let c: HttpClient
async function start(o: Partial<ApiHttpServerOptions> = {}): Promise<void> {
  const storage = createMemoryStorage()
  api = new ApiServer({ storage })
  await api.bootstrap()
  const server = createApiHttpServer({ api, ...o })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  c = new HttpClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
  close = async () => {
    await c.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await api.close()
    await storage.close()
  }
}
live.after.each(async () => close())
const cm = (name: string, labels?: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: '1' } })
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

live('delete answers with the object, or its identity when the server sends a Status', plain(async () => {
  await start()
  const made = await c.create(cm('x'))
  const gone = await c.delete('configmaps', 'default', 'x')
  assert.equal(gone, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default', uid: made.metadata.uid } })
  await c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' } })
  const ns = await c.delete('namespaces', undefined, 'tmp')
  assert.is(ns.kind, 'Namespace')
  assert.is(ns.metadata.name, 'tmp')
}))

live('dry runs write nothing; unknown fields warn under fieldValidation=Warn', plain(async () => {
  await start()
  const dry = await c.create(cm('d'), { dryRun: true })
  assert.is(dry.metadata.name, 'd')
  assert.is((await c.list('configmaps', { namespace: 'default' })).items.length, 0)
  const warnings: string[] = []
  const bad = { ...cm('w'), extra: 1 } as KObject
  await c.create(bad, { fieldValidation: 'Warn', warnings })
  assert.ok(warnings.some((w) => w.includes('extra')), warnings.join())
  await c.create(cm('del'))
  await c.delete('configmaps', 'default', 'del', { dryRun: true })
  assert.is((await c.get('configmaps', 'default', 'del')).metadata.name, 'del')
}))

live('a watch outlives the server ending it: resumed from the last version, nothing repeated or lost', plain(async () => {
  await start({ watchTimeoutSeconds: 0.15, bookmarkIntervalMs: 50 })
  const events: WatchEvent[] = []
  const first = await c.create(cm('a'))
  const w = await c.watch('configmaps', { namespace: 'default', resourceVersion: first.metadata.resourceVersion }, (e) => events.push(e))
  for (let i = 0; i < 6; i++) {
    await c.create(cm(`n${i}`))
    await sleep(60)
  }
  await sleep(100)
  w.stop()
  assert.equal(events.map((e) => `${e.type} ${(e.object as KObject).metadata.name}`), ['ADDED n0', 'ADDED n1', 'ADDED n2', 'ADDED n3', 'ADDED n4', 'ADDED n5'])
}))

live('watch errors: a bad selector is thrown; bookmarks only when asked for', plain(async () => {
  await start({ bookmarkIntervalMs: 20 })
  const err = await c.watch('configmaps', { labelSelector: 'a in (' }, () => {}).catch((e: unknown) => e as ApiError)
  assert.is((err as ApiError).code, 400)
  const plain: WatchEvent[] = []
  const marks: WatchEvent[] = []
  const w1 = await c.watch('configmaps', { namespace: 'default' }, (e) => plain.push(e))
  const w2 = await c.watch('configmaps', { namespace: 'default', allowBookmarks: true }, (e) => marks.push(e))
  await sleep(80)
  w1.stop()
  w2.stop()
  assert.is(plain.filter((e) => e.type === 'BOOKMARK').length, 0)
  assert.ok(marks.filter((e) => e.type === 'BOOKMARK').length >= 2)
}))

live('status and scale subresources, and a pod deleted with a grace period', plain(async () => {
  await start()
  const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox:1' }] } }
  const made = await c.create(pod)
  const st = await c.updateStatus({ ...structuredClone(made), status: { phase: 'Running' } })
  assert.is((st.status as { phase: string }).phase, 'Running')
  const marked = await c.delete('pods', 'default', 'p', { gracePeriodSeconds: 30 })
  assert.is(marked.metadata.deletionGracePeriodSeconds, 30)
  const now = await c.delete('pods', 'default', 'p', { gracePeriodSeconds: 0, preconditions: { uid: made.metadata.uid } })
  assert.is(now.metadata.name, 'p')
  await c.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
  })
  const patched = await c.patch('deployments', 'default', 'd', 'merge', { spec: { replicas: 3 } }, { subresource: 'scale' })
  assert.is(patched.kind, 'Deployment')
  assert.is((patched.spec as { replicas: number }).replicas, 3)
  const stale = await c.updateScale('deployments', 'default', 'd', 2, { resourceVersion: '1' } as never).catch((e: unknown) => e as ApiError)
  assert.is((stale as ApiError).reason, 'Conflict')
}))

live.run()
