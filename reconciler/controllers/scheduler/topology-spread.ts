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
import type { NodeTable } from './node-table.js'

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

/** One hard constraint, compiled for a pod: the node's domain id per row, and whether each domain may take the pod. */
export interface SpreadCheck {
  /** Per table row: the domain id of the constraint's key, -1 when the node lacks the label. */
  ids: Int32Array
  /** Per domain id: 1 when placing the pod there keeps the skew within maxSkew. */
  ok: Uint8Array
}

/** The outcome of the spread filter on one row: passes, fails on skew, or fails on a missing label. */
export const SPREAD_OK = 0
export const SPREAD_SKEWED = 1
export const SPREAD_MISSING = 2

/** The DoNotSchedule filter on one table row (SPREAD_OK, SPREAD_SKEWED or SPREAD_MISSING). */
export function spreadCheckRow(checks: readonly SpreadCheck[], row: number): number {
  let result = SPREAD_OK
  for (let i = 0; i < checks.length; i++) {
    const d = checks[i].ids[row]
    if (d < 0) return SPREAD_MISSING
    if (checks[i].ok[d] === 0) result = SPREAD_SKEWED
  }
  return result
}

/** Builds the filter for a pod's hard constraints, over `table`'s rows (undefined when it has none). */
export function spreadFilter(opts: {
  cache: SchedulerCache
  table: NodeTable
  namespace: string
  podLabels: Record<string, string>
  constraints: readonly SpreadConstraint[]
  matcher: NodeMatcher
}): SpreadCheck[] | undefined {
  let hard: SpreadConstraint[] | undefined
  for (const c of opts.constraints) if (c.hard) (hard ??= []).push(c)
  if (!hard) return undefined
  const keys = hard.map((c) => c.topologyKey)
  // Every node counts (no node matcher, every node has every key): the domains are the column's.
  const everyNode = !opts.matcher && keys.every((k) => opts.cache.allNodesHave(k))
  return hard.map((c) => {
    const counter = opts.cache.counter(opts.namespace, c.selector)
    const column = opts.table.column(c.topologyKey)
    const self = c.selector.matches(opts.podLabels) ? 1 : 0
    const ok = new Uint8Array(column.values.length)
    if (everyNode) {
      // The same arithmetic as below over the column's values, without building a map per pod.
      const byDomain = counter.domains(c.topologyKey)
      let min = Infinity
      for (const v of column.values) {
        const n = byDomain.get(v) ?? 0
        if (n < min) min = n
      }
      if (!column.values.length || column.values.length < c.minDomains) min = 0
      for (let d = 0; d < ok.length; d++) ok[d] = (byDomain.get(column.values[d]) ?? 0) + self - min <= c.maxSkew ? 1 : 0
      return { ids: column.ids, ok }
    }
    const counts = domainCounts(opts.cache, counter, c.topologyKey, keys, opts.matcher)
    let min = Infinity
    for (const n of counts.values()) if (n < min) min = n
    if (!counts.size || counts.size < c.minDomains) min = 0
    // Per domain: count + self − min ≤ maxSkew; a domain outside the counted nodes counts 0.
    for (let d = 0; d < ok.length; d++) {
      const n = counts.get(column.values[d])
      ok[d] = (n === undefined ? self - min : n + self - min) <= c.maxSkew ? 1 : 0
    }
    return { ids: column.ids, ok }
  })
}

/**
 * The normalised ScheduleAnyway scores (0–100) of the feasible rows `rows[0..n)`, written to
 * `out[0..n)`; false when the pod has no soft constraint (the plugin then does not score).
 */
export function spreadScores(opts: {
  cache: SchedulerCache
  table: NodeTable
  namespace: string
  constraints: readonly SpreadConstraint[]
  systemDefaulted: boolean
  matcher: NodeMatcher
  rows: Int32Array
  n: number
  out: Float64Array
}): boolean {
  let soft: SpreadConstraint[] | undefined
  for (const c of opts.constraints) if (!c.hard) (soft ??= []).push(c)
  if (!soft) return false
  const { table, rows, n, out } = opts
  const keys = soft.map((c) => c.topologyKey)
  const columns = soft.map((c) => table.column(c.topologyKey).ids)
  // A node without every key is ignored: it scores 0 and takes no part in the min and max.
  const ignored = new Uint8Array(n)
  let scored = 0
  for (let i = 0; i < n; i++) {
    for (const ids of columns) {
      if (ids[rows[i]] < 0) {
        ignored[i] = 1
        break
      }
    }
    if (!ignored[i]) scored++
  }
  const states = soft.map((c, j) => {
    const counter = opts.cache.counter(opts.namespace, c.selector)
    const isHost = c.topologyKey === HOSTNAME_KEY
    const column = table.column(c.topologyKey)
    let size = scored
    let byDomain: Float64Array | undefined
    if (!isHost) {
      const seen = new Uint8Array(column.values.length)
      size = 0
      for (let i = 0; i < n; i++) {
        if (ignored[i]) continue
        const d = columns[j][rows[i]]
        if (!seen[d]) {
          seen[d] = 1
          size++
        }
      }
      // System-defaulted constraints count pods on every node; the pod's own need all keys on the node.
      const counts = domainCounts(opts.cache, counter, c.topologyKey, opts.systemDefaulted ? [c.topologyKey] : keys, opts.matcher)
      byDomain = new Float64Array(column.values.length)
      for (let d = 0; d < byDomain.length; d++) byDomain[d] = counts.get(column.values[d]) ?? 0
    }
    return { ids: columns[j], byNode: counter.byNode, isHost, weight: Math.log(size + 2), extra: c.maxSkew - 1, byDomain }
  })
  let min = Infinity
  let max = 0
  for (let i = 0; i < n; i++) {
    if (ignored[i]) {
      out[i] = 0
      continue
    }
    const row = rows[i]
    let s = 0
    for (const st of states) {
      const cnt = st.isHost ? (st.byNode.get(table.nodes[row].name) ?? 0) : st.byDomain![st.ids[row]]
      s += cnt * st.weight + st.extra
    }
    const raw = Math.round(s)
    out[i] = raw
    if (raw < min) min = raw
    if (raw > max) max = raw
  }
  for (let i = 0; i < n; i++) {
    if (ignored[i]) continue
    out[i] = max === 0 ? 100 : Math.trunc((100 * (max + min - out[i])) / max)
  }
  return true
}
