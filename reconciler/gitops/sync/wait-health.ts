/**
 * The health step: after apply, move virtual time from one due piece of work to the next until
 * every object the sync created or changed is healthy, or one is degraded (a rollout past its
 * progress deadline), or nothing more is scheduled.
 */
import type { ApiServer } from '../../api/api-server.js'
import { isApiError } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import { healthOf, isSettled, type Health } from '../health/index.js'
import { displayName, type ObjectId } from '../identity.js'
import type { ClusterHandle } from './cluster.js'

/** The health of one object the sync waited for. */
export interface ObjectHealth {
  id: ObjectId
  health: Health
}

/** A progress report while waiting. */
export interface HealthProgress {
  healthy: number
  total: number
  /** Virtual time waited so far. */
  elapsedMs: number
  /** The status line of one object still progressing (the first), if any. */
  waiting?: string
}

async function getOrUndefined(api: ApiServer, id: ObjectId): Promise<KObject | undefined> {
  try {
    return await api.get(id.kind, id.namespace || undefined, id.name)
  } catch (err) {
    if (isApiError(err) && err.reason === 'NotFound') return undefined
    throw err
  }
}

/** Waits until every object in `ids` has a final health; returns each one's (in `ids` order). */
export async function waitForHealth(api: ApiServer, c: ClusterHandle, ids: readonly ObjectId[], progress?: (p: HealthProgress) => void): Promise<ObjectHealth[]> {
  const start = c.now().getTime()
  const out: ObjectHealth[] = ids.map((id) => ({ id, health: { status: 'Progressing', message: '' } }))
  let open = out.map((_, i) => i)
  for (;;) {
    const still: number[] = []
    for (const i of open) {
      out[i].health = await healthOf(api, await getOrUndefined(api, out[i].id))
      if (!isSettled(out[i].health)) still.push(i)
    }
    open = still
    const elapsedMs = c.now().getTime() - start
    progress?.({ healthy: out.filter((o) => o.health.status === 'Healthy').length, total: out.length, elapsedMs, ...(open.length ? { waiting: out[open[0]].health.message } : {}) })
    if (!open.length) return out
    const next = c.nextTimer()
    if (!next) {
      for (const i of open) out[i].health = { status: 'Degraded', message: `${displayName(out[i].id)} has no further work scheduled and cannot progress: ${out[i].health.message}` }
      return out
    }
    await c.advanceTo(next)
  }
}
