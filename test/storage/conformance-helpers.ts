/** Small helpers shared by the conformance suite files. */
import * as assert from 'uvu/assert'
import { isStorageError, type KeyValue, type Storage, type StorageErrorCode, type TxnResult, type Watch, type WatchEvent, type WatchOptions } from '../../reconciler/storage/types.js'

/** Puts one key (no compare) and returns the txn result. */
export function put(s: Storage, key: string, value: string): Promise<TxnResult> {
  return s.txn({ success: [{ type: 'put', key, value }] })
}

/** Deletes one key (no compare). */
export function del(s: Storage, key: string): Promise<TxnResult> {
  return s.txn({ success: [{ type: 'delete', key }] })
}

/** Asserts that `p` rejects with a StorageError of `code`. */
export async function rejects(p: Promise<unknown> | (() => unknown), code: StorageErrorCode): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (err) {
    assert.ok(isStorageError(err, code), `expected StorageError ${code}, got ${String(err)}`)
    return
  }
  assert.unreachable(`expected StorageError ${code}`)
}

/** Keys of a list of key values. */
export function keysOf(items: KeyValue[]): string[] {
  return items.map((kv) => kv.key)
}

/** A recorded watch: every event and error it received. */
export interface Recorder {
  events: WatchEvent[]
  errors: Error[]
  /** Number of onEvents calls. */
  calls: number
  watch: Watch
}

/** Starts a watch that records what it receives. */
export function record(s: Storage, prefix: string, opts?: WatchOptions): Recorder {
  const r = { events: [], errors: [], calls: 0 } as unknown as Recorder
  r.watch = s.watch(
    prefix,
    {
      onEvents: (evs) => {
        r.calls++
        r.events.push(...evs)
      },
      onError: (err) => r.errors.push(err),
    },
    opts,
  )
  return r
}

/** Waits until `cond` holds (polling), failing after `ms`. */
export async function waitFor(cond: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) assert.unreachable(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** Lets pending microtasks and immediates run (history catch-up of in-process watches). */
export function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 5))
}

/** A compact description of an event, for deep-equal assertions. */
export function describe(ev: WatchEvent): string {
  if (ev.type === 'put') return `put ${ev.kv.key}=${ev.kv.value}@${ev.kv.modRevision}${ev.prevKv ? ` prev=${ev.prevKv.value}@${ev.prevKv.modRevision}` : ''}`
  return `delete ${ev.key}@${ev.revision}${ev.prevKv ? ` prev=${ev.prevKv.value}@${ev.prevKv.modRevision}` : ''}`
}
