/** Small readers of pods and owner references (podutil and metav1 helpers), shared by the controllers here. */
import type { ContainerStatus, PodCondition } from '../../api/generated/types.js'
import type { KObject, OwnerReference } from '../../api/object.js'

/** A pod's status fields the controllers read. */
export interface PodStatusView {
  phase?: string
  conditions?: PodCondition[]
  containerStatuses?: ContainerStatus[]
  initContainerStatuses?: ContainerStatus[]
}

/** The pod's status (empty when it has none). */
export function podStatus(pod: KObject): PodStatusView {
  return (pod.status ?? {}) as PodStatusView
}

/** spec.nodeName, or '' when unscheduled. */
export function nodeNameOf(pod: KObject): string {
  return ((pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '') as string
}

/** The condition of a type, if the pod has it. */
export function podCondition(pod: KObject, type: string): PodCondition | undefined {
  return podStatus(pod).conditions?.find((c) => c.type === type)
}

/** Ready condition is True (podutil.IsPodReady). */
export function isPodReady(pod: KObject): boolean {
  return podCondition(pod, 'Ready')?.status === 'True'
}

/** Not terminating and not finished (controller.IsPodActive). */
export function isPodActive(pod: KObject): boolean {
  const phase = podStatus(pod).phase
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp
}

/**
 * Ready for at least minReadySeconds at `now` (podutil.IsPodAvailable): the Ready condition's
 * lastTransitionTime plus minReadySeconds is strictly before now. With minReadySeconds 0, ready is available.
 */
export function isPodAvailable(pod: KObject, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false
  if (minReadySeconds <= 0) return true
  const t = Date.parse(podCondition(pod, 'Ready')?.lastTransitionTime ?? '')
  return Number.isFinite(t) && t + minReadySeconds * 1000 < now.getTime()
}

/** The owner reference marked controller: true (metav1.GetControllerOf). */
export function controllerRefOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true)
}
