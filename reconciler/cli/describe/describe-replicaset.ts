/** `describe replicaset`: describe.go's describeReplicaSet, with pod counts from the related pods. */
import { formatLabelSelector } from '../../api/table/labels.js'
import { describeEvents, eventsAbout, refOf } from './events.js'
import { LEVEL_0, LEVEL_1, tabbedString } from './prefix-writer.js'
import { describePodTemplate, type PodTemplate } from './pod-template.js'
import { controllerOf, controllerUid, printAnnotationsMultiline, printLabelsMultiline } from './print-meta.js'
import { selectorMatches } from './selectors.js'
import type { DescribeContext, KubeObject } from './types.js'

/** A ReplicaSet, the fields describe reads. */
export type ReplicaSet = KubeObject & {
  spec?: { replicas?: number; selector?: unknown; template?: PodTemplate }
  status?: { replicas?: number; conditions?: Array<{ type?: string; status?: string; reason?: string }> }
}

/** getPodStatusForController: pods the owner controls, counted by phase. */
export function podPhaseCounts(owner: KubeObject & { spec?: { selector?: unknown } }, ctx: DescribeContext): string {
  const counts = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 }
  const uid = owner.metadata?.uid
  for (const pod of ctx.related.podsOf?.(owner) ?? []) {
    if (!selectorMatches(owner.spec?.selector, pod.metadata?.labels)) continue
    if (pod.metadata?.namespace !== owner.metadata?.namespace) continue
    const ctl = controllerUid(pod)
    if (ctl === undefined || ctl !== uid) continue
    const phase = (pod.status as { phase?: string } | undefined)?.phase ?? ''
    if (phase in counts) counts[phase as keyof typeof counts]++
  }
  return `${counts.Running} Running / ${counts.Pending} Waiting / ${counts.Succeeded} Succeeded / ${counts.Failed} Failed`
}

/** The ReplicaSet's description: selector, replicas, pod phases, template, conditions, events. */
export function describeReplicaSet(rs: ReplicaSet, ctx: DescribeContext): string {
  const md = rs.metadata ?? {}
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`)
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    const controlledBy = controllerOf(rs)
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`)
    w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`)
    w.write(LEVEL_0, 'Pods Status:\t')
    w.write(LEVEL_0, `${podPhaseCounts(rs, ctx)}\n`)
    describePodTemplate(rs.spec?.template, w, ctx.timeZone)
    const conditions = rs.status?.conditions ?? []
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n')
      w.write(LEVEL_1, '----\t------\t------\n')
      for (const c of conditions) w.write(LEVEL_1, `${c.type ?? ''} \t${c.status ?? ''}\t${c.reason ?? ''}\n`)
    }
    if (ctx.events) describeEvents(eventsAbout(ctx.events, refOf(rs)), w, ctx.now)
  })
}
