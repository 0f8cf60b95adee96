/**
 * An informer: one watch of one resource, shared by every controller interested in it. It starts
 * from resourceVersion "0" (an ADDED event for every existing object: the initial full resync),
 * remembers the last state of each object so handlers see the previous state (`old`) of a change,
 * and calls its handlers synchronously as events arrive — so a write made inside a reconcile has
 * enqueued its consequences before the write returns.
 */
import type { ApiClient, ApiWatch, WatchEvent } from '../../api/client.js'
import type { KObject } from '../../api/object.js'

/** What happened to an object. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED'

/** Called for every change: the object (for DELETED, its last state) and its previous state, if known. */
export type ChangeHandler = (type: ChangeType, obj: KObject, old: KObject | undefined) => void

/** One resource's watch and the last-seen state of its objects. */
export class Informer {
  private readonly objects = new Map<string, KObject>()
  private readonly handlers: ChangeHandler[] = []
  private watch: ApiWatch | undefined
  private starting: Promise<void> | undefined

  constructor(
    private readonly api: ApiClient,
    readonly resource: string,
    private readonly log: (line: Record<string, unknown>) => void,
  ) {}

  /** Adds a handler; once the informer has started, the handler first sees an ADDED for every known object. */
  addHandler(handler: ChangeHandler): void {
    this.handlers.push(handler)
    if (this.watch) for (const obj of this.objects.values()) handler('ADDED', obj, undefined)
  }

  /** Opens the watch (once); resolves after the initial ADDED events have been delivered. */
  start(): Promise<void> {
    return (this.starting ??= this.api.watch(this.resource, { resourceVersion: '0' }, (ev) => this.onEvent(ev)).then((w) => {
      this.watch = w
    }))
  }

  /** The last-seen state of every object (shared, never to be changed). */
  list(): KObject[] {
    return [...this.objects.values()]
  }

  /** Closes the watch. */
  stop(): void {
    this.watch?.stop()
    this.watch = undefined
    this.starting = undefined
    this.objects.clear()
  }

  private onEvent(ev: WatchEvent): void {
    if (ev.type === 'BOOKMARK') return
    if (ev.type === 'ERROR') {
      // The watch starts at "0" from the server's cache, so it cannot be too old; report anything else.
      this.log({ level: 'error', msg: 'watch error', resource: this.resource, status: ev.object })
      return
    }
    const obj = ev.object as KObject
    const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`
    const old = this.objects.get(key)
    if (ev.type === 'DELETED') this.objects.delete(key)
    else this.objects.set(key, obj)
    for (const h of this.handlers) {
      try {
        h(ev.type, obj, old)
      } catch (err) {
        // Events arrive inside the API write that caused them: a handler's bug must not fail that write.
        this.log({ level: 'error', msg: 'watch handler failed', resource: this.resource, error: err instanceof Error ? err.message : String(err) })
      }
    }
  }
}
