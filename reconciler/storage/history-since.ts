/**
 * The events under a prefix written after a revision, up to the store's current revision, read
 * from the store's history: what a reader that last saw the store at `from` has missed. A backend
 * that reports when a watch has caught up (`reportsSync`) is watched under the prefix alone, so
 * other keys' values are never read; another is followed from the root, whose last event is the
 * store's revision, so the read knows where it ends even when nothing under the prefix changed.
 */
import type { Storage, WatchEvent } from './types.js'

/** How long reading the history may take before the reader is told to read the store whole instead. */
const HISTORY_WAIT_MS = 30_000

/** The prefix's events after `from`, and the revision they run to; undefined when that history is gone (compacted) or `from` is ahead of the store. */
export async function historySince(storage: Storage, prefix: string, from: number): Promise<{ events: WatchEvent[]; revision: number } | undefined> {
  const target = await storage.revision()
  if (from > target || from < (await storage.compactedRevision())) return undefined
  if (from === target) return { events: [], revision: target }
  const out: WatchEvent[] = []
  const synced = storage.reportsSync === true
  return new Promise((resolve) => {
    let done = false
    let w: { cancel(): void } | undefined
    const finish = (v: { events: WatchEvent[]; revision: number } | undefined): void => {
      done = true
      clearTimeout(guard)
      queueMicrotask(() => w?.cancel())
      resolve(v)
    }
    const guard = setTimeout(() => {
      if (!done) finish(undefined)
    }, HISTORY_WAIT_MS)
    guard.unref?.()
    try {
      w = storage.watch(
        synced ? prefix : '/',
        {
          onEvents(events) {
            if (done) return
            let rev = 0
            for (const ev of events) {
              rev = ev.type === 'put' ? ev.kv.modRevision : ev.revision
              if (rev > target) break
              if ((ev.type === 'put' ? ev.kv.key : ev.key).startsWith(prefix)) out.push(ev)
            }
            if (!synced && rev >= target) finish({ events: out, revision: target })
          },
          onSynced(revision) {
            // Caught up short of the revision read first (another process's writes this handle has
            // not seen yet): no complete answer; the reader loads the store whole.
            if (!done) finish(revision >= target ? { events: out, revision: target } : undefined)
          },
          onError() {
            if (!done) finish(undefined)
          },
        },
        { fromRevision: from + 1 },
      )
    } catch {
      clearTimeout(guard)
      resolve(undefined)
    }
  })
}
