/**
 * The taint eviction controller (formerly the taint manager): a pod on a node with NoExecute taints
 * is deleted at once when it does not tolerate one of them, after the shortest tolerationSeconds
 * of the tolerations it uses otherwise (counted from the taint's timeAdded), and never when those
 * tolerations have no limit. Every pod gets `not-ready` and `unreachable` NoExecute tolerations of
 * 300 s from the API server, so a lost node's pods go 5 minutes after it was tainted. Event:
 * TaintManagerEviction "Marking for deletion Pod <namespace>/<name>"; the pod gets the
 * `DisruptionTarget` condition (reason DeletionByTaintManager) before its (graceful) delete.
 *
 * Example: unreachable:NoExecute added at 12:00:00, the default 300 s toleration → deleted at 12:05:00.
 *
 * It starts incrementally: a node's reconcile does something only when the node has NoExecute
 * taints, so those nodes are reconciled at start (as upstream's node informer hands every node to
 * the controller when it starts, and only a tainted one has its pods processed) and no other
 * object is. Its only memory is the names of the nodes with NoExecute taints (nodes are few),
 * kept so that a start restored from its checkpoint knows them without listing the nodes; the
 * timers of tolerated pods come back with the resume point's delayed work.
 */
import { isNotFound } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import { disruptAndDelete } from '../podgc/disrupt.js'
import type { Checkpoint, Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { toleratesTaint, type Toleration } from '../scheduler/taints.js'
import type { Taint } from './condition-taints.js'

/** When a pod must go given the node's NoExecute taints: 'now', a time in ms, or undefined (never). */
export function evictionTime(taints: readonly Taint[], tolerations: readonly Toleration[]): 'now' | number | undefined {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute')
  if (!noExecute.length) return undefined
  let at: number | undefined
  for (const taint of noExecute) {
    const used = tolerations.filter((t) => toleratesTaint(t, taint))
    if (!used.length) return 'now'
    // The shortest limit among the tolerations that match; none limited → tolerated forever.
    let seconds: number | undefined
    for (const t of used) if (typeof t.tolerationSeconds === 'number') seconds = seconds === undefined ? t.tolerationSeconds : Math.min(seconds, t.tolerationSeconds)
    if (seconds === undefined) continue
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN
    const when = (Number.isNaN(added) ? 0 : added) + Math.max(0, seconds) * 1000
    at = at === undefined ? when : Math.min(at, when)
  }
  return at
}

/** The format of the saved memory; a restore of any other says the data is unusable. */
const CHECKPOINT_FORMAT = 1

/** The condition an evicted pod gets before its delete (upstream's addConditionAndDeletePod). */
const EVICTED = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }

/** The NoExecute taints of a node. */
function noExecuteTaints(node: KObject): Taint[] {
  return ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []).filter((t) => t.effect === 'NoExecute')
}

/**
 * The names of the nodes with NoExecute taints, as last seen, saved and restored as
 * `{ format: 1, tainted: ['node-a', …] }` (sorted).
 */
function taintedNodes(): { note(type: 'ADDED' | 'MODIFIED' | 'DELETED', node: KObject): boolean; checkpoint: Checkpoint } {
  const tainted = new Set<string>()
  return {
    /** Notes a node as seen (its last state for a DELETED); returns whether it has NoExecute taints. */
    note(type, node) {
      const name = node.metadata.name ?? ''
      const isTainted = type !== 'DELETED' && noExecuteTaints(node).length > 0
      if (isTainted) tainted.add(name)
      else tainted.delete(name)
      return isTainted
    },
    checkpoint: {
      save: () => ({ format: CHECKPOINT_FORMAT, tainted: [...tainted].sort() }),
      format: CHECKPOINT_FORMAT,
      startRequests: () => [...tainted].sort().map((name): Request => ({ resource: 'nodes', name })),
      restore(data) {
        if (typeof data !== 'object' || data === null) return undefined
        const { format, tainted: names } = data as { format?: unknown; tainted?: unknown }
        if (format !== CHECKPOINT_FORMAT || !Array.isArray(names) || !names.every((n): n is string => typeof n === 'string' && n !== '')) return undefined
        tainted.clear()
        for (const n of names) tainted.add(n)
        // What prime returns true for: every node with NoExecute taints.
        return names.map((name): Request => ({ resource: 'nodes', name }))
      },
    },
  }
}

/** Creates the taint eviction controller (reconciles nodes; a pod landing on a node re-checks that node). */
export function createTaintEvictionController(ctx: ControllerContext): Controller {
  const memory = taintedNodes()
  return {
    name: 'taint-eviction-controller',
    resource: 'nodes',
    incremental: true,
    // Every change of a node is reconciled, as before; the filter only keeps the memory.
    accepts: (type, node) => (memory.note(type, node), true),
    // At start, only a node with NoExecute taints has anything to evict.
    prime: (node) => memory.note('ADDED', node),
    checkpoint: memory.checkpoint,
    watches: [
      {
        resource: 'pods',
        map: (pod, old) => {
          const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName
          const before = (old?.spec as { nodeName?: string } | undefined)?.nodeName
          return node && node !== before ? [{ resource: 'nodes', name: node }] : []
        },
      },
    ],
    async reconcile(req: Request): Promise<Result> {
      let node: KObject
      try {
        node = await ctx.api.get('nodes', undefined, req.name)
      } catch (err) {
        if (isNotFound(err)) return {}
        throw err
      }
      const taints = noExecuteTaints(node)
      if (!taints.length) return {}
      const now = ctx.clock.now().getTime()
      const { items } = await ctx.api.list('pods', { fieldSelector: `spec.nodeName=${req.name}` })
      let next: number | undefined
      for (const pod of items) {
        if (pod.metadata.deletionTimestamp) continue
        const phase = (pod.status as { phase?: string } | undefined)?.phase
        if (phase === 'Succeeded' || phase === 'Failed') continue
        const tolerations = ((pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations ?? []) as Toleration[]
        const when = evictionTime(taints, tolerations)
        if (when === undefined) continue
        if (when !== 'now' && when > now) {
          next = next === undefined ? when : Math.min(next, when)
          continue
        }
        await ctx.events.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`)
        await disruptAndDelete(ctx, pod, { condition: EVICTED, markFailed: false })
      }
      return next === undefined ? {} : { requeueAfterMs: Math.max(0, next - now) }
    },
  }
}
