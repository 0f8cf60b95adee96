/**
 * The scheduler's checkpoint (see Checkpoint in runtime/types.ts): its cache — every node as the
 * filters read it, with the sums of its pods' requests and its pod count; every assigned pod as the
 * cache records it; the cache's term index (the pods carrying each label); the pods held on a node
 * the cache does not know, by node — the Services' selectors with their index by term, the pods
 * waiting for a node (what `prime` enqueues a start for: kube-scheduler's scheduling queue) and
 * which of them the last attempt found unschedulable. Nodes are saved although they are few: a
 * restored scheduler is no longer shown the unchanged ones, and rebuilding the node tree from a
 * list would need an API read at start. Bindings not yet written are decisions not yet made: a
 * scheduler holding one saves nothing (settled, it holds none).
 *
 * Saved in the shapes the cache holds them, so that no pod is replayed into the node sums and no
 * index is rebuilt. The pods, the term index, the selectors and their term index are PagedMaps
 * (runtime/paged-map.ts), stored by pages: a restore keeps the pages as text, and a page is parsed,
 * and its records checked and made into their in-memory form, when one of its keys is first read
 * or written — a pod when it is looked up, a term's keys when the term is first used; a save
 * writes back every page nothing changed as it was. The nodes, few and needed together for the
 * node tree, are checked when any node is first read; the pods on unknown nodes (usually none) at
 * restore (see Checkpoint.damaged for a record that turns out malformed).
 *
 * Example (as JSON: a PagedMap as its `[key, value]` pairs):
 * { format: 3, nodes: [['n-1', { zone: 'a' }, [], false, 4000, 8589934592, 110, 100, 0, 100, 209715200, 1]],
 * pods: [['shop/web-1', ['n-1', { app: 'web' }, 100, 0, 100, 209715200, false, 0]], ['shop/old-1', ['n-0', {}, 0, 0, 100, 209715200, true, 0]]],
 * podsByTerm: [['shop\u0000app=web', ['shop/web-1']]], unplaced: [['n-0', ['shop/old-1']]], services: [['shop/web', { app: 'web' }]],
 * servicesByTerm: [['shop\u0000app=web', ['web']]], waiting: ['shop/big-0'], unschedulable: ['shop/big-0'] }.
 */
import { isPlainObject, isStrings } from '../../api/object.js'
import { isPairsOrPages, PagedMap, type PagedCodec } from '../runtime/paged-map.js'
import type { Request } from '../runtime/types.js'
import type { SchedulerCache } from './cache.js'
import type { NodeInfo, PodInfo } from './node-info.js'
import type { SelectingService, ServiceSelectors } from './service-selectors.js'
import type { Taint } from './taints.js'

/** The data's format: a checkpoint of another format is refused (the start primes instead). */
export const SCHEDULER_CHECKPOINT_FORMAT = 3

/**
 * A node: name, labels, taints, unschedulable, allocatable milli-cpu, memory and pods, then the
 * sums of its pods' requests (milli-cpu, memory) and non-zero requests, and its pod count.
 */
export type SavedNode = [string, Record<string, string>, Taint[], boolean, number, number, number, number, number, number, number, number]

/** An assigned pod (its key beside it): node, labels, requests (milli-cpu, memory), non-zero requests, terminating, priority. */
export type SavedPod = [string, Record<string, string>, number, number, number, number, boolean, number]

/** The saved data as JSON gives it (the paged parts as pairs). Nodes are in name order (the order a primed start adds them in); the paged parts in no order that means anything. */
export interface SchedulerCheckpoint {
  format: number
  nodes: SavedNode[]
  /** Per assigned pod: its key (`namespace/name`) and its record. */
  pods: Array<[string, SavedPod]>
  /** Per `namespace\0key=value` label of assigned pods: the keys of the pods carrying it. */
  podsByTerm: Array<[string, readonly string[]]>
  /** Per node the cache does not know that holds assigned pods: its name and their keys (both sorted). */
  unplaced: Array<[string, string[]]>
  /** Per Service with a non-empty selector: its key and its selector. */
  services: Array<[string, Readonly<Record<string, string>>]>
  /** Per selector term a Service is filed under (its selector's first `key=value`, in its namespace): the Services' names. */
  servicesByTerm: Array<[string, readonly string[]]>
  /** Keys (`namespace/name`) of the pods that need scheduling, sorted. */
  waiting: string[]
  /** Keys of the pods the last attempt found no node for, sorted. */
  unschedulable: string[]
}

/** The paged parts. */
type Paged = 'pods' | 'podsByTerm' | 'services' | 'servicesByTerm'

/** What a save gives: the paged parts as the PagedMaps themselves (the store writes their pages). */
export type SchedulerSave = Omit<SchedulerCheckpoint, Paged> & {
  pods: PagedMap<PodInfo>
  podsByTerm: PagedMap<Set<string> | readonly string[]>
  services: PagedMap<Readonly<Record<string, string>>>
  servicesByTerm: PagedMap<Map<string, SelectingService> | readonly string[]>
}

