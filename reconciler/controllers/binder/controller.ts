/**
 * The default binder: until the scheduler exists, every pod with no node that asks for
 * default-scheduler is bound to a Ready, schedulable node (the first by name); with no node at all
 * it creates `capstan-node-1`. Pods that wait because no node is usable are remembered, so that a
 * node change enqueues them again.
 */
import { isAlreadyExists, isNotFound } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { bindPod, schedulerNameOf } from './bind.js'
import { defaultNode, isNodeReady } from './default-node.js'

/** Creates the default binder (controller name `default-binder`, events as default-scheduler). */
export function createBinderController(ctx: ControllerContext): Controller {
  const waiting = new Map<string, Request>()

  return {
    name: 'default-binder',
    resource: 'pods',
    watches: [{ resource: 'nodes', map: () => [...waiting.values()] }],
    async reconcile(req: Request): Promise<Result> {
      const key = `${req.namespace}/${req.name}`
      let pod: KObject
      try {
        pod = await ctx.api.get('pods', req.namespace, req.name)
      } catch (err) {
        if (isNotFound(err)) {
          waiting.delete(key)
          return {}
        }
        throw err
      }
      if (!needsBinding(pod)) {
        waiting.delete(key)
        return {}
      }
      const node = await pickNode(ctx)
      if (!node) {
        waiting.set(key, req)
        return {}
      }
      waiting.delete(key)
      await bindPod(ctx.api, pod, node, ctx.clock.now())
      await ctx.events.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`)
      return {}
    },
  }
}

/** Unbound, not being deleted, not finished, and for the default scheduler. */
export function needsBinding(pod: KObject): boolean {
  const spec = (pod.spec ?? {}) as { nodeName?: string }
  const phase = (pod.status as { phase?: string } | undefined)?.phase
  if (spec.nodeName || pod.metadata.deletionTimestamp) return false
  if (phase === 'Succeeded' || phase === 'Failed') return false
  return schedulerNameOf(pod) === 'default-scheduler'
}

/** The node to bind to: the first Ready, schedulable node by name; a new default node when there is none at all. */
async function pickNode(ctx: ControllerContext): Promise<string | undefined> {
  const { items } = await ctx.api.list('nodes')
  if (!items.length) {
    try {
      const created = await ctx.api.create(defaultNode(ctx.clock.now()), { fieldManager: 'kubelet' })
      return created.metadata.name
    } catch (err) {
      if (!isAlreadyExists(err)) throw err
      return pickNode(ctx)
    }
  }
  const usable = items
    .filter((n) => isNodeReady(n) && !(n.spec as { unschedulable?: boolean } | undefined)?.unschedulable && !n.metadata.deletionTimestamp)
    .map((n) => n.metadata.name!)
    .sort()
  return usable[0]
}
