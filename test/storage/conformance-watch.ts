/** Conformance: watch ordering, history, prefixes, prevKv, compaction, cancel, throwing handlers. */
import type { Test } from 'uvu'
import * as assert from 'uvu/assert'
import { historySince } from '../../reconciler/storage/history-since.js'
import { eventRevision } from '../../reconciler/storage/watch-hub.js'
import type { Storage } from '../../reconciler/storage/types.js'
import type { Use } from './conformance.js'
import { del, describe, put, record, settle, waitFor, type Recorder } from './conformance-helpers.js'

/** Adds the watch tests. */
export function addWatchTests(test: Test, use: Use, opts: { synchronousWatch: boolean }): void {
  /** Waits until `r` has `n` events (at once for in-process backends: they deliver before txn resolves). */
  const expectEvents = async (r: Recorder, n: number, what: string): Promise<void> => {
    if (!opts.synchronousWatch) await waitFor(() => r.events.length >= n, 3000, what)
    assert.is(r.events.length, n, what)
  }

  test('watch delivers puts and deletes with prevKv, in revision order', use(async ({ storage }) => {
    const r = record(storage, '/w/')
    await settle()
    await put(storage, '/w/a', '1') // 1
    await expectEvents(r, 1, 'first put')
    await put(storage, '/w/a', '2') // 2
    await storage.txn({ success: [{ type: 'put', key: '/w/b', value: '1' }, { type: 'delete', key: '/w/a' }] }) // 3
    await expectEvents(r, 4, 'all events')
    assert.equal(r.events.map(describe), ['put /w/a=1@1', 'put /w/a=2@2 prev=1@1', 'put /w/b=1@3', 'delete /w/a@3 prev=2@2'])
    assert.equal(r.errors, [])
    r.watch.cancel()
  }))

  test('watch sees only its prefix', use(async ({ storage }) => {
    const a = record(storage, '/pa/')
    const all = record(storage, '')
    await settle()
    await storage.txn({ success: [{ type: 'put', key: '/pa/1', value: 'x' }, { type: 'put', key: '/pb/1', value: 'y' }] })
    await put(storage, '/pb/2', 'z')
    await put(storage, '/pa/2', 'w')
    await expectEvents(all, 4, 'all keys')
    await expectEvents(a, 2, 'prefix /pa/')
    assert.equal(a.events.map(describe), ['put /pa/1=x@1', 'put /pa/2=w@3'])
  }))

  test('watch without prevKv omits it', use(async ({ storage }) => {
    await put(storage, '/nk/a', '1')
    const r = record(storage, '/nk/', { prevKv: false })
    await settle()
    await put(storage, '/nk/a', '2')
    await del(storage, '/nk/a')
    await expectEvents(r, 2, 'events')
    assert.equal(r.events.map(describe), ['put /nk/a=2@2', 'delete /nk/a@3'])
  }))

  test('watch from an old revision replays history, then live events, each once', use(async ({ storage }) => {
    await put(storage, '/o/a', '1') // 1
    await put(storage, '/o/b', '1') // 2
    await put(storage, '/x/other', '1') // 3
    await del(storage, '/o/a') // 4
    const r = record(storage, '/o/', { fromRevision: 2 })
    // A write between watch() and the history catch-up must be delivered exactly once.
    await put(storage, '/o/c', '1') // 5
    await settle()
    await put(storage, '/o/b', '2') // 6
    await expectEvents(r, 4, 'history and live')
    assert.equal(r.events.map(describe), ['put /o/b=1@2', 'delete /o/a@4 prev=1@1', 'put /o/c=1@5', 'put /o/b=2@6 prev=1@2'])
  }))

  test('watch from revision 1 replays everything; from the future waits for it', use(async ({ storage }) => {
    for (let i = 1; i <= 5; i++) await put(storage, `/f/${i}`, 'v')
    const past = record(storage, '/f/', { fromRevision: 1 })
    const future = record(storage, '/f/', { fromRevision: 8 })
    await settle()
    await waitFor(() => past.events.length === 5, 3000, 'history')
    for (let i = 6; i <= 9; i++) await put(storage, `/f/${i}`, 'v')
    await expectEvents(past, 9, 'past watcher')
    await expectEvents(future, 2, 'future watcher')
    assert.equal(past.events.map(eventRevision), [1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert.equal(future.events.map(eventRevision), [8, 9])
  }))

  test('concurrent writers: every event once, revisions strictly increasing', use(async ({ storage }) => {
    const r = record(storage, '/cc/')
    await settle()
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => storage.txn({ success: [{ type: 'put', key: `/cc/${i % 7}`, value: String(i) }, { type: 'put', key: `/cc/x${i}`, value: 'v' }] })),
    )
    await expectEvents(r, 80, 'all events')
    const revs = r.events.map(eventRevision)
    for (let i = 2; i < revs.length; i += 2) assert.ok(revs[i] > revs[i - 1], 'strictly increasing across txns')
    assert.equal([...new Set(revs)].sort((a, b) => a - b), results.map((x) => x.revision).sort((a, b) => a - b))
  }))

  test('a watch from a compacted revision ends with Compacted', use(async ({ storage }) => {
    for (let i = 1; i <= 4; i++) await put(storage, '/cp/a', String(i))
    await storage.compact(3)
    const cases = [
      { name: 'below the compacted revision', from: 2, error: true, events: [] as string[] },
      { name: 'at the compacted revision', from: 3, error: false, events: ['put /cp/a=3@3 prev=2@2', 'put /cp/a=4@4 prev=3@3'] },
    ]
    for (const c of cases) {
      const r = record(storage, '/cp/', { fromRevision: c.from })
      // The error case waits for the error itself (no events are expected, so "enough events" would hold at once).
      await waitFor(() => (c.error ? r.errors.length > 0 : r.errors.length > 0 || r.events.length >= c.events.length), 3000, c.name)
      await settle()
      if (c.error) {
        assert.is(r.errors.length, 1, c.name)
        assert.is((r.errors[0] as { code?: string }).code, 'Compacted', c.name)
        assert.equal(r.events, [], c.name)
      } else {
        assert.equal(r.errors, [], c.name)
        assert.equal(r.events.map(describe), c.events, c.name)
      }
      r.watch.cancel()
    }
  }))

  test('cancel stops delivery', use(async ({ storage }) => {
    const r = record(storage, '/cn/')
    await settle()
    await put(storage, '/cn/a', '1')
    await expectEvents(r, 1, 'before cancel')
    r.watch.cancel()
    await put(storage, '/cn/a', '2')
    await settle()
    assert.is(r.events.length, 1)
    // Cancelling before the history catch-up delivers nothing.
    const early = record(storage, '/cn/', { fromRevision: 1 })
    early.watch.cancel()
    await settle()
    assert.equal(early.events, [])
  }))

  test('a throwing handler breaks neither the writer nor other watchers', use(async ({ storage }) => {
    const good = record(storage, '/t/')
    const thrower = makeThrower(storage)
    await settle()
    const res = await put(storage, '/t/a', '1')
    assert.ok(res.succeeded)
    await put(storage, '/t/a', '2')
    await expectEvents(good, 2, 'good watcher')
    await waitFor(() => thrower.errors.length > 0, 3000, 'thrower onError')
    assert.ok(thrower.calls >= 1)
    assert.equal((await storage.get('/t/a'))?.value, '2')
  }))

  if (opts.synchronousWatch) {
    test('in-process watchers see a txn before its promise resolves', use(async ({ storage }) => {
      const r = record(storage, '/s/')
      await settle()
      let resolved = false
      const p = put(storage, '/s/a', '1').then(() => {
        resolved = true
        return r.events.length
      })
      assert.is(await p, 1)
      assert.ok(resolved)
    }))

    test('a handler that writes: nested events keep revision order for every watcher', use(async ({ storage }) => {
      const writer = storage.watch('/n/in', {
        onEvents: (evs) => {
          for (const ev of evs) if (ev.type === 'put') void put(storage, `/n/out${ev.kv.key.slice(5)}`, 'echo')
        },
      })
      const r = record(storage, '/n/')
      await settle()
      await put(storage, '/n/in1', 'x')
      await put(storage, '/n/in2', 'x')
      await settle()
      const revs = r.events.map(eventRevision)
      assert.equal(revs, [1, 2, 3, 4])
      writer.cancel()
    }))
  }
}

