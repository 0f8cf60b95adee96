/** `describe hpa`: describe.go's describeHorizontalPodAutoscalerV2 (and V1 for autoscaling/v1 objects). */
import { describeEvents, eventsAbout, refOf } from './events.js'
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, tabbedString, type PrefixWriter } from './prefix-writer.js'
import { printAnnotationsMultiline, printLabelsMultiline } from './print-meta.js'
import { canonicalQuantity } from './quantity.js'
import { formatRFC1123Z } from './time-format.js'
import type { DescribeContext, KubeObject } from './types.js'

type Target = { type?: string; value?: unknown; averageValue?: unknown; averageUtilization?: number }
type Current = { value?: unknown; averageValue?: unknown; averageUtilization?: number }
type MetricSpec = {
  type?: string
  resource?: { name?: string; target?: Target }
  containerResource?: { name?: string; container?: string; target?: Target }
  pods?: { metric?: { name?: string }; target?: Target }
  object?: { metric?: { name?: string }; describedObject?: { kind?: string; name?: string }; target?: Target }
  external?: { metric?: { name?: string }; target?: Target }
}
type MetricStatus = {
  resource?: { current?: Current }
  containerResource?: { current?: Current }
  pods?: { current?: Current }
  object?: { current?: Current }
  external?: { current?: Current }
}
type Rules = { stabilizationWindowSeconds?: number; selectPolicy?: string; policies?: Array<{ type?: string; value?: number; periodSeconds?: number }> }

/** A HorizontalPodAutoscaler (autoscaling/v2 or v1), the fields describe reads. */
export type HPA = KubeObject & {
  spec?: {
    scaleTargetRef?: { kind?: string; name?: string }
    minReplicas?: number
    maxReplicas?: number
    metrics?: MetricSpec[]
    behavior?: { scaleUp?: Rules; scaleDown?: Rules }
    targetCPUUtilizationPercentage?: number
  }
  status?: {
    currentReplicas?: number
    desiredReplicas?: number
    currentMetrics?: MetricStatus[]
    currentCPUUtilizationPercentage?: number
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>
  }
}

/** Quantity.String() of an optional *Quantity: "<nil>" when it is missing. */
const q = (v: unknown): string => (v === undefined || v === null ? '<nil>' : canonicalQuantity(v))
/** Go's %q of a metric name. */
const quote = (s: string | undefined): string => JSON.stringify(s ?? '')

function describeMetric(m: MetricSpec, cur: MetricStatus | undefined, w: PrefixWriter): void {
  switch (m.type) {
    case 'External': {
      const e = m.external ?? {}
      if (e.target?.averageValue !== undefined) {
        const current = cur?.external?.current?.averageValue !== undefined ? q(cur.external.current.averageValue) : '<unknown>'
        w.write(LEVEL_1, `${quote(e.metric?.name)} (target average value):\t${current} / ${q(e.target.averageValue)}\n`)
      } else {
        const current = cur?.external ? q(cur.external.current?.value ?? 0) : '<unknown>'
        w.write(LEVEL_1, `${quote(e.metric?.name)} (target value):\t${current} / ${q(e.target?.value ?? 0)}\n`)
      }
      return
    }
    case 'Pods': {
      const p = m.pods ?? {}
      const current = cur?.pods ? q(cur.pods.current?.averageValue ?? 0) : '<unknown>'
      w.write(LEVEL_1, `${quote(p.metric?.name)} on pods:\t${current} / ${q(p.target?.averageValue)}\n`)
      return
    }
    case 'Object': {
      const o = m.object ?? {}
      w.write(LEVEL_1, `"${o.metric?.name ?? ''}" on ${o.describedObject?.kind ?? ''}/${o.describedObject?.name ?? ''} `)
      if (o.target?.type === 'AverageValue') {
        const current = cur?.object ? q(cur.object.current?.averageValue) : '<unknown>'
        w.write(LEVEL_0, `(target average value):\t${current} / ${q(o.target.averageValue)}\n`)
      } else {
        const current = cur?.object ? q(cur.object.current?.value) : '<unknown>'
        w.write(LEVEL_0, `(target value):\t${current} / ${q(o.target?.value)}\n`)
      }
      return
    }
    case 'Resource':
    case 'ContainerResource': {
      const r = m.type === 'Resource' ? m.resource : m.containerResource
      const c = m.type === 'Resource' ? cur?.resource : cur?.containerResource
      if (m.type === 'Resource') w.write(LEVEL_1, `resource ${r?.name ?? ''} on pods`)
      else w.write(LEVEL_1, `resource ${r?.name ?? ''} of container "${m.containerResource?.container ?? ''}" on pods`)
      if (r?.target?.averageValue !== undefined) {
        const current = c ? q(c.current?.averageValue) : '<unknown>'
        w.write(LEVEL_0, `:\t${current} / ${q(r.target.averageValue)}\n`)
      } else {
        const util = c?.current?.averageUtilization
        const current = typeof util === 'number' ? `${util}% (${q(c?.current?.averageValue)})` : '<unknown>'
        const target = typeof r?.target?.averageUtilization === 'number' ? `${r.target.averageUtilization}%` : '<auto>'
        w.write(LEVEL_1, `(as a percentage of request):\t${current} / ${target}\n`)
      }
      return
    }
    default:
      w.write(LEVEL_1, `<unknown metric type ${quote(m.type)}>\n`)
  }
}

