/**
 * A pod being deleted (deletionTimestamp set): the kubelet stops its containers (`Killing`
 * "Stopping container x"), reports them terminated and the pod finished, then confirms the deletion
 * with grace period 0. The simulated containers stop at once, whatever the grace period.
 */
import { formatTime } from '../../api/api-server.js'
import type { ContainerStatus, PodStatus } from '../../api/generated/types.js'
import { isNotFound } from '../../api/errors.js'
import { type KObject } from '../../api/object.js'
import type { ControllerContext } from '../runtime/types.js'
import type { PodEvent } from './container-step.js'
import { setCondition } from './pod-status.js'

/** The field manager of the kubelet's writes. */
export const KUBELET_FIELD_MANAGER = 'kubelet'

/** The status of a pod whose containers were stopped at `now`, and the Killing events. */
export function terminatedStatus(pod: KObject, now: Date): { status: PodStatus; events: PodEvent[] } {
  const old = (pod.status ?? {}) as PodStatus
  const events: PodEvent[] = []
  const at = formatTime(now)
  const stop = (s: ContainerStatus): ContainerStatus => {
    if (!s.state?.running) return s
    events.push({ type: 'Normal', reason: 'Killing', message: `Stopping container ${s.name}` })
    return {
      ...s,
      ready: false,
      started: false,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: s.state.running.startedAt, finishedAt: at, containerID: s.containerID } },
    }
  }
  const containers = (old.containerStatuses ?? []).map(stop)
  const succeeded = containers.length > 0 && containers.every((s) => s.state?.terminated?.exitCode === 0)
  const phase = succeeded ? 'Succeeded' : 'Failed'
  const notReady = (type: string) => setCondition(old.conditions, { type, status: 'False', reason: 'PodCompleted' }, now)
  const conditions = (old.conditions ?? []).map((c) => {
    if (c.type === 'Ready' || c.type === 'ContainersReady') return notReady(c.type)
    if (c.type === 'PodReadyToStartContainers') return setCondition(old.conditions, { type: c.type, status: 'False' }, now)
    return c
  })
  return { status: { ...old, phase, conditions, containerStatuses: containers }, events }
}

/** Stops the pod's containers, reports it, and deletes it with grace period 0. */
export async function terminatePod(ctx: ControllerContext, pod: KObject): Promise<void> {
  const { status, events } = terminatedStatus(pod, ctx.clock.now())
  try {
    // The API server copies what it is given: a shallow copy with the new status is enough.
    await ctx.api.updateStatus({ ...pod, status }, { fieldManager: KUBELET_FIELD_MANAGER })
  } catch (err) {
    if (!isNotFound(err)) throw err
  }
  for (const e of events) await ctx.events.event(pod, e.type, e.reason, e.message)
  try {
    await ctx.api.delete('pods', pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } })
  } catch (err) {
    if (!isNotFound(err)) throw err
  }
}
