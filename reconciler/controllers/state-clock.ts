/**
 * The virtual clock of an embedded state: one-shot commands and tests run controllers on it, and it
 * is kept in the state between commands (time moves only when a command advances it).
 */
import type { Storage } from '../storage/types.js'
import { VirtualClock } from './runtime/virtual-clock.js'

/** Where the clock's time is stored (outside the API's `/registry/` objects). */
export const CLOCK_KEY = '/capstan/clock'

/** The state's clock; a new state starts at the wall clock's current second, and remembers it. */
export async function loadStateClock(storage: Storage): Promise<VirtualClock> {
  const kv = await storage.get(CLOCK_KEY)
  const stored = kv ? Date.parse((JSON.parse(kv.value) as { now: string }).now) : NaN
  const start = Number.isNaN(stored) ? new Date(Math.floor(Date.now() / 1000) * 1000) : new Date(stored)
  const clock = new VirtualClock(start)
  if (!kv) await saveStateClock(storage, clock)
  return clock
}

/** Stores the clock's time (only when it moved, so read-only commands write nothing). */
export async function saveStateClock(storage: Storage, clock: VirtualClock): Promise<void> {
  const value = JSON.stringify({ now: clock.now().toISOString() })
  const kv = await storage.get(CLOCK_KEY)
  if (kv?.value === value) return
  await storage.txn({ success: [{ type: 'put', key: CLOCK_KEY, value }] })
}