/** The history reads built on watches (storage/history-since.ts): the same answers from every backend, whether it reports sync or not. */
export function addHistoryTests(test: Test, use: Use): void {
  test('historySince: the prefix\'s events after a revision, up to the store\'s revision, and nothing of other keys', use(async ({ storage }) => {
    await put(storage, '/h/a', '1') // 1
    const from = await storage.revision()
    await put(storage, '/h/a', '2') // 2
    await put(storage, '/other/big', 'x'.repeat(1000)) // 3
    await storage.txn({ success: [{ type: 'put', key: '/h/b', value: '1' }, { type: 'delete', key: '/h/a' }] }) // 4
    await put(storage, '/other/last', 'y') // 5
    const h = await historySince(storage, '/h/', from)
    assert.ok(h)
    assert.is(h.revision, await storage.revision())
    assert.equal(h.events.map(describe), ['put /h/a=2@2 prev=1@1', 'put /h/b=1@4', 'delete /h/a@4 prev=2@2'])
    const none = await historySince(storage, '/nothing/', from)
    assert.equal(none, { events: [], revision: await storage.revision() }, 'nothing under the prefix: still ends')
    assert.equal(await historySince(storage, '/h/', await storage.revision()), { events: [], revision: await storage.revision() })
    assert.is(await historySince(storage, '/h/', (await storage.revision()) + 5), undefined, 'ahead of the store')
  }))

  test('historySince: undefined once that history is compacted', use(async ({ storage }) => {
    await put(storage, '/hc/a', '1')
    const from = await storage.revision()
    await put(storage, '/hc/a', '2')
    await put(storage, '/hc/a', '3')
    await storage.compact(await storage.revision())
    assert.is(await historySince(storage, '/hc/', from), undefined)
  }))

  test('a backend that reports sync calls onSynced once caught up, with the revision reached', use(async ({ storage }) => {
    if (!storage.reportsSync) return
    await put(storage, '/s/a', '1')
    await put(storage, '/t/b', '1')
    const synced: number[] = []
    const w = storage.watch('/s/', { onEvents: () => {}, onSynced: (r) => synced.push(r) }, { fromRevision: 1 })
    await settle()
    assert.equal(synced, [await storage.revision()])
    w.cancel()
    const live: number[] = []
    const w2 = storage.watch('/s/', { onEvents: () => {}, onSynced: (r) => live.push(r) })
    await settle()
    assert.equal(live, [await storage.revision()], 'a watch of new events only is in sync at once')
    w2.cancel()
  }))
}

/** A watcher whose handler always throws; records its errors. */
function makeThrower(storage: Storage): { errors: Error[]; calls: number } {
  const t = { errors: [] as Error[], calls: 0 }
  storage.watch('/t/', {
    onEvents: () => {
      t.calls++
      throw new Error('handler bug')
    },
    onError: (err) => t.errors.push(err),
  })
  return t
}
