/**
 * The pod garbage collector (kube-controller-manager's PodGC, pkg/controller/podgc), for the pods
 * nothing else would ever end:
 *  - orphans: pods bound to a node that does not exist. A missing node is quarantined for 40 s (it
 *    may only be late in the cache); if it is still missing then, each of its pods is marked Failed
 *    with `DisruptionTarget` (reason `DeletionByPodGC`, "PodGC: node no longer exists") and deleted
 *    with grace period 0, so its controller replaces it on a node that exists;
 *  - terminating pods on a node out of service (not Ready and tainted
 *    `node.kubernetes.io/out-of-service`, the non-graceful node shutdown): marked Failed and
 *    deleted with grace period 0, as no kubelet will confirm their deletion;
 *  - terminating pods that were never scheduled (kept by a finalizer): marked Failed and deleted
 *    with grace period 0.
 * Upstream finds these in a pass over every pod every 20 s; capstan follows the pod and node events
 * instead, so the orphans of a node go 40 s after the node is found missing (upstream: the first
 * pass at least 40 s after the pass that found it, 40 to 60 s). It records no events, as upstream.
 * Not done: the cap on terminated pods (--terminated-pod-gc-threshold, 12,500 by default).
 *
 * Example: `capstan delete node n1` at 12:00:00 → at 12:00:40 n1's pods are Failed and gone, and
 * their ReplicaSets have created replacements elsewhere.
 */
import type { KObject } from '../../api/object.js'
import { findObject } from '../runtime/find-object.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { disruptAndDelete } from './disrupt.js'
import { CHECKPOINT_FORMAT, isOutOfService, PodGcMemory } from './memory.js'

/** How long a node must stay missing before its pods are taken for orphans (upstream's quarantineTime). */
export const QUARANTINE_MS = 40_000

const nodeNameOf = (pod: KObject | undefined): string | undefined => (pod?.spec as { nodeName?: string } | undefined)?.nodeName || undefined

const ORPHANED = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' }

/** Creates the pod garbage collector (reconciles nodes by name, existing or not, and unscheduled terminating pods). */
export function createPodGcController(ctx: ControllerContext): Controller {
  const mem = new PodGcMemory()

  /** The pods bound to `node` (a field selector list: these reconciles are rare). */
  const podsOn = async (node: string): Promise<KObject[]> => (await ctx.api.list('pods', { fieldSelector: `spec.nodeName=${node}` })).items

  /** A missing node: quarantine it, or after the quarantine take its pods for orphans. */
  const missingNode = async (name: string): Promise<Result> => {
    const now = ctx.clock.now().getTime()
    const since = mem.missingSince.get(name)
    if (since === undefined) {
      mem.missingSince.set(name, now)
      return { requeueAfterMs: QUARANTINE_MS }
    }
    if (now < since + QUARANTINE_MS) return { requeueAfterMs: since + QUARANTINE_MS - now }
    for (const pod of await podsOn(name)) {
      // A pod rebound meanwhile (it cannot be: nodeName is immutable once set) or already gone is skipped by the uid precondition.
      await disruptAndDelete(ctx, pod, { condition: ORPHANED, markFailed: true, gracePeriodSeconds: 0 })
    }
    mem.missingSince.delete(name)
    return {}
  }

  return {
    name: 'pod-garbage-collector',
    resource: 'nodes',
    // Incremental start: its memory is the nodes' names (checkpointed); the pods it acts on are
    // found from their own changes, and the quarantine timers come back with the resume point.
    incremental: true,
    prime: (node) => mem.noteNode('ADDED', node),
    accepts: (type, node) => mem.noteNode(type, node),
    checkpoint: {
      save: () => mem.save(),
      restore: (data) => mem.restore(data),
      format: CHECKPOINT_FORMAT,
      startRequests: () => mem.startRequests(),
    },
    watches: [
      {
        resource: 'pods',
        // What makes a pod one of PodGC's: being bound to a node that is missing, or starting to
        // terminate unscheduled or on a node out of service. Its later changes (PodGC's own
        // status write among them) change nothing of that.
        map: (pod, old, type): Request[] => {
          if (type === 'DELETED') return []
          const node = nodeNameOf(pod)
          const newlyTerminating = !!pod.metadata.deletionTimestamp && !old?.metadata.deletionTimestamp
          if (!node) return newlyTerminating ? [{ resource: 'pods', namespace: pod.metadata.namespace, name: pod.metadata.name! }] : []
          if (node !== nodeNameOf(old) && !mem.nodes.has(node)) return [{ resource: 'nodes', name: node }]
          return newlyTerminating && mem.outOfService.has(node) ? [{ resource: 'nodes', name: node }] : []
        },
      },
    ],
    async reconcile(req: Request): Promise<Result> {
      if (req.resource === 'pods') {
        const pod = await findObject(ctx.api, 'pods', req.namespace, req.name)
        if (pod?.metadata.deletionTimestamp && !nodeNameOf(pod)) await disruptAndDelete(ctx, pod, { markFailed: true, gracePeriodSeconds: 0 })
        return {}
      }
      const node = await findObject(ctx.api, 'nodes', undefined, req.name)
      if (!node) {
        mem.nodes.delete(req.name)
        mem.outOfService.delete(req.name)
        return missingNode(req.name)
      }
      mem.noteNode('MODIFIED', node)
      if (!isOutOfService(node)) return {}
      for (const pod of await podsOn(req.name)) {
        if (pod.metadata.deletionTimestamp) await disruptAndDelete(ctx, pod, { markFailed: true, gracePeriodSeconds: 0 })
      }
      return {}
    },
  }
}
