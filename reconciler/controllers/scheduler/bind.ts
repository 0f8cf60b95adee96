/**
 * Binding and its opposite, recording that a pod cannot be scheduled — the writes the scheduler
 * makes. Binding sets spec.nodeName and the PodScheduled=True condition (kube-apiserver's
 * pods/binding does both in one write; an ApiClient that offers `bind`/`bindMany` is used for that,
 * otherwise two writes), then the `Scheduled` event.
 */
import type { ApiClient } from '../../api/client.js'
import { formatTime } from '../../api/api-server.js'
import { isConflict } from '../../api/errors.js'
import { clone, type KObject } from '../../api/object.js'

/** The field manager of the scheduler's writes. */
export const SCHEDULER_FIELD_MANAGER = 'kube-scheduler'

interface PodCondition {
  type: string
  status: string
  lastProbeTime?: string | null
  lastTransitionTime?: string
  reason?: string
  message?: string
}

/** An ApiClient with the pods/binding subresource. */
interface BindingClient {
  bind(namespace: string, name: string, nodeName: string, opts?: { fieldManager?: string; uid?: string }): Promise<KObject>
}

/** An ApiClient that writes many bindings in one call (each still its own atomic write). */
interface BatchBindingClient {
  bindMany(bindings: ReadonlyArray<{ namespace?: string; name: string; nodeName: string; uid?: string }>, opts?: { fieldManager?: string }): Promise<Array<KObject | Error>>
}

const hasBind = (api: ApiClient): api is ApiClient & BindingClient => typeof (api as Partial<BindingClient>).bind === 'function'
const hasBindMany = (api: ApiClient): api is ApiClient & BatchBindingClient => typeof (api as Partial<BatchBindingClient>).bindMany === 'function'

/** Sets (replacing the old one of the same type) a pod condition; the transition time moves only when the status changes. */
export function withCondition(pod: KObject, cond: PodCondition, now: Date): { pod: KObject; changed: boolean } {
  const next = clone(pod)
  const status = (next.status ?? {}) as { conditions?: PodCondition[] }
  const conds = status.conditions ?? []
  const old = conds.find((c) => c.type === cond.type)
  if (old && old.status === cond.status && old.reason === cond.reason && old.message === cond.message) return { pod, changed: false }
  const merged: PodCondition = {
    type: cond.type,
    status: cond.status,
    lastProbeTime: null,
    lastTransitionTime: old && old.status === cond.status && old.lastTransitionTime ? old.lastTransitionTime : formatTime(now),
  }
  if (cond.reason) merged.reason = cond.reason
  if (cond.message) merged.message = cond.message
  status.conditions = old ? conds.map((c) => (c === old ? merged : c)) : [...conds, merged]
  next.status = status
  return { pod: next, changed: true }
}

/** Binds `pod` to `nodeName`; returns the bound pod. */
export async function bindPod(api: ApiClient, pod: KObject, nodeName: string, now: Date): Promise<KObject> {
  const { namespace, name } = pod.metadata
  // The Binding carries the pod's uid (DefaultBinder), a precondition: a pod recreated under the same name is not bound.
  if (hasBind(api)) return api.bind(namespace!, name!, nodeName, { fieldManager: SCHEDULER_FIELD_MANAGER, uid: pod.metadata.uid })
  const next = clone(pod)
  ;(next.spec as { nodeName?: string }).nodeName = nodeName
  let bound = await api.update(next, { fieldManager: SCHEDULER_FIELD_MANAGER })
  for (let attempt = 0; ; attempt++) {
    const { pod: withCond, changed } = withCondition(bound, { type: 'PodScheduled', status: 'True' }, now)
    if (!changed) return bound
    try {
      return await api.updateStatus(withCond, { fieldManager: SCHEDULER_FIELD_MANAGER })
    } catch (err) {
      if (!isConflict(err) || attempt >= 3) throw err
      bound = await api.get('pods', namespace, name!)
    }
  }
}

/**
 * Binds each pod to its node, in order; per pod, the bound pod or the error its binding met (one
 * failing does not stop the others). An error outside any one binding (the store failing) is thrown.
 */
export async function bindPods(api: ApiClient, items: ReadonlyArray<{ pod: KObject; nodeName: string }>, now: Date): Promise<Array<KObject | Error>> {
  if (hasBindMany(api)) {
    const bindings = items.map(({ pod, nodeName }) => ({ namespace: pod.metadata.namespace, name: pod.metadata.name!, nodeName, uid: pod.metadata.uid }))
    return api.bindMany(bindings, { fieldManager: SCHEDULER_FIELD_MANAGER })
  }
  const out: Array<KObject | Error> = []
  for (const { pod, nodeName } of items) {
    try {
      out.push(await bindPod(api, pod, nodeName, now))
    } catch (err) {
      out.push(err instanceof Error ? err : new Error(String(err)))
    }
  }
  return out
}

/** Records PodScheduled=False / Unschedulable with the message (only when it differs from the current one). */
export async function markUnschedulable(api: ApiClient, pod: KObject, message: string, now: Date): Promise<void> {
  const { pod: next, changed } = withCondition(pod, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, now)
  if (!changed) return
  try {
    await api.updateStatus(next, { fieldManager: SCHEDULER_FIELD_MANAGER })
  } catch (err) {
    // The pod changed meanwhile: the next attempt writes the condition again.
    if (!isConflict(err)) throw err
  }
}
