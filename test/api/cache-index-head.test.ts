/**
 * An index snapshot that nothing under its kind changed since is moved on, not left behind: when
 * a cache opened from it has followed the store far past its revision without a change, saving the
 * caches moves the snapshot's head to where the cache has followed (no chunk rewritten), so the
 * next command's cache reads the history from there instead of scanning every revision since the
 * snapshot was taken. A change under the kind still makes the snapshot saved anew, and a head
 * behind its chunks is refused.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiServer } from '../../reconciler/api/api-server.js'
import { CACHE_HEAD_PREFIX, advanceIndexHead, loadIndexSnapshot } from '../../reconciler/api/cache-index-store.js'
import type { KObject } from '../../reconciler/api/object.js'
import { PagedMap } from '../../reconciler/storage/paged-map.js'
import { stableHash } from '../../reconciler/storage/stable-hash.js'
import { createMemoryStorage } from '../../reconciler/storage/memory.js'
import type { Storage, WatchOptions } from '../../reconciler/storage/types.js'

const test = suite('cache index snapshots: heads moved on')

const cm = (name: string): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: name } })
const head = async (storage: Storage): Promise<{ revision: number; ref: unknown }> => JSON.parse((await storage.get(`${CACHE_HEAD_PREFIX}ConfigMap`))!.value) as { revision: number; ref: unknown }
const names = async (api: ApiServer): Promise<string> => (await api.list('configmaps', { namespace: 'default' })).items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).join(' ')

/** The revisions the configmaps' watches start from (the history each cache opening reads). */
function watchStarts(storage: Storage): number[] {
  const starts: number[] = []
  const watch = storage.watch.bind(storage)
  storage.watch = (prefix, handlers, opts?: WatchOptions) => {
    if (prefix === '/registry/configmaps/') starts.push(opts?.fromRevision ?? -1)
    return watch(prefix, handlers, opts)
  }
  return starts
}

/** 250 ConfigMaps, their cache's snapshot saved, then 600 revisions of other writes. */
async function world() {
  const storage = createMemoryStorage()
  const api = new ApiServer({ storage })
  await api.bootstrap()
  await api.createMany(Array.from({ length: 250 }, (_, i) => cm(`cm-${i}`)), { fieldManager: 't' })
  const want = await names(api)
  await api.saveCacheIndexes()
  const saved = (await head(storage)).revision
  for (let i = 0; i < 600; i++) await storage.txn({ success: [{ type: 'put', key: `/elsewhere/${i % 7}`, value: String(i) }] })
  return { storage, want, saved }
}

/** Makes a record of the ConfigMaps snapshot's first entries page malformed (valid JSON, on its page); returns that page's records as they were. */
async function damageFirstPage(storage: Storage): Promise<Array<[string, unknown]>> {
  const key = '/capstan/cache-index/ConfigMap/pages/entries/0'
  const kv = (await storage.get(key))!
  const nl = kv.value.indexOf('\n')
  const lines = kv.value.slice(nl + 1).split('\n')
  const page = JSON.parse(lines[0]) as Array<[string, unknown]>
  lines[0] = JSON.stringify([[page[0][0], 'x'], ...page.slice(1)])
  await storage.txn({ success: [{ type: 'put', key, value: `${kv.value.slice(0, nl)}\n${lines.join('\n')}` }] })
  return page
}

test('an unchanged cache moves its snapshot on to where it has followed the store; the next opening reads from there', async () => {
  const { storage, want, saved } = await world()
  const starts = watchStarts(storage)
  const second = new ApiServer({ storage })
  assert.is(await names(second), want)
  // Each opening: a read of the history since the snapshot, then the cache's own watch from the store's revision.
  assert.equal(starts, [saved + 1, (await storage.revision()) + 1], 'opened from the snapshot, reading the 600 revisions since')
  const before = await head(storage)
  await second.saveCacheIndexes()
  const after = await head(storage)
  const now = await storage.revision()
  assert.ok(after.revision >= now - 1 && after.revision > saved + 600, `moved on to ${after.revision} (store at ${now})`)
  assert.equal(after.ref, before.ref, 'the chunks are the same')
  const snap = await loadIndexSnapshot(storage, 'ConfigMap')
  assert.is(snap?.revision, after.revision)
  assert.is(PagedMap.restore(snap?.entries, { check: (_k, v) => v }).size, 250)

  const third = new ApiServer({ storage })
  assert.is(await names(third), want, 'the same answers')
  assert.is(starts[2], after.revision + 1, 'the history read starts at the moved head')
  // A second save right after moves nothing (not far enough behind).
  await third.saveCacheIndexes()
  assert.is((await head(storage)).revision, after.revision)
})

