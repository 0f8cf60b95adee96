/** `describe deployment`: describe.go's describeDeployment, with old and new ReplicaSets from the related lookup. */
import { jsonEqual } from '../../api/object.js'
import { labelSelectorString } from '../../api/table/labels.js'
import { formatRFC1123Z } from './time-format.js'
import { describeEvents, eventsAbout, refOf } from './events.js'
import { LEVEL_0, LEVEL_1, tabbedString } from './prefix-writer.js'
import { describePodTemplate, type PodTemplate } from './pod-template.js'
import { controllerUid, printAnnotationsMultiline, printLabelsMultiline } from './print-meta.js'
import type { ReplicaSet } from './describe-replicaset.js'
import { selectorMatches } from './selectors.js'
import type { DescribeContext, KubeObject } from './types.js'

/** A Deployment, the fields describe reads. */
export type Deployment = KubeObject & {
  spec?: {
    replicas?: number
    selector?: unknown
    template?: PodTemplate
    minReadySeconds?: number
    strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } }
  }
  status?: {
    replicas?: number
    updatedReplicas?: number
    availableReplicas?: number
    unavailableReplicas?: number
    conditions?: Array<{ type?: string; status?: string; reason?: string }>
  }
}

const HASH_LABEL = 'pod-template-hash'

/** The template without the pod-template-hash label (EqualIgnoreHash compares these). */
function withoutHash(t: PodTemplate | undefined): unknown {
  const copy = JSON.parse(JSON.stringify(t ?? {})) as PodTemplate
  const labels = copy.metadata?.labels
  if (labels) {
    delete labels[HASH_LABEL]
    if (Object.keys(labels).length === 0 && copy.metadata) delete copy.metadata.labels
  }
  return copy
}

const createdAt = (o: KubeObject): number => {
  const t = Date.parse(o.metadata?.creationTimestamp ?? '')
  return Number.isNaN(t) ? -Infinity : t
}

/**
 * deploymentutil.GetAllReplicaSets: the ReplicaSets the Deployment controls (selector and controller
 * reference), oldest first; the new one is the oldest whose template equals the Deployment's
 * ignoring the hash label; all others are old, including those scaled to zero.
 */
export function splitReplicaSets(d: Deployment, candidates: KubeObject[]): { oldRSs: ReplicaSet[]; newRS?: ReplicaSet } {
  const owned = (candidates as ReplicaSet[])
    .filter((rs) => rs.metadata?.namespace === d.metadata?.namespace)
    .filter((rs) => selectorMatches(d.spec?.selector, rs.metadata?.labels))
    .filter((rs) => controllerUid(rs) !== undefined && controllerUid(rs) === d.metadata?.uid)
    .sort((a, b) => createdAt(a) - createdAt(b) || ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1))
  const want = withoutHash(d.spec?.template)
  const newRS = owned.find((rs) => jsonEqual(withoutHash(rs.spec?.template), want))
  return { newRS, oldRSs: owned.filter((rs) => rs !== newRS) }
}

/** printReplicaSetsByLabels: "name (current/desired replicas created)", comma-separated, or "<none>". */
function replicaSetList(rss: ReplicaSet[]): string {
  const list = rss.map((rs) => `${rs.metadata?.name ?? ''} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`).join(', ')
  return list === '' ? '<none>' : list
}

/** The Deployment's description: replicas, strategy, pod template, conditions, ReplicaSets, events. */
export function describeDeployment(d: Deployment, ctx: DescribeContext): string {
  const md = d.metadata ?? {}
  const spec = d.spec ?? {}
  const status = d.status ?? {}
  const strategyType = spec.strategy?.type ?? 'RollingUpdate'
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`)
    w.write(LEVEL_0, `CreationTimestamp:\t${formatRFC1123Z(md.creationTimestamp, ctx.timeZone)}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    w.write(LEVEL_0, `Selector:\t${labelSelectorString(spec.selector) ?? ''}\n`)
    w.write(
      LEVEL_0,
      `Replicas:\t${spec.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ` +
        `${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
    )
    w.write(LEVEL_0, `StrategyType:\t${strategyType}\n`)
    w.write(LEVEL_0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`)
    // The API server defaults rollingUpdate to 25%/25% for the RollingUpdate strategy.
    const ru = spec.strategy?.rollingUpdate ?? (strategyType === 'RollingUpdate' ? {} : undefined)
    if (ru) {
      w.write(LEVEL_0, `RollingUpdateStrategy:\t${String(ru.maxUnavailable ?? '25%')} max unavailable, ${String(ru.maxSurge ?? '25%')} max surge\n`)
    }
    describePodTemplate(spec.template, w, ctx.timeZone)
    const conditions = status.conditions ?? []
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n')
      w.write(LEVEL_1, '----\t------\t------\n')
      for (const c of conditions) w.write(LEVEL_1, `${c.type ?? ''} \t${c.status ?? ''}\t${c.reason ?? ''}\n`)
    }
    const { oldRSs, newRS } = splitReplicaSets(d, ctx.related.replicaSetsOf?.(d) ?? [])
    if (oldRSs.length > 0 || newRS) {
      w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetList(oldRSs)}\n`)
      w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetList(newRS ? [newRS] : [])}\n`)
    }
    if (ctx.events) describeEvents(eventsAbout(ctx.events, refOf(d)), w, ctx.now)
  })
}
