/**
 * What the pod garbage collector remembers between events, and across one-shot commands as its
 * checkpoint: the names of the nodes that exist, of those out of service (not Ready, with the
 * `node.kubernetes.io/out-of-service` taint), and when each missing node that pods still name was
 * first found missing (its quarantine's start). Nodes are few: the memory is saved whole, as
 * `{ format: 1, nodes: ['a', …], outOfService: ['a', …], missing: [['gone', 1767225600000], …] }`
 * (names sorted).
 */
import type { KObject } from '../../api/object.js'
import { isNodeReady } from '../node/default-node.js'
import type { Request } from '../runtime/types.js'

/** The taint that says a node is shut down for good and its terminating pods may go (non-graceful node shutdown). */
export const OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service'

/** The format of the saved memory; a restore of any other says the data is unusable. */
export const CHECKPOINT_FORMAT = 1

/** Whether PodGC may force the deletion of the node's terminating pods: not Ready, and tainted out of service (any effect). */
export function isOutOfService(node: KObject): boolean {
  const taints = (node.spec as { taints?: Array<{ key?: string }> } | undefined)?.taints ?? []
  return !isNodeReady(node) && taints.some((t) => t.key === OUT_OF_SERVICE)
}

const isName = (v: unknown): v is string => typeof v === 'string' && v !== ''

export class PodGcMemory {
  /** The nodes that exist, as last seen. */
  readonly nodes = new Set<string>()
  /** The nodes out of service, as last seen. */
  readonly outOfService = new Set<string>()
  /** When each missing node was first found missing (ms on the controller's clock). */
  readonly missingSince = new Map<string, number>()

  /**
   * Notes a change of a node (its last state for a DELETED). Returns whether a reconcile of the node
   * has something to do: it is gone (its pods, if any, are orphans) or newly out of service.
   */
  noteNode(type: 'ADDED' | 'MODIFIED' | 'DELETED', node: KObject): boolean {
    const name = node.metadata.name ?? ''
    if (type === 'DELETED') {
      this.nodes.delete(name)
      this.outOfService.delete(name)
      return true
    }
    this.nodes.add(name)
    this.missingSince.delete(name)
    const was = this.outOfService.has(name)
    if (isOutOfService(node)) this.outOfService.add(name)
    else this.outOfService.delete(name)
    return !was && this.outOfService.has(name)
  }

  /** The memory as saved (names sorted). */
  save(): { format: number; nodes: string[]; outOfService: string[]; missing: Array<[string, number]> } {
    return {
      format: CHECKPOINT_FORMAT,
      nodes: [...this.nodes].sort(),
      outOfService: [...this.outOfService].sort(),
      missing: [...this.missingSince].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    }
  }

  /** What a start reconciles: the nodes out of service (as prime asks for them). */
  startRequests(): Request[] {
    return [...this.outOfService].sort().map((name): Request => ({ resource: 'nodes', name }))
  }

  /** Restores what save returned; undefined (the memory untouched) when `data` is not that. */
  restore(data: unknown): Request[] | undefined {
    if (typeof data !== 'object' || data === null) return undefined
    const { format, nodes, outOfService, missing } = data as Record<string, unknown>
    if (format !== CHECKPOINT_FORMAT || !Array.isArray(nodes) || !nodes.every(isName)) return undefined
    if (!Array.isArray(outOfService) || !outOfService.every(isName)) return undefined
    const pairOk = (p: unknown): p is [string, number] => Array.isArray(p) && p.length === 2 && isName(p[0]) && typeof p[1] === 'number' && Number.isFinite(p[1])
    if (!Array.isArray(missing) || !missing.every(pairOk)) return undefined
    this.nodes.clear()
    this.outOfService.clear()
    this.missingSince.clear()
    for (const n of nodes) this.nodes.add(n)
    for (const n of outOfService) this.outOfService.add(n)
    for (const [n, at] of missing) this.missingSince.set(n, at)
    return this.startRequests()
  }
}
