/**
 * ApiServer.watch from the store's current revision of a kind whose cache is not open: followed
 * straight from the store (the cache is not opened: nothing is listed), with the same events a
 * cache-backed watch gives, previous states included; from an older revision too (the store's
 * history first), while a cache that is open answers from its window.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer, type WatchEvent } from '../../reconciler/api/api-server.js'
import type { KObject } from '../../reconciler/api/object.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import type { Storage } from '../../reconciler/storage/types.js'

const test = suite('api: watch from the store')

const cm = (name: string, v: string, labels?: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, data: { v } })

/** An API over memory storage that counts range reads under the ConfigMaps' prefix (a cache opening). */
async function world(): Promise<{ api: ApiServer; storage: Storage; ranges: () => number }> {
  const storage = createMemoryStorage()
  let n = 0
  const range = storage.range.bind(storage)
  storage.range = (prefix, opts) => {
    if (prefix.startsWith('/registry/configmaps/')) n++
    return range(prefix, opts)
  }
  const api = new ApiServer({ storage, now: () => new Date('2026-01-01T00:00:00Z') })
  await api.bootstrap()
  return { api, storage, ranges: () => n }
}

/** What a watch delivered, as `TYPE name v=… prev=…`. */
const line = (ev: WatchEvent): string => {
  const o = ev.object as KObject
  const prev = ev.prevObject as KObject | undefined
  return `${ev.type} ${o.metadata.name} v=${(o as { data?: { v?: string } }).data?.v} prev=${prev ? (prev as { data?: { v?: string } }).data?.v : '-'}`
}

test('from the current revision: nothing listed, every later change with its previous state', async () => {
  const { api, storage, ranges } = await world()
  const a = await api.create(cm('a', '1'))
  const seen: string[] = []
  const w = await api.watch('configmaps', { resourceVersion: String(await storage.revision()) }, (ev) => seen.push(line(ev)))
  await api.update({ ...a, data: { v: '2' } } as KObject)
  await api.create(cm('b', '1'))
  await api.delete('configmaps', 'default', 'a')
  assert.equal(seen, ['MODIFIED a v=2 prev=1', 'ADDED b v=1 prev=-', 'DELETED a v=2 prev=2'])
  assert.is(ranges(), 0, 'the cache was not opened')
  w.stop()
  await api.create(cm('c', '1'))
  assert.is(seen.length, 3, 'stopped')
})

test('the same events as a cache-backed watch, selectors included', async () => {
  const { api, storage } = await world()
  const fromStore: string[] = []
  const fromCache: string[] = []
  await api.create(cm('x', '0', { team: 'a' }))
  const rv = String(await storage.revision())
  await api.watch('configmaps', { resourceVersion: rv, labelSelector: 'team=a' }, (ev) => fromStore.push(line(ev)))
  await api.list('configmaps') // opens the cache
  await api.watch('configmaps', { resourceVersion: rv, labelSelector: 'team=a' }, (ev) => fromCache.push(line(ev)))
  const x = await api.get('configmaps', 'default', 'x')
  await api.update({ ...x, metadata: { ...x.metadata, labels: { team: 'b' } } } as KObject)
  const y = await api.create(cm('y', '1', { team: 'b' }))
  await api.update({ ...y, metadata: { ...y.metadata, labels: { team: 'a' } } } as KObject)
  await api.delete('configmaps', 'default', 'y')
  assert.equal(fromStore, ['DELETED x v=0 prev=0', 'ADDED y v=1 prev=-', 'DELETED y v=1 prev=1'])
  assert.equal(fromStore, fromCache)
})

test('from an older revision: the store\'s history since, then live; with the cache open and the revision older than its window, 410', async () => {
  const { api, storage, ranges } = await world()
  const first = await storage.revision()
  await api.create(cm('a', '1'))
  const seen: string[] = []
  await api.watch('configmaps', { resourceVersion: String(first) }, (ev) => seen.push(line(ev)))
  await new Promise((r) => setTimeout(r, 0))
  await api.create(cm('b', '1'))
  assert.equal(seen, ['ADDED a v=1 prev=-', 'ADDED b v=1 prev=-'])
  assert.is(ranges(), 0, 'the cache was not opened')
  await api.list('configmaps')
  const tooOld: WatchEvent[] = []
  await api.watch('configmaps', { resourceVersion: String(first) }, (ev) => tooOld.push(ev))
  assert.is(tooOld[0]?.type, 'ERROR')
})

test.run()
