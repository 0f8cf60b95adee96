/** `describe pod`: describe.go's describePod. */
import { ageSince } from './age.js'
import { describeContainers, describeResources, type Container, type ContainerStatus, type EnvResolver } from './containers.js'
import { describeEvents, eventsAbout } from './events.js'
import { LEVEL_0, LEVEL_1, tabbedString, type PrefixWriter } from './prefix-writer.js'
import {
  controllerOf,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTolerationsMultiline,
} from './print-meta.js'
import { podQOS } from './qos.js'
import { formatRFC1123Z } from './time-format.js'
import { describeTopologySpread } from './topology-spread.js'
import type { DescribeContext, KubeObject } from './types.js'
import { describeResolvedConfig } from './resolved-config.js'
import { describeVolumes } from './volumes.js'
import type { PodTemplate } from './pod-template.js'

type Condition = { type?: string; status?: string }

/** A Pod, the fields describe reads. */
export type Pod = KubeObject & {
  spec?: NonNullable<PodTemplate['spec']> & {
    priority?: number
    priorityClassName?: string
    runtimeClassName?: string
    nodeName?: string
    ephemeralContainers?: Container[]
    readinessGates?: Array<{ conditionType?: string }>
    securityContext?: { seccompProfile?: { type?: string; localhostProfile?: string } }
    resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> }
  }
  status?: {
    phase?: string
    reason?: string
    message?: string
    hostIP?: string
    podIP?: string
    podIPs?: Array<{ ip?: string }>
    hostIPs?: Array<{ ip?: string }>
    startTime?: string
    nominatedNodeName?: string
    conditions?: Condition[]
    containerStatuses?: ContainerStatus[]
    initContainerStatuses?: ContainerStatus[]
    ephemeralContainerStatuses?: ContainerStatus[]
    qosClass?: string
  }
}

/** EnvValueRetriever: the value of a downward-API field path for this pod ('' when unsupported). */
function envResolver(pod: Pod): EnvResolver {
  return (path) => {
    const md = pod.metadata ?? {}
    const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path)
    if (sub) return (sub[1] === 'labels' ? md.labels : md.annotations)?.[sub[2]] ?? ''
    switch (path) {
      case 'metadata.name': return md.name ?? ''
      case 'metadata.namespace': return md.namespace ?? ''
      case 'metadata.uid': return md.uid ?? ''
      case 'spec.nodeName': return pod.spec?.nodeName ?? ''
      case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? ''
      case 'status.hostIP': return pod.status?.hostIP ?? ''
      case 'status.hostIPs': return (pod.status?.hostIPs ?? []).map((i) => i.ip ?? '').join(',')
      case 'status.podIP': return pod.status?.podIP ?? ''
      case 'status.podIPs': return (pod.status?.podIPs ?? []).map((i) => i.ip ?? '').join(',')
      default: return ''
    }
  }
}

function describePodIPs(pod: Pod, w: PrefixWriter): void {
  const ips = pod.status?.podIPs ?? []
  if (ips.length === 0) {
    w.write(LEVEL_0, 'IPs:\t<none>\n')
    return
  }
  w.write(LEVEL_0, 'IPs:\n')
  for (const ip of ips) w.write(LEVEL_1, `IP:\t${ip.ip ?? ''}\n`)
}

/** The Pod's description: identity, status, containers, conditions, volumes, QoS, scheduling, events. */
export function describePod(pod: Pod, ctx: DescribeContext): string {
  const tz = ctx.timeZone
  const spec = pod.spec ?? {}
  const status = pod.status ?? {}
  const md = pod.metadata ?? {}
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`)
    if (typeof spec.priority === 'number') w.write(LEVEL_0, `Priority:\t${spec.priority}\n`)
    if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`)
    if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`)
    if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`)
    if (!spec.nodeName) w.write(LEVEL_0, 'Node:\t<none>\n')
    else w.write(LEVEL_0, `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n`)
    if (status.startTime) w.write(LEVEL_0, `Start Time:\t${formatRFC1123Z(status.startTime, tz)}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    if (md.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
      w.write(LEVEL_0, `Status:\tTerminating (lasts ${ageSince(md.deletionTimestamp, ctx.now)})\n`)
      w.write(LEVEL_0, `Termination Grace Period:\t${md.deletionGracePeriodSeconds ?? 0}s\n`)
    } else {
      w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`)
    }
    if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`)
    if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`)
    const seccomp = spec.securityContext?.seccompProfile
    if (seccomp) {
      w.write(LEVEL_0, `SeccompProfile:\t${seccomp.type ?? ''}\n`)
      if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`)
    }
    w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`)
    describePodIPs(pod, w)
    const controlledBy = controllerOf(pod)
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`)
    if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`)
    if (spec.resources) {
      w.write(LEVEL_0, 'Resources:\n')
      describeResources(spec.resources, w, LEVEL_1)
    }
    const resolver = envResolver(pod)
    if ((spec.initContainers ?? []).length > 0) {
      describeContainers('Init Containers', spec.initContainers ?? [], status.initContainerStatuses, resolver, w, '', tz)
    }
    describeContainers('Containers', spec.containers ?? [], status.containerStatuses, resolver, w, '', tz)
    if ((spec.ephemeralContainers ?? []).length > 0) {
      describeContainers('Ephemeral Containers', spec.ephemeralContainers ?? [], status.ephemeralContainerStatuses, resolver, w, '', tz)
    }
    if ((spec.readinessGates ?? []).length > 0) {
      w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n')
      for (const g of spec.readinessGates ?? []) {
        const c = (status.conditions ?? []).find((x) => x.type === g.conditionType)
        w.write(LEVEL_1, `${g.conditionType ?? ''} \t${c ? (c.status ?? '') : '<none>'} \n`)
      }
    }
    if ((status.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n')
      for (const c of status.conditions ?? []) w.write(LEVEL_1, `${c.type ?? ''} \t${c.status ?? ''} \n`)
    }
    describeVolumes(spec.volumes, w, '')
    w.write(LEVEL_0, `QoS Class:\t${podQOS(pod)}\n`)
    printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector)
    printTolerationsMultiline(w, 'Tolerations', spec.tolerations)
    describeTopologySpread(spec.topologySpreadConstraints, w, '')
    describeResolvedConfig(pod, w)
    if (ctx.events) {
      // kubectl searches pod events without the kind (the reference's kind is cleared).
      describeEvents(eventsAbout(ctx.events, { name: md.name ?? '', namespace: md.namespace ?? '', uids: md.uid ? [md.uid] : [] }), w, ctx.now)
    }
  })
}
