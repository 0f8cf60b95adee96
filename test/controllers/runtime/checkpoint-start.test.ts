/**
 * ControllerManager's start from checkpoints: a restored controller is not primed and gets the
 * requests its restore asks for; a resource only restored controllers follow is not listed (its
 * changes come from the resume point's history, as they are now); one a primed controller follows
 * still is. And what the manager saves: every incremental controller's checkpoint that can be saved.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import { ControllerManager, type IncrementalStart } from '../../../reconciler/controllers/runtime/manager.js'
import { Informer, type InformerChange } from '../../../reconciler/controllers/runtime/informer.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import type { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { configMap, makeWorld } from './fixture.js'
import { stored } from './primed-old-way.js'

const test = suite('controller manager: start from checkpoints')

let api: ApiServer
let clock: VirtualClock
let mgr: ControllerManager
test.before.each(async () => {
  ;({ api, clock } = await makeWorld())
  mgr = new ControllerManager({ api, clock })
})
test.after.each(async () => {
  await mgr.stop()
})

const secret = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, data: {} })

/** An incremental start with changes by resource and the given memories. */
function start(changes: Record<string, Record<string, InformerChange>>, memories?: Record<string, unknown>, revision = 0): IncrementalStart {
  return {
    changes: (r) => new Map(Object.entries(changes[r] ?? {})),
    delayed: [],
    ...(memories ? { memories: { byController: stored(new Map(Object.entries(memories))), revision } } : {}),
  }
}

/** A controller that records what it is shown. */
function recorder(name: string, resource: string, extra: Partial<Controller> = {}) {
  const seen = { primed: [] as string[], mapped: [] as string[], restored: [] as unknown[], live: [] as string[] }
  const c: Controller = {
    name,
    resource,
    incremental: true,
    prime: (o) => void seen.primed.push(o.metadata.name!),
    accepts: (type, o, old) => (seen.live.push(`${type} ${o.metadata.name} old=${old ? (old as { data?: Record<string, string> }).data?.v ?? '-' : 'none'}`), true),
    async reconcile() {
      return {}
    },
    ...extra,
  }
  return { c, seen }
}

test('a restored controller is not primed, its restore\'s requests are queued, and its resource is not listed', async () => {
  await api.create(configMap('same', { v: '1' }))
  const changed = await api.create(configMap('changed', { v: '2' }))
  const before = { ...changed, data: { v: '1' } } as KObject
  const watched: string[] = []
  const watch = api.watch.bind(api)
  api.watch = (r, o, f) => (watched.push(`${String(r)}@${o.resourceVersion}`), watch(r, o, f))
  const { c, seen } = recorder('cm', 'configmaps', {
    checkpoint: {
      save: () => ({ n: 1 }),
      restore: (data) => {
        seen.restored.push(data)
        return [{ resource: 'configmaps', namespace: 'default', name: 'wanted' }]
      },
    },
  })
  mgr.add(c)
  const revision = Number(await api.revision('configmaps'))
  await mgr.start(start({ configmaps: { 'default/changed': { before, after: changed } } }, { cm: { n: 1 } }, revision))
  assert.equal(seen.restored, [{ n: 1 }])
  assert.equal(seen.primed, [], 'not primed')
  assert.equal(watched, [`configmaps@${revision}`], 'followed from the changes\' revision, not listed')
  assert.equal(seen.live, ['MODIFIED changed old=1'], 'the change, as it is now, with its state then')
  assert.equal(mgr.pending().queued.map((q) => q.key).sort(), ['configmaps/default/changed', 'configmaps/default/wanted'])
  // A later change of an object it never listed still comes with its previous state.
  seen.live.length = 0
  await api.update({ ...(await api.get('configmaps', 'default', 'same')), data: { v: '3' } } as KObject)
  assert.equal(seen.live, ['MODIFIED same old=1'])
  await api.delete('configmaps', 'default', 'same')
  assert.equal(seen.live.slice(1), ['DELETED same old=3'])
})

