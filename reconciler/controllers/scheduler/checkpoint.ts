/**
 * The scheduler's checkpoint (see Checkpoint in runtime/types.ts): its cache — every node as the
 * filters read it, with the sums of its pods' requests and its pod count; every assigned pod as the
 * cache records it; the cache's term index (the pods carrying each label) — the Services'
 * selectors with their index by term, the pods waiting for a node (what `prime` enqueues a start
 * for: kube-scheduler's scheduling queue) and which of them the last attempt found unschedulable.
 * Nodes are saved although they are few: a restored scheduler is no longer shown the unchanged
 * ones, and rebuilding the node tree from a list would need an API read at start. Bindings not yet
 * written are decisions not yet made: a scheduler holding one saves nothing (settled, it holds none).
 *
 * Saved by parts, in the shapes the cache holds them, so that a restore is a few Map constructions:
 * no pod is replayed into the node sums and no index is rebuilt. Each record is checked, and made
 * into its in-memory form, when the scheduler first reads it: a pod when it is looked up, a term's
 * keys when the term is first used; the nodes, few and needed together for the node tree, when any
 * node is first read (see Checkpoint.damaged for a record that turns out malformed). A record
 * never read is saved again as it was restored.
 *
 * Example: { format: 2, nodes: [['n-1', { zone: 'a' }, [], false, 4000, 8589934592, 110, 100, 0, 100, 209715200, 1]],
 * pods: [['shop/web-1', ['n-1', { app: 'web' }, 100, 0, 100, 209715200, false, 0]]],
 * podsByTerm: [['shop\u0000app=web', ['shop/web-1']]], services: [['shop/web', { app: 'web' }]],
 * servicesByTerm: [['shop\u0000app=web', ['web']]], waiting: ['shop/big-0'], unschedulable: ['shop/big-0'] }.
 */
import { isPlainObject } from '../../api/object.js'
import type { Request } from '../runtime/types.js'
import type { SchedulerCache } from './cache.js'
import type { NodeInfo, PodInfo } from './node-info.js'
import type { ServiceSelectors } from './service-selectors.js'
import type { Taint } from './taints.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const SCHEDULER_CHECKPOINT_FORMAT = 2

/**
 * A node: name, labels, taints, unschedulable, allocatable milli-cpu, memory and pods, then the
 * sums of its pods' requests (milli-cpu, memory) and non-zero requests, and its pod count.
 */
export type SavedNode = [string, Record<string, string>, Taint[], boolean, number, number, number, number, number, number, number, number]

/** An assigned pod (its key beside it): node, labels, requests (milli-cpu, memory), non-zero requests, terminating, priority. */
export type SavedPod = [string, Record<string, string>, number, number, number, number, boolean, number]

/** The saved data. Nodes are in name order (the order a primed start adds them in); the other parts in the cache's order. */
export interface SchedulerCheckpoint {
  format: number
  nodes: SavedNode[]
  /** Per assigned pod: its key (`namespace/name`) and its record. */
  pods: Array<[string, SavedPod]>
  /** Per `namespace\0key=value` label of assigned pods: the keys of the pods carrying it. */
  podsByTerm: Array<[string, readonly string[]]>
  /** Per Service with a non-empty selector: its key and its selector. */
  services: Array<[string, Readonly<Record<string, string>>]>
  /** Per selector term a Service is filed under (its selector's first `key=value`, in its namespace): the Services' names. */
  servicesByTerm: Array<[string, readonly string[]]>
  /** Keys (`namespace/name`) of the pods that need scheduling, sorted. */
  waiting: string[]
  /** Keys of the pods the last attempt found no node for, sorted. */
  unschedulable: string[]
}

/** String order, for the few parts saved sorted. */
export const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The data in `data` when its outline is a checkpoint of this format, else undefined (never
 * throws). Only the outline, and the small lists of keys: the records are checked as the cache
 * and the selectors first read them, so a restore is not a pass over every record.
 */
export function decodeSchedulerCheckpoint(data: unknown): SchedulerCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== SCHEDULER_CHECKPOINT_FORMAT) return undefined
  const { nodes, pods, podsByTerm, services, servicesByTerm, waiting, unschedulable } = data
  if (![nodes, pods, podsByTerm, services, servicesByTerm].every(Array.isArray)) return undefined
  if (!isPodKeys(waiting) || !isPodKeys(unschedulable)) return undefined
  return data as unknown as SchedulerCheckpoint
}

/** The parts saved as pairs, made into Maps (native constructions, no pass of ours); undefined when a list is not of pairs. */
export function savedMaps(saved: SchedulerCheckpoint):
  | { pods: Map<string, SavedPod>; podsByTerm: Map<string, readonly string[]>; services: Map<string, Readonly<Record<string, string>>>; servicesByTerm: Map<string, readonly string[]> }
  | undefined {
  try {
    return { pods: new Map(saved.pods), podsByTerm: new Map(saved.podsByTerm), services: new Map(saved.services), servicesByTerm: new Map(saved.servicesByTerm) }
  } catch {
    return undefined
  }
}

