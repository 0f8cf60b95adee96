/**
 * The node lifecycle controller (kube-controller-manager's, simplified): keeps the condition taints
 * of every node in line with its Ready condition and spec.unschedulable, and when a node stops
 * being Ready marks its pods not Ready (the PodReady condition goes False, event NodeNotReady
 * "Node is not ready" on each pod) and records `Node <name> status is now: NodeNotReady` on the
 * node; `NodeReady` when it comes back. Eviction by NoExecute taints is the taint eviction
 * controller's work (taint-eviction.ts).
 *
 * capstan has no heartbeats: `capstan sim zone down` writes the Ready=Unknown condition this
 * controller would write after node-monitor-grace-period (see sim-node-status.ts).
 */
import { formatTime } from '../../api/api-server.js'
import { isConflict, isNotFound } from '../../api/errors.js'
import { clone, type KObject } from '../../api/object.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { desiredTaints, readyStatus } from './condition-taints.js'

/** The field manager of the controller's writes. */
export const NODE_LIFECYCLE_FIELD_MANAGER = 'kube-controller-manager'

/** Marks the pods on `nodeName` not Ready and records NodeNotReady on each. */
async function markPodsNotReady(ctx: ControllerContext, nodeName: string): Promise<void> {
  const { items } = await ctx.api.list('pods', { fieldSelector: `spec.nodeName=${nodeName}` })
  for (const pod of items) {
    const status = (pod.status ?? {}) as { conditions?: Array<{ type: string; status: string; lastTransitionTime?: string }> }
    const ready = (status.conditions ?? []).find((c) => c.type === 'Ready')
    if (!ready || ready.status === 'False') continue
    const next = clone(pod)
    const conds = ((next.status as typeof status).conditions ?? []).map((c) =>
      c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: formatTime(ctx.clock.now()) } : c,
    )
    ;(next.status as typeof status).conditions = conds
    try {
      await ctx.api.updateStatus(next, { fieldManager: NODE_LIFECYCLE_FIELD_MANAGER })
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) continue
      throw err
    }
    await ctx.events.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready')
  }
}

/** Creates the node lifecycle controller. */
export function createNodeLifecycleController(ctx: ControllerContext): Controller {
  /** The Ready status last acted on, per node (a transition triggers the pod and event work). */
  const seen = new Map<string, string>()
  return {
    name: 'node-lifecycle-controller',
    resource: 'nodes',
    async reconcile(req: Request): Promise<Result> {
      let node: KObject
      try {
        node = await ctx.api.get('nodes', undefined, req.name)
      } catch (err) {
        if (!isNotFound(err)) throw err
        seen.delete(req.name)
        return {}
      }
      const now = ctx.clock.now()
      const { taints, changed } = desiredTaints(node, now)
      if (changed) {
        const next = clone(node)
        const spec = (next.spec ??= {}) as { taints?: unknown[] }
        if (taints.length) spec.taints = taints
        else delete spec.taints
        node = await ctx.api.update(next, { fieldManager: NODE_LIFECYCLE_FIELD_MANAGER })
      }
      const ready = readyStatus(node)
      const before = seen.get(req.name)
      seen.set(req.name, ready)
      if (before === undefined ? ready !== 'True' : before !== ready) {
        if (ready === 'True') {
          await ctx.events.event(node, 'Normal', 'NodeReady', `Node ${req.name} status is now: NodeReady`)
        } else if (before === undefined || before === 'True') {
          await ctx.events.event(node, 'Normal', 'NodeNotReady', `Node ${req.name} status is now: NodeNotReady`)
          await markPodsNotReady(ctx, req.name)
        }
      }
      return {}
    },
  }
}
