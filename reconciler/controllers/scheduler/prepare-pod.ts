/**
 * What the algorithm needs about a pod, computed once per attempt: requests, tolerations, the
 * node matcher, and its spread constraints — its own, or the system defaults over the default
 * selector (helper.DefaultSelector: the selectors of the Services that select the pod, merged,
 * and the selector of the ReplicaSet that controls it).
 */
import type { ApiClient } from '../../api/client.js'
import { isNotFound } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import { labelSelectorOf } from '../runtime/selector-memo.js'
import { equalitySelector, selectorFromRequirements, type LabelSelector, type LabelSelectorSpec } from '../../api/selectors/label-selector.js'
import type { PodToSchedule } from './algorithm.js'
import { requiredNodeMatcher, type NodeAffinity } from './node-affinity.js'
import type { ServiceSelectors } from './service-selectors.js'
import { podKey, tolerationsOf } from './node-info.js'
import { podRequests, type PodSpecLike, type Resources } from './resources.js'
import { podConstraints, systemDefaultConstraints, type SpreadConstraint, type TopologySpreadConstraintSpec } from './topology-spread.js'

/**
 * The default spreading selector of a pod, or undefined when nothing (no Service, no ReplicaSet)
 * groups it. With `services` (the scheduler's index kept from its watch), the selecting Services
 * come from it; without, from a list of the namespace.
 */
export async function defaultSelector(api: ApiClient, pod: KObject, services?: ServiceSelectors): Promise<LabelSelector | undefined> {
  const ns = pod.metadata.namespace ?? 'default'
  const labels = pod.metadata.labels ?? {}
  const merged: Record<string, string> = {}
  if (services) {
    for (const s of services.selecting(ns, labels)) Object.assign(merged, s.selector)
  } else {
    const { items } = await api.list('services', { namespace: ns })
    for (const svc of items) {
      const sel = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector
      if (!sel || !Object.keys(sel).length) continue
      if (Object.entries(sel).every(([k, v]) => labels[k] === v)) Object.assign(merged, sel)
    }
  }
  let selector = equalitySelector(merged)
  const owner = (pod.metadata.ownerReferences ?? []).find((r) => r.controller)
  if (owner && owner.kind === 'ReplicaSet' && owner.apiVersion.startsWith('apps/')) {
    try {
      const rs = await api.get('replicasets', ns, owner.name)
      const rsSel = labelSelectorOf((rs.spec as { selector?: LabelSelectorSpec } | undefined)?.selector)
      if (!rsSel.nothing) selector = selectorFromRequirements([...selector.requirements, ...rsSel.requirements])
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
  }
  return selector.empty ? undefined : selector
}

/**
 * Compiled constraints and requests by the JSON of what they are computed from: the pods of one
 * ReplicaSet share them, so a pod costs a JSON text instead of compiling selectors and parsing
 * quantities again. Values are pure functions of their keys; the maps are emptied when full.
 */
const constraintMemo = new Map<string, SpreadConstraint[]>()
const requestMemo = new Map<string, { requests: Resources; nonZero: Resources }>()
const MEMO_LIMIT = 4096

function remember<V>(memo: Map<string, V>, key: string, make: () => V): V {
  let v = memo.get(key)
  if (v === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear()
    memo.set(key, (v = make()))
  }
  return v
}

/** The pod's own spread constraints, compiled (matchLabelKeys read the pod's labels, so they join the key). */
function ownConstraints(own: readonly TopologySpreadConstraintSpec[], labels: Record<string, string>): SpreadConstraint[] {
  let key = JSON.stringify(own)
  for (const c of own) for (const k of c.matchLabelKeys ?? []) key += `\u0000${k}=${Object.hasOwn(labels, k) ? JSON.stringify(labels[k]) : ''}`
  return remember(constraintMemo, key, () => Object.freeze(podConstraints(own, labels)) as SpreadConstraint[])
}

/** The pod's requests and non-zero requests. */
function requestsOf(spec: PodSpecLike): { requests: Resources; nonZero: Resources } {
  const req = (cs: PodSpecLike['containers']) => (cs ?? []).map((c) => [c.restartPolicy ?? null, c.resources?.requests ?? null])
  const key = JSON.stringify([req(spec.containers), req(spec.initContainers), spec.overhead ?? null])
  // Shared by every pod of the same shape: frozen, so nothing can change one pod's numbers for all.
  return remember(requestMemo, key, () => ({ requests: Object.freeze(podRequests(spec)), nonZero: Object.freeze(podRequests(spec, true)) }))
}

/** The pod as the algorithm sees it (`services`: see defaultSelector). */
export async function preparePod(api: ApiClient, pod: KObject, services?: ServiceSelectors): Promise<PodToSchedule> {
  const spec = (pod.spec ?? {}) as PodSpecLike & {
    nodeSelector?: Record<string, string>
    affinity?: { nodeAffinity?: NodeAffinity }
    topologySpreadConstraints?: TopologySpreadConstraintSpec[]
  }
  const labels = pod.metadata.labels ?? {}
  const own = spec.topologySpreadConstraints ?? []
  let constraints = own.length ? ownConstraints(own, labels) : []
  let systemDefaulted = false
  if (!own.length) {
    const sel = await defaultSelector(api, pod, services)
    constraints = sel ? systemDefaultConstraints(sel) : []
    systemDefaulted = true
  }
  const affinity = spec.affinity?.nodeAffinity
  return {
    key: podKey(pod),
    namespace: pod.metadata.namespace ?? 'default',
    labels,
    ...requestsOf(spec),
    tolerations: tolerationsOf(pod),
    matcher: requiredNodeMatcher(spec.nodeSelector, affinity),
    affinity,
    constraints,
    systemDefaulted,
  }
}