test('a change under the kind: the snapshot is saved anew (as of where the cache has followed the store), and a later opening sees the change', async () => {
  const { storage, saved } = await world()
  const second = new ApiServer({ storage })
  await names(second)
  await second.update({ ...(await second.get('configmaps', 'default', 'cm-7')), data: { k: 'changed' } }, { fieldManager: 't' })
  for (let i = 0; i < 20; i++) await storage.txn({ success: [{ type: 'put', key: `/elsewhere/x`, value: String(i) }] })
  const now = await storage.revision()
  await second.saveCacheIndexes()
  const h = await head(storage)
  assert.is(h.revision, now, 'saved as of the revision the cache followed to, not its last change')
  const third = new ApiServer({ storage })
  assert.equal((await third.get('configmaps', 'default', 'cm-7')).data, { k: 'changed' })
  assert.is(await names(third), await names(second))
})

test('moving a head: only from the revision the caller knows, only forward; a head behind its chunks is refused', async () => {
  const { storage, saved } = await world()
  const now = await storage.revision()
  assert.not.ok(await advanceIndexHead(storage, 'ConfigMap', saved - 1, now), 'from another revision')
  assert.not.ok(await advanceIndexHead(storage, 'ConfigMap', saved, saved), 'not forward')
  assert.not.ok(await advanceIndexHead(storage, 'Secret', 0, now), 'no snapshot')
  assert.ok(await advanceIndexHead(storage, 'ConfigMap', saved, now))
  assert.is((await loadIndexSnapshot(storage, 'ConfigMap'))?.revision, now)
  // A head that says an older revision than its chunks were taken at: no snapshot.
  const h = await head(storage)
  await storage.txn({ success: [{ type: 'put', key: `${CACHE_HEAD_PREFIX}ConfigMap`, value: JSON.stringify({ ...h, format: 1, revision: saved - 1 }) }] })
  assert.is(await loadIndexSnapshot(storage, 'ConfigMap'), undefined)
})

test('a damaged page of a snapshot: the read that finds it fails, and the kind is read whole from then on', async () => {
  const { storage, want } = await world()
  const page = await damageFirstPage(storage)
  const api = new ApiServer({ storage })
  const failed = await names(api).catch((e: unknown) => e)
  assert.instance(failed, Error)
  assert.match(String(failed), /index snapshot .* is damaged/)
  assert.is(await names(api), want, 'then every object, read whole')
})

test('a damaged page met by an event, not a read: the cache fails, its snapshot is not saved over, nothing is lost', async () => {
  const { storage } = await world()
  const page = await damageFirstPage(storage)
  const api = new ApiServer({ storage })
  // Opened by a read that needs no entry page; then another writer's change to a key on the bad page.
  await api.list('configmaps', { namespace: 'default', labelSelector: 'app=none' })
  const target = page[1][0]
  await storage.txn({ success: [{ type: 'put', key: target, value: (await storage.get(target))!.value }] })
  const head = (await storage.get(`${CACHE_HEAD_PREFIX}ConfigMap`))!.modRevision
  await api.saveCacheIndexes()
  assert.is((await storage.get(`${CACHE_HEAD_PREFIX}ConfigMap`))!.modRevision, head, 'the damaged snapshot is not saved over')
  // Every object as the store holds it now (the one changed has its new version).
  const now = (await storage.range('/registry/configmaps/default/')).items.map((kv) => `${kv.key.split('/').pop()}@${kv.modRevision}`).join(' ')
  assert.is(now.split(' ').length, 250)
  assert.is(await names(api), now, 'the kind read whole instead')
  const next = new ApiServer({ storage })
  assert.is(await names(next).catch(() => names(next)), now, 'a later process finds every object')
})

test('a long-running cache that never saves forgets its base snapshot past as many changes as it holds; its snapshot is still whole', async () => {
  const { storage } = await world()
  const api = new ApiServer({ storage })
  await names(api)
  for (let round = 0; round < 6; round++) {
    const made = await api.createMany(Array.from({ length: 200 }, (_, i) => cm(`churn-${round}-${i}`)), { fieldManager: 't' })
    for (const o of made) await api.delete('configmaps', 'default', o.metadata.name!)
  }
  await api.saveCacheIndexes()
  const next = new ApiServer({ storage })
  assert.is(await names(next), await names(api))
})

