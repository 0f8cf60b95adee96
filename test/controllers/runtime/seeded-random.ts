/** The checkpoint tests' helpers: a deterministic random source, a pick from a list, a JSON round trip, a controller restored again, data as a store hands it back. */
import * as assert from 'uvu/assert'
import { PagedMap } from '../../../reconciler/controllers/runtime/paged-map.js'
import type { ApiServer } from '../../../reconciler/api/api-server.js'
import { ControllerManager } from '../../../reconciler/controllers/runtime/manager.js'
import type { Controller, Request } from '../../../reconciler/controllers/runtime/types.js'
import type { VirtualClock } from '../../../reconciler/controllers/runtime/virtual-clock.js'
import { stored } from './primed-old-way.js'

/** A deterministic random source (mulberry32): `r(n)` is in [0, n). */
export function rng(seed: number): (n: number) => number {
  let a = seed >>> 0
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) % n
  }
}

/** `v` through JSON, as a checkpoint is stored. */
export const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

/** One of `xs`, by `r`. */
export const pick = <T>(r: (n: number) => number, xs: readonly T[]): T => xs[r(xs.length)]

/**
 * A save of `c` after random changes, restored into a new controller (`make`) that must save the
 * same data again, and a new reference primed from the objects now (`primeAll`): the pair the
 * differential goes on with.
 */
export function restoredAgain(c: Controller, make: () => Controller, primeAll: (c: Controller) => unknown, at: string): { c: Controller; ref: Controller } {
  const again = json(c.checkpoint!.save())
  const next = make()
  next.resumed?.()
  assert.ok(next.checkpoint!.restore(json(again)), `${at}: restored`)
  assert.equal(json(next.checkpoint!.save()), again, `${at}: round trip`)
  const ref = make()
  primeAll(ref)
  return { c: next, ref }
}

/**
 * The differential's first pair: a reference primed by `primeAll` (its start requests `wanted`)
 * and a controller restored from its save, which asks for the same and saves the same data again.
 */
export function restoredFromPrimed(make: () => Controller, primeAll: (c: Controller) => Request[]): { c: Controller; ref: Controller } {
  const ref = make()
  const wanted = primeAll(ref)
  const c = make()
  c.resumed?.()
  const first = json(ref.checkpoint!.save())
  const key = (r: Request): string => `${r.resource}/${r.namespace ?? ''}/${r.name}`
  assert.equal((c.checkpoint!.restore(json(first)) ?? []).map(key).sort(), wanted.map(key).sort(), 'the start requests')
  assert.equal(json(c.checkpoint!.save()), first, 'round trip')
  return { c, ref }
}

/**
 * `data` as the store hands a checkpoint back to a restore: its fields of pairs named in `paged`
 * as stored pages (PagedText, each page read when first used), the records as they are — a
 * malformed one is found only when its page is read.
 */
export function asStored(data: unknown, paged: readonly string[]): unknown {
  const d = { ...(data as Record<string, unknown>) }
  for (const f of paged) d[f] = PagedMap.restore(d[f], { check: (_key, v) => v }).toPages()
  return d
}

/**
 * A checkpoint's saved data with the order that only says when things were recorded taken out:
 * each list's rows sorted, and the lists of keys inside a row.
 */
export function canonRows(data: unknown): unknown {
  const s = json(data) as Record<string, unknown>
  const text = (x: unknown): string => JSON.stringify(x)
  const row = (x: unknown): unknown => (Array.isArray(x) ? x.map((y) => (Array.isArray(y) && y.every((z) => typeof z === 'string') ? [...y].sort() : y)) : x)
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Array.isArray(v) ? v.map(row).sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0)) : v]))
}

/**
 * In a manager, a controller restored from `data` (its `paged` fields as stored pages) whose
 * malformed record only `touch` reads: the run is not degraded until then, is degraded after, and
 * the controller's checkpoint is not saved.
 */
export async function damagedInManager(o: { api: ApiServer; clock: VirtualClock; name: string; make: (m: ControllerManager) => Controller; data: unknown; paged: readonly string[]; touch: () => Promise<unknown> }): Promise<void> {
  const next = new ControllerManager({ api: o.api, clock: o.clock })
  next.add(o.make(next))
  const memories = stored(new Map([[o.name, asStored(json(o.data), o.paged)]]))
  await next.start({ changes: () => new Map(), delayed: [], memories: { byController: memories, revision: await o.api.storage.revision() } })
  await next.settle()
  assert.not.ok(next.degraded)
  await o.touch()
  await next.settle()
  assert.ok(next.degraded, 'degraded once the record is read')
  assert.not.ok(next.checkpoints().changed.has(o.name), 'no checkpoint saved')
  await next.stop()
}
