/**
 * The HPA controller's memory of one autoscaler: its recent unstabilized recommendations and, with
 * `behavior`, its recent scale events. Upstream keeps these in the controller process only; capstan
 * runs its controllers anew in every one-shot command, so the memory is also kept on the object, in
 * the annotation `autoscaling.capstan.dev/history` (as autoscaling/v1 once kept conditions in
 * annotations), written with the status and only when it changes.
 *
 * What is written is a compact form that answers the same questions: samples older than the
 * longest window are dropped, and a sample is dropped when a later one is at least as high and a
 * later one at least as low (it can never again be the highest or the lowest of a window). The
 * newest sample stands for "recommended at every sync until now": a steady recommendation rewrites
 * nothing, and a process that reads the memory back dates that sample at its own start (the last
 * sync of the previous process was at most one period earlier).
 */
import { isPlainObject, type KObject } from '../../api/object.js'
import type { Recommendation, ScaleEvent } from './normalize.js'

/** The annotation that keeps the memory. */
export const HISTORY_ANNOTATION = 'autoscaling.capstan.dev/history'

/** One autoscaler's memory. */
export interface HpaHistory {
  recommendations: Recommendation[]
  up: ScaleEvent[]
  down: ScaleEvent[]
}

/** How long each part of the memory can still matter. */
export interface HistoryHorizon {
  /** The longest stabilization window, ms. */
  windowMs: number
  /** The longest scale-up and scale-down policy periods, ms (0 without behavior: no events are kept). */
  upPeriodMs: number
  downPeriodMs: number
}

/** An empty memory. */
export const emptyHistory = (): HpaHistory => ({ recommendations: [], up: [], down: [] })

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z')

/** The compact memory: what can still matter at `now` (see the file comment). */
export function compactHistory(h: HpaHistory, now: number, horizon: HistoryHorizon): HpaHistory {
  // Time order (upstream reuses the slot of an expired sample, so its list is not always sorted).
  const recs = h.recommendations.filter((r) => r.at >= now - horizon.windowMs).sort((a, b) => a.at - b.at)
  const kept: Recommendation[] = []
  let hi = -Infinity
  let lo = Infinity
  for (let i = recs.length - 1; i >= 0; i--) {
    const r = recs[i]
    if (i === recs.length - 1 || r.replicas > hi || r.replicas < lo) kept.push(r)
    hi = Math.max(hi, r.replicas)
    lo = Math.min(lo, r.replicas)
  }
  kept.reverse()
  return {
    recommendations: kept,
    up: h.up.filter((e) => e.at > now - horizon.upPeriodMs),
    down: h.down.filter((e) => e.at > now - horizon.downPeriodMs),
  }
}

interface Stored {
  recommendations?: Array<[number, string]>
  scaleUp?: Array<[number, string]>
  scaleDown?: Array<[number, string]>
}

/** The annotation's value for a compact memory. */
export function historyText(h: HpaHistory): string {
  const out: Stored = { recommendations: h.recommendations.map((r) => [r.replicas, iso(r.at)]) }
  if (h.up.length) out.scaleUp = h.up.map((e) => [e.change, iso(e.at)])
  if (h.down.length) out.scaleDown = h.down.map((e) => [e.change, iso(e.at)])
  return JSON.stringify(out)
}

/** A comparison key: the memory without the newest recommendation's time (which a steady recommendation moves every sync). */
export function historyKey(h: HpaHistory): string {
  const last = h.recommendations.length - 1
  // Whole seconds, as the annotation keeps them.
  const sec = (ms: number): number => Math.floor(ms / 1000)
  const recs = h.recommendations.map((r, i) => (i === last ? `${r.replicas}@now` : `${r.replicas}@${sec(r.at)}`)).join(',')
  const events = (l: ScaleEvent[]): string => l.map((e) => `${e.change}@${sec(e.at)}`).join(',')
  return `${recs}|${events(h.up)}|${events(h.down)}`
}

const pairs = (v: unknown): Array<{ n: number; at: number }> => {
  if (!Array.isArray(v)) return []
  const out: Array<{ n: number; at: number }> = []
  for (const p of v) {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'string') continue
    const at = Date.parse(p[1])
    if (Number.isFinite(at)) out.push({ n: p[0], at })
  }
  return out
}

/** Reads the memory an object carries; the newest recommendation is dated no earlier than `now`. Undefined when there is none. */
export function readHistory(hpa: KObject, now: number): HpaHistory | undefined {
  const text = hpa.metadata.annotations?.[HISTORY_ANNOTATION]
  if (text === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isPlainObject(parsed)) return undefined
  const recommendations = pairs(parsed.recommendations).map((p) => ({ replicas: p.n, at: p.at }))
  const last = recommendations[recommendations.length - 1]
  if (last && last.at < now) last.at = now
  return {
    recommendations,
    up: pairs(parsed.scaleUp).map((p) => ({ change: p.n, at: p.at })),
    down: pairs(parsed.scaleDown).map((p) => ({ change: p.n, at: p.at })),
  }
}