test('a write that lands while the snapshot is being stored is written into the next one', async () => {
  const { storage } = await world()
  const api = new ApiServer({ storage })
  await names(api)
  await api.update({ ...(await api.get('configmaps', 'default', 'cm-7')), data: { k: 'changed' } }, { fieldManager: 't' })
  const txn = storage.txn.bind(storage)
  let once = true
  storage.txn = async (req) => {
    if (once && JSON.stringify(req).includes('cache-index')) {
      once = false
      // Another writer's change, seen by the cache between taking the snapshot and storing it.
      const kv = (await storage.get('/registry/configmaps/default/cm-9'))!
      const o = JSON.parse(kv.value) as KObject
      await txn({ success: [{ type: 'put', key: kv.key, value: JSON.stringify({ ...o, metadata: { ...o.metadata, labels: { app: 'late' } } }) }] })
    }
    return txn(req)
  }
  await api.saveCacheIndexes()
  storage.txn = txn
  // Far enough on that an unchanged snapshot's head would be moved past the late change.
  for (let i = 0; i < 600; i++) await storage.txn({ success: [{ type: 'put', key: `/elsewhere/${i % 7}`, value: String(i) }] })
  await api.saveCacheIndexes()
  const next = new ApiServer({ storage })
  assert.equal((await next.list('configmaps', { namespace: 'default', labelSelector: 'app=late' })).items.map((o) => o.metadata.name), ['cm-9'])
})

test('a cache with a damaged page whose base snapshot was dropped (many changes) is not saved over either', async () => {
  const { storage } = await world()
  await damageFirstPage(storage)
  const api = new ApiServer({ storage })
  await api.list('configmaps', { namespace: 'default', labelSelector: 'app=none' })
  // More changed keys than the cache holds, none on the damaged page: the base goes, and the next
  // snapshot is built from every key, reading every page.
  // The entries' pages: the chunk's lines after its header.
  const pages = (await storage.get('/capstan/cache-index/ConfigMap/pages/entries/0'))!.value.split('\n').length - 1
  const churn = Array.from({ length: 1400 }, (_, i) => `churn-${i}`).filter((n) => stableHash(`/registry/configmaps/default/${n}`) % pages !== 0).slice(0, 1100)
  for (const n of churn) {
    const key = `/registry/configmaps/default/${n}`
    await storage.txn({ success: [{ type: 'put', key, value: JSON.stringify(cm(n)) }] })
    await storage.txn({ success: [{ type: 'delete', key }] })
  }
  const head = (await storage.get(`${CACHE_HEAD_PREFIX}ConfigMap`))!.modRevision
  await api.saveCacheIndexes()
  assert.is((await storage.get(`${CACHE_HEAD_PREFIX}ConfigMap`))!.modRevision, head, 'not saved over')
  const next = new ApiServer({ storage })
  const held = (await storage.range('/registry/configmaps/default/')).items.length
  assert.ok(held >= 250)
  assert.is((await next.list('configmaps', { namespace: 'default' }).catch(() => next.list('configmaps', { namespace: 'default' }))).items.length, held, 'every object')
})

test('a watch of a cache that fails ends with 410 Gone (the watcher lists again)', async () => {
  const { storage } = await world()
  const page = await damageFirstPage(storage)
  const api = new ApiServer({ storage })
  const seen: string[] = []
  const w = await api.watch('configmaps', { namespace: 'default', resourceVersion: '0', labelSelector: 'app=none' }, (ev) => seen.push(ev.type))
  await new Promise((r) => setTimeout(r, 0))
  // Another writer's change to a key on the damaged page: the cache fails on the event.
  await storage.txn({ success: [{ type: 'put', key: page[1][0], value: (await storage.get(page[1][0]))!.value }] })
  await new Promise((r) => setTimeout(r, 0))
  assert.equal(seen, ['ERROR'])
  w.stop()
})

test('a watch reports its progress once caught up, past transactions with nothing under its prefix', async () => {
  const storage = createMemoryStorage()
  await storage.txn({ success: [{ type: 'put', key: '/a/1', value: '1' }] })
  const w = storage.watch('/b/', { onEvents: () => {} }, { fromRevision: 1 })
  assert.is(w.progress?.(), undefined, 'not caught up yet')
  await new Promise((r) => setTimeout(r, 0))
  assert.is(w.progress?.(), 1)
  await storage.txn({ success: [{ type: 'put', key: '/a/2', value: '2' }] })
  assert.is(w.progress?.(), 2)
  w.cancel()
  assert.is(w.progress?.(), undefined)
})

test.run()
