/**
 * One storage watch over an etcd watch stream: created at a revision, delivering each response's
 * events in order, resuming after the last delivered revision when the stream breaks (a member
 * died: the next stream goes to another), and ending with StorageError('Compacted') when etcd
 * reports the history it needs compacted, so the API's informers relist.
 */
import type { Etcd3, IEvent, IWatchResponse } from 'etcd3'
import { StorageError, type WatchEvent, type WatchHandlers } from '../types.js'
import { fromEtcdRevision, toKeyValue } from './codec.js'

/** The stream of one watch, as etcd3's WatchClient hands it out. */
type WatchStream = Awaited<ReturnType<Etcd3['watchClient']['watch']>>

/** What an EtcdWatch needs to start. */
export interface EtcdWatchSpec {
  key: Buffer
  rangeEnd: Buffer
  /** The etcd revision of the first event to deliver. */
  startRevision: Promise<number>
  prevKv: boolean
  handlers: WatchHandlers
  /** Called once when the watch ends (cancelled, failed or closed). */
  onDone: () => void
}

export class EtcdWatch {
  /** The etcd revision the next (re)created stream starts at; 0 until the start revision is known. */
  private next = 0
  private stream: WatchStream | undefined
  private done = false
  private backoff = 20
  private readonly waiters: { revision: number; resolve: () => void }[] = []

  constructor(private readonly client: Etcd3, private readonly spec: EtcdWatchSpec) {
    spec.startRevision.then(
      (rev) => {
        this.advance(rev)
        this.connect()
      },
      (err: unknown) => this.fail(err instanceof Error ? err : new StorageError('Io', String(err))),
    )
  }

  /** True when a write to `key` (UTF-8 bytes) is inside this watch's range. */
  covers(key: Buffer): boolean {
    if (Buffer.compare(key, this.spec.key) < 0) return false
    const end = this.spec.rangeEnd
    return (end.length === 1 && end[0] === 0) || Buffer.compare(key, end) < 0
  }

  /** Resolves once events up to etcd revision `revision` were delivered (or the watch ended). */
  reached(revision: number): Promise<void> {
    if (this.done || (this.next !== 0 && this.next > revision)) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ revision, resolve }))
  }

  /** Ends the watch; nothing is delivered after this returns. */
  cancel(): void {
    if (this.done) return
    this.done = true
    this.dropStream()
    this.release()
    this.spec.onDone()
  }

  private connect(): void {
    if (this.done) return
    this.client.watchClient.watch().then(
      (stream) => {
        if (this.done) return void closeStream(stream)
        this.stream = stream
        stream.on('data', (res: IWatchResponse) => this.onResponse(stream, res))
        stream.on('error', (err: Error) => this.onBroken(stream, err))
        stream.on('end', () => this.onBroken(stream, new Error('watch stream ended')))
        stream.write({
          create_request: {
            key: this.spec.key,
            range_end: this.spec.rangeEnd,
            start_revision: this.next,
            prev_kv: this.spec.prevKv,
            progress_notify: true,
          },
        })
      },
      (err: Error) => this.onBroken(undefined, err),
    )
  }

  private onResponse(stream: WatchStream, res: IWatchResponse): void {
    if (this.done || stream !== this.stream) return
    this.backoff = 20
    if (res.compact_revision !== undefined && Number(res.compact_revision) > 0) {
      const oldest = fromEtcdRevision(res.compact_revision)
      this.fail(new StorageError('Compacted', `watch from revision ${fromEtcdRevision(this.next)}: history before ${oldest} has been compacted`))
      return
    }
    if (res.canceled) {
      this.fail(new StorageError('Io', `etcd cancelled the watch: ${res.cancel_reason || 'no reason given'}`))
      return
    }
    if (res.events.length === 0) {
      // A progress notification: every event up to the header's revision was sent.
      if (!res.created) this.advance(Number(res.header.revision) + 1)
      return
    }
    const events = res.events.map((ev) => this.toEvent(ev))
    const last = Number(res.events[res.events.length - 1].kv.mod_revision)
    try {
      this.spec.handlers.onEvents(events)
    } catch (err) {
      // A throwing handler ends its own watch only.
      this.fail(err instanceof Error ? err : new Error(String(err)))
      return
    }
    this.advance(last + 1)
  }

  private toEvent(ev: IEvent): WatchEvent {
    const prev = this.spec.prevKv && ev.prev_kv ? toKeyValue(ev.prev_kv) : undefined
    if (String(ev.type).toUpperCase() === 'DELETE') {
      const e: WatchEvent = { type: 'delete', key: ev.kv.key.toString('utf8'), revision: fromEtcdRevision(ev.kv.mod_revision) }
      return prev ? { ...e, prevKv: prev } : e
    }
    return prev ? { type: 'put', kv: toKeyValue(ev.kv), prevKv: prev } : { type: 'put', kv: toKeyValue(ev.kv) }
  }

  /** Records that every event before etcd revision `next` was delivered, and wakes waiters. */
  private advance(next: number): void {
    if (next <= this.next) return
    this.next = next
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].revision < next) {
        this.waiters[i].resolve()
        this.waiters.splice(i, 1)
      }
    }
  }

  /** The stream broke: reconnect after a backoff, resuming after the last delivered revision. */
  private onBroken(stream: WatchStream | undefined, _err: Error): void {
    if (this.done || (stream !== undefined && stream !== this.stream)) return
    this.dropStream()
    const delay = this.backoff
    this.backoff = Math.min(this.backoff * 2, 1000)
    setTimeout(() => this.connect(), delay).unref()
  }

  private fail(err: Error): void {
    if (this.done) return
    this.cancel()
    if (this.spec.handlers.onError === undefined) {
      process.emitWarning(`storage watch ended: ${err.message}`, { code: 'CAPSTAN_WATCH_ENDED' })
      return
    }
    try {
      this.spec.handlers.onError(err)
    } catch {
      // An onError that throws has nowhere left to report to.
    }
  }

  private dropStream(): void {
    const s = this.stream
    this.stream = undefined
    if (s) closeStream(s)
  }

  private release(): void {
    for (const w of this.waiters.splice(0)) w.resolve()
  }
}

/**
 * Closes a watch stream without etcd3 counting it as a failed member: it marks the member failed
 * (and resets every channel to it) on a stream error while the stream is still writable, so the
 * writing side is ended first.
 */
function closeStream(stream: WatchStream): void {
  try {
    stream.end()
  } catch {
    // Already ended.
  }
  stream.cancel()
}
