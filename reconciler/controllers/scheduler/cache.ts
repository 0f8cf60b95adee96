/**
 * The scheduler cache (pkg/scheduler/internal/cache, in our words): every node with the sums of its
 * pods' requests, every assigned pod, the nodes in zone-interleaved order (the node tree, so a
 * partial scan of the nodes samples every zone), and counters of the pods matching a selector per
 * node and per topology domain, kept current on every pod and node change — so scheduling one pod
 * reads counts instead of recounting every pod on every node.
 */
import type { KObject } from '../../api/object.js'
import type { LabelSelector } from '../../api/selectors/label-selector.js'
import { accountPod, nodeInfoOf, podInfoOf, podKey, zoneKeyOf, type NodeInfo, type PodInfo } from './node-info.js'

/** Pods matching one selector in one namespace: per node, and per value of each topology key asked for. */
export class PodCounter {
  readonly byNode = new Map<string, number>()
  private readonly byDomain = new Map<string, Map<string, number>>()

  constructor(
    private readonly cache: SchedulerCache,
    readonly namespace: string,
    readonly selector: LabelSelector,
  ) {
    for (const p of cache.pods.values()) if (this.counts(p)) this.byNode.set(p.nodeName, (this.byNode.get(p.nodeName) ?? 0) + 1)
  }

  /** Whether the pod is one this counter counts (same namespace, not terminating, selector matches). */
  counts(p: PodInfo): boolean {
    return !p.terminating && p.namespace === this.namespace && this.selector.matches(p.labels)
  }

  /** Matching pods per value of `key`, over every node that has the label. */
  domains(key: string): Map<string, number> {
    let m = this.byDomain.get(key)
    if (!m) {
      m = new Map()
      for (const [name, n] of this.byNode) {
        const v = this.cache.nodes.get(name)?.labels[key]
        if (v !== undefined) m.set(v, (m.get(v) ?? 0) + n)
      }
      this.byDomain.set(key, m)
    }
    return m
  }

  /** Counts a pod in or out. */
  add(p: PodInfo, sign: 1 | -1): void {
    this.byNode.set(p.nodeName, (this.byNode.get(p.nodeName) ?? 0) + sign)
    if (!this.byDomain.size) return
    const labels = this.cache.nodes.get(p.nodeName)?.labels
    if (!labels) return
    for (const [key, m] of this.byDomain) {
      const v = labels[key]
      if (v !== undefined) m.set(v, (m.get(v) ?? 0) + sign)
    }
  }

  /** Forgets the per-domain sums (a node was added, removed or relabelled). */
  resetDomains(): void {
    this.byDomain.clear()
  }
}

const MAX_COUNTERS = 2000

/** Nodes and assigned pods, as the scheduler sees them. */
export class SchedulerCache {
  readonly nodes = new Map<string, NodeInfo>()
  /** Assigned pods by key; a pod whose node is not (yet) known is kept here with no NodeInfo. */
  readonly pods = new Map<string, PodInfo>()
  private readonly counters = new Map<string, PodCounter>()
  private readonly zones = new Map<string, string[]>()
  private ordered: NodeInfo[] | undefined
  private keyPresence = new Map<string, boolean>()
  private domainValues = new Map<string, string[]>()
  /** Bumped on every node change that matters to scheduling (used to retry unschedulable pods). */
  nodeGeneration = 0

  /** The nodes in node-tree order: the first node of each zone, then the second of each, … */
  list(): NodeInfo[] {
    if (!this.ordered) {
      const out: NodeInfo[] = []
      const lists = [...this.zones.values()]
      for (let i = 0, added = true; added; i++) {
        added = false
        for (const names of lists) {
          if (i < names.length) {
            out.push(this.nodes.get(names[i])!)
            added = true
          }
        }
      }
      this.ordered = out
    }
    return this.ordered
  }

  /** Whether every node has the label `key`. */
  allNodesHave(key: string): boolean {
    let v = this.keyPresence.get(key)
    if (v === undefined) {
      v = true
      for (const n of this.nodes.values()) if (!Object.hasOwn(n.labels, key)) v = false
      this.keyPresence.set(key, v)
    }
    return v
  }