/** The saved record of a node. */
export function savedNodeOf(n: NodeInfo): SavedNode {
  const { allocatable: a, requested: r, nonZeroRequested: z } = n
  return [n.name, n.labels, n.taints, n.unschedulable, a.milliCpu, a.memory, a.pods, r.milliCpu, r.memory, z.milliCpu, z.memory, n.podCount]
}

/** The NodeInfo of a saved node, sums and all; undefined when the record is malformed. */
export function nodeInfoFrom(v: unknown): NodeInfo | undefined {
  if (!Array.isArray(v) || v.length !== 12) return undefined
  const [name, labels, taints, unschedulable, ...numbers] = v as unknown[]
  if (!isName(name) || !isLabels(labels) || !Array.isArray(taints) || !taints.every(isTaint) || typeof unschedulable !== 'boolean' || !numbers.every(isNumber)) return undefined
  const [cpu, mem, pods, reqCpu, reqMem, nzCpu, nzMem, podCount] = numbers as number[]
  if (!Number.isInteger(podCount) || podCount < 0) return undefined
  return {
    name,
    labels,
    taints,
    unschedulable,
    allocatable: { milliCpu: cpu, memory: mem, pods },
    requested: { milliCpu: reqCpu, memory: reqMem },
    nonZeroRequested: { milliCpu: nzCpu, memory: nzMem },
    podCount,
  }
}

/** The saved record of a pod (its key is saved beside it). */
export function savedPodOf(p: PodInfo): SavedPod {
  return [p.nodeName, p.labels, p.requests.milliCpu, p.requests.memory, p.nonZero.milliCpu, p.nonZero.memory, p.terminating, p.priority]
}

/** The PodInfo of the saved pod `key`; undefined when the key or the record is malformed. */
export function podInfoFrom(key: unknown, v: unknown): PodInfo | undefined {
  if (!isPodKey(key) || !Array.isArray(v) || v.length !== 8) return undefined
  const [nodeName, labels, cpu, mem, nzCpu, nzMem, terminating, priority] = v as unknown[]
  if (typeof nodeName !== 'string' || nodeName === '' || !isLabels(labels) || typeof terminating !== 'boolean') return undefined
  if (!isNumber(cpu) || !isNumber(mem) || !isNumber(nzCpu) || !isNumber(nzMem) || !isNumber(priority)) return undefined
  const namespace = key.slice(0, key.indexOf('/'))
  return { key, namespace, labels, nodeName, requests: { milliCpu: cpu, memory: mem }, nonZero: { milliCpu: nzCpu, memory: nzMem }, terminating, priority }
}

/** A pod's request from its key. */
export function podRequestOf(key: string): Request {
  const i = key.indexOf('/')
  const namespace = key.slice(0, i)
  return { resource: 'pods', namespace: namespace || undefined, name: key.slice(i + 1) }
}

/** Whether a restored list of keys or names is one: a list of strings. */
export function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string')
}

/** Whether a restored Service selector is one: labels, at least one. */
export function isSelector(v: unknown): v is Record<string, string> {
  return isLabels(v) && Object.keys(v).length > 0
}

function isTaint(v: unknown): v is Taint {
  return isPlainObject(v) && typeof v.key === 'string' && typeof v.effect === 'string' && (v.value == null || typeof v.value === 'string') && (v.timeAdded == null || typeof v.timeAdded === 'string')
}

/** Whether `v` is a `namespace/name` key (a name or namespace holds no slash, so the key splits back unambiguously). */
const isPodKey = (v: unknown): v is string => typeof v === 'string' && /^[^/]*\/[^/]+$/.test(v)

/** Whether `v` is a list of `namespace/name` keys. */
function isPodKeys(v: unknown): v is string[] {
  return Array.isArray(v) && v.every(isPodKey)
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isLabels = (v: unknown): v is Record<string, string> => isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string')
const isName = (v: unknown): v is string => typeof v === 'string' && v !== '' && !v.includes('/')

/** The cache, the selectors and the queue as data (undefined while an assumed pod's binding is outstanding). */
export function saveScheduler(cache: SchedulerCache, services: ServiceSelectors, waiting: Iterable<string>, unschedulable: Iterable<string>): SchedulerCheckpoint | undefined {
  if (cache.hasAssumed()) return undefined
  return { format: SCHEDULER_CHECKPOINT_FORMAT, ...cache.save(), ...services.save(), waiting: [...waiting].sort(byKey), unschedulable: [...unschedulable].sort(byKey) }
}
