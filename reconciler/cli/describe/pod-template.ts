/** DescribePodTemplate: the "Pod Template:" block of Deployments and ReplicaSets. */
import { describeContainers, type Container } from './containers.js'
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './prefix-writer.js'
import { printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline } from './print-meta.js'
import { describeTopologySpread, type SpreadConstraint } from './topology-spread.js'
import { describeVolumes, type Volume } from './volumes.js'

/** A pod template spec, the fields describe reads. */
export type PodTemplate = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }
  spec?: {
    serviceAccountName?: string
    initContainers?: Container[]
    containers?: Container[]
    volumes?: Volume[]
    topologySpreadConstraints?: SpreadConstraint[]
    priorityClassName?: string
    nodeSelector?: Record<string, string>
    tolerations?: Array<{ key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }>
  }
}

/** The template's labels, annotations, containers, volumes, node selectors and tolerations. */
export function describePodTemplate(template: PodTemplate | undefined, w: PrefixWriter, tz: 'UTC' | 'local'): void {
  w.write(LEVEL_0, 'Pod Template:\n')
  if (!template) {
    w.write(LEVEL_1, '<unset>')
    return
  }
  const spec = template.spec ?? {}
  printLabelsMultiline(w, '  Labels', template.metadata?.labels)
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) printAnnotationsMultiline(w, '  Annotations', template.metadata?.annotations)
  if (spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`)
  if ((spec.initContainers ?? []).length > 0) describeContainers('Init Containers', spec.initContainers ?? [], undefined, undefined, w, '  ', tz)
  describeContainers('Containers', spec.containers ?? [], undefined, undefined, w, '  ', tz)
  describeVolumes(spec.volumes, w, '  ')
  describeTopologySpread(spec.topologySpreadConstraints, w, '  ')
  if (spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`)
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector)
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations)
}