test('objects created, deleted, and deleted and created again since: delivered as a watch that ran throughout would have', async () => {
  const now = await api.create(configMap('new', { v: 'n' }))
  const gone = configMap('gone', { v: 'g' })
  gone.metadata.uid = 'u-gone'
  gone.metadata.resourceVersion = '1'
  const replacedOld = { ...configMap('again', { v: 'old' }), metadata: { ...configMap('again').metadata, uid: 'u-old', resourceVersion: '1' } } as KObject
  const again = await api.create(configMap('again', { v: 'new' }))
  const { c, seen } = recorder('cm', 'configmaps', { checkpoint: { save: () => 1, restore: () => [] } })
  mgr.add(c)
  await mgr.start(
    start(
      { configmaps: { 'default/new': { after: now }, 'default/gone': { deleted: { last: gone, revision: 2 } }, 'default/again': { replaced: replacedOld, after: again } } },
      { cm: 1 },
      Number(await api.revision('configmaps')),
    ),
  )
  assert.equal(seen.live.sort(), ['ADDED again old=none', 'ADDED new old=none', 'DELETED again old=old', 'DELETED gone old=g'].sort())
})

test('a resource a primed controller follows is still listed; a restore that returns nothing or throws means priming', async () => {
  await api.create(configMap('a'))
  await api.create(secret('s'))
  const unusable = recorder('unusable', 'configmaps', { checkpoint: { save: () => 1, restore: () => undefined } })
  const throwing = recorder('throwing', 'secrets', {
    checkpoint: {
      save: () => 1,
      restore: () => {
        throw new Error('bad data')
      },
    },
  })
  const restored = recorder('restored', 'configmaps', { checkpoint: { save: () => 1, restore: () => [] }, watches: [{ resource: 'secrets', map: (o) => (restoredMapped.push(o.metadata.name!), []) }] })
  const restoredMapped: string[] = []
  mgr.add(unusable.c)
  mgr.add(throwing.c)
  mgr.add(restored.c)
  await mgr.start(start({}, { unusable: 1, throwing: 1, restored: 1 }, Number(await api.revision('configmaps'))))
  assert.equal(unusable.seen.primed, ['a'])
  assert.equal(throwing.seen.primed, ['s'])
  assert.equal(restored.seen.primed, [], 'restored: not primed although its resource is listed for another')
  assert.equal(restoredMapped, [], 'nor its watch mappings run over unchanged objects')
})

test('checkpoints(): the saved memory of every incremental controller that has one; a save that throws or says undefined is left out', async () => {
  const mk = (name: string, save: () => unknown, incremental = true): Controller => ({
    name,
    resource: 'configmaps',
    incremental,
    checkpoint: { save, restore: () => [] as Request[] },
    async reconcile() {
      return {}
    },
  })
  mgr.add(mk('a', () => ({ x: 1 })))
  mgr.add(
    mk('b', () => {
      throw new Error('no')
    }),
  )
  mgr.add(mk('c', () => undefined))
  mgr.add(mk('d', () => 'not incremental', false))
  assert.equal([...mgr.checkpoints().changed], [['a', { data: { x: 1 } }]])
})

test('a controller restored and shown nothing since is unchanged (its stored checkpoint is kept); one shown a change or reconciling is saved anew', async () => {
  await api.create(configMap('a'))
  const revision = Number(await api.revision('configmaps'))
  const quiet = recorder('quiet', 'secrets', { checkpoint: { save: () => 'quiet now', restore: () => [] } })
  const shown = recorder('shown', 'configmaps', { checkpoint: { save: () => 'shown now', restore: () => [] } })
  const asked = recorder('asked', 'namespaces', { checkpoint: { save: () => 'asked now', restore: () => [{ resource: 'namespaces', name: 'default' }] } })
  mgr.add(quiet.c)
  mgr.add(shown.c)
  mgr.add(asked.c)
  await mgr.start(start({}, { quiet: 1, shown: 1, asked: 1 }, revision))
  await mgr.settle()
  assert.equal(mgr.checkpoints(), { changed: new Map([['asked', { data: 'asked now' }]]), unchanged: ['quiet', 'shown'] })
  await api.create(configMap('b'))
  await mgr.settle()
  assert.equal(mgr.checkpoints(), { changed: new Map([['shown', { data: 'shown now' }], ['asked', { data: 'asked now' }]]), unchanged: ['quiet'] })
})