function describeBehavior(w: PrefixWriter, direction: string, rules: Rules | undefined): void {
  if (!rules) return
  w.write(LEVEL_1, `${direction}:\n`)
  if (typeof rules.stabilizationWindowSeconds === 'number') w.write(LEVEL_2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`)
  if ((rules.policies ?? []).length > 0) {
    w.write(LEVEL_2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`)
    w.write(LEVEL_2, 'Policies:\n')
    for (const p of rules.policies ?? []) w.write(LEVEL_3, `- Type: ${p.type ?? ''}\tValue: ${p.value ?? 0}\tPeriod: ${p.periodSeconds ?? 0} seconds\n`)
  }
}

/** The HPA's description: target, metrics (current / target), bounds, behavior, replicas, conditions, events. */
export function describeHPA(hpa: HPA, ctx: DescribeContext): string {
  const md = hpa.metadata ?? {}
  const spec = hpa.spec ?? {}
  const status = hpa.status ?? {}
  const v1 = hpa.apiVersion === 'autoscaling/v1'
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    w.write(LEVEL_0, `CreationTimestamp:\t${formatRFC1123Z(md.creationTimestamp, ctx.timeZone)}\n`)
    w.write(LEVEL_0, `Reference:\t${spec.scaleTargetRef?.kind ?? ''}/${spec.scaleTargetRef?.name ?? ''}\n`)
    if (v1) {
      if (typeof spec.targetCPUUtilizationPercentage === 'number') {
        w.write(LEVEL_0, `Target CPU utilization:\t${spec.targetCPUUtilizationPercentage}%\n`)
        const cur = status.currentCPUUtilizationPercentage
        w.write(LEVEL_0, `Current CPU utilization:\t${typeof cur === 'number' ? cur : '<unknown>'}%\n`)
      }
    } else {
      w.write(LEVEL_0, 'Metrics:\t( current / target )\n')
      ;(spec.metrics ?? []).forEach((m, i) => describeMetric(m, status.currentMetrics?.[i], w))
    }
    w.write(LEVEL_0, `Min replicas:\t${typeof spec.minReplicas === 'number' ? spec.minReplicas : '<unset>'}\n`)
    w.write(LEVEL_0, `Max replicas:\t${spec.maxReplicas ?? 0}\n`)
    if (!v1 && spec.behavior) {
      w.write(LEVEL_0, 'Behavior:\n')
      describeBehavior(w, 'Scale Up', spec.behavior.scaleUp)
      describeBehavior(w, 'Scale Down', spec.behavior.scaleDown)
    }
    w.write(LEVEL_0, `${spec.scaleTargetRef?.kind ?? ''} pods:\t`)
    w.write(LEVEL_0, `${status.currentReplicas ?? 0} current / ${status.desiredReplicas ?? 0} desired\n`)
    const conditions = status.conditions ?? []
    if (!v1 && conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n')
      w.write(LEVEL_1, 'Type\tStatus\tReason\tMessage\n')
      w.write(LEVEL_1, '----\t------\t------\t-------\n')
      for (const c of conditions) w.write(LEVEL_1, `${c.type ?? ''}\t${c.status ?? ''}\t${c.reason ?? ''}\t${c.message ?? ''}\n`)
    }
    if (ctx.events) describeEvents(eventsAbout(ctx.events, refOf(hpa)), w, ctx.now)
  })
}
