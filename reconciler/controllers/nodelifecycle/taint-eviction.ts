/**
 * The taint eviction controller (formerly the taint manager): a pod on a node with NoExecute taints
 * is deleted at once when it does not tolerate one of them, after the shortest tolerationSeconds
 * of the tolerations it uses otherwise (counted from the taint's timeAdded), and never when those
 * tolerations have no limit. Every pod gets `not-ready` and `unreachable` NoExecute tolerations of
 * 300 s from the API server, so a lost node's pods go 5 minutes after it was tainted. Event:
 * TaintManagerEviction "Marking for deletion Pod <namespace>/<name>".
 *
 * Example: unreachable:NoExecute added at 12:00:00, the default 300 s toleration → deleted at 12:05:00.
 */
import { isNotFound } from '../../api/errors.js'
import type { KObject } from '../../api/object.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
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

/** Creates the taint eviction controller (reconciles nodes; a pod landing on a node re-checks that node). */
export function createTaintEvictionController(ctx: ControllerContext): Controller {
  return {
    name: 'taint-eviction-controller',
    resource: 'nodes',
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
      const taints = ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []).filter((t) => t.effect === 'NoExecute')
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
        try {
          await ctx.api.delete('pods', pod.metadata.namespace, pod.metadata.name!)
        } catch (err) {
          if (!isNotFound(err)) throw err
        }
      }
      return next === undefined ? {} : { requeueAfterMs: Math.max(0, next - now) }
    },
  }
}
