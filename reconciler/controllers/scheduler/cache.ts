/**
 * The scheduler cache (pkg/scheduler/internal/cache, in our words): every node with the sums of its
 * pods' requests, every assigned pod, the nodes in zone-interleaved order (the node tree, so a
 * partial scan of the nodes samples every zone), and counters of the pods matching a selector per
 * node and per topology domain, kept current on every pod and node change — so scheduling one pod
 * reads counts instead of recounting every pod on every node.
 *
 * A checkpoint restores it by parts (checkpoint.ts): the nodes with their sums, the pods and the
 * term index as saved, each read when first used — no pod is replayed into the sums. A node that
 * appears takes its pods from those held on unknown nodes (`unplaced`), so that it need not look
 * through every pod.
 */
import type { KObject } from '../../api/object.js'
import { indexableTerms, type LabelSelector } from '../../api/selectors/label-selector.js'
import { AssignedPods, termOf } from './assigned-pods.js'
import type { PagedMap } from '../runtime/paged-map.js'
import { byKey, nodeInfoFrom, savedNodeOf, type SavedNode, type SchedulerSave } from './checkpoint.js'
import { accountPod, nodeInfoOf, podInfoOf, podKey, zoneKeyOf, type NodeInfo, type PodInfo } from './node-info.js'
import { NodeTable } from './node-table.js'

/** Pods matching one selector in one namespace: per node, and per value of each topology key asked for. */
export class PodCounter {
  readonly byNode = new Map<string, number>()
  private readonly byDomain = new Map<string, Map<string, number>>()

