/**
 * The watch hub's live delivery: each committed transaction to each live watcher under its prefix,
 * once, in revision order — also when a handler cancels or starts watches, or writes, meanwhile.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { WatchHub, type EventBatch } from '../../reconciler/storage/watch-hub.js'
import type { Watch, WatchEvent } from '../../reconciler/storage/types.js'

const test = suite('watch hub')

/** A hub over an in-memory history, and a commit function that records and dispatches a batch. */
function hub(): { hub: WatchHub; commit: (keys: string[]) => void } {
  const log: EventBatch[] = []
  const h = new WatchHub({ compactedRevision: () => 0, read: (from, to) => log.filter((b) => b.revision >= from && b.revision <= to) }, 0)
  let revision = 0
  const commit = (keys: string[]): void => {
    revision++
    const events: WatchEvent[] = keys.map((key) => ({
      type: 'put',
      kv: { key, value: `v${revision}`, createRevision: revision, modRevision: revision, version: 1 },
      prevKv: { key, value: 'old', createRevision: 1, modRevision: 1, version: 1 },
    }))
    const batch = { revision, events }
    log.push(batch)
    h.dispatch(batch)
  }
  return { hub: h, commit }
}

/** What a watcher saw, as `key@revision` (and `+prev` when the event carries prevKv). */
const seen = (events: WatchEvent[], into: string[]): void => {
  for (const ev of events) if (ev.type === 'put') into.push(`${ev.kv.key}@${ev.kv.modRevision}${ev.prevKv ? '+prev' : ''}`)
}

/** Lets the hub's catch-up microtasks run. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

test('events under each prefix, once, in order; prevKv only when asked for', async () => {
  const { hub: h, commit } = hub()
  const a: string[] = []
  const b: string[] = []
  h.watch('/a/', { onEvents: (evs) => seen(evs, a) })
  h.watch('/b/', { onEvents: (evs) => seen(evs, b) }, { prevKv: false })
  await settle()
  commit(['/a/1'])
  commit(['/b/1', '/a/2'])
  commit(['/c/1'])
  assert.equal(a, ['/a/1@1+prev', '/a/2@2+prev'])
  assert.equal(b, ['/b/1@2'])
})

test('a handler that cancels another watch, starts one, or writes: each event still once and in order', async () => {
  const cases: Array<{ name: string; run: () => Promise<Record<string, string[]>> }> = [
    {
      name: 'cancel a later watcher during delivery',
      run: async () => {
        const { hub: h, commit } = hub()
        const first: string[] = []
        const second: string[] = []
        let other: Watch | undefined
        h.watch('/', { onEvents: (evs) => { seen(evs, first); other?.cancel() } })
        other = h.watch('/', { onEvents: (evs) => seen(evs, second) })
        await settle()
        commit(['/x'])
        commit(['/y'])
        return { first, second }
      },
    },
    {
      name: 'start a watch during delivery (it catches up from history, once)',
      run: async () => {
        const { hub: h, commit } = hub()
        const first: string[] = []
        const late: string[] = []
        let started = false
        h.watch('/', {
          onEvents: (evs) => {
            seen(evs, first)
            if (!started) {
              started = true
              h.watch('/', { onEvents: (e) => seen(e, late) }, { fromRevision: 1 })
            }
          },
        })
        await settle()
        commit(['/x'])
        await settle()
        commit(['/y'])
        return { first, late }
      },
    },
    {
      name: 'write during delivery (the nested batch comes after the current one, to everyone)',
      run: async () => {
        const { hub: h, commit } = hub()
        const first: string[] = []
        const second: string[] = []
        h.watch('/', { onEvents: (evs) => { seen(evs, first); if (first.length === 1) commit(['/nested']) } })
        h.watch('/', { onEvents: (evs) => seen(evs, second) })
        await settle()
        commit(['/x'])
        return { first, second }
      },
    },
  ]
  const want: Record<string, Record<string, string[]>> = {
    'cancel a later watcher during delivery': { first: ['/x@1+prev', '/y@2+prev'], second: [] },
    'start a watch during delivery (it catches up from history, once)': { first: ['/x@1+prev', '/y@2+prev'], late: ['/x@1+prev', '/y@2+prev'] },
    'write during delivery (the nested batch comes after the current one, to everyone)': { first: ['/x@1+prev', '/nested@2+prev'], second: ['/x@1+prev', '/nested@2+prev'] },
  }
  for (const c of cases) assert.equal(await c.run(), want[c.name], c.name)
})

test('a throwing handler ends its own watch only', async () => {
  const { hub: h, commit } = hub()
  const errors: string[] = []
  const ok: string[] = []
  h.watch('/', { onEvents: () => { throw new Error('boom') }, onError: (err) => errors.push(err.message) })
  h.watch('/', { onEvents: (evs) => seen(evs, ok) })
  await settle()
  commit(['/x'])
  commit(['/y'])
  assert.equal(errors, ['boom'])
  assert.equal(ok, ['/x@1+prev', '/y@2+prev'])
  assert.is(h.size, 1)
})

test.run()