/** What a restore is handed, its outline checked: the paged parts as pairs or a store's pages. */
export type DecodedCheckpoint = Omit<SchedulerCheckpoint, Paged> & Record<Paged, unknown>

/** String order, for the few parts saved sorted. */
export const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The data in `data` when its outline is a checkpoint of this format, else undefined (never
 * throws). Only the outline, and the small lists of keys: the paged records are checked as the
 * cache and the selectors first read them, so a restore is not a pass over every record.
 */
export function decodeSchedulerCheckpoint(data: unknown): DecodedCheckpoint | undefined {
  if (!isPlainObject(data) || data.format !== SCHEDULER_CHECKPOINT_FORMAT) return undefined
  const { nodes, pods, podsByTerm, unplaced, services, servicesByTerm, waiting, unschedulable } = data
  if (!Array.isArray(nodes) || ![pods, podsByTerm, services, servicesByTerm].every(isPairsOrPages)) return undefined
  if (!isPodKeys(waiting) || !isPodKeys(unschedulable) || !isUnplaced(unplaced)) return undefined
  return data as unknown as DecodedCheckpoint
}

/** An assigned pod's record, made into its PodInfo when its page is read. */
export const POD_RECORDS: PagedCodec<PodInfo> = { check: (key, v) => podInfoFrom(key, v), encode: (_key, p) => savedPodOf(p) }

/** A term's pod keys: restored as the saved list, made into a Set when the term first changes. */
export const POD_TERMS: PagedCodec<Set<string> | readonly string[]> = { check: (_key, v) => keyList(v), encode: (_key, v) => (v instanceof Set ? [...v] : v) }

/** A filed Service's selector. */
export const SERVICE_SELECTORS: PagedCodec<Readonly<Record<string, string>>> = { check: (_key, v) => (isSelector(v) ? v : undefined) }

/** A term's Service names: restored as the saved list, made into entries when the term is first used. */
export const SERVICE_TERMS: PagedCodec<Map<string, SelectingService> | readonly string[]> = {
  check: (_key, v) => keyList(v),
  encode: (_key, v) => (v instanceof Map ? [...v.keys()] : v),
}

/** The saved pods and their term index as PagedMaps (pages read when first used); throws when a part is neither pairs nor pages. */
export function savedPods(pods: unknown, podsByTerm: unknown): { pods: PagedMap<PodInfo>; podsByTerm: PagedMap<Set<string> | readonly string[]> } {
  return { pods: PagedMap.restore(pods, POD_RECORDS), podsByTerm: PagedMap.restore(podsByTerm, POD_TERMS) }
}

/** The saved selectors and their term index as PagedMaps; throws when a part is neither pairs nor pages. */
export function savedServices(services: unknown, servicesByTerm: unknown): { services: PagedMap<Readonly<Record<string, string>>>; servicesByTerm: PagedMap<Map<string, SelectingService> | readonly string[]> } {
  return { services: PagedMap.restore(services, SERVICE_SELECTORS), servicesByTerm: PagedMap.restore(servicesByTerm, SERVICE_TERMS) }
}

/** Every paged part as its PagedMap (built before anything is changed), or undefined when one is neither pairs nor pages. */
export function savedMaps(saved: DecodedCheckpoint): (ReturnType<typeof savedPods> & ReturnType<typeof savedServices>) | undefined {
  try {
    return { ...savedPods(saved.pods, saved.podsByTerm), ...savedServices(saved.services, saved.servicesByTerm) }
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


/** A restored list of keys or names, when it is one: a non-empty list of strings. */
function keyList(v: unknown): readonly string[] | undefined {
  return isStrings(v) && v.length > 0 ? v : undefined
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

/** Whether `v` is the pods on unknown nodes: pairs of a node name and a non-empty list of pod keys. */
function isUnplaced(v: unknown): v is Array<[string, string[]]> {
  return Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && e[0] !== '' && isPodKeys(e[1]) && e[1].length > 0)
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isLabels = (v: unknown): v is Record<string, string> => isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string')
const isName = (v: unknown): v is string => typeof v === 'string' && v !== '' && !v.includes('/')

/** The cache, the selectors and the queue as data (undefined while an assumed pod's binding is outstanding). */
export function saveScheduler(cache: SchedulerCache, services: ServiceSelectors, waiting: Iterable<string>, unschedulable: Iterable<string>): SchedulerSave | undefined {
  if (cache.hasAssumed()) return undefined
  return { format: SCHEDULER_CHECKPOINT_FORMAT, ...cache.save(), ...services.save(), waiting: [...waiting].sort(byKey), unschedulable: [...unschedulable].sort(byKey) }
}
