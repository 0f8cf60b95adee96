/** Pod columns with kubectl's READY, STATUS and RESTARTS logic (printers.go printPod). */
import { translateTimestampSince } from '../duration.js'
import { arr, getPath, str } from '../get-path.js'
import type { Column, KubeObject, PrintContext } from '../types.js'
import { ageColumn, int, nameColumn } from './common.js'

type ContainerState = {
  waiting?: { reason?: string } | null
  running?: Record<string, unknown> | null
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string } | null
}
type ContainerStatus = {
  name?: string
  ready?: boolean
  started?: boolean
  restartCount?: number
  state?: ContainerState
  lastState?: ContainerState
}
type Condition = { type?: string; status?: string; reason?: string }

/** The reason the node lifecycle controller gives pods on an unreachable node. */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost'

/** The later of two RFC 3339 timestamps ('' is the zero time). */
const later = (a: string, b: string | undefined): string => {
  if (!b) return a
  if (!a) return b
  return Date.parse(b) > Date.parse(a) ? b : a
}

/** The READY, STATUS and RESTARTS cells of a pod. */
export function podSummary(pod: KubeObject, ctx: PrintContext): { ready: string; status: string; restarts: string } {
  let restarts = 0
  let restartableInitRestarts = 0
  let totalContainers = arr(pod, 'spec.containers').length
  let readyContainers = 0
  let lastRestartDate = ''
  let lastRestartableInitRestartDate = ''

  const phase = str(pod, 'status.phase')
  let reason = str(pod, 'status.reason') || phase
  const conditions = arr(pod, 'status.conditions') as Condition[]
  for (const c of conditions) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated'
  }

  // Init containers with restartPolicy Always are sidecars: they count as containers.
  const initSpecs = new Map<string, { restartPolicy?: string }>()
  for (const c of arr(pod, 'spec.initContainers') as Array<{ name?: string; restartPolicy?: string }>) {
    initSpecs.set(c.name ?? '', c)
    if (c.restartPolicy === 'Always') totalContainers++
  }
  const isSidecar = (name: string | undefined): boolean => initSpecs.get(name ?? '')?.restartPolicy === 'Always'

  const initStatuses = arr(pod, 'status.initContainerStatuses') as ContainerStatus[]
  const initCount = arr(pod, 'spec.initContainers').length
  let initializing = false
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]
    restarts += int(c.restartCount)
    const lastTerminated = c.lastState?.terminated
    if (lastTerminated) lastRestartDate = later(lastRestartDate, lastTerminated.finishedAt)
    if (isSidecar(c.name)) {
      restartableInitRestarts += int(c.restartCount)
      if (lastTerminated) lastRestartableInitRestartDate = later(lastRestartableInitRestartDate, lastTerminated.finishedAt)
    }
    const terminated = c.state?.terminated
    const waiting = c.state?.waiting
    if (terminated && int(terminated.exitCode) === 0) continue
    if (isSidecar(c.name) && c.started === true) {
      if (c.ready) readyContainers++
      continue
    }
    if (terminated) {
      if (!terminated.reason) {
        reason = int(terminated.signal) !== 0 ? `Init:Signal:${int(terminated.signal)}` : `Init:ExitCode:${int(terminated.exitCode)}`
      } else {
        reason = `Init:${terminated.reason}`
      }
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`
    } else {
      reason = `Init:${i}/${initCount}`
    }
    initializing = true
    break
  }

  const initializedTrue = conditions.find((c) => c.type === 'Initialized')?.status === 'True'
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts
    lastRestartDate = lastRestartableInitRestartDate
    let hasRunning = false
    const statuses = arr(pod, 'status.containerStatuses') as ContainerStatus[]
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]
      restarts += int(c.restartCount)
      const lastTerminated = c.lastState?.terminated
      if (lastTerminated) lastRestartDate = later(lastRestartDate, lastTerminated.finishedAt)
      const waiting = c.state?.waiting
      const terminated = c.state?.terminated
      if (waiting && waiting.reason) {
        reason = waiting.reason
      } else if (terminated && terminated.reason) {
        reason = terminated.reason
      } else if (terminated && !terminated.reason) {
        reason = int(terminated.signal) !== 0 ? `Signal:${int(terminated.signal)}` : `ExitCode:${int(terminated.exitCode)}`
      } else if (c.ready && c.state?.running) {
        hasRunning = true
        readyContainers++
      }
    }
    // A completed container next to a running one: the pod is still Running (or NotReady).
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady'
    }
  }

  const deleting = typeof getPath(pod, 'metadata.deletionTimestamp') === 'string'
  if (deleting && str(pod, 'status.reason') === NODE_UNREACHABLE_POD_REASON) {
    reason = 'Unknown'
  } else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating'
  }

  let restartsStr = String(restarts)
  if (restarts !== 0 && lastRestartDate !== '') {
    restartsStr = `${restarts} (${translateTimestampSince(lastRestartDate, ctx.now)} ago)`
  }
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsStr }
}

/** The pod's first IP: status.podIPs[0], or status.podIP (the v1→internal conversion fills podIPs from it). */
function podIP(pod: KubeObject): string {
  const ips = arr(pod, 'status.podIPs') as Array<{ ip?: string }>
  const ip = ips.length > 0 ? ips[0].ip ?? '' : str(pod, 'status.podIP')
  return ip || '<none>'
}

/** READINESS GATES: "true/total" of the pod's readiness gate conditions, "<none>" without gates. */
function readinessGates(pod: KubeObject): string {
  const gates = arr(pod, 'spec.readinessGates') as Array<{ conditionType?: string }>
  if (gates.length === 0) return '<none>'
  const conditions = arr(pod, 'status.conditions') as Condition[]
  let trueConditions = 0
  for (const g of gates) {
    const c = conditions.find((x) => x.type === g.conditionType)
    if (c?.status === 'True') trueConditions++
  }
  return `${trueConditions}/${gates.length}`
}

/** NAME READY STATUS RESTARTS AGE (+ wide IP NODE NOMINATED NODE READINESS GATES). */
export const podColumns: Column[] = [
  nameColumn,
  { name: 'Ready', priority: 0, type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.', cell: (o, c) => podSummary(o, c).ready },
  { name: 'Status', priority: 0, type: 'string', description: 'The aggregate status of the containers in this pod.', cell: (o, c) => podSummary(o, c).status },
  { name: 'Restarts', priority: 0, type: 'string', description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.', cell: (o, c) => podSummary(o, c).restarts },
  ageColumn,
  { name: 'IP', priority: 1, type: 'string', description: 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', cell: (o) => podIP(o) },
  { name: 'Node', priority: 1, type: 'string', description: 'NodeName indicates in which node this pod is scheduled.', cell: (o) => str(o, 'spec.nodeName') || '<none>' },
  { name: 'Nominated Node', priority: 1, type: 'string', description: 'nominatedNodeName is set only when this pod preempts other pods on the node.', cell: (o) => str(o, 'status.nominatedNodeName') || '<none>' },
  { name: 'Readiness Gates', priority: 1, type: 'string', description: 'If specified, all readiness gates will be evaluated for pod readiness.', cell: (o) => readinessGates(o) },
]
