/** The Node describer's pods table and "Allocated resources" (describeNodeResource). */
import { byteCompare } from '../../api/table/labels.js'
import { ageSince } from './age.js'
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './prefix-writer.js'
import {
  addQuantity,
  compareQuantity,
  formatQuantity,
  quantityMilliValue,
  quantityOf,
  quantityValue,
  type Quantity,
  ZERO,
} from './quantity.js'
import type { KubeObject } from './types.js'

type Resources = { requests?: Record<string, unknown>; limits?: Record<string, unknown> }
type C = { resources?: Resources; restartPolicy?: string }
type PodLike = KubeObject & { spec?: { containers?: C[]; initContainers?: C[]; overhead?: Record<string, unknown> } }
type List = Map<string, Quantity>

function addList(into: List, add: Record<string, unknown> | List | undefined): void {
  const entries = add instanceof Map ? [...add.entries()] : Object.entries(add ?? {}).map(([k, v]) => [k, quantityOf(v)] as const)
  for (const [name, q] of entries) into.set(name, into.has(name) ? addQuantity(into.get(name) as Quantity, q) : q)
}

function maxList(into: List, other: List): void {
  for (const [name, q] of other) {
    const cur = into.get(name)
    if (!cur || compareQuantity(q, cur) > 0) into.set(name, q)
  }
}

/**
 * resourcehelper.PodRequestsAndLimits: containers summed; init containers taken at their maximum
 * (sidecars, restartPolicy Always, add up with the containers); pod overhead added.
 */
export function podRequestsAndLimits(pod: PodLike): { reqs: List; limits: List } {
  const result = { reqs: new Map() as List, limits: new Map() as List }
  for (const kind of ['requests', 'limits'] as const) {
    const total: List = new Map()
    for (const c of pod.spec?.containers ?? []) addList(total, c.resources?.[kind])
    const sidecars: List = new Map()
    const initMax: List = new Map()
    for (const c of pod.spec?.initContainers ?? []) {
      const own: List = new Map()
      addList(own, c.resources?.[kind])
      if (c.restartPolicy === 'Always') {
        addList(sidecars, own)
        const withSidecars: List = new Map(sidecars)
        maxList(initMax, withSidecars)
      } else {
        const step: List = new Map(sidecars)
        addList(step, own)
        maxList(initMax, step)
      }
    }
    addList(total, sidecars)
    maxList(total, initMax)
    const overhead = pod.spec?.overhead
    if (overhead) {
      if (kind === 'requests') addList(total, overhead)
      else for (const [name, v] of Object.entries(overhead)) if (total.has(name)) addList(total, { [name]: v })
    }
    if (kind === 'requests') result.reqs = total
    else result.limits = total
  }
  return result
}

/** Go's int64(float64): truncation; NaN and ±Inf become math.MinInt64 on amd64. */
function goInt64(f: number): string {
  return Number.isFinite(f) ? String(Math.trunc(f)) : '-9223372036854775808'
}

const ratio = (a: bigint, b: bigint): number => (Number(a) / Number(b)) * 100

const STANDARD_CONTAINER = new Set(['cpu', 'memory', 'ephemeral-storage'])
const isHugePages = (name: string): boolean => name.startsWith('hugepages-')
/** IsStandardContainerResourceName: cpu, memory, ephemeral-storage and hugepages-*. */
const isStandardContainerResource = (name: string): boolean => STANDARD_CONTAINER.has(name) || isHugePages(name)

/** "Non-terminated Pods" table and "Allocated resources" totals against the node's allocatable. */
export function describeNodeResource(pods: PodLike[], node: KubeObject, w: PrefixWriter, now: Date): void {
  const status = (node.status ?? {}) as { capacity?: Record<string, unknown>; allocatable?: Record<string, unknown> }
  const allocatable = Object.keys(status.allocatable ?? {}).length > 0 ? (status.allocatable ?? {}) : (status.capacity ?? {})
  const allocCpu = quantityMilliValue(quantityOf(allocatable.cpu))
  const allocMem = quantityValue(quantityOf(allocatable.memory))
  const allocEph = quantityValue(quantityOf(allocatable['ephemeral-storage']))

  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`)
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n')
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n')
  for (const pod of pods) {
    const { reqs, limits } = podRequestsAndLimits(pod)
    const cpuReq = reqs.get('cpu') ?? ZERO
    const cpuLim = limits.get('cpu') ?? ZERO
    const memReq = reqs.get('memory') ?? ZERO
    const memLim = limits.get('memory') ?? ZERO
    w.write(
      LEVEL_1,
      `${pod.metadata?.namespace ?? ''}\t${pod.metadata?.name ?? ''}\t\t` +
        `${formatQuantity(cpuReq)} (${goInt64(ratio(quantityMilliValue(cpuReq), allocCpu))}%)\t` +
        `${formatQuantity(cpuLim)} (${goInt64(ratio(quantityMilliValue(cpuLim), allocCpu))}%)\t` +
        `${formatQuantity(memReq)} (${goInt64(ratio(quantityValue(memReq), allocMem))}%)\t` +
        `${formatQuantity(memLim)} (${goInt64(ratio(quantityValue(memLim), allocMem))}%)\t` +
        `${ageSince(pod.metadata?.creationTimestamp, now)}\n`,
    )
  }

  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n')
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n')
  w.write(LEVEL_1, '--------\t--------\t------\n')
  const reqs: List = new Map()
  const limits: List = new Map()
  for (const pod of pods) {
    const r = podRequestsAndLimits(pod)
    addList(reqs, r.reqs)
    addList(limits, r.limits)
  }
  const row = (name: string, alloc: bigint, value: (q: Quantity) => bigint): void => {
    const req = reqs.get(name) ?? ZERO
    const lim = limits.get(name) ?? ZERO
    const fr = alloc !== 0n ? goInt64(ratio(value(req), alloc)) : '0'
    const fl = alloc !== 0n ? goInt64(ratio(value(lim), alloc)) : '0'
    w.write(LEVEL_1, `${name}\t${formatQuantity(req)} (${fr}%)\t${formatQuantity(lim)} (${fl}%)\n`)
  }
  row('cpu', allocCpu, quantityMilliValue)
  row('memory', allocMem, quantityValue)
  row('ephemeral-storage', allocEph, quantityValue)
  const names = Object.keys(allocatable).sort(byteCompare)
  for (const name of names.filter(isHugePages)) row(name, quantityValue(quantityOf(allocatable[name])), quantityValue)
  for (const name of names.filter((n) => !isStandardContainerResource(n) && n !== 'pods')) {
    const req = reqs.get(name) ?? ZERO
    const lim = limits.get(name) ?? ZERO
    w.write(LEVEL_1, `${name}\t${formatQuantity(req)}\t${formatQuantity(lim)}\n`)
  }
}
