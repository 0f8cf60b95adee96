/**
 * The controller manager: wires each controller to informers (its own resource and its `watches`),
 * gives it a work queue, and runs reconciles — either step by step on a virtual clock (`settle`,
 * `advance`, `advanceTo`: deterministic, for tests and one-shot commands) or continuously on the
 * wall clock (`run`, for `capstan serve`).
 *
 * Outcomes of one reconcile, as controller-runtime handles them:
 * - success: the key's backoff is forgotten; `requeueAfterMs` re-adds it after that delay;
 * - a thrown error: logged and retried after the key's backoff (5 ms doubling, up to 1000 s);
 * - a TerminalError (or an error caused by one): logged and dropped.
 */
import type { ApiClient } from '../../api/client.js'
import type { KObject } from '../../api/object.js'
import { EventRecorders, type EventRecorderFactory, type LogFn } from './event-recorder.js'
import { readPagesForSave } from './paged-map.js'
import { Informer, type ChangeType, type InformerChange } from './informer.js'
import type { RateLimiterOptions } from './rate-limiter.js'
import { parseRequestKey, requestFor, RequestKeys } from './request-key.js'
import { TerminalError, type Clock, type Controller, type ControllerContext, type Request } from './types.js'
import { isSteppable, type SteppableClock } from './virtual-clock.js'
import { WorkQueue } from './work-queue.js'

/** What a manager needs. */
export interface ControllerManagerOptions {
  api: ApiClient
  clock: Clock
  /** Event recorders for the controllers' contexts; default: recorders over `api` and `clock`. */
  events?: EventRecorderFactory
  /** Structured log lines; default: silent. */
  log?: LogFn
  /** Reconciles of one key within one settle after which settle fails as a loop (default 10,000). */
  maxReconcilesPerKey?: number
  /** Retry backoff (client-go's defaults). */
  rateLimit?: RateLimiterOptions
}

/**
 * An incremental start: the objects changed since the controllers last settled (by resource, then
 * `namespace/name`), and their delayed work then. Only changed objects are enqueued (for
 * controllers that say they can start so; the others still resync everything), and the delayed
 * work is restored on the clock.
 */
export interface IncrementalStart {
  /** The objects of one resource changed since the resume point, by `namespace/name`. */
  changes(resource: string): Map<string, InformerChange>
  delayed: Array<{ controller: string; key: string; at: Date }>
  /**
   * The controllers' checkpoints saved with the resume point, by controller name, and the store
   * revision the changes run to. A controller restored from its checkpoint is not primed; a
   * resource that only restored controllers follow is not listed at all (its informer follows the
   * store from `revision`, and delivers the changed objects as they are now).
   */
  memories?: { byController: ReadonlyMap<string, StoredCheckpoint>; revision: number }
}

/** One controller's checkpoint as the state holds it: its memory (read when needed) and, when saved with it, its start requests. */
export interface StoredCheckpoint {
  data(): unknown
  start?: Request[]
  /** The format it was saved in, when saved with its start requests. */
  format?: number
}

/** One controller's checkpoint to store: its memory and, when the controller can tell, its start requests. */
export interface CheckpointToSave {
  data: unknown
  start?: Request[]
  format?: number
}

/** The work a manager holds: ready requests, and delayed ones with their due times. */
export interface PendingWork {
  queued: Array<{ controller: string; key: string }>
  delayed: Array<{ controller: string; key: string; at: Date }>
}

/** settle() gave up: one key was reconciled too often in one settle (a controller that keeps re-queueing itself). */
export class ReconcileLoopError extends Error {
  constructor(
    readonly controller: string,
    readonly key: string,
    readonly reconciles: number,
  ) {
    super(`controller "${controller}" reconciled "${key}" ${reconciles} times in one settle without the work running out; is it re-queueing itself?`)
    this.name = 'ReconcileLoopError'
  }
}

interface Slot {
  controller: Controller
  queue: WorkQueue
  /**
   * What the last reconcile of each key reconciled in this run asked for: a due time (ms), 'retry'
   * (an error's backoff), or null (nothing more; kept only while the key has a delayed entry
   * waiting, the one case where it matters). See resumableWork().
   */
  asked: Map<string, number | 'retry' | null>
  /** Restored from a checkpoint at the start (or to be, on first use: `deferred`). */
  restored: boolean
  /** A restore put off until the controller is first shown a change or reconciles. */
  deferred?: () => unknown
  /** Shown a change or run a reconcile since the start: its memory may differ from the checkpoint it restored. */
  touched: boolean
  /** Its deferred restore failed: no checkpoint is saved for it. */
  unusable?: boolean
}

