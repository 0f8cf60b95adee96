/**
 * The scheduler's checkpoint (see Checkpoint in runtime/types.ts): its cache — every node as the
 * filters read it and every assigned pod as the cache records it — the Services' selectors, the
 * pods waiting for a node (what `prime` enqueues a start for: kube-scheduler's scheduling queue)
 * and which of them the last attempt found unschedulable. Nodes are saved although they are few:
 * a restored scheduler is no longer shown the unchanged ones, and rebuilding the node tree from a
 * list would need an API read at start. Bindings not yet written are decisions not yet made: a
 * scheduler holding one saves nothing (settled, it holds none).
 *
 * Example: { format: 1, nodes: [['n-1', { zone: 'a' }, [], false, 4000, 8589934592, 110]],
 * pods: [['shop', 'web-1', 'n-1', { app: 'web' }, 100, 0, 100, 209715200, false, 0]],
 * services: [['shop', 'web', { app: 'web' }]], waiting: ['shop/big-0'], unschedulable: ['shop/big-0'] }.
 */
import { isPlainObject } from '../../api/object.js'
import type { Request } from '../runtime/types.js'
import type { SchedulerCache } from './cache.js'
import type { NodeInfo, PodInfo } from './node-info.js'
import type { ServiceSelectors } from './service-selectors.js'
import type { Taint } from './taints.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const SCHEDULER_CHECKPOINT_FORMAT = 1

/** A node: name, labels, taints, unschedulable, allocatable milli-cpu, memory and pods. */
export type SavedNode = [string, Record<string, string>, Taint[], boolean, number, number, number]

/** An assigned pod: namespace, name, node, labels, requests (milli-cpu, memory), non-zero requests, terminating, priority. */
export type SavedPod = [string, string, string, Record<string, string>, number, number, number, number, boolean, number]

/** A Service with a selector: namespace, name, selector. */
export type SavedService = [string, string, Record<string, string>]

/** The saved data; every list is sorted, nodes and pods as an informer lists them (by key). */
export interface SchedulerCheckpoint {
  format: number
  nodes: SavedNode[]
  pods: SavedPod[]
  services: SavedService[]
  /** Keys (`namespace/name`) of the pods that need scheduling. */
  waiting: string[]
  /** Keys of the pods the last attempt found no node for. */
  unschedulable: string[]
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The cache, the selectors and the queue as data (undefined while an assumed pod's binding is outstanding). */
export function saveScheduler(cache: SchedulerCache, services: ServiceSelectors, waiting: Iterable<string>, unschedulable: Iterable<string>): SchedulerCheckpoint | undefined {
  if (cache.hasAssumed()) return undefined
  const nodes = [...cache.nodes.values()].sort((a, b) => byKey(a.name, b.name)).map(savedNode)
  const pods = [...cache.pods.values()].sort((a, b) => byKey(a.key, b.key)).map(savedPod)
  const svcs = services.entries().map(([ns, name, selector]): SavedService => [ns, name, { ...selector }])
  return { format: SCHEDULER_CHECKPOINT_FORMAT, nodes, pods, services: svcs, waiting: [...waiting].sort(byKey), unschedulable: [...unschedulable].sort(byKey) }
}

function savedNode(n: NodeInfo): SavedNode {
  return [n.name, n.labels, n.taints, n.unschedulable, n.allocatable.milliCpu, n.allocatable.memory, n.allocatable.pods]
}

function savedPod(p: PodInfo): SavedPod {
  const name = p.key.slice(p.namespace.length + 1)
  return [p.namespace, name, p.nodeName, p.labels, p.requests.milliCpu, p.requests.memory, p.nonZero.milliCpu, p.nonZero.memory, p.terminating, p.priority]
}

/** The NodeInfo of a saved node (no pods yet: the cache sums them as they are added). */
export function nodeInfoFrom([name, labels, taints, unschedulable, milliCpu, memory, pods]: SavedNode): NodeInfo {
  return {
    name,
    labels,
    taints,
    unschedulable,
    allocatable: { milliCpu, memory, pods },
    requested: { milliCpu: 0, memory: 0 },
    nonZeroRequested: { milliCpu: 0, memory: 0 },
    pods: new Map(),
  }
}

/** The PodInfo of a saved pod. */
export function podInfoFrom([namespace, name, nodeName, labels, cpu, mem, nzCpu, nzMem, terminating, priority]: SavedPod): PodInfo {
  return { key: `${namespace}/${name}`, namespace, labels, nodeName, requests: { milliCpu: cpu, memory: mem }, nonZero: { milliCpu: nzCpu, memory: nzMem }, terminating, priority }
}

/** A pod's request from its key. */
export function podRequestOf(key: string): Request {
  const i = key.indexOf('/')
  const namespace = key.slice(0, i)
  return { resource: 'pods', namespace: namespace || undefined, name: key.slice(i + 1) }
}

/** The checkpoint in `data`, or undefined when it is not one of this format (never throws). */
export function decodeSchedulerCheckpoint(data: unknown): SchedulerCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== SCHEDULER_CHECKPOINT_FORMAT) return undefined
  const { nodes, pods, services, waiting, unschedulable } = data
  if (!Array.isArray(nodes) || !nodes.every(isSavedNode)) return undefined
  if (!Array.isArray(pods) || !pods.every(isSavedPod)) return undefined
  if (!Array.isArray(services) || !services.every(isSavedService)) return undefined
  if (!isPodKeys(waiting) || !isPodKeys(unschedulable)) return undefined
  return { format: SCHEDULER_CHECKPOINT_FORMAT, nodes, pods, services, waiting, unschedulable }
}

function isSavedNode(v: unknown): v is SavedNode {
  if (!Array.isArray(v) || v.length !== 7) return false
  const [name, labels, taints, unschedulable, ...allocatable] = v as unknown[]
  return isName(name) && isLabels(labels) && Array.isArray(taints) && taints.every(isTaint) && typeof unschedulable === 'boolean' && allocatable.every(isNumber)
}

function isSavedPod(v: unknown): v is SavedPod {
  if (!Array.isArray(v) || v.length !== 10) return false
  const [namespace, name, nodeName, labels, cpu, mem, nzCpu, nzMem, terminating, priority] = v as unknown[]
  return isSegment(namespace) && isName(name) && typeof nodeName === 'string' && nodeName !== '' && isLabels(labels) && [cpu, mem, nzCpu, nzMem, priority].every(isNumber) && typeof terminating === 'boolean'
}

function isSavedService(v: unknown): v is SavedService {
  if (!Array.isArray(v) || v.length !== 3) return false
  const [namespace, name, selector] = v as unknown[]
  return isSegment(namespace) && isName(name) && isLabels(selector) && Object.keys(selector).length > 0
}

function isTaint(v: unknown): v is Taint {
  return isPlainObject(v) && typeof v.key === 'string' && typeof v.effect === 'string' && (v.value == null || typeof v.value === 'string') && (v.timeAdded == null || typeof v.timeAdded === 'string')
}

/** Whether `v` is a list of `namespace/name` keys. */
function isPodKeys(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((k) => typeof k === 'string' && /^[^/]*\/[^/]+$/.test(k))
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isLabels = (v: unknown): v is Record<string, string> => isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string')
/** A name or namespace: no slash (a key splits back unambiguously). */
const isSegment = (v: unknown): v is string => typeof v === 'string' && !v.includes('/')
const isName = (v: unknown): v is string => isSegment(v) && v !== ''
