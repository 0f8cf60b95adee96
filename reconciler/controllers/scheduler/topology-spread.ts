/**
 * PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread), in our words.
 *
 * Constraints are the pod's own; a pod with none gets the system defaults (kube-scheduler 1.32's
 * `defaultingType: System`): `kubernetes.io/hostname` maxSkew 3 and `topology.kubernetes.io/zone`
 * maxSkew 5, both ScheduleAnyway, selecting the pods of the same Services, ReplicaSet,
 * ReplicationController or StatefulSet (no such owner or Service: no default constraints). This
 * replaced SelectorSpread, which did the same job before 1.24.
 *
 * Filter (DoNotSchedule): placing the pod in a domain must keep `count + self − global minimum ≤
 * maxSkew`, counting pods on nodes that match the pod's node selector/affinity and carry every
 * constraint's key. Example: zones a/b/c hold 2/2/1 pods, maxSkew 1 → only zone c (1+1−1 = 1) fits.
 *
 * Score (ScheduleAnyway): a node's raw score is Σ count(domain of node) × ln(domains + 2) +
 * (maxSkew − 1); lower is better, so scores are normalised as 100 × (max + min − s) / max.
 */
import { selectorFromRequirements, fromLabelSelector, type LabelSelector, type LabelSelectorSpec } from '../../api/selectors/label-selector.js'
import type { Requirement } from '../../api/selectors/label-requirement.js'
import type { PodCounter, SchedulerCache } from './cache.js'
import type { NodeInfo } from './node-info.js'

/** The hostname label. */
export const HOSTNAME_KEY = 'kubernetes.io/hostname'
/** The zone label. */
export const ZONE_KEY = 'topology.kubernetes.io/zone'

/** One constraint, its selector compiled. */
export interface SpreadConstraint {
  maxSkew: number
  topologyKey: string
  hard: boolean
  selector: LabelSelector
  minDomains: number
}

/** A topologySpreadConstraints entry as the API has it. */
export interface TopologySpreadConstraintSpec {
  maxSkew: number
  topologyKey: string
  whenUnsatisfiable: string
  labelSelector?: LabelSelectorSpec
  minDomains?: number
  matchLabelKeys?: string[]
}

/** The system default constraints (hostname 3, zone 5, ScheduleAnyway), for a default selector. */
export function systemDefaultConstraints(selector: LabelSelector): SpreadConstraint[] {
  return [
    { maxSkew: 3, topologyKey: HOSTNAME_KEY, hard: false, selector, minDomains: 1 },
    { maxSkew: 5, topologyKey: ZONE_KEY, hard: false, selector, minDomains: 1 },
  ]
}

/** The pod's own constraints, matchLabelKeys folded into each selector as `key in (value)`. */
export function podConstraints(specs: readonly TopologySpreadConstraintSpec[], podLabels: Record<string, string>): SpreadConstraint[] {
  return specs.map((c) => {
    let selector = fromLabelSelector(c.labelSelector)
    const extra: Requirement[] = []
    for (const k of c.matchLabelKeys ?? []) if (Object.hasOwn(podLabels, k)) extra.push({ key: k, operator: 'in', values: [podLabels[k]] })
    if (extra.length && !selector.nothing) selector = selectorFromRequirements([...selector.requirements, ...extra])
    return { maxSkew: c.maxSkew, topologyKey: c.topologyKey, hard: c.whenUnsatisfiable !== 'ScheduleAnyway', selector, minDomains: c.minDomains ?? 1 }
  })
}

/** The filter's reasons. */
export const SPREAD_REASON = "node(s) didn't match pod topology spread constraints"
export const SPREAD_LABEL_REASON = "node(s) didn't match pod topology spread constraints (missing required label)"

type NodeMatcher = ((labels: Record<string, string>, name: string) => boolean) | undefined

/** Matching pods per domain of `c.topologyKey`, over nodes that match the pod and have every key in `keys`. */
function domainCounts(cache: SchedulerCache, counter: PodCounter, key: string, keys: readonly string[], matcher: NodeMatcher): Map<string, number> {
  if (!matcher && keys.every((k) => cache.allNodesHave(k))) {
    // Fast path: every node counts; the counter keeps the sums current.
    const m = new Map<string, number>()
    for (const v of cache.valuesOf(key)) m.set(v, 0)
    for (const [v, n] of counter.domains(key)) m.set(v, n)
    return m
  }
  const m = new Map<string, number>()
  for (const node of cache.nodes.values()) {
    if (!keys.every((k) => Object.hasOwn(node.labels, k))) continue
    if (matcher && !matcher(node.labels, node.name)) continue
    const v = node.labels[key]
    m.set(v, (m.get(v) ?? 0) + (counter.byNode.get(node.name) ?? 0))
  }
  return m
}