/** Whether `err` is, or was caused by, a TerminalError (errors.Is, as controller-runtime checks it). */
function isTerminal(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 16; e = e.cause, depth++) {
    if (e instanceof TerminalError) return true
  }
  return false
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** The controller's event filter on a change to its own object; a filter that throws lets the change through. */
function accepted(controller: Controller, type: ChangeType, obj: KObject, old: KObject | undefined): boolean {
  try {
    return controller.accepts?.(type, obj, old) !== false
  } catch {
    return true
  }
}

/** Runs controllers over one API client and one clock. */
export class ControllerManager {
  readonly api: ApiClient
  readonly clock: Clock
  readonly events: EventRecorderFactory
  private readonly log: LogFn
  private readonly maxReconcilesPerKey: number
  private readonly rateLimit: RateLimiterOptions
  private readonly slots: Slot[] = []
  private readonly informers = new Map<string, Informer>()
  private starting: Promise<void> | undefined
  private running: Promise<void> | undefined
  private settling = false
  private stopped = false
  private incrementalStart = false
  /** The queue key of the change being delivered, shared by every handler it reaches. */
  private readonly keys = new RequestKeys()

  constructor({ api, clock, events, log = () => {}, maxReconcilesPerKey = 10_000, rateLimit = {} }: ControllerManagerOptions) {
    this.api = api
    this.clock = clock
    this.log = log
    this.events = events ?? new EventRecorders({ api, clock, log })
    this.maxReconcilesPerKey = maxReconcilesPerKey
    this.rateLimit = rateLimit
  }

  /** The context to build a controller with: the manager's api and clock, `component`'s event recorder, a log tagged with it. */
  contextFor(component: string, host?: string): ControllerContext {
    return {
      api: this.api,
      clock: this.clock,
      events: this.events.recorderFor(component, host),
      log: (line) => this.log({ controller: component, ...line }),
    }
  }

  /** Registers a controller (before `start`). Names must be unique; the order of registration is the order of work in `settle`. */
  add(controller: Controller): void {
    if (this.starting) throw new Error(`controller "${controller.name}" added after the manager started`)
    if (this.slots.some((s) => s.controller.name === controller.name)) throw new Error(`controller "${controller.name}" is already registered`)
    this.slots.push({ controller, queue: new WorkQueue(this.clock, this.rateLimit), asked: new Map(), restored: false, touched: false })
  }

  /**
   * Opens the informers: every controller's own resource and its watches, each from resourceVersion
   * "0", which enqueues every existing object once (the initial full resync). With `incremental`,
   * a controller marked `incremental` is primed with every object of its resource and has its
   * watch mappings run over every object (so what they remember is as after a full start), but
   * only objects changed since the resume point are enqueued, and its delayed work is restored.
   * A controller whose checkpoint the start carries is restored from it instead of primed, and a
   * resource followed only by restored controllers is not listed (see IncrementalStart.memories).
   * Idempotent (the first call's options win).
   */
  start(incremental?: IncrementalStart): Promise<void> {
    return (this.starting ??= this.open(incremental))
  }

  /**
   * Whether what the controllers remember may have missed something: a watch reported an error, a
   * watch mapping threw, a deferred checkpoint could not be restored, or a restored memory turned
   * out damaged (Checkpoint.damaged). Such a run should leave no resume point (the next start
   * resyncs everything).
   */
  get degraded(): boolean {
    return [...this.informers.values()].some((inf) => inf.failed !== undefined) || this.slots.some((s) => s.unusable || s.controller.checkpoint?.damaged?.() === true)
  }

  /** Whether the manager started incrementally. */
  get startedIncrementally(): boolean {
    return this.incrementalStart
  }