  /** The distinct values of label `key` over all nodes. */
  valuesOf(key: string): string[] {
    let v = this.domainValues.get(key)
    if (!v) {
      const s = new Set<string>()
      for (const n of this.nodes.values()) if (Object.hasOwn(n.labels, key)) s.add(n.labels[key])
      this.domainValues.set(key, (v = [...s]))
    }
    return v
  }

  /** The counter of pods matching `selector` in `namespace` (built on first use, then kept current). */
  counter(namespace: string, selector: LabelSelector): PodCounter {
    const id = `${namespace}\u0000${selector.toString()}`
    let c = this.counters.get(id)
    if (!c) {
      if (this.counters.size >= MAX_COUNTERS) this.counters.clear()
      c = new PodCounter(this, namespace, selector)
      this.counters.set(id, c)
    }
    return c
  }

  /** Adds or updates a node. */
  setNode(node: KObject): void {
    const name = node.metadata.name!
    const next = nodeInfoOf(node)
    const prev = this.nodes.get(name)
    if (prev) {
      next.requested = prev.requested
      next.nonZeroRequested = prev.nonZeroRequested
      next.pods = prev.pods
      if (zoneKeyOf(prev.labels) !== zoneKeyOf(next.labels)) {
        this.removeFromTree(name, prev.labels)
        this.addToTree(name, next.labels)
      }
      if (!sameLabels(prev.labels, next.labels)) this.nodeLabelsChanged()
    } else {
      for (const p of this.pods.values()) if (p.nodeName === name) accountPod(next, p, 1)
      this.addToTree(name, next.labels)
      this.nodeLabelsChanged()
    }
    this.nodes.set(name, next)
    this.ordered = undefined
    this.nodeGeneration++
  }

  /** Removes a node (its pods stay known until they are deleted). */
  removeNode(name: string): void {
    const prev = this.nodes.get(name)
    if (!prev) return
    this.nodes.delete(name)
    this.removeFromTree(name, prev.labels)
    this.nodeLabelsChanged()
    this.ordered = undefined
    this.nodeGeneration++
  }

  /** Records a pod's current state: assigned and not finished pods are held, others forgotten. */
  setPod(pod: KObject): void {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName
    const phase = (pod.status as { phase?: string } | undefined)?.phase
    if (!nodeName || phase === 'Succeeded' || phase === 'Failed') {
      this.removePod(podKey(pod))
      return
    }
    const next = podInfoOf(pod, nodeName)
    const prev = this.pods.get(next.key)
    if (prev && prev.nodeName === next.nodeName && prev.terminating === next.terminating && sameLabels(prev.labels, next.labels)) {
      // Same node, same labels, same state: only the (immutable) requests could differ, and they cannot.
      return
    }
    if (prev) this.removePod(prev.key)
    this.addPod(next)
  }

  /** Holds a pod on a node before the binding write lands (the scheduler's assume). */
  assume(pod: KObject, nodeName: string): void {
    this.removePod(podKey(pod))
    this.addPod(podInfoOf(pod, nodeName))
  }

  /** Forgets a pod. */
  removePod(key: string): void {
    const p = this.pods.get(key)
    if (!p) return
    this.pods.delete(key)
    const node = this.nodes.get(p.nodeName)
    if (node) accountPod(node, p, -1)
    for (const c of this.counters.values()) if (c.counts(p)) c.add(p, -1)
  }

  private addPod(p: PodInfo): void {
    this.pods.set(p.key, p)
    const node = this.nodes.get(p.nodeName)
    if (node) accountPod(node, p, 1)
    for (const c of this.counters.values()) if (c.counts(p)) c.add(p, 1)
  }

  private nodeLabelsChanged(): void {
    this.keyPresence.clear()
    this.domainValues.clear()
    for (const c of this.counters.values()) c.resetDomains()
  }

  private addToTree(name: string, labels: Record<string, string>): void {
    const z = zoneKeyOf(labels)
    let names = this.zones.get(z)
    if (!names) this.zones.set(z, (names = []))
    names.push(name)
  }

  private removeFromTree(name: string, labels: Record<string, string>): void {
    const z = zoneKeyOf(labels)
    const names = this.zones.get(z)
    if (!names) return
    const i = names.indexOf(name)
    if (i >= 0) names.splice(i, 1)
    if (!names.length) this.zones.delete(z)
  }
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) return true
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) if (a[k] !== b[k]) return false
  return true
}
