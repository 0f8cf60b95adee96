/**
 * What a pod asks of a node and what a node offers, as the scheduler's NodeResourcesFit counts them
 * (k8s.io/component-helpers resource.PodRequests): cpu in millicores, memory in bytes.
 *
 * A pod's request is the larger of (a) its app containers plus its sidecars (init containers with
 * restartPolicy Always) and (b) the largest init step, where an init container runs beside the
 * sidecars started before it; the pod's overhead is added on top. Worked example: containers 100m
 * + 200m, init containers 500m then 250m → max(300m, 500m) = 500m.
 */
import { parseQuantity } from '../../api/validation/kinds/quantity.js'

/** cpu (millicores) and memory (bytes). */
export interface Resources {
  milliCpu: number
  memory: number
}

/** The default cpu request the scheduler assumes for scoring a container that names none (100m). */
export const DEFAULT_MILLI_CPU_REQUEST = 100
/** The default memory request assumed for scoring (200 MiB). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

interface ContainerLike {
  restartPolicy?: string
  resources?: { requests?: Record<string, string | number> }
}

/** A pod spec's containers, as far as requests go. */
export interface PodSpecLike {
  containers?: ContainerLike[]
  initContainers?: ContainerLike[]
  overhead?: Record<string, string | number>
}

/** A quantity in millicores (rounded up, as resource.Quantity.MilliValue does). */
export function milliValue(q: string | number | undefined): number {
  if (q === undefined) return 0
  const v = parseQuantity(q)
  return v === undefined ? 0 : Math.ceil(v * 1000 - 1e-9)
}

/** A quantity in base units (rounded up, as resource.Quantity.Value does). */
export function value(q: string | number | undefined): number {
  if (q === undefined) return 0
  const v = parseQuantity(q)
  return v === undefined ? 0 : Math.ceil(v - 1e-9)
}

function containerRequests(c: ContainerLike, nonZero: boolean): Resources {
  const r = c.resources?.requests ?? {}
  let milliCpu = milliValue(r.cpu)
  let memory = value(r.memory)
  if (nonZero) {
    if (r.cpu === undefined) milliCpu = DEFAULT_MILLI_CPU_REQUEST
    if (r.memory === undefined) memory = DEFAULT_MEMORY_REQUEST
  }
  return { milliCpu, memory }
}

/** The pod's effective request; `nonZero` gives containers without a request the scoring defaults (100m, 200Mi). */
export function podRequests(spec: PodSpecLike, nonZero = false): Resources {
  const sum: Resources = { milliCpu: 0, memory: 0 }
  for (const c of spec.containers ?? []) {
    const r = containerRequests(c, nonZero)
    sum.milliCpu += r.milliCpu
    sum.memory += r.memory
  }
  const sidecars: Resources = { milliCpu: 0, memory: 0 }
  const initMax: Resources = { milliCpu: 0, memory: 0 }
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero)
    let step: Resources
    if (c.restartPolicy === 'Always') {
      sum.milliCpu += r.milliCpu
      sum.memory += r.memory
      sidecars.milliCpu += r.milliCpu
      sidecars.memory += r.memory
      step = { ...sidecars }
    } else {
      step = { milliCpu: r.milliCpu + sidecars.milliCpu, memory: r.memory + sidecars.memory }
    }
    initMax.milliCpu = Math.max(initMax.milliCpu, step.milliCpu)
    initMax.memory = Math.max(initMax.memory, step.memory)
  }
  const out = { milliCpu: Math.max(sum.milliCpu, initMax.milliCpu), memory: Math.max(sum.memory, initMax.memory) }
  out.milliCpu += milliValue(spec.overhead?.cpu)
  out.memory += value(spec.overhead?.memory)
  return out
}

/** A node's allocatable cpu, memory and pod count (its capacity when allocatable is missing). */
export function nodeAllocatable(status: { allocatable?: Record<string, string | number>; capacity?: Record<string, string | number> } | undefined): Resources & { pods: number } {
  const a = status?.allocatable ?? status?.capacity ?? {}
  return { milliCpu: milliValue(a.cpu), memory: value(a.memory), pods: value(a.pods) }
}
