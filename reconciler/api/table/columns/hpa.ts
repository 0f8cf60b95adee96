/** HorizontalPodAutoscaler columns (printers.go printHorizontalPodAutoscaler, formatHPAMetrics). */
import { arr, getPath, str } from '../get-path.js'
import type { Column, KubeObject } from '../types.js'
import { ageColumn, int, nameColumn } from './common.js'

type Target = { type?: string; value?: unknown; averageValue?: unknown; averageUtilization?: number }
type Current = { value?: unknown; averageValue?: unknown; averageUtilization?: number }
type MetricSpec = { type?: string; [source: string]: unknown }

/** A resource.Quantity as the cell shows it (quantities arrive in canonical form). */
const quantity = (q: unknown): string => (q === undefined || q === null ? '0' : String(q))

/**
 * The spec and status metrics of an HPA in autoscaling/v2 shape. autoscaling/v1 objects are
 * converted the way the API server converts them (targetCPUUtilizationPercentage → a cpu
 * Resource metric; currentCPUUtilizationPercentage → its current value).
 */
function hpaMetrics(hpa: KubeObject): { specs: MetricSpec[]; statuses: MetricSpec[] } {
  if ((hpa.apiVersion ?? '') === 'autoscaling/v1') {
    const target = getPath(hpa, 'spec.targetCPUUtilizationPercentage')
    const current = getPath(hpa, 'status.currentCPUUtilizationPercentage')
    const specs: MetricSpec[] = typeof target === 'number'
      ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }]
      : []
    const statuses: MetricSpec[] = typeof current === 'number'
      ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }]
      : []
    return { specs, statuses }
  }
  return { specs: arr(hpa, 'spec.metrics') as MetricSpec[], statuses: arr(hpa, 'status.currentMetrics') as MetricSpec[] }
}

/** The source object of a metric by type ("Resource" → .resource, "ContainerResource" → .containerResource). */
const sourceKey = (type: string): string => type.charAt(0).toLowerCase() + type.slice(1)

/** formatHPAMetrics: "cpu: 20%/80%", "<unknown>" for a missing current value, at most 2 then " + N more...". */
export function formatHPAMetrics(specs: MetricSpec[], statuses: MetricSpec[]): string {
  if (specs.length === 0) return '<none>'
  const list: string[] = []
  const max = 2
  let count = 0
  specs.forEach((spec, i) => {
    const type = spec.type ?? ''
    const key = sourceKey(type)
    const source = (spec[key] ?? {}) as { name?: string; target?: Target }
    const target = source.target ?? {}
    const statusSource = (statuses.length > i ? statuses[i][key] : undefined) as { current?: Current } | undefined | null
    const current = statusSource ? statusSource.current ?? {} : undefined
    switch (type) {
      case 'External':
      case 'Object':
        if (target.averageValue !== undefined && target.averageValue !== null) {
          const cur = current && current.averageValue !== undefined && current.averageValue !== null ? quantity(current.averageValue) : '<unknown>'
          list.push(`${cur}/${quantity(target.averageValue)} (avg)`)
        } else {
          const cur = current ? quantity(current.value) : '<unknown>'
          list.push(`${cur}/${quantity(target.value)}`)
        }
        break
      case 'Pods': {
        const cur = current ? quantity(current.averageValue) : '<unknown>'
        list.push(`${cur}/${quantity(target.averageValue)}`)
        break
      }
      case 'Resource':
      case 'ContainerResource': {
        const name = source.name ?? ''
        if (target.averageValue !== undefined && target.averageValue !== null) {
          const cur = current ? quantity(current.averageValue) : '<unknown>'
          list.push(`${name}: ${cur}/${quantity(target.averageValue)}`)
        } else {
          const cur = current && typeof current.averageUtilization === 'number' ? `${current.averageUtilization}%` : '<unknown>'
          const tgt = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>'
          list.push(`${name}: ${cur}/${tgt}`)
        }
        break
      }
      default:
        list.push('<unknown type>')
    }
    count++
  })
  if (count > max) return `${list.slice(0, max).join(', ')} + ${count - max} more...`
  return list.join(', ')
}

/** NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE */
export const hpaColumns: Column[] = [
  nameColumn,
  { name: 'Reference', priority: 0, type: 'string', description: 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.',
    cell: (o) => `${str(o, 'spec.scaleTargetRef.kind')}/${str(o, 'spec.scaleTargetRef.name')}` },
  { name: 'Targets', priority: 0, type: 'string', description: 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).',
    cell: (o) => { const m = hpaMetrics(o); return formatHPAMetrics(m.specs, m.statuses) } },
  { name: 'MinPods', priority: 0, type: 'string', description: 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.',
    cell: (o) => (typeof getPath(o, 'spec.minReplicas') === 'number' ? String(int(getPath(o, 'spec.minReplicas'))) : '<unset>') },
  { name: 'MaxPods', priority: 0, type: 'string', description: 'maxReplicas is the upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.',
    cell: (o) => int(getPath(o, 'spec.maxReplicas')) },
  { name: 'Replicas', priority: 0, type: 'string', description: 'currentReplicas is current number of replicas of pods managed by this autoscaler.',
    cell: (o) => int(getPath(o, 'status.currentReplicas')) },
  ageColumn,
]
