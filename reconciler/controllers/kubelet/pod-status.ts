/**
 * The pod-level status the kubelet computes from its containers (generateAPIPodStatus): phase,
 * the conditions in the kubelet's order (PodReadyToStartContainers, Initialized, Ready,
 * ContainersReady, PodScheduled) with their reasons and messages, and the addresses.
 */
import { formatTime } from '../../api/api-server.js'
import type { Container, ContainerStatus, PodCondition, PodStatus } from '../../api/generated/types.js'
import { copyOf, withField, type KObject } from '../../api/object.js'

/** The inputs of the pod status besides its containers. */
export interface PodStatusInput {
  pod: KObject
  containers: ContainerStatus[]
  initContainers: ContainerStatus[]
  /** The sandbox exists (volumes mounted, network set up). */
  sandboxReady: boolean
  hostIP: string
  podIP?: string
  now: Date
}

/** Sets a condition, keeping lastTransitionTime when the status does not change. */
export function setCondition(old: PodCondition[] | undefined, next: PodCondition, now: Date): PodCondition {
  const prev = old?.find((c) => c.type === next.type)
  const lastTransitionTime = prev && prev.status === next.status && prev.lastTransitionTime ? prev.lastTransitionTime : formatTime(now)
  return withField(next, 'lastTransitionTime', lastTransitionTime)
}

/** The names of the containers in spec order that are not ready. */
function unready(spec: Container[], statuses: ContainerStatus[]): string[] {
  return spec.filter((c) => !statuses.find((s) => s.name === c.name)?.ready).map((c) => c.name)
}

/** The pod's status as the kubelet reports it. */
export function podStatusFor(input: PodStatusInput): PodStatus {
  const { pod, now } = input
  const old = (pod.status ?? {}) as PodStatus
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] }
  const containers = spec.containers ?? []
  const inits = spec.initContainers ?? []
  const notReady = unready(containers, input.containers)
  const initDone = input.initContainers.every((s) => !!s.state?.terminated && s.state.terminated.exitCode === 0)
  const allRunning = containers.every((c) => !!input.containers.find((s) => s.name === c.name)?.state?.running)

  const cond = (type: string, ok: boolean, reason?: string, message?: string): PodCondition => {
    const next: PodCondition = ok ? { type, status: 'True' } : { type, status: 'False' }
    if (!ok && reason) next.reason = reason
    if (!ok && message) next.message = message
    return setCondition(old.conditions, next, now)
  }
  const incompleteInits = inits.filter((c) => !input.initContainers.find((s) => s.name === c.name)?.state?.terminated).map((c) => c.name)
  const readyMsg = `containers with unready status: [${notReady.join(' ')}]`
  const conditions: PodCondition[] = [
    cond('PodReadyToStartContainers', input.sandboxReady),
    inits.length
      ? cond('Initialized', initDone && input.sandboxReady, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInits.join(' ')}]`)
      : cond('Initialized', true),
    cond('Ready', notReady.length === 0, 'ContainersNotReady', readyMsg),
    cond('ContainersReady', notReady.length === 0, 'ContainersNotReady', readyMsg),
    old.conditions?.find((c) => c.type === 'PodScheduled')?.status === 'True'
      ? old.conditions.find((c) => c.type === 'PodScheduled')!
      : cond('PodScheduled', true),
  ]
  // Conditions set by others (readiness gates, DisruptionTarget, …) are kept.
  const known = new Set(conditions.map((c) => c.type))
  for (const c of old.conditions ?? []) if (!known.has(c.type)) conditions.push(c)

  // `{ ...old, phase, … }` in effect (same keys, same order), without the slow spread-then-add path.
  const status: PodStatus = copyOf(old)
  status.phase = allRunning && containers.length > 0 ? 'Running' : 'Pending'
  status.conditions = conditions
  status.hostIP = input.hostIP
  status.hostIPs = [{ ip: input.hostIP }]
  status.startTime = old.startTime ?? formatTime(now)
  status.containerStatuses = [...input.containers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  if (input.initContainers.length) status.initContainerStatuses = input.initContainers
  else delete status.initContainerStatuses
  if (input.podIP) {
    status.podIP = input.podIP
    status.podIPs = [{ ip: input.podIP }]
  }
  return status
}