test('a checkpoint stored with its start requests is restored when the controller is first needed: never, when nothing touches it', async () => {
  await api.create(configMap('a'))
  const revision = Number(await api.revision('configmaps'))
  const restores: string[] = []
  const lazy = (name: string, resource: string, restore: () => Request[] | undefined = () => []) =>
    recorder(name, resource, {
      checkpoint: {
        save: () => `${name} now`,
        startRequests: () => [],
        format: 1,
        restore: () => (restores.push(name), restore()),
      },
    })
  const untouched = lazy('untouched', 'secrets')
  const reconciles = lazy('reconciles', 'namespaces')
  const shown = lazy('shown', 'configmaps')
  const broken = lazy('broken', 'endpoints', () => undefined)
  for (const r of [untouched, reconciles, shown, broken]) mgr.add(r.c)
  const memory = (start: Request[]) => ({ data: () => 'saved', start, format: 1 })
  await mgr.start({
    changes: () => new Map(),
    delayed: [],
    memories: {
      byController: new Map([
        ['untouched', memory([])],
        ['reconciles', memory([{ resource: 'namespaces', name: 'default' }])],
        ['shown', memory([])],
        ['broken', memory([])],
      ]),
      revision,
    },
  })
  assert.equal(restores, [], 'nothing restored at the start')
  assert.equal(mgr.pending().queued.map((q) => q.key), ['namespaces/default'], 'the stored start requests queued')
  await mgr.settle()
  assert.equal(restores, ['reconciles'], 'restored before its first reconcile')
  await api.create(configMap('b'))
  await api.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e', namespace: 'default' } } as KObject)
  assert.equal(restores, ['reconciles', 'shown', 'broken'], 'restored before the first change it is shown')
  assert.equal(shown.seen.live, ['ADDED b old=none'])
  await mgr.settle()
  assert.equal(mgr.checkpoints(), { changed: new Map([['reconciles', { data: 'reconciles now', start: [], format: 1 }], ['shown', { data: 'shown now', start: [], format: 1 }]]), unchanged: ['untouched'] }, 'a failed restore saves nothing')
  assert.ok(mgr.degraded, 'and the run is degraded: it leaves no resume point, so the next start resyncs')
})

test('a checkpoint stored in another format than the controller reads now is not restored: the controller is primed, its resources listed', async () => {
  await api.create(configMap('a'))
  const restores: string[] = []
  const old = recorder('old', 'configmaps', { checkpoint: { save: () => 1, startRequests: () => [], format: 2, restore: () => (restores.push('old'), []) } })
  mgr.add(old.c)
  await mgr.start({ changes: () => new Map(), delayed: [], memories: { byController: new Map([['old', { data: () => 1, start: [], format: 1 }]]), revision: Number(await api.revision('configmaps')) } })
  assert.equal(restores, [])
  assert.equal(old.seen.primed, ['a'])
  assert.not.ok(mgr.degraded)
})

test('an unlisted informer: a live change before release wins over what the start holds back (a deleted object is not brought back)', async () => {
  const a = configMap('a', { v: '2' })
  a.metadata.uid = 'u-a'
  a.metadata.resourceVersion = '9'
  const before = { ...a, data: { v: '1' }, metadata: { ...a.metadata, resourceVersion: '5' } } as KObject
  // A store that, as the watch starts, reports the object deleted (a write that came between the
  // changes' revision and the release).
  const fake = {
    watch: async (_r: string, _o: unknown, onEvent: (ev: { type: 'DELETED'; object: KObject; prevObject: KObject }) => void) => {
      onEvent({ type: 'DELETED', object: a, prevObject: a })
      return { stop() {} }
    },
  } as unknown as ApiServer
  const inf = new Informer(fake, 'configmaps', () => {})
  const seen: string[] = []
  inf.addHandler((type, obj) => seen.push(`${type} ${obj.metadata.name}`))
  await inf.start(new Map([['default/a', { before, after: a }]]), { from: 5 })
  inf.release()
  assert.equal(seen, ['DELETED a'])
  assert.equal(inf.list(), [])
})

test('an unlisted informer whose watch cannot start from the revision: the start fails (the caller resyncs every object)', async () => {
  const fake = {
    watch: async (_r: string, _o: unknown, onEvent: (ev: { type: 'ERROR'; object: unknown }) => void) => {
      onEvent({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } })
      return { stop() {} }
    },
  } as unknown as ApiServer
  const inf = new Informer(fake, 'configmaps', () => {})
  const err = await inf.start(new Map(), { from: 5 }).then(() => undefined, (e: unknown) => e)
  assert.match(String(err), /from revision 5 failed/)
  assert.ok(inf.failed)
})

test.run()