  private async open(incremental: IncrementalStart | undefined): Promise<void> {
    this.incrementalStart = !!incremental
    /** Resources some controller needs listed: one not restored from a checkpoint follows them. */
    const listed = new Set<string>()
    for (const slot of this.slots) {
      const { controller, queue } = slot
      const skipsUnchanged = !!incremental && controller.incremental === true
      if (skipsUnchanged) controller.resumed?.()
      const restored = skipsUnchanged && this.restore(slot, incremental.memories?.byController)
      if (!restored) for (const r of [controller.resource, ...(controller.watches ?? []).map((w) => w.resource)]) listed.add(r)
      this.informer(controller.resource).addHandler((type: ChangeType, obj: KObject, old, replay) => {
        if (replay === 'unchanged' && restored) return
        if (replay !== 'unchanged') this.touch(slot)
        if (replay === 'unchanged' && skipsUnchanged) {
          let wanted: boolean | void = false
          try {
            wanted = controller.prime?.(obj)
          } catch (err) {
            // A priming bug costs that object its start-up reconcile, never the start.
            this.log({ level: 'error', msg: 'prime failed', controller: controller.name, error: errorText(err) })
            wanted = true
          }
          if (wanted !== true) return
        } else if (controller.accepts && !accepted(controller, type, obj, old)) return
        queue.add(this.keys.of(controller.resource, obj.metadata.namespace, obj.metadata.name ?? ''))
      })
      for (const w of controller.watches ?? []) {
        this.informer(w.resource).addHandler((type, obj, old, replay) => {
          // A restored controller remembers the unchanged objects already.
          if (replay === 'unchanged' && restored) return
          if (replay !== 'unchanged') this.touch(slot)
          let reqs: Request[]
          try {
            reqs = w.map ? w.map(obj, old, type) : [requestFor(w.resource, obj)]
          } catch (err) {
            // A mapping bug must not break the API write that delivered the event; what the
            // controller remembers may now be incomplete, so it saves no checkpoint.
            this.log({ level: 'error', msg: 'watch mapping failed', controller: controller.name, resource: w.resource, error: errorText(err) })
            slot.unusable = true
            return
          }
          // An unchanged object's requests are the full resync's: the mapping ran for what it remembers.
          if (replay === 'unchanged' && skipsUnchanged) return
          for (const r of reqs) queue.add(this.keys.of(r.resource, r.namespace, r.name))
        })
      }
    }
    const memories = incremental?.memories
    for (const [resource, inf] of this.informers) {
      await inf.start(incremental?.changes(resource), memories && !listed.has(resource) ? { from: memories.revision } : undefined)
    }
    if (!incremental) return
    // Every informer has primed its handlers from its unchanged objects: now the changes.
    for (const inf of this.informers.values()) inf.release()
    // Delayed work of the controllers that did not resync, at its saved due time (at once when due).
    const now = this.clock.now().getTime()
    for (const d of incremental.delayed) {
      const slot = this.slots.find((s) => s.controller.name === d.controller)
      if (!slot || slot.controller.incremental !== true) continue
      slot.queue.addAfter(d.key, d.at.getTime() - now)
    }
  }

  /**
   * Restores a controller's checkpoint, if one was saved for it, and queues what its restore asks
   * for; false (the controller is primed instead) when there is none or the controller finds it
   * unusable. A restore that throws counts as unusable: a bug costs speed, never the start.
   */
  private restore(slot: Slot, memories: ReadonlyMap<string, StoredCheckpoint> | undefined): boolean {
    const { controller, queue } = slot
    const stored = memories?.get(controller.name)
    if (!controller.checkpoint || !stored) return false
    // Saved in a format this controller no longer reads: primed.
    if (stored.format !== undefined && stored.format !== controller.checkpoint.format) return false
    // Its start requests known: the memory is read when the controller first needs it.
    if (stored.start && stored.format !== undefined && controller.checkpoint.startRequests) {
      for (const r of stored.start) queue.add(this.keys.of(r.resource, r.namespace, r.name))
      slot.deferred = stored.data
      slot.restored = true
      return true
    }
    const reqs = this.restoreNow(slot, stored.data)
    if (!reqs) return false
    for (const r of reqs) queue.add(this.keys.of(r.resource, r.namespace, r.name))
    slot.restored = true
    return true
  }

  /** The controller's restore of `data`, or undefined when it finds it unusable or throws (logged). */
  private restoreNow(slot: Slot, data: () => unknown): Request[] | undefined {
    try {
      const reqs = slot.controller.checkpoint?.restore(data())
      if (reqs) return reqs
      this.log({ level: 'error', msg: 'checkpoint unusable', controller: slot.controller.name })
    } catch (err) {
      this.log({ level: 'error', msg: 'checkpoint restore failed', controller: slot.controller.name, error: errorText(err) })
    }
    return undefined
  }

  /**
   * Marks a controller as shown a change or reconciling, restoring its deferred checkpoint first.
   * A deferred restore that fails leaves it without that memory for this run (its start requests
   * are queued; nothing is listed again), and saves it no checkpoint, so the next start primes it.
   */
  private touch(slot: Slot): void {
    slot.touched = true
    const deferred = slot.deferred
    if (!deferred) return
    slot.deferred = undefined
    if (!this.restoreNow(slot, deferred)) slot.unusable = true
  }

