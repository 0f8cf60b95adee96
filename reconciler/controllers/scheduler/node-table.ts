/**
 * The nodes in node-tree order as columns of typed arrays, for the scheduling loop (kube-scheduler
 * takes a Snapshot of its cache per cycle; ours is kept current in place instead). Filtering 1,000
 * nodes from objects scattered over the heap was bound by memory reads: one NodeInfo, its
 * allocatable, its requested and its pod map per node. Here a node is a row number, and what the
 * common filters and scores read sits in a few contiguous arrays. Rows are refreshed from the
 * NodeInfo on every pod or node change (the NodeInfo stays the source of truth); the table is
 * rebuilt only when the node tree changes.
 *
 * A label key the spreading plugins ask about gets a column of domain ids (one small integer per
 * distinct value, -1 where the node has no such label), so a topology check is an array read
 * instead of a string lookup and a hash.
 */
import type { NodeInfo } from './node-info.js'

/** Row flags. */
export const UNSCHEDULABLE = 1
/** The node has taints (the taint filter and score then read its NodeInfo). */
export const TAINTED = 2

/** The values of one label key over the table's rows. */
export interface DomainColumn {
  /** Per row: the id of the node's value, or -1 when the node lacks the label. */
  ids: Int32Array
  /** The value of each id. */
  values: string[]
  /** The id of each value. */
  idOf: Map<string, number>
}

/** Nodes in node-tree order, with their scheduling numbers in typed arrays. */
export class NodeTable {
  readonly size: number
  /** The NodeInfo of each row (for taints, labels, affinity: the less common checks). */
  readonly nodes: NodeInfo[]
  /** The row of each node name. */
  readonly rowOf = new Map<string, number>()
  readonly allocCpu: Float64Array
  readonly allocMem: Float64Array
  readonly allocPods: Float64Array
  readonly reqCpu: Float64Array
  readonly reqMem: Float64Array
  readonly nonZeroCpu: Float64Array
  readonly nonZeroMem: Float64Array
  readonly podCount: Float64Array
  readonly flags: Uint8Array
  /** A new number each time a row changes. */
  readonly version: Float64Array
  private ticks = 0
  private readonly columns = new Map<string, DomainColumn>()
  /**
   * The resource scores (LeastAllocated + BalancedAllocation) last computed per row, for pods of
   * one shape (requests and non-zero requests), valid while the row's version is the one noted.
   */
  private scoreShape = [NaN, NaN, NaN, NaN]
  readonly resourceScore: Float64Array
  readonly scoredVersion: Float64Array

  constructor(nodes: NodeInfo[]) {
    const n = nodes.length
    this.size = n
    this.nodes = nodes
    this.allocCpu = new Float64Array(n)
    this.allocMem = new Float64Array(n)
    this.allocPods = new Float64Array(n)
    this.reqCpu = new Float64Array(n)
    this.reqMem = new Float64Array(n)
    this.nonZeroCpu = new Float64Array(n)
    this.nonZeroMem = new Float64Array(n)
    this.podCount = new Float64Array(n)
    this.flags = new Uint8Array(n)
    this.version = new Float64Array(n)
    this.resourceScore = new Float64Array(n)
    this.scoredVersion = new Float64Array(n).fill(-1)
    for (let i = 0; i < n; i++) {
      this.rowOf.set(nodes[i].name, i)
      this.refresh(i, nodes[i])
    }
  }

  /** Copies a node's current state into its row (`node` may be a new NodeInfo for the same name). */
  refresh(row: number, node: NodeInfo): void {
    this.nodes[row] = node
    this.allocCpu[row] = node.allocatable.milliCpu
    this.allocMem[row] = node.allocatable.memory
    this.allocPods[row] = node.allocatable.pods
    this.reqCpu[row] = node.requested.milliCpu
    this.reqMem[row] = node.requested.memory
    this.nonZeroCpu[row] = node.nonZeroRequested.milliCpu
    this.nonZeroMem[row] = node.nonZeroRequested.memory
    this.podCount[row] = node.podCount
    this.flags[row] = (node.unschedulable ? UNSCHEDULABLE : 0) | (node.taints.length ? TAINTED : 0)
    this.version[row] = ++this.ticks
  }

  /** Makes the cached resource scores those of pods of this shape (forgetting them when it differs). */
  useScoreShape(milliCpu: number, memory: number, nonZeroCpu: number, nonZeroMem: number): void {
    const s = this.scoreShape
    if (s[0] === milliCpu && s[1] === memory && s[2] === nonZeroCpu && s[3] === nonZeroMem) return
    this.scoreShape = [milliCpu, memory, nonZeroCpu, nonZeroMem]
    this.scoredVersion.fill(-1)
  }

  /** Refreshes the row of `node`, if the table has it. */
  refreshNode(node: NodeInfo): void {
    const row = this.rowOf.get(node.name)
    if (row !== undefined) this.refresh(row, node)
  }

  /** The domain ids of label `key` (built on first use, until the labels change). */
  column(key: string): DomainColumn {
    let c = this.columns.get(key)
    if (!c) {
      const ids = new Int32Array(this.size)
      const values: string[] = []
      const idOf = new Map<string, number>()
      for (let i = 0; i < this.size; i++) {
        const v = this.nodes[i].labels[key]
        if (typeof v !== 'string' || !Object.hasOwn(this.nodes[i].labels, key)) {
          ids[i] = -1
          continue
        }
        let id = idOf.get(v)
        if (id === undefined) {
          id = values.length
          values.push(v)
          idOf.set(v, id)
        }
        ids[i] = id
      }
      c = { ids, values, idOf }
      this.columns.set(key, c)
    }
    return c
  }

  /** Forgets the domain columns (a node's labels changed). */
  labelsChanged(): void {
    this.columns.clear()
  }
}
