/**
 * A tiny controller harness for tests: a virtual clock, an event recorder that collects events, the
 * real ApiServer over memory storage, and a loop that feeds watch events to controllers (mapped as
 * the runtime maps them) and runs their reconciles until nothing is left to do.
 */
import { ApiServer } from '../../../reconciler/api/api-server.js'
import type { KObject } from '../../../reconciler/api/object.js'
import type { Clock, Controller, ControllerContext, EventRecorder, Request } from '../../../reconciler/controllers/runtime/types.js'
import { createMemoryStorage } from '../../../reconciler/storage/memory.js'

/** A clock that moves only when told. */
export class FakeClock implements Clock {
  private ms: number
  private timers: Array<{ at: number; fn: () => void }> = []
  constructor(start = Date.parse('2025-01-01T00:00:00Z')) {
    this.ms = start
  }
  now(): Date {
    return new Date(this.ms)
  }
  at(at: Date, fn: () => void): () => void {
    const t = { at: at.getTime(), fn }
    if (t.at <= this.ms) {
      fn()
      return () => {}
    }
    this.timers.push(t)
    return () => {
      this.timers = this.timers.filter((x) => x !== t)
    }
  }
  /** Sets the time (forward only) and fires due timers. */
  set(ms: number): void {
    this.ms = Math.max(this.ms, ms)
    const due = this.timers.filter((t) => t.at <= this.ms)
    this.timers = this.timers.filter((t) => t.at > this.ms)
    for (const t of due) t.fn()
  }
}

/** One recorded event. */
export interface RecordedEvent {
  kind: string
  namespace?: string
  name: string
  type: 'Normal' | 'Warning'
  reason: string
  message: string
  at: string
}

/** An EventRecorder that keeps every event in a list. */
export class FakeEvents implements EventRecorder {
  readonly list: RecordedEvent[] = []
  constructor(private readonly clock: Clock) {}
  async event(object: KObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    this.list.push({
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name ?? '',
      type,
      reason,
      message,
      at: this.clock.now().toISOString(),
    })
  }
  /** The events about one object, as `Reason: message` lines. */
  about(name: string): string[] {
    return this.list.filter((e) => e.name === name).map((e) => `${e.reason}: ${e.message}`)
  }
  reasons(name?: string): string[] {
    return this.list.filter((e) => name === undefined || e.name === name).map((e) => e.reason)
  }
}

/** An API, clock and event recorder for a test. */
export async function newEnv(): Promise<{ api: ApiServer; clock: FakeClock; events: FakeEvents; ctx: ControllerContext }> {
  const clock = new FakeClock()
  const api = new ApiServer({ storage: createMemoryStorage(), now: () => clock.now() })
  await api.bootstrap()
  const events = new FakeEvents(clock)
  const ctx: ControllerContext = { api, clock, events, log: () => {} }
  return { api, clock, events, ctx }
}

const keyOf = (r: Request): string => `${r.resource}/${r.namespace ?? ''}/${r.name}`

/** Runs controllers over the API as the runtime would, on the fake clock. */
export class Harness {
  private readonly queue = new Map<string, { c: Controller; req: Request }>()
  private readonly delayed: Array<{ at: number; c: Controller; req: Request }> = []
  private readonly stops: Array<() => void> = []
  /** How many reconciles ran (for tests that check a controller settles). */
  reconciles = 0
  constructor(
    private readonly api: ApiServer,
    private readonly clock: FakeClock,
    private readonly controllers: Controller[],
  ) {}

  async start(): Promise<this> {
    for (const c of this.controllers) {
      await this.watch(c, c.resource, undefined)
      for (const w of c.watches ?? []) await this.watch(c, w.resource, w.map?.bind(w))
    }
    return this
  }

  stop(): void {
    for (const s of this.stops) s()
  }

  private async watch(c: Controller, resource: string, map: ((o: KObject, old: KObject | undefined) => Request[]) | undefined): Promise<void> {
    const last = new Map<string, KObject>()
    const w = await this.api.watch(resource, { resourceVersion: '0' }, (ev) => {
      if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return
      const obj = ev.object as KObject
      const k = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`
      const old = last.get(k)
      if (ev.type === 'DELETED') last.delete(k)
      else last.set(k, obj)
      const reqs = map ? map(obj, old) : [{ resource, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' }]
      for (const req of reqs) this.queue.set(`${c.name}|${keyOf(req)}`, { c, req })
    })
    this.stops.push(() => w.stop())
  }

  /** Enqueues a request by hand. */
  enqueue(c: Controller, req: Request): void {
    this.queue.set(`${c.name}|${keyOf(req)}`, { c, req })
  }

  /** Runs every queued and due request until none is left at the current time. */
  async settle(maxRounds = 20000): Promise<void> {
    const failures = new Map<string, number>()
    for (let round = 0; round < maxRounds; round++) {
      const now = this.clock.now().getTime()
      for (let i = this.delayed.length - 1; i >= 0; i--) {
        const d = this.delayed[i]
        if (d.at <= now) {
          this.delayed.splice(i, 1)
          this.queue.set(`${d.c.name}|${keyOf(d.req)}`, { c: d.c, req: d.req })
        }
      }
      const first = this.queue.entries().next()
      if (first.done) return
      const [key, { c, req }] = first.value
      this.queue.delete(key)
      this.reconciles++
      try {
        const res = await c.reconcile(req)
        failures.delete(key)
        if (res.requeueAfterMs !== undefined) this.delayed.push({ at: now + res.requeueAfterMs, c, req })
      } catch (err) {
        const n = (failures.get(key) ?? 0) + 1
        failures.set(key, n)
        if (n > 5) throw err
        this.queue.set(key, { c, req })
      }
    }
    throw new Error('harness: did not settle')
  }

  /** Moves the clock forward by `ms`, stopping at each requeue time on the way to settle there. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now().getTime() + ms
    await this.settle()
    for (;;) {
      const next = Math.min(...this.delayed.map((d) => d.at).filter((t) => t <= target), Infinity)
      if (next === Infinity) break
      this.clock.set(Math.max(next, this.clock.now().getTime()))
      await this.settle()
    }
    this.clock.set(target)
    await this.settle()
  }

  /** The earliest pending requeue, in ms from now (undefined: none). */
  nextDueIn(): number | undefined {
    if (!this.delayed.length) return undefined
    return Math.min(...this.delayed.map((d) => d.at)) - this.clock.now().getTime()
  }
}