  /**
   * The checkpoints to save with the resume point, by controller name: every incremental
   * controller's that can save one now (call when settled) — but for those restored at the start
   * and shown nothing since, whose memory is still the checkpoint they restored (`unchanged`).
   */
  checkpoints(): { changed: Map<string, CheckpointToSave>; unchanged: string[] } {
    const out = new Map<string, CheckpointToSave>()
    const unchanged: string[] = []
    for (const { controller, restored, touched, unusable } of this.slots) {
      if (controller.incremental !== true || !controller.checkpoint || unusable || controller.checkpoint.damaged?.() === true) continue
      if (restored && !touched) {
        unchanged.push(controller.name)
        continue
      }
      try {
        const data = controller.checkpoint.save()
        const cp = controller.checkpoint
        // A page only the save reads (a memory paged afresh) is checked now: one found malformed
        // leaves this checkpoint unsaved (the next start primes the controller; this run never used it).
        readPagesForSave(data)
        if (cp.damaged?.() === true) continue
        if (data !== undefined) out.set(controller.name, { data, ...(cp.startRequests && cp.format !== undefined ? { start: cp.startRequests(), format: cp.format } : {}) })
      } catch (err) {
        this.log({ level: 'error', msg: 'checkpoint save failed', controller: controller.name, error: errorText(err) })
      }
    }
    return { changed: out, unchanged }
  }

  private informer(resource: string): Informer {
    let inf = this.informers.get(resource)
    if (!inf) {
      inf = new Informer(this.api, resource, this.log)
      this.informers.set(resource, inf)
    }
    return inf
  }

  /**
   * Processes every queued request until none is left and no delayed request is due at
   * `clock.now()`. The order is deterministic: rounds over the controllers in registration order,
   * each taking the requests queued at the start of its turn, in queue order (what it enqueues for
   * itself waits for the next round, so a burst of changes to one key collapses into one
   * reconcile). Writes made during a reconcile enqueue their consequences at once, through the
   * informers; events recorded without being awaited are written before settle returns. Throws
   * ReconcileLoopError when one key is reconciled `maxReconcilesPerKey` times.
   */
  async settle(): Promise<void> {
    if (this.running) throw new Error('settle() cannot run while run() is processing')
    if (this.settling) throw new Error('settle() is already running (called from inside a reconcile?)')
    this.settling = true
    try {
      await this.start()
      // Reconciles per key in this settle, one map per controller (no joined key to build and hash).
      const counts = this.slots.map(() => new Map<string, number>())
      for (;;) {
        let worked = false
        for (let i = 0; i < this.slots.length; i++) {
          const slot = this.slots[i]
          const slotCounts = counts[i]
          slot.queue.promoteDue()
          for (let n = slot.queue.len(); n > 0; n--) {
            const key = slot.queue.get()
            if (key === undefined) break
            const count = (slotCounts.get(key) ?? 0) + 1
            if (count > this.maxReconcilesPerKey) {
              // Leave the key queued, so pending() still shows it.
              slot.queue.done(key)
              slot.queue.add(key)
              throw new ReconcileLoopError(slot.controller.name, key, this.maxReconcilesPerKey)
            }
            slotCounts.set(key, count)
            await this.process(slot, key)
            worked = true
          }
        }
        if (worked) continue
        // Event writes a reconcile did not await finish before settle says the work is done.
        await this.events.flush?.()
        if (this.slots.every((s) => (s.queue.promoteDue(), s.queue.len() === 0))) return
      }
    } finally {
      this.settling = false
    }
  }

  /** Moves a virtual clock forward by `ms`, settling at each due timer on the way (see advanceTo). */
  advance(ms: number): Promise<void> {
    return this.advanceTo(new Date(this.clock.now().getTime() + ms))
  }

  /**
   * Moves a virtual clock to `to`: settles now, then steps to each timer due by `to` in order
   * (delayed requests, retries, other components' timers), settling at each, and finally sets the
   * clock to `to` and settles once more.
   */
  async advanceTo(to: Date): Promise<void> {
    const clock = this.steppable()
    if (to.getTime() < clock.now().getTime()) {
      throw new RangeError(`cannot move the clock back from ${clock.now().toISOString()} to ${to.toISOString()}`)
    }
    await this.settle()
    for (;;) {
      const next = clock.nextTimer()
      if (!next || next.getTime() > to.getTime()) break
      clock.advanceTo(next)
      await this.settle()
    }
    clock.advanceTo(to)
    await this.settle()
  }

