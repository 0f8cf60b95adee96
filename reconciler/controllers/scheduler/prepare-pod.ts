/**
 * What the algorithm needs about a pod, computed once per attempt: requests, tolerations, the
 * node matcher, and its spread constraints — its own, or the system defaults over the default
 * selector (helper.DefaultSelector: the selectors of the Services that select the pod, merged,
 * and the selector of the ReplicaSet that controls it).
 */
import type { ApiClient } from '../../api/client.js'
import { isNotFound } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import { equalitySelector, fromLabelSelector, selectorFromRequirements, type LabelSelector, type LabelSelectorSpec } from '../../api/selectors/label-selector.js'
import type { PodToSchedule } from './algorithm.js'
import { requiredNodeMatcher, type NodeAffinity } from './node-affinity.js'
import { podKey, tolerationsOf } from './node-info.js'
import { podRequests, type PodSpecLike } from './resources.js'
import { podConstraints, systemDefaultConstraints, type TopologySpreadConstraintSpec } from './topology-spread.js'

/** The default spreading selector of a pod, or undefined when nothing (no Service, no ReplicaSet) groups it. */
export async function defaultSelector(api: ApiClient, pod: KObject): Promise<LabelSelector | undefined> {
  const ns = pod.metadata.namespace ?? 'default'
  const labels = pod.metadata.labels ?? {}
  const merged: Record<string, string> = {}
  const { items: services } = await api.list('services', { namespace: ns })
  for (const svc of services) {
    const sel = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector
    if (!sel || !Object.keys(sel).length) continue
    if (Object.entries(sel).every(([k, v]) => labels[k] === v)) Object.assign(merged, sel)
  }
  let selector = equalitySelector(merged)
  const owner = (pod.metadata.ownerReferences ?? []).find((r) => r.controller)
  if (owner && owner.kind === 'ReplicaSet' && owner.apiVersion.startsWith('apps/')) {
    try {
      const rs = await api.get('replicasets', ns, owner.name)
      const rsSel = fromLabelSelector((rs.spec as { selector?: LabelSelectorSpec } | undefined)?.selector)
      if (!rsSel.nothing) selector = selectorFromRequirements([...selector.requirements, ...rsSel.requirements])
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
  }
  return selector.empty ? undefined : selector
}

/** The pod as the algorithm sees it. */
export async function preparePod(api: ApiClient, pod: KObject): Promise<PodToSchedule> {
  const spec = (pod.spec ?? {}) as PodSpecLike & {
    nodeSelector?: Record<string, string>
    affinity?: { nodeAffinity?: NodeAffinity }
    topologySpreadConstraints?: TopologySpreadConstraintSpec[]
  }
  const labels = pod.metadata.labels ?? {}
  const own = spec.topologySpreadConstraints ?? []
  let constraints = podConstraints(own, labels)
  let systemDefaulted = false
  if (!own.length) {
    const sel = await defaultSelector(api, pod)
    constraints = sel ? systemDefaultConstraints(sel) : []
    systemDefaulted = true
  }
  const affinity = spec.affinity?.nodeAffinity
  return {
    key: podKey(pod),
    namespace: pod.metadata.namespace ?? 'default',
    labels,
    requests: podRequests(spec),
    nonZero: podRequests(spec, true),
    tolerations: tolerationsOf(pod),
    matcher: requiredNodeMatcher(spec.nodeSelector, affinity),
    affinity,
    constraints,
    systemDefaulted,
  }
}