  constructor(
    private readonly cache: SchedulerCache,
    readonly namespace: string,
    readonly selector: LabelSelector,
  ) {
    // Only the pods carrying one `key=value` the selector requires can count (the cache's term
    // index): a new counter per workload no longer reads every assigned pod.
    for (const p of cache.podsFor(namespace, selector)) if (this.counts(p)) this.byNode.set(p.nodeName, (this.byNode.get(p.nodeName) ?? 0) + 1)
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

/** Selectors' canonical text (selectors are immutable; compiled ones are shared between pods). */
const selectorText = new WeakMap<LabelSelector, string>()

/** Nodes and assigned pods, as the scheduler sees them. */
export class SchedulerCache {
  private readonly nodeInfos = new Map<string, NodeInfo>()
  /** Restored nodes not read yet (unchecked), in the order they are added to the node tree. */
  private unreadNodes: readonly SavedNode[] | undefined
  /** Whether a restored node (dropped) or a restored list of pods on unknown nodes turned out malformed. */
  private nodesDamaged = false
  /** Assigned pods by key, and by `namespace\0key=value` of each of their labels; a pod whose node is not (yet) known is kept with no NodeInfo. */
  private readonly assigned = new AssignedPods()
  /**
   * The keys of the pods held on each node the cache does not know (a pod bound to a node not seen
   * yet, or whose node was removed): what a node that appears counts in its sums.
   */
  private unplaced = new Map<string, Set<string>>()
  private readonly counters = new Map<string, PodCounter>()
  private readonly countersByTerm = new Map<string, PodCounter[]>()
  private readonly countersUnindexed: PodCounter[] = []
  private readonly lastCounter = new WeakMap<LabelSelector, { namespace: string; id: string; counter: PodCounter }>()
  /** Pods assumed on a node whose assignment the watch has not reported yet. */
  private readonly assumed = new Set<string>()
  private readonly zones = new Map<string, string[]>()
  private rows: NodeTable | undefined
  private keyPresence = new Map<string, boolean>()
  private domainValues = new Map<string, string[]>()
  /** Bumped on every node change that matters to scheduling (used to retry unschedulable pods). */
  nodeGeneration = 0

  /** Every node by name (restored ones read, all together, on first use). */
  get nodes(): ReadonlyMap<string, NodeInfo> {
    if (this.unreadNodes !== undefined) this.readNodes()
    return this.nodeInfos
  }

  /** The assigned (or assumed) pod `key`, if held. */
  pod(key: string): PodInfo | undefined {
    return this.assigned.get(key)
  }

  /** The keys of every assigned (or assumed) pod held. */
  podKeys(): string[] {
    return this.assigned.keys()
  }

  /** Whether a restored record turned out malformed when read (it was treated as absent). */
  get damaged(): boolean {
    return this.nodesDamaged || this.assigned.damaged
  }

  /** The nodes in node-tree order: the first node of each zone, then the second of each, … */
  list(): readonly NodeInfo[] {
    return this.table().nodes
  }

  /** The nodes in node-tree order as a NodeTable (rebuilt when the tree changes, kept current otherwise). */
  table(): NodeTable {
    if (!this.rows) {
      const nodes = this.nodes
      const out: NodeInfo[] = []
      const lists = [...this.zones.values()]
      for (let i = 0, added = true; added; i++) {
        added = false
        for (const names of lists) {
          if (i < names.length) {
            out.push(nodes.get(names[i])!)
            added = true
          }
        }
      }
      this.rows = new NodeTable(out)
    }
    return this.rows
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

  /**
   * The assigned pods that can match `selector` in `namespace`: those carrying the selector's first
   * `key=value` term, or every pod when it has none (a superset; callers test each pod).
   */
  podsFor(namespace: string, selector: LabelSelector): Iterable<PodInfo> {
    const term = selector.nothing ? undefined : indexableTerms(selector)[0]
    if (!term) return this.assigned.all()
    const out: PodInfo[] = []
    for (const key of this.assigned.withTerm(termOf(namespace, term[0], term[1])) ?? []) {
      const p = this.assigned.get(key)
      if (p) out.push(p)
    }
    return out
  }

  /** The counter of pods matching `selector` in `namespace` (built on first use, then kept current). */
  counter(namespace: string, selector: LabelSelector): PodCounter {
    // Compiled selectors are shared between the pods of one workload: remember the last answer per selector.
    const last = this.lastCounter.get(selector)
    if (last && last.namespace === namespace && this.counters.get(last.id) === last.counter) return last.counter
    let text = selectorText.get(selector)
    if (text === undefined) selectorText.set(selector, (text = selector.toString()))
    const id = `${namespace}\u0000${text}`
    let c = this.counters.get(id)
    if (!c) {
      if (this.counters.size >= MAX_COUNTERS) {
        this.counters.clear()
        this.countersByTerm.clear()
        this.countersUnindexed.length = 0
      }
      c = new PodCounter(this, namespace, selector)
      this.counters.set(id, c)
      // Indexed by one `key=value` the selector requires: a pod is offered only the counters of its labels.
      const term = indexableTerms(selector)[0]
      if (term && !selector.nothing) {
        const t = termOf(namespace, term[0], term[1])
        let set = this.countersByTerm.get(t)
        if (!set) this.countersByTerm.set(t, (set = []))
        set.push(c)
      } else this.countersUnindexed.push(c)
    }
    this.lastCounter.set(selector, { namespace, id, counter: c })
    return c
  }

  /** Adds (1) or removes (-1) a pod in every counter that counts it. */
  private count(p: PodInfo, sign: 1 | -1): void {
    for (const c of this.countersUnindexed) if (c.counts(p)) c.add(p, sign)
    if (!this.countersByTerm.size) return
    for (const k in p.labels) {
      const set = this.countersByTerm.get(termOf(p.namespace, k, p.labels[k]))
      if (set) for (const c of set) if (c.counts(p)) c.add(p, sign)
    }
  }

  /** Adds or updates a node. */
  setNode(node: KObject): void {
    this.setNodeInfo(nodeInfoOf(node))
  }

  /** Adds or updates a node from its NodeInfo with no pods (a Node object's, or a checkpoint's). */
  setNodeInfo(next: NodeInfo): void {
    const name = next.name
    const prev = this.nodes.get(name)
    if (prev) {
      next.requested = prev.requested
      next.nonZeroRequested = prev.nonZeroRequested
      next.podCount = prev.podCount
      this.nodeInfos.set(name, next)
      if (zoneKeyOf(prev.labels) !== zoneKeyOf(next.labels)) {
        this.removeFromTree(name, prev.labels)
        this.addToTree(name, next.labels)
        this.rows = undefined
      } else this.rows?.refreshNode(next)
      if (!sameLabels(prev.labels, next.labels)) this.nodeLabelsChanged()
    } else {
      for (const key of this.unplaced.get(name) ?? []) {
        const p = this.assigned.get(key)
        // A restored list naming a pod not held, or held elsewhere, is malformed.
        if (p?.nodeName === name) accountPod(next, p, 1)
        else this.nodesDamaged = true
      }
      this.unplaced.delete(name)
      this.nodeInfos.set(name, next)
      this.addToTree(name, next.labels)
      this.nodeLabelsChanged()
      this.rows = undefined
    }
    this.nodeGeneration++
  }

  /**
   * Removes a node (its pods stay known until they are deleted, as pods on an unknown node). One
   * removed with pods still on it (rare: a drain deletes a node once its pods are gone) has them
   * found among every pod (a restored memory's every page read).
   */
  removeNode(name: string): void {
    const prev = this.nodes.get(name)
    if (!prev) return
    if (prev.podCount > 0) {
      const keys = new Set<string>()
      for (const p of this.assigned.all()) if (p.nodeName === name) keys.add(p.key)
      if (keys.size) this.unplaced.set(name, keys)
    }
    this.nodeInfos.delete(name)
    this.removeFromTree(name, prev.labels)
    this.nodeLabelsChanged()
    this.rows = undefined
    this.nodeGeneration++
  }

  /**
   * Records a pod's current state: assigned and not finished pods are held, others forgotten — except
   * that a change to a pod still unassigned leaves its assumed record alone (upstream's cache sees
   * only assigned pods: the pending binding decides, and a failed one forgets the assumption).
   */
  setPod(pod: KObject): void {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName
    const phase = (pod.status as { phase?: string } | undefined)?.phase
    const key = podKey(pod)
    if (!nodeName && this.assumed.has(key)) return
    if (!nodeName || phase === 'Succeeded' || phase === 'Failed') {
      this.removePod(key)
      return
    }
    this.assumed.delete(key)
    const prev = this.assigned.get(key)
    if (prev && prev.nodeName === nodeName && prev.terminating === !!pod.metadata.deletionTimestamp && sameLabels(prev.labels, pod.metadata.labels ?? {})) {
      // Same node, same labels, same state: only the (immutable) requests could differ, and they cannot.
      return
    }
    if (prev) this.removePod(prev.key)
    this.addPod(podInfoOf(pod, nodeName))
  }

  /**
   * Holds a pod on a node before the binding write lands (the scheduler's assume). `requests`: the
   * pod's requests as the algorithm computed them, to save computing them again.
   */
  assume(pod: KObject, nodeName: string, requests?: Pick<PodInfo, 'requests' | 'nonZero'>): PodInfo {
    this.removePod(podKey(pod))
    const info = podInfoOf(pod, nodeName, requests)
    this.addPod(info)
    this.assumed.add(info.key)
    return info
  }

  /**
   * Undoes an assume whose binding failed (the cache's ForgetPod): the pod is forgotten only while
   * the cache still holds that assumed record — not once the watch has reported the pod's real state.
   */
  forget(assumed: PodInfo): void {
    if (this.assumed.has(assumed.key) && this.assigned.get(assumed.key) === assumed) this.removePod(assumed.key)
  }

  /** Whether some assumed pod's assignment has not been reported yet (its binding not written, or its event not seen). */
  hasAssumed(): boolean {
    return this.assumed.size > 0
  }

  /** Forgets a pod. */
  removePod(key: string): void {
    this.assumed.delete(key)
    const p = this.assigned.remove(key)
    if (!p) return
    const node = this.nodes.get(p.nodeName)
    if (node) {
      accountPod(node, p, -1)
      this.rows?.refreshNode(node)
    } else {
      const keys = this.unplaced.get(p.nodeName)
      // A pod on an unknown node is listed there (a restored list that misses it is malformed).
      if (!keys?.delete(key)) this.nodesDamaged = true
      else if (!keys.size) this.unplaced.delete(p.nodeName)
    }
    this.count(p, -1)
  }

  private addPod(p: PodInfo): void {
    this.assigned.add(p)
    const node = this.nodes.get(p.nodeName)
    if (node) {
      accountPod(node, p, 1)
      this.rows?.refreshNode(node)
    } else {
      const keys = this.unplaced.get(p.nodeName)
      if (keys) keys.add(p.key)
      else this.unplaced.set(p.nodeName, new Set([p.key]))
    }
    this.count(p, 1)
  }

  /**
   * The nodes, the pods, the term index and the pods on unknown nodes as a checkpoint saves them
   * (nodes in name order, the few pods on unknown nodes sorted: see checkpoint.ts).
   */
  save(): Pick<SchedulerSave, 'nodes' | 'pods' | 'podsByTerm' | 'unplaced'> {
    const nodes = this.unreadNodes ?? [...this.nodeInfos.values()].sort((a, b) => byKey(a.name, b.name)).map(savedNodeOf)
    const unplaced = [...this.unplaced].map(([name, keys]): [string, string[]] => [name, [...keys].sort(byKey)]).sort((a, b) => byKey(a[0], b[0]))
    return { nodes: nodes as SavedNode[], ...this.assigned.save(), unplaced }
  }

  /**
   * Holds what `save` gave in place of everything (the pods and terms as restored PagedMaps, see
   * checkpoint.ts savedPods): each record is checked when first read, the pods on unknown nodes
   * (an outline checked list, usually empty) now. Counters, assumptions and derived answers start afresh.
   */
  restore(nodes: readonly SavedNode[], pods: PagedMap<PodInfo>, podsByTerm: PagedMap<Set<string> | readonly string[]>, unplaced: ReadonlyArray<[string, readonly string[]]>): void {
    this.nodeInfos.clear()
    this.zones.clear()
    this.unreadNodes = nodes
    this.nodesDamaged = false
    this.assigned.restore(pods, podsByTerm)
    this.unplaced = new Map(unplaced.map(([name, keys]) => [name, new Set(keys)]))
    this.counters.clear()
    this.countersByTerm.clear()
    this.countersUnindexed.length = 0
    this.assumed.clear()
    this.rows = undefined
    this.keyPresence.clear()
    this.domainValues.clear()
    this.nodeGeneration++
  }

  /**
   * The restored nodes, checked and added in saved order — the node tree as adding them one by one
   * builds it — with their saved sums: their pods are counted already.
   */
  private readNodes(): void {
    const saved = this.unreadNodes ?? []
    this.unreadNodes = undefined
    for (const v of saved) {
      const n = nodeInfoFrom(v)
      if (!n || this.nodeInfos.has(n.name)) {
        this.nodesDamaged = true
        continue
      }
      // A known node's pods are not on an unknown one (nothing changed the list since the restore).
      if (this.unplaced.delete(n.name)) this.nodesDamaged = true
      this.nodeInfos.set(n.name, n)
      this.addToTree(n.name, n.labels)
    }
  }

  private nodeLabelsChanged(): void {
    this.keyPresence.clear()
    this.domainValues.clear()
    this.rows?.labelsChanged()
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
