/**
 * The watcher registry shared by every in-process backend: catch-up from history, then live
 * delivery of committed transactions in revision order, each event exactly once.
 */
import { StorageError, type Watch, type WatchEvent, type WatchHandlers, type WatchOptions } from './types.js'

/** The events of one committed transaction, all at one revision. */
export interface EventBatch {
  revision: number
  events: WatchEvent[]
}

/** Where the hub reads history from when a watch starts at an older revision. */
export interface WatchHistory {
  /** The oldest revision still readable. */
  compactedRevision(): number
  /** Batches with `from <= revision <= to`, in revision order; a backend may leave out the events whose keys are not under `prefix`. */
  read(from: number, to: number, prefix: string): EventBatch[]
}

interface Watcher {
  prefix: string
  handlers: WatchHandlers
  prevKv: boolean
  /** The next revision this watcher may receive; lower ones were delivered or predate it. */
  next: number
  /** False until history up to the hub's last revision has been delivered. */
  live: boolean
  done: boolean
}

/** History batches delivered in one onEvents call, at least (never splitting a transaction). */
const CATCH_UP_CHUNK = 1000

/** Registry of watchers of one store handle; the backend calls `dispatch` after every commit. */
export class WatchHub {
  private readonly watchers = new Set<Watcher>()
  private readonly queue: EventBatch[] = []
  private dispatching = false
  /** The highest revision handed to `dispatch` (or known at open). */
  lastRevision: number

  constructor(private readonly history: WatchHistory, lastRevision: number) {
    this.lastRevision = lastRevision
  }

  /** Starts a watch; history (when fromRevision is old) is delivered from a microtask, then live events. */
  watch(prefix: string, handlers: WatchHandlers, opts: WatchOptions = {}): Watch {
    const from = opts.fromRevision !== undefined && opts.fromRevision > 0 ? opts.fromRevision : this.lastRevision + 1
    const w: Watcher = { prefix, handlers, prevKv: opts.prevKv !== false, next: from, live: false, done: false }
    this.watchers.add(w)
    queueMicrotask(() => this.catchUp(w))
    return {
      cancel: () => {
        w.done = true
        this.watchers.delete(w)
      },
      progress: () => (w.live && !w.done ? w.next - 1 : undefined),
    }
  }

  /** Delivers one committed transaction to every live watcher (re-entrant calls are queued). */
  dispatch(batch: EventBatch): void {
    this.queue.push(batch)
    if (batch.revision > this.lastRevision) this.lastRevision = batch.revision
    if (this.dispatching) return
    this.dispatching = true
    try {
      for (let b = this.queue.shift(); b !== undefined; b = this.queue.shift()) {
        // The set itself, not a copy: a watch cancelled meanwhile is marked done, and one started
        // meanwhile is not live yet (its catch-up delivers this batch), so both are skipped.
        for (const w of this.watchers) if (w.live && !w.done) this.deliverLive(w, b)
      }
    } finally {
      this.dispatching = false
    }
  }

  /** Ends every watch with `err` (e.g. history this handle had not yet delivered was compacted away). */
  failAll(err: Error): void {
    for (const w of [...this.watchers]) this.fail(w, err)
  }

  /** Ends every watch silently (the store is closing). */
  closeAll(): void {
    for (const w of this.watchers) w.done = true
    this.watchers.clear()
  }

  /** Number of active watches (for tests and metrics). */
  get size(): number {
    return this.watchers.size
  }

  private catchUp(w: Watcher): void {
    if (w.done) return
    if (w.next <= this.lastRevision) {
      const compacted = this.history.compactedRevision()
      if (w.next < compacted) {
        this.fail(w, new StorageError('Compacted', `watch from revision ${w.next}: history before ${compacted} has been compacted`))
        return
      }
      let batches: EventBatch[]
      try {
        batches = this.history.read(w.next, this.lastRevision, w.prefix)
      } catch (err) {
        this.fail(w, err instanceof Error ? err : new StorageError('Io', String(err)))
        return
      }
      for (let i = 0; i < batches.length && !w.done;) {
        let j = i
        let count = 0
        while (j < batches.length && count < CATCH_UP_CHUNK) count += batches[j++].events.length
        this.deliver(w, batches.slice(i, j))
        i = j
      }
      if (w.done) return
      w.next = Math.max(w.next, this.lastRevision + 1)
    }
    w.live = true
    w.handlers.onSynced?.(w.next - 1)
  }

  /** deliver(w, [b]) without the arrays when nothing of `b` is under the watcher's prefix (most batches, for most watchers). */
  private deliverLive(w: Watcher, b: EventBatch): void {
    if (b.revision < w.next) return
    w.next = b.revision + 1
    let out: WatchEvent[] | undefined
    for (const ev of b.events) {
      if (!eventKey(ev).startsWith(w.prefix)) continue
      ;(out ??= []).push(w.prevKv || ev.prevKv === undefined ? ev : withoutPrevKv(ev))
    }
    if (out) this.handOver(w, out)
  }

  /** Hands `w` the events of `batches` under its prefix at or after its next revision. */
  private deliver(w: Watcher, batches: EventBatch[]): void {
    const out: WatchEvent[] = []
    let last = 0
    for (const b of batches) {
      if (b.revision < w.next) continue
      last = b.revision
      for (const ev of b.events) {
        if (!eventKey(ev).startsWith(w.prefix)) continue
        out.push(w.prevKv || ev.prevKv === undefined ? ev : withoutPrevKv(ev))
      }
    }
    if (last === 0) return
    w.next = last + 1
    if (out.length === 0) return
    this.handOver(w, out)
  }

  /** Calls the watcher's handler with `events`. */
  private handOver(w: Watcher, events: WatchEvent[]): void {
    try {
      w.handlers.onEvents(events)
    } catch (err) {
      // A throwing handler ends its own watch only; the writer and other watchers carry on.
      this.fail(w, err instanceof Error ? err : new Error(String(err)))
    }
  }

  private fail(w: Watcher, err: Error): void {
    if (w.done) return
    w.done = true
    this.watchers.delete(w)
    if (w.handlers.onError === undefined) {
      process.emitWarning(`storage watch on ${JSON.stringify(w.prefix)} ended: ${err.message}`, { code: 'CAPSTAN_WATCH_ENDED' })
      return
    }
    try {
      w.handlers.onError(err)
    } catch {
      // An onError that throws has nowhere left to report to.
    }
  }
}

/** The key an event is about. */
export function eventKey(ev: WatchEvent): string {
  return ev.type === 'put' ? ev.kv.key : ev.key
}

/** The revision an event happened at. */
export function eventRevision(ev: WatchEvent): number {
  return ev.type === 'put' ? ev.kv.modRevision : ev.revision
}

function withoutPrevKv(ev: WatchEvent): WatchEvent {
  return ev.type === 'put' ? { type: 'put', kv: ev.kv } : { type: 'delete', key: ev.key, revision: ev.revision }
}
