/**
 * The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler/horizontal.go). Upstream
 * processes every HPA once per sync period (15 s) whatever happens in between: its queue delays
 * every add by the period. Here the runtime enqueues an HPA at once when it changes, so the
 * controller keeps each HPA's next sync time and answers early requests with a requeue to it.
 * A process that starts afresh (every one-shot command does) syncs at once — unless the HPA's
 * status was written by a sync less than one period ago (its lastScaleTime, or the time of
 * kube-controller-manager's status entry in managedFields): then it waits for the rest of the
 * period, so syncs stay 15 s apart across processes and a scale is never followed by another
 * within one period.
 */
import { isNotFound } from '../../api/errors.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import type { HpaHistory } from './history.js'
import { reconcileAutoscaler } from './reconcile.js'
import { HPA_FIELD_MANAGER, SYNC_PERIOD_MS, type HpaObject } from './types.js'

/** Options of the controller (tests shorten nothing: the defaults are kube-controller-manager's). */
export interface HpaControllerOptions {
  /** --horizontal-pod-autoscaler-sync-period, ms. */
  syncPeriodMs?: number
}

interface Memory {
  uid: string
  nextSyncAt: number
  history?: HpaHistory
}

/** When a sync last wrote the HPA's status (lastScaleTime, or the controller's managedFields entry), ms. */
export function lastSyncWrite(hpa: HpaObject): number | undefined {
  const times = [hpa.status?.lastScaleTime]
  for (const m of hpa.metadata.managedFields ?? []) {
    if (m.manager === HPA_FIELD_MANAGER && m.subresource === 'status') times.push(m.time)
  }
  const ms = times.map((t) => Date.parse(t ?? '')).filter((t) => Number.isFinite(t))
  return ms.length ? Math.max(...ms) : undefined
}

/** Creates the HPA controller. */
export function createHpaController(ctx: ControllerContext, { syncPeriodMs = SYNC_PERIOD_MS }: HpaControllerOptions = {}): Controller {
  const memory = new Map<string, Memory>()
  return {
    name: 'horizontal-pod-autoscaler',
    resource: 'horizontalpodautoscalers',
    workers: 4,
    async reconcile(req: Request): Promise<Result> {
      const key = `${req.namespace}/${req.name}`
      let hpa: HpaObject
      try {
        hpa = (await ctx.api.get('horizontalpodautoscalers', req.namespace, req.name)) as HpaObject
      } catch (err) {
        if (isNotFound(err)) {
          memory.delete(key)
          return {}
        }
        throw err
      }
      const now = ctx.clock.now().getTime()
      let mem = memory.get(key)
      if (mem && mem.uid !== hpa.metadata.uid) mem = undefined
      if (mem && now < mem.nextSyncAt) return { requeueAfterMs: mem.nextSyncAt - now }
      if (!mem) {
        // A fresh process: the last sync that wrote the status was at least one period ago.
        const last = lastSyncWrite(hpa)
        if (last !== undefined && now < last + syncPeriodMs) {
          memory.set(key, { uid: hpa.metadata.uid ?? '', nextSyncAt: last + syncPeriodMs })
          return { requeueAfterMs: last + syncPeriodMs - now }
        }
      }
      const result = await reconcileAutoscaler(ctx, hpa, mem?.history)
      memory.set(key, { uid: hpa.metadata.uid ?? '', nextSyncAt: now + syncPeriodMs, history: result.history })
      if (result.error) ctx.log({ level: 'error', msg: 'HPA sync failed', hpa: key, error: result.error, time: new Date(now).toISOString() })
      return { requeueAfterMs: syncPeriodMs }
    },
  }
}
