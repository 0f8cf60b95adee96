/**
 * The controller contract (controller-runtime's, in our words). A reconcile request names an object
 * and carries nothing else: reconciliation is level-based, it reads the current state and acts on
 * it, so a missed or repeated event never matters.
 */
import type { ApiClient } from '../../api/client.js'
import type { KObject } from '../../api/object.js'

/** Which object to reconcile: the kind's resource name (plural, e.g. `deployments`), namespace, name. */
export interface Request {
  resource: string
  namespace?: string
  name: string
}

/** What a reconcile asks for next: nothing, or to run again after a delay on the controller's clock. */
export interface Result {
  requeueAfterMs?: number
}

/** One reconciler: called with one request at a time per key, never twice at once for the same key. */
export interface Reconciler {
  reconcile(req: Request): Promise<Result>
}

/**
 * The time controllers read. `now()` is the wall clock in `capstan serve` and a virtual clock,
 * persisted in the state, in one-shot commands and tests.
 */
export interface Clock {
  now(): Date
  /** Calls `fn` once the clock reaches `at` (at once if it already has). Returns a cancel function. */
  at(at: Date, fn: () => void): () => void
}

/** An error a reconcile throws to say "do not retry" (logged and dropped, as controller-runtime's TerminalError). */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TerminalError'
  }
}

/** Records Kubernetes Events about objects (core/v1 Event, with count aggregation as client-go's recorder). */
export interface EventRecorder {
  /** type is 'Normal' or 'Warning'; reason is PascalCase (ScalingReplicaSet, FailedCreate, …). */
  event(object: KObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>
}

/** A watched kind and how its changes map to this controller's requests. */
export interface Watch {
  /** The resource watched (`replicasets`). */
  resource: string
  /**
   * The requests a change to `obj` (previous state `old`, if any; `type` what happened, for a
   * DELETED `obj` is the last state) enqueues; default: the object itself.
   */
  map?(obj: KObject, old: KObject | undefined, type?: 'ADDED' | 'MODIFIED' | 'DELETED'): Request[]
}

/** What every controller is given. */
export interface ControllerContext {
  api: ApiClient
  clock: Clock
  events: EventRecorder
  /** A structured log line, tagged with the controller's name by the manager. */
  log(line: Record<string, unknown>): void
}

/**
 * What a controller remembers of the objects it is not reconciling, kept in the state beside the
 * controllers' resume point so that the next one-shot command can start without listing every
 * object (see manager.ts, IncrementalStart.memories). The saved data is the controller's memory as
 * the manager stopped settled; restoring it must leave the controller exactly as a continuously
 * running one would be at that point — as `prime` over every object, and every watch mapping over
 * every object, would have left it.
 */
export interface Checkpoint {
  /** The memory as JSON-serialisable data (called when the manager is settled); undefined when it cannot be saved complete. */
  save(): unknown
  /**
   * Restores what `save` returned, at an incremental start, instead of `prime` and the replay of
   * unchanged objects to the watch mappings. Returns the requests to enqueue at the start (what
   * `prime` would have returned true for), or undefined when `data` is unusable: the start then
   * primes this controller from every object as usual.
   */
  restore(data: unknown): Request[] | undefined
  /**
   * What `restore` of the memory `save` returns now would return (optional). With it, the manager
   * puts the restore off until the controller is first shown a change or reconciles, and queues
   * these at the start: a command that touches nothing of it never reads its memory.
   */
  startRequests?(): Request[]
  /**
   * The format of the data `save` returns now (with `startRequests`): a checkpoint stored in
   * another format is not restored but primed, decided at the start without reading it.
   */
  readonly format?: number
  /**
   * Whether a part of the restored memory read after the restore turned out malformed (optional).
   * A restore may check only the data's outline and leave each record to be checked when first
   * read, so that it costs a few Map constructions, not a pass over every record. A malformed
   * record is then treated as absent, and the memory as damaged: the manager saves no checkpoint
   * for it and leaves no resume point (the next start resyncs every object), as after a watch
   * mapping that threw.
   */
  damaged?(): boolean
}

/** A controller: a name, what it watches, and its reconciler. */
export interface Controller extends Reconciler {
  readonly name: string
  /** The kind it reconciles (its own objects enqueue themselves). */
  readonly resource: string
  /** Other kinds whose changes enqueue requests (e.g. a Deployment watches its ReplicaSets). */
  readonly watches?: Watch[]
  /** How many requests it may run at once (distinct keys). Default 1. */
  readonly workers?: number
  /**
   * True when the controller can start incrementally: objects unchanged since its last settled
   * run are not reconciled, so whatever its reconciles remember of them must come from `prime`,
   * from its watch mappings (which still see every object), from the API when needed, or not be
   * needed at all. Unset: every start reconciles every object.
   */
  readonly incremental?: boolean
  /** Called once when the manager starts incrementally (before any `prime`): reconciles will not have seen every object. */
  resumed?(): void
  /**
   * On an incremental start, called with every unchanged object of `resource` (shared: never
   * change it) before any reconcile. Returning true enqueues the object all the same (its start-up
   * reconcile does something, as a restart-time event would).
   */
  prime?(obj: KObject): boolean | void
  /** Its memory saved and restored across one-shot commands (only with `incremental`). */
  readonly checkpoint?: Checkpoint
  /**
   * Whether a live change to one of its own objects enqueues that object (controller-runtime's
   * event predicates, client-go's filtering handlers): `old` is the previous state when known.
   * Default: every change does. Only for changes a reconcile would have nothing to do about; an
   * incremental start's unchanged objects are `prime`'s to decide.
   */
  accepts?(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KObject, old: KObject | undefined): boolean
}
