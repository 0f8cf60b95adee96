/**
 * An informer: one watch of one resource, shared by every controller interested in it. It starts
 * from resourceVersion "0" (an ADDED event for every existing object: the initial full resync),
 * remembers the last state of each object so handlers see the previous state (`old`) of a change,
 * and calls its handlers synchronously as events arrive — so a write made inside a reconcile has
 * enqueued its consequences before the write returns.
 *
 * An incremental start (`start(changes)`) lists the same objects, but tells the handlers which of
 * them are unchanged since the resume point (`replay: 'unchanged'`), and holds back the changed
 * ones until `release()`: then a changed object is delivered with its state at the resume point as
 * `old`, and an object deleted since as a DELETED event. The manager releases every informer only
 * after all of them have listed, so a watch mapping that a change runs (a Secret's change finding
 * the Ingresses that name it) sees memories primed from every kind's unchanged objects.
 *
 * When every controller that follows the resource restored its memory from a checkpoint, the start
 * need not list anything (`start(changes, { from })`): the informer watches from the revision the
 * changes run to, and `release()` delivers the changed objects as they are now (`after`). Objects it
 * never listed get their previous state from the watch event when they change later.
 */
import type { ApiClient, ApiWatch, WatchEvent } from '../../api/client.js'
import type { KObject } from '../../api/object.js'

/** What happened to an object. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED'

/**
 * Called for every change: the object (for DELETED, its last state) and its previous state, if
 * known. `replay` is 'unchanged' for an object an incremental start lists although it did not
 * change since the resume point.
 */
export type ChangeHandler = (type: ChangeType, obj: KObject, old: KObject | undefined, replay?: 'unchanged') => void

/** An object changed since a resume point: its state then (absent: created since) and, when deleted since, its last state and the deletion's revision. */
export interface InformerChange {
  before?: KObject
  /** Its state now (absent: deleted since); what an unlisted start delivers. */
  after?: KObject
  deleted?: { last: KObject; revision: number }
  /** Deleted and created again under the same name since: the old object (the listed one is new). */
  replaced?: KObject
}

/** One resource's watch and the last-seen state of its objects. */
export class Informer {
  private readonly objects = new Map<string, KObject>()
  private readonly handlers: ChangeHandler[] = []
  private watch: ApiWatch | undefined
  private starting: Promise<void> | undefined
  /** While an incremental start lists the objects: the changes since the resume point, by `namespace/name`. */
  private replaying: Map<string, InformerChange> | undefined
  /** What an incremental start holds back until `release()`: the changes, and the changed objects as listed. */
  private held: { changes: Map<string, InformerChange>; listed: KObject[]; unlisted: boolean; live: Set<string> } | undefined
  /** Set when the watch reported an error: what the handlers were told may be incomplete. */
  private failure: unknown

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

  /**
   * Opens the watch (once); resolves after the initial events have been delivered. With `changes`
   * (keyed `namespace/name`), an incremental start: see the file's comment (call `release()` next);
   * with `unlisted.from` too, one that lists nothing and follows the store from that revision.
   */
  start(changes?: Map<string, InformerChange>, unlisted?: { from: number }): Promise<void> {
    return (this.starting ??= this.open(changes, changes ? unlisted : undefined))
  }

  private async open(changes: Map<string, InformerChange> | undefined, unlisted: { from: number } | undefined): Promise<void> {
    if (changes) this.held = { changes, listed: [], unlisted: !!unlisted, live: new Set() }
    if (unlisted) {
      this.watch = await this.api.watch(this.resource, { resourceVersion: String(unlisted.from) }, (ev) => this.onEvent(ev))
      // Not followed from there (too old for the server, say): the start cannot be incremental.
      if (this.failure) throw new Error(`the watch of ${this.resource} from revision ${unlisted.from} failed: ${JSON.stringify(this.failure)}`)
      return
    }
    this.replaying = changes
    try {
      this.watch = await this.api.watch(this.resource, { resourceVersion: '0' }, (ev) => this.onEvent(ev))
    } finally {
      this.replaying = undefined
    }
  }

  /**
   * Delivers what an incremental start held back: each changed object (as MODIFIED with its state
   * at the resume point, or ADDED when created since — after a DELETED of the old object when it
   * was deleted and created again), then each object deleted since (as a live DELETED event). Does nothing after a full start or a second time.
   */
  release(): void {
    const held = this.held
    this.held = undefined
    if (!held) return
    if (held.unlisted) {
      for (const [key, change] of held.changes) {
        const obj = change.after
        // Deleted since (below), or changed again since the watch started (a live event told the handlers).
        if (!obj || held.live.has(key)) continue
        this.objects.set(key, obj)
        if (change.replaced) this.deliver('DELETED', change.replaced, change.replaced)
        this.deliver(change.before ? 'MODIFIED' : 'ADDED', obj, change.before)
      }
    }
    for (const obj of held.listed) {
      const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`
      // Changed again since it was listed (a live event already told the handlers): nothing held.
      if (this.objects.get(key) !== obj) continue
      const change = held.changes.get(key)
      if (change?.replaced) this.deliver('DELETED', change.replaced, change.replaced)
      const old = change?.before
      this.deliver(old ? 'MODIFIED' : 'ADDED', obj, old)
    }
    // Objects deleted since the resume point: the list did not have them.
    for (const [key, c] of held.changes) {
      if (!c.deleted || this.objects.has(key) || held.live.has(key)) continue
      // As a live DELETED event: the last state at the deletion's revision, and the last state as `old`.
      const { last, revision } = c.deleted
      this.deliver('DELETED', { ...last, metadata: { ...last.metadata, resourceVersion: String(revision) } }, last)
    }
  }

  /** The watch's error, if it reported one (it then follows nothing more). */
  get failed(): unknown {
    return this.failure
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
    this.held = undefined
    this.objects.clear()
  }

  private onEvent(ev: WatchEvent): void {
    if (ev.type === 'BOOKMARK') return
    if (ev.type === 'ERROR') {
      this.failure = ev.object
      this.log({ level: 'error', msg: 'watch error', resource: this.resource, status: ev.object })
      return
    }
    const obj = ev.object as KObject
    const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`
    // An object an unlisted start never saw: its previous state as the watch knows it.
    const old = this.objects.get(key) ?? (ev.type !== 'ADDED' ? ev.prevObject : undefined)
    // A live change before release(): what release holds for this object is older news.
    if (this.held && !this.replaying) this.held.live.add(key)
    if (ev.type === 'DELETED') this.objects.delete(key)
    else this.objects.set(key, obj)
    if (this.replaying && ev.type === 'ADDED') {
      const c = this.replaying.get(key)
      if (!c) {
        this.deliver('ADDED', obj, undefined, 'unchanged')
        return
      }
      this.held?.listed.push(obj)
      return
    }
    this.deliver(ev.type, obj, old)
  }

  private deliver(type: ChangeType, obj: KObject, old: KObject | undefined, replay?: 'unchanged'): void {
    for (const h of this.handlers) {
      try {
        h(type, obj, old, replay)
      } catch (err) {
        // Events arrive inside the API write that caused them: a handler's bug must not fail that write.
        this.log({ level: 'error', msg: 'watch handler failed', resource: this.resource, error: err instanceof Error ? err.message : String(err) })
      }
    }
  }
}
