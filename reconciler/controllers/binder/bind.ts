/**
 * Binding a pod to a node as the scheduler's bind does: spec.nodeName is set (capstan has no
 * pods/binding subresource; the API lets nodeName be set once), then the PodScheduled condition,
 * then the `Scheduled` event from default-scheduler.
 */
import type { ApiClient } from '../../api/client.js'
import { formatTime } from '../../api/api-server.js'
import type { PodCondition } from '../../api/generated/types.js'
import { isConflict } from '../../api/errors.js'
import { clone, type KObject } from '../../api/object.js'

/** The field manager of binding writes. */
export const SCHEDULER_FIELD_MANAGER = 'kube-scheduler'

/** The scheduler a pod asks for (default-scheduler when unset). */
export function schedulerNameOf(pod: KObject): string {
  return ((pod.spec as { schedulerName?: string } | undefined)?.schedulerName || 'default-scheduler') as string
}

/** Sets spec.nodeName and PodScheduled=True; returns the bound pod. */
export async function bindPod(api: ApiClient, pod: KObject, nodeName: string, now: Date): Promise<KObject> {
  // The in-process API server has the binding subresource: one write instead of two.
  const binder = api as Partial<{ bind(ns: string | undefined, name: string, node: string, o: { fieldManager: string }): Promise<KObject> }>
  if (typeof binder.bind === 'function') return binder.bind(pod.metadata.namespace, pod.metadata.name!, nodeName, { fieldManager: SCHEDULER_FIELD_MANAGER })
  const next = clone(pod)
  ;(next.spec as { nodeName?: string }).nodeName = nodeName
  let bound = await api.update(next, { fieldManager: SCHEDULER_FIELD_MANAGER })
  for (let attempt = 0; ; attempt++) {
    const withCond = clone(bound)
    const status = (withCond.status ?? {}) as { conditions?: PodCondition[] }
    const conds = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled')
    const old = status.conditions?.find((c) => c.type === 'PodScheduled')
    conds.push({
      type: 'PodScheduled',
      status: 'True',
      lastTransitionTime: old?.status === 'True' && old.lastTransitionTime ? old.lastTransitionTime : formatTime(now),
    })
    status.conditions = conds
    withCond.status = status
    try {
      return await api.updateStatus(withCond, { fieldManager: SCHEDULER_FIELD_MANAGER })
    } catch (err) {
      if (!isConflict(err) || attempt >= 3) throw err
      bound = await api.get('pods', pod.metadata.namespace, pod.metadata.name!)
    }
  }
}