/** The precomputed state of the DoNotSchedule filter for one pod. */
export interface SpreadFilter {
  /** The reason the node fails, or undefined; `unresolvable` for a missing label. */
  check(node: NodeInfo): { reason: string; unresolvable: boolean } | undefined
}

/** Builds the filter for a pod's hard constraints (undefined when it has none). */
export function spreadFilter(opts: {
  cache: SchedulerCache
  namespace: string
  podLabels: Record<string, string>
  constraints: readonly SpreadConstraint[]
  matcher: NodeMatcher
}): SpreadFilter | undefined {
  const hard = opts.constraints.filter((c) => c.hard)
  if (!hard.length) return undefined
  const keys = hard.map((c) => c.topologyKey)
  const states = hard.map((c) => {
    const counter = opts.cache.counter(opts.namespace, c.selector)
    const counts = domainCounts(opts.cache, counter, c.topologyKey, keys, opts.matcher)
    let min = Infinity
    for (const n of counts.values()) if (n < min) min = n
    if (!counts.size || counts.size < c.minDomains) min = 0
    const self = c.selector.matches(opts.podLabels) ? 1 : 0
    return { c, counts, min, self }
  })
  // Per constraint, the domains a node may be in: count + self − min ≤ maxSkew (one lookup per node;
  // a domain outside the counted nodes counts 0).
  const allowed = states.map((s) => {
    const ok = new Set<string>()
    for (const [v, n] of s.counts) if (n + s.self - s.min <= s.c.maxSkew) ok.add(v)
    return { key: s.c.topologyKey, ok, counts: s.counts, zeroOk: s.self - s.min <= s.c.maxSkew }
  })
  const missing = { reason: SPREAD_LABEL_REASON, unresolvable: true }
  const skewed = { reason: SPREAD_REASON, unresolvable: false }
  return {
    check(node) {
      let result: typeof skewed | undefined
      for (const a of allowed) {
        const v = node.labels[a.key]
        if (typeof v !== 'string') return missing
        if (!result && !a.ok.has(v) && !(a.zeroOk && !a.counts.has(v))) result = skewed
      }
      return result
    },
  }
}

/**
 * The normalised ScheduleAnyway scores (0–100) of the feasible nodes, in their order; undefined when
 * the pod has no soft constraint (the plugin then does not score).
 */
export function spreadScores(opts: {
  cache: SchedulerCache
  namespace: string
  constraints: readonly SpreadConstraint[]
  systemDefaulted: boolean
  matcher: NodeMatcher
  feasible: readonly NodeInfo[]
}): number[] | undefined {
  const soft = opts.constraints.filter((c) => !c.hard)
  if (!soft.length) return undefined
  const keys = soft.map((c) => c.topologyKey)
  const ignored = opts.feasible.map((n) => !keys.every((k) => Object.hasOwn(n.labels, k)))
  const scored = opts.feasible.filter((_, i) => !ignored[i])
  const states = soft.map((c) => {
    const counter = opts.cache.counter(opts.namespace, c.selector)
    const isHost = c.topologyKey === HOSTNAME_KEY
    let size: number
    let counts: Map<string, number> | undefined
    if (isHost) size = scored.length
    else {
      const values = new Set<string>()
      for (const n of scored) values.add(n.labels[c.topologyKey])
      size = values.size
      // System-defaulted constraints count pods on every node; the pod's own need all keys on the node.
      counts = domainCounts(opts.cache, counter, c.topologyKey, opts.systemDefaulted ? [c.topologyKey] : keys, opts.matcher)
    }
    return { c, counter, isHost, weight: Math.log(size + 2), counts }
  })
  const raw = opts.feasible.map((node, i) => {
    if (ignored[i]) return 0
    let s = 0
    for (const st of states) {
      const v = node.labels[st.c.topologyKey]
      if (v === undefined) continue
      const cnt = st.isHost ? (st.counter.byNode.get(node.name) ?? 0) : (st.counts!.get(v) ?? 0)
      s += cnt * st.weight + (st.c.maxSkew - 1)
    }
    return Math.round(s)
  })
  let min = Infinity
  let max = 0
  raw.forEach((s, i) => {
    if (ignored[i]) return
    if (s < min) min = s
    if (s > max) max = s
  })
  return raw.map((s, i) => {
    if (ignored[i]) return 0
    if (max === 0) return 100
    return Math.trunc((100 * (max + min - s)) / max)
  })
}