  private steppable(): SteppableClock {
    if (!isSteppable(this.clock)) throw new Error('advance needs a VirtualClock; a wall clock moves by itself (use run())')
    return this.clock
  }

  /**
   * Processes continuously until `stop()`: `workers` workers per controller (distinct keys at
   * once), delayed requests arriving through the clock's timers. Resolves when stopped.
   */
  run(): Promise<void> {
    if (this.settling) throw new Error('run() cannot start while settle() is processing')
    if (this.stopped) throw new Error('the manager was stopped')
    return (this.running ??= (async () => {
      await this.start()
      const workers: Array<Promise<void>> = []
      for (const slot of this.slots) {
        const n = Math.max(1, slot.controller.workers ?? 1)
        for (let i = 0; i < n; i++) workers.push(this.worker(slot))
      }
      await Promise.all(workers)
    })())
  }

  private async worker(slot: Slot): Promise<void> {
    const { queue } = slot
    while (!this.stopped) {
      const key = queue.get()
      if (key === undefined) {
        await queue.wait()
        continue
      }
      await this.process(slot, key)
      // Let timers and I/O in between reconciles, as goroutines would interleave.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }

  /** The work held now: ready requests in queue order, and delayed ones by due time. */
  pending(): PendingWork {
    const queued: PendingWork['queued'] = []
    const delayed: PendingWork['delayed'] = []
    for (const { controller, queue } of this.slots) {
      for (const key of queue.queued()) queued.push({ controller: controller.name, key })
      for (const d of queue.delayed()) delayed.push({ controller: controller.name, key: d.key, at: d.at })
    }
    delayed.sort((a, b) => a.at.getTime() - b.at.getTime())
    return { queued, delayed }
  }

  /**
   * The delayed work to carry into the next run's incremental start: what a full resync would
   * schedule again. Reconciles are level-based, so a key's last reconcile says what it still
   * wants; an earlier requeue it no longer asked for (a progress deadline re-check of a Deployment
   * that has since completed) stays in this run's queue, as client-go's delaying queue keeps it,
   * but would fire a reconcile that does nothing and is not carried over. Keys not reconciled in
   * this run keep their delayed work as it is (restored from the last run, or added by watches).
   */
  resumableWork(): PendingWork['delayed'] {
    const out: PendingWork['delayed'] = []
    for (const { controller, queue, asked } of this.slots) {
      for (const d of queue.delayed()) {
        const last = asked.get(d.key)
        if (last === null) continue
        // Asked for later than an earlier request still waiting: the full resync would ask the same.
        const at = typeof last === 'number' && last > d.at.getTime() ? new Date(last) : d.at
        out.push({ controller: controller.name, key: d.key, at })
      }
    }
    out.sort((a, b) => a.at.getTime() - b.at.getTime())
    return out
  }

  /** Stops the informers, drops queued and delayed work, and waits for running reconciles to end. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const inf of this.informers.values()) inf.stop()
    for (const { queue } of this.slots) queue.shutDown()
    if (this.running) await this.running
  }

  /** One reconcile of one key, and what its outcome does to the queue. */
  private async process(slot: Slot, key: string): Promise<void> {
    const { controller, queue, asked } = slot
    this.touch(slot)
    try {
      const result = await controller.reconcile(parseRequestKey(key))
      queue.forget(key)
      const after = result?.requeueAfterMs
      const requeues = typeof after === 'number' && Number.isFinite(after)
      if (requeues && after > 0) asked.set(key, this.clock.now().getTime() + after)
      // Nothing more asked: the answer matters only against a delayed entry still waiting (see
      // resumableWork); without one, forgetting the key says the same and keeps the map from
      // holding every key ever reconciled.
      else if (queue.isWaiting(key)) asked.set(key, null)
      else asked.delete(key)
      if (requeues) queue.addAfter(key, after)
    } catch (err) {
      asked.set(key, isTerminal(err) ? null : 'retry')
      if (isTerminal(err)) {
        this.log({ level: 'error', msg: 'Reconciler error (terminal, not retried)', controller: controller.name, key, error: errorText(err), time: this.clock.now().toISOString() })
      } else {
        queue.addRateLimited(key)
        this.log({
          level: 'error',
          msg: 'Reconciler error',
          controller: controller.name,
          key,
          error: errorText(err),
          retries: queue.numRequeues(key),
          time: this.clock.now().toISOString(),
        })
      }
    } finally {
      queue.done(key)
    }
  }
}
